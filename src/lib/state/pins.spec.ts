// F5, F7 (S136-S138) over a real tenant document and a replica set of fake replicas: pins resolve as the tree changes,
// pinned customers are held live and let go, the last sync time is recorded, a scoped person pins only what their view
// holds and loses pins outside it (said so); the directory and the tree filter to the customers on this device.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TenantRepository } from '$lib/data/tenant-repository';
import { createReplicaSet } from '$lib/data/device/replica-set';
import { fakeReplica, memoryStorage } from '$lib/data/device/testing';
import { PinStore, pinsStorageKey } from '$lib/data/device/pins';
import type { DocName } from '$lib/schema/ids';
import { DomainError } from '$lib/domain/errors';
import { PinsState } from './pins.svelte';
import { NO_FILTERS, directoryMatcher, type DirectoryEntry } from './directory-rows';
import { flattenTree } from './tree-rows';

const T0 = new Date('2026-12-02T09:00:00Z');

function setup(options: { maxLive?: number; storage?: ReturnType<typeof memoryStorage> } = {}) {
	const doc = new Y.Doc();
	const repo = new TenantRepository(doc);
	const msp = repo.createNode({ kind: 'msp', name: 'Northwind', parentId: null });
	const fabrikam = repo.createNode({ kind: 'customer', name: 'Fabrikam', parentId: msp });
	const contoso = repo.createNode({ kind: 'customer', name: 'Contoso', parentId: msp });
	const site = repo.createNode({ kind: 'site', name: 'Lager', parentId: fabrikam });
	const fakes = new Map<DocName, ReturnType<typeof fakeReplica>>();
	const set = createReplicaSet({ serverUrl: 'ws://relay/sync' }, (docName) => {
		const fake = fakeReplica(docName, { connection: 'syncing', syncedOnce: false });
		fakes.set(docName, fake);
		return fake.replica;
	});
	const storage = options.storage ?? memoryStorage();
	let now = T0;
	let loaded!: () => void;
	const whenLoaded = new Promise<void>((resolve) => (loaded = resolve));
	const pins = new PinsState({
		store: new PinStore(storage, 't1', 'ana'),
		set,
		view: () => repo.view(),
		groupIds: () => new Set(repo.groups().map((group) => group.id)),
		observe: (listener) => repo.observe(listener),
		whenLoaded,
		now: () => now,
		maxLive: options.maxLive
	});
	const open = () =>
		set
			.openReplicas()
			.map((replica) => replica.docName)
			.sort();
	return {
		repo,
		pins,
		fakes,
		storage,
		open,
		ids: { msp, fabrikam, contoso, site },
		setNow: (at: Date) => (now = at),
		load: async () => {
			loaded();
			await whenLoaded;
			await Promise.resolve();
		}
	};
}

/** Tree changes are resolved once per task. */
const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe('PinsState', () => {
	it('F5 (S136, S137): a pinned customer is held live and let go when unpinned; a subtree pin covers customers added later', async () => {
		const { repo, pins, open, ids, load } = setup();
		await load();
		pins.pin({ kind: 'customer', id: ids.fabrikam });
		expect([...pins.customerIds]).toEqual([ids.fabrikam]);
		expect(open()).toEqual([`customer:${ids.fabrikam}`]);
		expect(pins.customerDocNames()).toEqual([`customer:${ids.fabrikam}`]);

		pins.pin({ kind: 'node', id: ids.msp });
		expect([...pins.customerIds].sort()).toEqual([ids.contoso, ids.fabrikam].sort());
		const later = repo.createNode({ kind: 'customer', name: 'Tailspin', parentId: ids.msp });
		await settle();
		expect(pins.customerIds.has(later)).toBe(true);
		expect(open()).toContain(`customer:${later}`);
		// The customer pinned by itself goes first (S136: downloaded first).
		expect(pins.customerDocNames()[0]).toBe(`customer:${ids.fabrikam}`);

		pins.unpin({ kind: 'node', id: ids.msp });
		pins.unpin({ kind: 'customer', id: ids.fabrikam });
		await settle();
		await settle();
		expect(pins.customerIds.size).toBe(0);
		expect(open()).toEqual([]);
		await pins.destroy();
	});

	it('F5 (S135): a group pin covers the customers put into the group, now and later', async () => {
		const { repo, pins, ids, load } = setup();
		const group = repo.putGroup({ name: 'Vienna visit' });
		repo.setCustomerGroups(ids.contoso, [group]);
		await load();
		pins.pin({ kind: 'group', id: group });
		expect([...pins.customerIds]).toEqual([ids.contoso]);
		repo.setCustomerGroups(ids.fabrikam, [group]);
		await settle();
		expect([...pins.customerIds].sort()).toEqual([ids.contoso, ids.fabrikam].sort());
		expect(pins.status(ids.fabrikam).pins).toEqual([expect.objectContaining({ kind: 'group', id: group })]);
		await pins.destroy();
	});

	it('F5 (S138): a held customer in sync is marked on this device with the time, kept in storage; offline it keeps the time', async () => {
		const storage = memoryStorage();
		const { pins, fakes, ids, load, setNow } = setup({ storage });
		await load();
		pins.pin({ kind: 'customer', id: ids.fabrikam });
		const docName = `customer:${ids.fabrikam}` as DocName;
		expect(pins.status(ids.fabrikam)).toMatchObject({ pinned: true, syncedAt: null, live: false });
		expect(pins.status(ids.contoso).pinned).toBe(false);

		fakes.get(docName)!.set({ connection: 'online' });
		expect(pins.status(ids.fabrikam)).toMatchObject({ syncedAt: T0.getTime(), live: true });
		expect(new PinStore(storage, 't1', 'ana').syncedAt(docName)).toBe(T0.toISOString());

		// Unconfirmed local changes: not in sync (the time stays that of the last sync).
		setNow(new Date(T0.getTime() + 60_000));
		fakes.get(docName)!.set({ connection: 'online', pending: 1 });
		expect(pins.status(ids.fabrikam)).toMatchObject({ syncedAt: T0.getTime(), live: false });
		fakes.get(docName)!.set({ connection: 'offline' });
		expect(pins.status(ids.fabrikam)).toMatchObject({ syncedAt: T0.getTime(), live: false });

		// A restart reads the time back before any sync.
		await pins.destroy();
		const again = setup({ storage });
		expect(again.pins.status(ids.fabrikam).syncedAt).toBe(T0.getTime());
		await again.pins.destroy();
	});

	it("F5 (S136): only what the person's tree holds can be pinned (a scoped person's view: what their grant covers)", async () => {
		const { pins, ids, load } = setup();
		await load();
		for (const target of [
			{ kind: 'customer', id: 'not-in-view' },
			{ kind: 'customer', id: ids.msp },
			{ kind: 'node', id: ids.site },
			{ kind: 'group', id: 'no-such-group' }
		] as const)
			expect(() => pins.pin(target)).toThrow(DomainError);
		expect(pins.pins).toEqual([]);
		await pins.destroy();
	});

	it('F5 (S136): a pin of something the tree no longer holds (grant narrowed, customer deleted) is dropped and said so', async () => {
		const storage = memoryStorage();
		const first = setup({ storage });
		await first.load();
		first.pins.pin({ kind: 'customer', id: first.ids.fabrikam });
		first.pins.pin({ kind: 'customer', id: first.ids.contoso });
		first.pins.pin({ kind: 'node', id: first.ids.msp });
		first.repo.remove(first.ids.contoso);
		await settle();
		expect(first.pins.dropped).toBe(1);
		expect(first.pins.pins.map((pin) => pin.id)).toEqual([first.ids.fabrikam, first.ids.msp]);
		first.pins.dismissDropped();
		expect(first.pins.dropped).toBe(0);
		await first.pins.destroy();

		// Another tree (as a narrower grant's view) holds none of them: they go once the tree is read, not before.
		const key = pinsStorageKey('t1', 'ana');
		const stored = JSON.parse(storage.getItem(key)!) as { pins: Array<{ kind: string; id: string; at: string }> };
		stored.pins.push({ kind: 'customer', id: 'elsewhere', at: T0.toISOString() });
		storage.setItem(key, JSON.stringify(stored));
		const second = setup({ storage });
		expect(second.pins.pins).toHaveLength(3);
		await second.load();
		expect(second.pins.dropped).toBe(3);
		expect(second.pins.pins).toEqual([]);
		await second.pins.destroy();
	});
});

describe('the "On this device" filters', () => {
	it('F5: the directory shows only pinned customers when asked', () => {
		const entry = (id: string) =>
			({
				id,
				haystack: id,
				tags: [],
				groupIds: [],
				activeProducts: [],
				licenseStatus: 'none'
			}) as unknown as DirectoryEntry;
		const pinned = new Set(['a']);
		const onDevice = directoryMatcher({ ...NO_FILTERS, onDevice: true }, pinned);
		expect([entry('a'), entry('b')].filter(onDevice).map((e) => e.id)).toEqual(['a']);
		const all = directoryMatcher(NO_FILTERS, pinned);
		expect([entry('a'), entry('b')].filter(all).map((e) => e.id)).toEqual(['a', 'b']);
	});

	it('F5: the tree shows only pinned customers and the nodes above them, expanded', () => {
		const repo = new TenantRepository(new Y.Doc());
		const msp = repo.createNode({ kind: 'msp', name: 'Northwind', parentId: null });
		const a = repo.createNode({ kind: 'customer', name: 'Alpha', parentId: msp });
		repo.createNode({ kind: 'customer', name: 'Beta', parentId: msp });
		repo.createNode({ kind: 'msp', name: 'Other', parentId: null });
		const rows = flattenTree(repo.view(), '', () => false, new Set([a]));
		expect(rows.map((row) => [row.node.name, row.match])).toEqual([
			['Northwind', false],
			['Alpha', true]
		]);
		expect(flattenTree(repo.view(), 'zeta', () => false, new Set([a]))).toEqual([]);
	});
});
