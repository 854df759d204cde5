// F2 (S31) against the real relay: two y-websocket replicas rename one node, one of them offline; both notice the
// concurrent edit after the reconnect, also when the offline edit was made before a reload (fake-indexeddb).
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TenantRepository, type NodeFieldEdit } from '../../src/lib/data/tenant-repository';
import type { Replica } from '../../src/lib/data/sync/types';
import { startRelayHarness, type RelayHarness } from '../helpers/relay-harness';
import { memoryStorage, openTestReplica, settled, waitForDoc } from '../helpers/sync-clients';

let harness: RelayHarness | null = null;
const replicas: Replica[] = [];

afterEach(async () => {
	await Promise.all(replicas.splice(0).map((r) => r.destroy()));
	await harness?.close();
	harness = null;
});

function watched(replica: Replica) {
	replicas.push(replica);
	const repo = new TenantRepository(replica.doc);
	const edits: NodeFieldEdit[] = [];
	repo.watchConcurrentEdits(replica.sources, (found) => edits.push(...found));
	return { replica, repo, edits };
}

/** What Yjs client `doc` has written so far. */
function written(doc: Y.Doc): { client: number; clock: number } {
	return { client: doc.clientID, clock: Y.getState(doc.store, doc.clientID) };
}

/** Resolves once `doc` holds everything `writes` names. */
function received(doc: Y.Doc, writes: { client: number; clock: number }): Promise<void> {
	return waitForDoc(doc, () => Y.getState(doc.store, writes.client) >= writes.clock);
}

describe('concurrent edits through the relay (S31)', () => {
	it('F2: a rename made offline and one made online: both replicas converge and both notice, naming the kept value', async () => {
		const h = (harness = await startRelayHarness());
		const cookie = h.signIn('t1');
		const a = watched(openTestReplica(h.syncUrl, 'tenant:t1', cookie));
		const b = watched(openTestReplica(h.syncUrl, 'tenant:t1', cookie));
		await Promise.all([settled(a.replica), settled(b.replica)]);
		const msp = a.repo.createNode({ kind: 'msp', name: 'Adatum MSP', parentId: null });
		const id = a.repo.createNode({ kind: 'customer', name: 'Fabrikam', parentId: msp });
		await received(b.replica.doc, written(a.replica.doc));

		b.replica.disconnect();
		a.repo.rename(id, 'Fabrikam SA');
		await settled(a.replica);
		b.repo.rename(id, 'Fabrikam S.A. (ES)');
		expect(b.replica.status()).toMatchObject({ connection: 'offline', pending: 1 });
		b.replica.connect();
		await settled(b.replica);
		await received(a.replica.doc, written(b.replica.doc));
		const name = b.repo.node(id)?.name;
		expect(a.repo.node(id)?.name).toBe(name);

		const bKept = name === 'Fabrikam S.A. (ES)';
		const other = bKept ? 'Fabrikam SA' : 'Fabrikam S.A. (ES)';
		// B heard of A's value in the relay's sync step 2, while its own was still there: it names both.
		expect(b.edits).toEqual([{ recordId: id, field: 'name', kept: name, notKept: { value: other }, keptOurs: bKept }]);
		// A names B's value when it won; when it lost, the relay dropped it before forwarding it (S31).
		expect(a.edits).toEqual([
			{ recordId: id, field: 'name', kept: name, notKept: bKept ? { value: other } : null, keptOurs: !bKept }
		]);
	});

	it('F2: an offline rename from before a reload is still noticed on reconnect; the reload itself notices nothing', async () => {
		const h = (harness = await startRelayHarness());
		const cookie = h.signIn('t2');
		const storage = memoryStorage();
		const a = watched(openTestReplica(h.syncUrl, 'tenant:t2', cookie));
		await settled(a.replica);
		const id = a.repo.createNode({ kind: 'msp', name: 'Fabrikam', parentId: null });
		await settled(a.replica);

		const first = openTestReplica(h.syncUrl, 'tenant:t2', cookie, { persistence: true, storage });
		await settled(first);
		first.disconnect();
		new TenantRepository(first.doc).rename(id, 'Fabrikam (offline)');
		a.repo.rename(id, 'Fabrikam (online)');
		await settled(a.replica);
		const offline = written(first.doc);
		await first.destroy();

		// The reload: a new Y.Doc with a new client id, its local copy from IndexedDB, its pending list from storage.
		const second = watched(
			openTestReplica(h.syncUrl, 'tenant:t2', cookie, { persistence: true, storage, connect: false })
		);
		await second.replica.whenLoaded;
		expect(second.replica.status().pending).toBe(1);
		expect(second.repo.node(id)?.name).toBe('Fabrikam (offline)');
		expect(second.edits).toEqual([]);

		second.replica.connect();
		await settled(second.replica);
		await received(a.replica.doc, offline);
		const name = second.repo.node(id)?.name;
		expect(a.repo.node(id)?.name).toBe(name);
		const keptOffline = name === 'Fabrikam (offline)';
		const other = keptOffline ? 'Fabrikam (online)' : 'Fabrikam (offline)';
		expect(second.edits).toEqual([
			{ recordId: id, field: 'name', kept: name, notKept: { value: other }, keptOurs: keptOffline }
		]);
		expect(a.edits).toEqual([expect.objectContaining({ field: 'name', kept: name, keptOurs: !keptOffline })]);
	});
});
