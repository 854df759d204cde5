// S131, S132: a live document in the one store (fake-indexeddb): bursts are one write, opening with no edit writes
// nothing, and 100,000 field edits leave at most 3x the document's encoded size stored.
import 'fake-indexeddb/auto';
import { IDBObjectStore as FakeObjectStore, IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { DocName } from '../../schema/ids';
import type { LocalDocStore } from './doc-store';
import { persistDoc, type DocPersistence } from './doc-persistence';
import { DEVICE_DOCS_DATABASE, idbDocStore } from './idb-doc-store';

const WRITES = ['put', 'add', 'delete', 'clear'] as const;

/** Counts every write request on any fake object store from here on; `stop` restores the methods. */
function countWrites(): { readonly count: () => number; stop(): void } {
	let count = 0;
	const spies = WRITES.map((method) => {
		const original = FakeObjectStore.prototype[method] as (...args: unknown[]) => IDBRequest;
		return vi.spyOn(FakeObjectStore.prototype, method).mockImplementation(function (this: IDBObjectStore, ...args: unknown[]) {
			count += 1;
			return original.apply(this, args);
		} as never);
	});
	return { count: () => count, stop: () => spies.forEach((spy) => spy.mockRestore()) };
}

const customers = 40;

/** A tenant-like document: customer records with a few fields each. */
function seedTenant(doc: Y.Doc): Y.Map<Y.Map<string>> {
	const nodes = doc.getMap<Y.Map<string>>('nodes');
	doc.transact(() => {
		for (let i = 0; i < customers; i++) {
			const node = new Y.Map<string>();
			node.set('name', `Customer ${i}`);
			node.set('country', 'DE');
			node.set('notes', `Account number ${1000 + i}`);
			nodes.set(`c${i}`, node);
		}
	});
	return nodes;
}

async function storedBytes(store: LocalDocStore, docName: DocName): Promise<number> {
	return (await store.sizes()).get(docName) ?? 0;
}

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
	for (const step of cleanup.splice(0).reverse()) await step();
	vi.restoreAllMocks();
});

function openStore(): LocalDocStore {
	const store = idbDocStore(DEVICE_DOCS_DATABASE, { factory: new IDBFactory() });
	cleanup.push(() => store.close());
	return store;
}

function persisted(store: LocalDocStore, docName: DocName, doc = new Y.Doc()): { doc: Y.Doc; persistence: DocPersistence } {
	const persistence = persistDoc(store, docName, doc);
	cleanup.push(() => persistence.destroy());
	return { doc, persistence };
}

describe('a live document in the one store', () => {
	it('S131: a reload finds every edit; a burst of edits in one task is one write', async () => {
		const store = openStore();
		const first = persisted(store, 'tenant:t1');
		await first.persistence.whenLoaded;
		const nodes = seedTenant(first.doc);
		await first.persistence.flush();

		const writes = countWrites();
		for (let i = 0; i < 1_000; i++) nodes.get('c1')!.set('name', `Rename ${i}`);
		await first.persistence.flush();
		writes.stop();
		// One increment (an add), or one compaction (a put and the increments' range delete).
		expect(writes.count()).toBeLessThanOrEqual(2);
		await first.persistence.destroy();

		const second = persisted(store, 'tenant:t1');
		expect(await second.persistence.whenLoaded).toEqual({ syncedAt: null });
		expect(second.doc.getMap<Y.Map<string>>('nodes').get('c1')?.get('name')).toBe('Rename 999');
		expect(Y.encodeStateAsUpdate(second.doc)).toEqual(Y.encodeStateAsUpdate(first.doc));
	});

	it('S131: opening a stored document and receiving nothing new writes nothing', async () => {
		const store = openStore();
		const server = new Y.Doc();
		seedTenant(server);
		const first = persisted(store, 'tenant:t2');
		await first.persistence.whenLoaded;
		Y.applyUpdate(first.doc, Y.encodeStateAsUpdate(server), 'relay');
		first.persistence.markSynced('2026-11-02T09:00:00.000Z');
		await first.persistence.destroy();
		const before = await storedBytes(store, 'tenant:t2');

		const writes = countWrites();
		const again = persisted(store, 'tenant:t2');
		expect(await again.persistence.whenLoaded).toEqual({ syncedAt: '2026-11-02T09:00:00.000Z' });
		// The relay's sync step 2 brings what the device already has.
		Y.applyUpdate(again.doc, Y.encodeStateAsUpdate(server), 'relay');
		await again.persistence.destroy();
		writes.stop();
		expect(writes.count()).toBe(0);
		expect(await storedBytes(store, 'tenant:t2')).toBe(before);

		// The counter does see writes: one edit is one.
		const counted = countWrites();
		const edited = persisted(store, 'tenant:t2');
		await edited.persistence.whenLoaded;
		edited.doc.getMap<Y.Map<string>>('nodes').get('c2')!.set('name', 'Edited');
		await edited.persistence.flush();
		counted.stop();
		expect(counted.count()).toBeGreaterThan(0);
	});

	it('S132: 100,000 field edits leave at most 3x the encoded size stored, at every point of the run', async () => {
		const store = openStore();
		const { doc, persistence } = persisted(store, 'tenant:t3');
		await persistence.whenLoaded;
		const nodes = seedTenant(doc);
		await persistence.flush();
		let worst = 0;
		const bursts = 1_000;
		for (let burst = 0; burst < bursts; burst++) {
			// A burst of 100 field edits in one transaction (Yjs' cost per transaction would make this test slow; the burst
			// test above proves that separate transactions in one task are one write too), then the write of that burst.
			doc.transact(() => {
				for (let i = 0; i < 100; i++) nodes.get(`c${(burst * 7 + i) % customers}`)!.set('name', `Name ${burst}.${i}`);
			});
			await persistence.flush();
			if (burst % 100 === 99) worst = Math.max(worst, (await storedBytes(store, 'tenant:t3')) / Y.encodeStateAsUpdate(doc).byteLength);
		}
		const encoded = Y.encodeStateAsUpdate(doc).byteLength;
		const stored = await storedBytes(store, 'tenant:t3');
		expect(stored).toBeLessThanOrEqual(3 * encoded);
		expect(worst).toBeLessThanOrEqual(3);
		await persistence.destroy();

		const reloaded = persisted(store, 'tenant:t3');
		await reloaded.persistence.whenLoaded;
		expect(reloaded.doc.getMap('nodes').toJSON()).toEqual(doc.getMap('nodes').toJSON());
	});

	it('S132: compaction keeps what another writer stored meanwhile (the catch-up, another tab)', async () => {
		const store = openStore();
		const { doc, persistence } = persisted(store, 'tenant:t4');
		await persistence.whenLoaded;
		const nodes = seedTenant(doc);
		await persistence.flush();
		const other = new Y.Doc();
		other.getMap('elsewhere').set('from', 'catch-up');
		await store.merge([{ docName: 'tenant:t4', update: Y.encodeStateAsUpdate(other) }]);

		// Enough edits to make the next write a compaction.
		for (let i = 0; i < 2_000; i++) nodes.get('c3')!.set('notes', `note ${i}`);
		await persistence.flush();
		expect(doc.getMap('elsewhere').get('from')).toBe('catch-up');
		const stored = new Y.Doc();
		Y.applyUpdate(stored, (await store.read('tenant:t4'))!.update);
		expect(stored.getMap('elsewhere').get('from')).toBe('catch-up');
		expect(stored.getMap<Y.Map<string>>('nodes').get('c3')?.get('notes')).toBe('note 1999');
	});
});
