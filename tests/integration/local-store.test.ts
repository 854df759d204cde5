// S29, S131 against the real relay, with IndexedDB (fake-indexeddb): a replica keeps its copy in the one store, and a
// replica opened again, synced with nothing new on either side, writes nothing.
import 'fake-indexeddb/auto';
import { IDBObjectStore as FakeObjectStore, IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { DEVICE_DOCS_DATABASE, idbDocStore } from '../../src/lib/data/device/idb-doc-store';
import type { LocalDocStore } from '../../src/lib/data/device/doc-store';
import type { Replica } from '../../src/lib/data/sync/types';
import { startRelayHarness, type RelayHarness } from '../helpers/relay-harness';
import { memoryStorage, openTestReplica, settled } from '../helpers/sync-clients';

let harness: RelayHarness | null = null;
const replicas: Replica[] = [];
const stores: LocalDocStore[] = [];

afterEach(async () => {
	vi.restoreAllMocks();
	await Promise.all(replicas.splice(0).map((r) => r.destroy()));
	for (const store of stores.splice(0)) store.close();
	await harness?.close();
	harness = null;
});

/** Counts write requests (put, add, delete, clear) on any fake IndexedDB object store from now on. */
function countWrites(): () => number {
	let count = 0;
	for (const method of ['put', 'add', 'delete', 'clear'] as const) {
		const original = FakeObjectStore.prototype[method] as (...args: unknown[]) => IDBRequest;
		vi.spyOn(FakeObjectStore.prototype, method).mockImplementation(function (this: IDBObjectStore, ...args: unknown[]) {
			count += 1;
			return original.apply(this, args);
		} as never);
	}
	return () => count;
}

describe('a replica in the one store', () => {
	it('S29, S131: a reopened, synced replica with nothing new writes nothing; a change from the relay is written', async () => {
		const h = (harness = await startRelayHarness());
		const cookie = h.signIn('ls1');
		const store = idbDocStore(DEVICE_DOCS_DATABASE, { factory: new IDBFactory() });
		stores.push(store);
		const storage = memoryStorage();
		const options = { persistence: true, storage, store };

		const first = openTestReplica(h.syncUrl, 'tenant:ls1', cookie, options);
		const id = new TenantRepository(first.doc).createNode({ kind: 'distributor', name: 'Stored once', parentId: null });
		await settled(first);
		await first.destroy();
		expect((await store.read('tenant:ls1'))?.syncedAt).not.toBeNull();

		const writes = countWrites();
		const second = openTestReplica(h.syncUrl, 'tenant:ls1', cookie, options);
		replicas.push(second);
		await second.whenLoaded;
		expect(second.status()).toMatchObject({ loaded: true, syncedOnce: true });
		expect(new TenantRepository(second.doc).node(id)?.name).toBe('Stored once');
		await settled(second);
		await second.destroy();
		expect(writes()).toBe(0);

		// Another device renames it: the reopened replica receives the change and writes it.
		const other = openTestReplica(h.syncUrl, 'tenant:ls1', cookie, { storage: memoryStorage() });
		replicas.push(other);
		await settled(other);
		new TenantRepository(other.doc).rename(id, 'Renamed elsewhere');
		await settled(other);
		const third = openTestReplica(h.syncUrl, 'tenant:ls1', cookie, options);
		await settled(third);
		expect(new TenantRepository(third.doc).node(id)?.name).toBe('Renamed elsewhere');
		await third.destroy();
		expect(writes()).toBeGreaterThan(0);
		const copy = new Y.Doc();
		Y.applyUpdate(copy, (await store.read('tenant:ls1'))!.update);
		expect(new TenantRepository(copy).node(id)?.name).toBe('Renamed elsewhere');
	});
});
