// F5 (S135-S137): pins stored per person per tenant and parsed on read, resolved to customers over the tree, forgotten at
// sign-out; the holder that keeps pinned customers live through background leases, within a budget of sockets.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DocName } from '../../schema/ids';
import { createReplicaSet } from './replica-set';
import { fakeReplica, memoryStorage } from './testing';
import {
	MAX_PINS,
	PinStore,
	createPinnedHolder,
	pinnedDocNames,
	pinsStorageKey,
	resolvePins,
	type Pin,
	type PinTree
} from './pins';
import { forgetLocalReplicas } from './local-data';

const AT = new Date('2026-12-02T09:00:00Z');

function tree(
	nodes: Array<[id: string, kind: string, parent: string | null, groups?: string[]]>
): PinTree & { add(id: string, kind: string, parent: string | null, groups?: string[]): void } {
	const map = new Map<string, { kind: string; groups?: readonly string[] }>();
	const parentOf = new Map<string, string | null>();
	const add = (id: string, kind: string, parent: string | null, groups?: string[]) => {
		map.set(id, { kind, groups });
		parentOf.set(id, parent);
	};
	for (const node of nodes) add(...node);
	return { nodes: map, parentOf, add };
}

const pin = (kind: Pin['kind'], id: string): Pin => ({ kind, id, at: AT.toISOString() });

describe('PinStore', () => {
	it('S135: pins are kept per person per tenant on this device and read back after a restart', () => {
		const storage = memoryStorage();
		const ana = new PinStore(storage, 't1', 'ana');
		expect(ana.add({ kind: 'customer', id: 'c1' }, AT)).toBe(true);
		expect(ana.add({ kind: 'customer', id: 'c1' }, AT)).toBe(false);
		expect(ana.add({ kind: 'group', id: 'g1' }, AT)).toBe(true);
		ana.noteSynced('customer:c1', AT, new Set<DocName>(['customer:c1']));

		expect(new PinStore(storage, 't1', 'ana').list()).toEqual([pin('customer', 'c1'), pin('group', 'g1')]);
		expect(new PinStore(storage, 't1', 'ana').syncedAt('customer:c1')).toBe(AT.toISOString());
		// Another person on the same tablet, or the same person in another tenant, has pins of their own.
		expect(new PinStore(storage, 't1', 'ben').list()).toEqual([]);
		expect(new PinStore(storage, 't2', 'ana').list()).toEqual([]);

		expect(ana.remove({ kind: 'group', id: 'g1' })).toBe(true);
		expect(ana.remove({ kind: 'group', id: 'g1' })).toBe(false);
		expect(new PinStore(storage, 't1', 'ana').list()).toEqual([pin('customer', 'c1')]);
	});

	it('S135: a damaged entry (not JSON, a foreign shape, a bad id) reads as no pins, never half of it', () => {
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
		const key = pinsStorageKey('t1', 'ana');
		const good = { kind: 'customer', id: 'c1', at: AT.toISOString() };
		for (const raw of [
			'{not json',
			JSON.stringify({ v: 2, pins: [good], syncedAt: {} }),
			JSON.stringify({ v: 1, pins: [good, { kind: 'customer', id: '../../etc', at: AT.toISOString() }], syncedAt: {} }),
			JSON.stringify({ v: 1, pins: [good], syncedAt: { 'customer:c1': 'yesterday' } })
		]) {
			const store = new PinStore(memoryStorage({ [key]: raw }), 't1', 'ana');
			expect(store.list()).toEqual([]);
		}
		expect(warn).toHaveBeenCalledTimes(4);
		// The message names no customer (no user data in logs).
		expect(warn.mock.calls.flat().join(' ')).not.toContain('c1');
		warn.mockRestore();
		const store = new PinStore(
			memoryStorage({ [key]: JSON.stringify({ v: 1, pins: [good], syncedAt: {} }) }),
			't1',
			'ana'
		);
		expect(store.list()).toEqual([good]);
	});

	it(`S135: at most ${MAX_PINS} pins`, () => {
		const store = new PinStore(memoryStorage(), 't1', 'ana');
		for (let i = 0; i < MAX_PINS; i++) expect(store.add({ kind: 'customer', id: `c${i}` }, AT)).toBe(true);
		expect(store.add({ kind: 'customer', id: 'one-more' }, AT)).toBe(false);
		expect(store.list()).toHaveLength(MAX_PINS);
	});

	it('S135: sign-out forgets every pin of this device with the other local data', async () => {
		const storage = memoryStorage({ 'msp-portal.locale': 'de' });
		new PinStore(storage, 't1', 'ana').add({ kind: 'customer', id: 'c1' }, AT);
		new PinStore(storage, 't2', 'ben').add({ kind: 'node', id: 'n1' }, AT);
		vi.stubGlobal('localStorage', storage);
		try {
			await forgetLocalReplicas();
		} finally {
			vi.unstubAllGlobals();
		}
		expect([...storage.items.keys()]).toEqual(['msp-portal.locale']);
	});
});

describe('resolvePins', () => {
	const base = () =>
		tree([
			['msp', 'msp', null],
			['c1', 'customer', 'msp', ['g1']],
			['c2', 'customer', 'msp'],
			['s1', 'site', 'c1'],
			['other', 'msp', null],
			['c3', 'customer', 'other', ['g1']]
		]);

	it('S135: a customer pin covers its customer, a group pin the group\'s customers, a node pin its subtree', () => {
		const pins = [pin('node', 'msp'), pin('group', 'g1'), pin('customer', 'c2')];
		const resolved = resolvePins(pins, base(), new Set(['g1']));
		expect([...resolved.customers.keys()].sort()).toEqual(['c1', 'c2', 'c3']);
		// The customer's own pin comes first; then the order the pins were made in.
		expect(resolved.customers.get('c2')).toEqual([pins[2], pins[0]]);
		expect(resolved.customers.get('c1')).toEqual([pins[0], pins[1]]);
		expect(resolved.customers.get('c3')).toEqual([pins[1]]);
		expect(resolved.missing).toEqual([]);
		// Customers pinned one by one go first (they go live first).
		expect(pinnedDocNames(resolved)[0]).toBe('customer:c2');
	});

	it('S135: a group or subtree pin covers customers that join it later', () => {
		const t = base();
		const pins = [pin('node', 'other'), pin('group', 'g2')];
		expect([...resolvePins(pins, t, new Set(['g2'])).customers.keys()]).toEqual(['c3']);
		t.add('c4', 'customer', 'other');
		t.add('c5', 'customer', 'msp', ['g2']);
		expect([...resolvePins(pins, t, new Set(['g2'])).customers.keys()].sort()).toEqual(['c3', 'c4', 'c5']);
	});

	it('S136: pins of what the tree does not hold (deleted, outside the grant, a site, an unknown group) are missing', () => {
		const pins = [pin('customer', 'gone'), pin('customer', 'msp'), pin('node', 's1'), pin('group', 'g9'), pin('node', 'x')];
		const resolved = resolvePins(pins, base(), new Set(['g1']));
		expect(resolved.customers.size).toBe(0);
		expect(resolved.missing).toEqual(pins);
	});

	it('S135: a parent loop in a damaged view does not hang the resolution', () => {
		const t = tree([
			['a', 'msp', 'b'],
			['b', 'msp', 'a'],
			['c', 'customer', 'a']
		]);
		expect([...resolvePins([pin('node', 'b')], t, new Set()).customers.keys()]).toEqual(['c']);
	});
});

describe('createPinnedHolder', () => {
	function setup() {
		const fakes = new Map<DocName, ReturnType<typeof fakeReplica>>();
		const set = createReplicaSet({ serverUrl: 'ws://relay/sync' }, (docName) => {
			const fake = fakeReplica(docName, { connection: 'syncing', syncedOnce: false });
			fakes.set(docName, fake);
			return fake.replica;
		});
		const synced: DocName[] = [];
		const released: DocName[] = [];
		const holder = createPinnedHolder(set, {
			maxLive: 6,
			onStatus: (docName, status) => {
				if (status.connection === 'online') synced.push(docName);
			},
			onReleased: (docName) => released.push(docName)
		});
		const open = () =>
			set
				.openReplicas()
				.map((replica) => replica.docName)
				.sort();
		return { set, fakes, holder, synced, released, open };
	}

	afterEach(() => vi.restoreAllMocks());

	it('S137: pinned documents are held open through background leases and let go when unpinned', async () => {
		const { set, fakes, holder, synced, open } = setup();
		holder.hold(['customer:a', 'customer:b']);
		expect(open()).toEqual(['customer:a', 'customer:b']);
		// Background leases: a pinned customer still syncing does not turn the indicator "syncing".
		expect(set.status().connection).toBe('online');
		fakes.get('customer:a')!.set({ connection: 'online' });
		expect(synced).toEqual(['customer:a']);

		holder.hold(['customer:b']);
		await Promise.resolve();
		await Promise.resolve();
		expect(fakes.get('customer:a')!.destroyed).toBe(true);
		expect(open()).toEqual(['customer:b']);
		await holder.destroy();
		expect(fakes.get('customer:b')!.destroyed).toBe(true);
		expect(holder.held()).toEqual([]);
	});

	it('S137: beyond the budget, the first are held for good and 4 leases go round the rest until each synced once', async () => {
		const { fakes, holder, released } = setup();
		const docs = Array.from({ length: 10 }, (_, i) => `customer:c${i}` as DocName);
		holder.hold(docs);
		// Budget 6: c0, c1 for good, c2-c5 going round.
		expect(holder.held().sort()).toEqual(docs.slice(0, 6).sort());
		fakes.get('customer:c2')!.set({ connection: 'online' });
		fakes.get('customer:c3')!.set({ connection: 'online' });
		expect(released).toEqual(['customer:c2', 'customer:c3']);
		expect(holder.held().sort()).toEqual(['customer:c0', 'customer:c1', 'customer:c4', 'customer:c5', 'customer:c6', 'customer:c7']);
		// A document held for good stays held when in sync.
		fakes.get('customer:c0')!.set({ connection: 'online' });
		for (const doc of ['customer:c4', 'customer:c5', 'customer:c6', 'customer:c7', 'customer:c8', 'customer:c9'] as const)
			fakes.get(doc)!.set({ connection: 'online' });
		expect(holder.held().sort()).toEqual(['customer:c0', 'customer:c1']);
		// Holding the same list again does not take the ones synced once in this round again.
		holder.hold(docs);
		expect(holder.held().sort()).toEqual(['customer:c0', 'customer:c1']);
		await holder.destroy();
	});

	it('S137: a rotating document already in sync when taken is let go at once and the next is taken', () => {
		const fakes = new Map<DocName, ReturnType<typeof fakeReplica>>();
		const set = createReplicaSet({ serverUrl: 'ws://relay/sync' }, (docName) => {
			const fake = fakeReplica(docName, { connection: docName === 'customer:c6' ? 'syncing' : 'online' });
			fakes.set(docName, fake);
			return fake.replica;
		});
		const holder = createPinnedHolder(set, { maxLive: 6, onStatus: () => undefined });
		holder.hold(Array.from({ length: 8 }, (_, i) => `customer:c${i}` as DocName));
		// c0, c1 for good; c2-c5 and c7 synced at once; only c6 still waits, within the budget of 4 rotating leases.
		expect(holder.held().sort()).toEqual(['customer:c0', 'customer:c1', 'customer:c6']);
	});
});
