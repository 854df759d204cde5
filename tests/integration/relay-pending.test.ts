// The pending count (docs/sync.md S6) against the real relay, with IndexedDB (fake-indexeddb) and a localStorage stand-in for reloads.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import type { Replica } from '../../src/lib/data/sync/types';
import { pendingStorageKey } from '../../src/lib/data/device/pending';
import { startRelayHarness, type RelayHarness } from '../helpers/relay-harness';
import { memoryStorage, openTestReplica, settled, waitForStatus } from '../helpers/sync-clients';
import { storedDoc } from '../helpers/sync-frames';

let harness: RelayHarness | null = null;
const replicas: Replica[] = [];

afterEach(async () => {
	await Promise.all(replicas.splice(0).map((r) => r.destroy()));
	await harness?.close();
	harness = null;
});

describe('pending changes', () => {
	it('S6: the pending count goes to 0 after the ack, a deletion included', async () => {
		const h = (harness = await startRelayHarness());
		const r = openTestReplica(h.syncUrl, 'tenant:p1', h.signIn('p1'), { persistence: false });
		replicas.push(r);
		await settled(r);
		const repo = new TenantRepository(r.doc);
		const id = repo.createNode({ kind: 'distributor', name: 'To be removed', parentId: null });
		expect(r.status().pending).toBe(1);
		expect(r.status().connection).toBe('syncing');
		await waitForStatus(r, (s) => s.pending === 0);

		// A delete-only transaction does not move the state vector; it waits for the ack of the frame that carried it.
		repo.remove(id);
		expect(r.status().pending).toBe(1);
		await settled(r);
		expect(new TenantRepository(await storedDoc(h.store, 'tenant:p1')).node(id)).toBeNull();
	});

	it('S6: offline edits stay pending across a reload and clear once the relay has stored them', async () => {
		const h = (harness = await startRelayHarness());
		const cookie = h.signIn('p2');
		const storage = memoryStorage();
		const first = openTestReplica(h.syncUrl, 'tenant:p2', cookie, { persistence: true, storage, connect: false });
		await first.whenLoaded;
		const repo = new TenantRepository(first.doc);
		const keep = repo.createNode({ kind: 'distributor', name: 'Made offline', parentId: null });
		const gone = repo.createNode({ kind: 'msp', name: 'Removed offline', parentId: null });
		repo.remove(gone);
		expect(first.status()).toMatchObject({ connection: 'offline', pending: 3 });
		await first.destroy();
		expect(storage.items.has(pendingStorageKey('tenant:p2'))).toBe(true);

		// "Reload": a new replica of the same document, same IndexedDB and localStorage, still offline.
		const second = openTestReplica(h.syncUrl, 'tenant:p2', cookie, { persistence: true, storage, connect: false });
		replicas.push(second);
		await second.whenLoaded;
		expect(second.status()).toMatchObject({ connection: 'offline', pending: 3, loaded: true });
		expect(new TenantRepository(second.doc).node(keep)?.name).toBe('Made offline');

		second.connect();
		await settled(second);
		expect(second.status().pending).toBe(0);
		expect(storage.items.has(pendingStorageKey('tenant:p2'))).toBe(false);
		const stored = new TenantRepository(await storedDoc(h.store, 'tenant:p2'));
		expect(stored.node(keep)?.name).toBe('Made offline');
		expect(stored.node(gone)).toBeNull();
	});

	it('S6: a damaged pending record is ignored, not trusted', async () => {
		const h = (harness = await startRelayHarness());
		const storage = memoryStorage();
		storage.setItem(pendingStorageKey('tenant:p3'), '{"not":"a list"}');
		const r = openTestReplica(h.syncUrl, 'tenant:p3', h.signIn('p3'), { persistence: false, storage, connect: false });
		replicas.push(r);
		expect(r.status().pending).toBe(0);
	});
});
