// S27 and S28 against the real relay, with IndexedDB (fake-indexeddb): customer documents no page opened are brought into
// the local copy in the background, and changes made on a page that closed still upload.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { CustomerRepository } from '../../src/lib/data/customer-repository';
import { createReplicaSet, type ReplicaSet } from '../../src/lib/data/device/replica-set';
import { openReplica } from '../../src/lib/data/device/replica';
import { createCatchUp, type CatchUpProgress } from '../../src/lib/data/device/catch-up';
import { docsWithPendingChanges } from '../../src/lib/data/device/pending';
import { memoryStorage } from '../../src/lib/data/device/testing';
import type { Replica } from '../../src/lib/data/sync/types';
import type { DocName } from '../../src/lib/schema/ids';
import { startRelayHarness, type RelayHarness } from '../helpers/relay-harness';
import { openTestReplica, socketWithHeaders, waitForStatus } from '../helpers/sync-clients';
import { seedDoc, storedDoc } from '../helpers/sync-frames';

let harness: RelayHarness | null = null;
const sets: ReplicaSet[] = [];
const replicas: Replica[] = [];

afterEach(async () => {
	await Promise.all(replicas.splice(0).map((r) => r.destroy()));
	await Promise.all(sets.splice(0).map((s) => s.destroy()));
	await harness?.close();
	harness = null;
});

describe('background catch-up', () => {
	it('S28: every customer document is synced into IndexedDB a few at a time; a refused one counts as failed', async () => {
		const h = (harness = await startRelayHarness());
		const docs: DocName[] = [];
		for (let i = 1; i <= 6; i += 1) {
			const docName: DocName = `customer:s28-${i}`;
			docs.push(docName);
			h.registerCustomer(docName, 'cu1');
			await seedDoc(h.store, `cu1/${docName}`, (doc) =>
				new CustomerRepository(doc).addContact({ name: `Contact ${i}`, role: 'IT', email: '', phone: '' })
			);
		}
		h.registerCustomer('customer:s28-foreign', 'other');
		const cookie = h.signIn('cu1');

		let openNow = 0;
		let mostOpen = 0;
		const set = createReplicaSet(
			{
				serverUrl: h.syncUrl,
				persistence: true,
				storage: memoryStorage(),
				maxBackoffTime: 100,
				reconnectJitterMs: 20
			},
			(docName, options) => {
				const replica = openReplica(docName, { ...options, WebSocketPolyfill: socketWithHeaders({ cookie }) });
				openNow += 1;
				mostOpen = Math.max(mostOpen, openNow);
				const destroy = replica.destroy.bind(replica);
				return { ...replica, status: replica.status, destroy: () => ((openNow -= 1), destroy()) };
			}
		);
		sets.push(set);
		const catchUp = createCatchUp(set, { concurrency: 2 });
		const seen: CatchUpProgress[] = [];
		catchUp.onProgress((progress) => seen.push(progress));

		const result = await catchUp.run([...docs, 'customer:s28-foreign']);
		expect(result).toMatchObject({ running: false, total: 7, done: 6, failed: 1, completedAt: null });
		expect(seen[0]).toMatchObject({ running: true, total: 7, done: 0 });
		expect(seen.filter((progress) => progress.running).map((progress) => progress.done + progress.failed)).toEqual([
			0, 1, 2, 3, 4, 5, 6, 7
		]);
		expect(mostOpen).toBe(2);
		expect(set.openReplicas()).toEqual([]);

		// Offline now: each customer's page finds its contacts in the local copy.
		for (const [index, docName] of docs.entries()) {
			const local = openTestReplica(h.syncUrl, docName, cookie, { persistence: true, connect: false });
			replicas.push(local);
			await local.whenLoaded;
			expect(new CustomerRepository(local.doc).contacts().map((contact) => contact.name)).toEqual([
				`Contact ${index + 1}`
			]);
			expect(local.status()).toMatchObject({ syncedOnce: true, connection: 'offline' });
		}

		// A run with nothing refused records when every customer was last brought up to date.
		const again = await catchUp.run(docs);
		expect(again).toMatchObject({ total: 6, done: 6, failed: 0 });
		expect(again.completedAt).not.toBeNull();
	});

	it('S27/S29: a change made offline on a page that then closed is counted, and uploads on the next start', async () => {
		const h = (harness = await startRelayHarness());
		h.registerCustomer('customer:s27', 'cu2');
		const cookie = h.signIn('cu2');
		const storage = memoryStorage();
		const options = {
			serverUrl: h.syncUrl,
			persistence: true,
			storage,
			maxBackoffTime: 100,
			reconnectJitterMs: 20,
			WebSocketPolyfill: socketWithHeaders({ cookie })
		};

		// The customer page, offline: a contact is added, then the page closes; the set keeps the document open and counted.
		const page = createReplicaSet({ ...options, connect: false });
		sets.push(page);
		const lease = page.acquire('customer:s27');
		await lease.replica.whenLoaded;
		new CustomerRepository(lease.replica.doc).addContact({ name: 'Met on site', role: '', email: '', phone: '' });
		await lease.release();
		expect(page.status()).toMatchObject({ pending: 1, connection: 'offline' });
		expect(page.openReplicas().map((replica) => replica.docName)).toEqual(['customer:s27']);
		await page.destroy();
		sets.splice(sets.indexOf(page), 1);

		// Next start, online: the pending list names the document; flushing it uploads the contact and then closes it.
		expect(docsWithPendingChanges(storage)).toEqual(['customer:s27']);
		const next = createReplicaSet(options);
		sets.push(next);
		next.flush('customer:s27');
		expect(next.status().pending).toBe(1);
		const [replica] = next.openReplicas();
		await waitForStatus(replica!, (status) => status.pending === 0);
		const stored = new CustomerRepository(await storedDoc(h.store, 'cu2/customer:s27'));
		expect(stored.contacts().map((contact) => contact.name)).toEqual(['Met on site']);
		// Confirmed: the set lets the document go.
		await new Promise<void>((resolve) => {
			if (next.openReplicas().length === 0) return resolve();
			next.onStatus(() => {
				if (next.openReplicas().length === 0) resolve();
			});
		});
		expect(docsWithPendingChanges(storage)).toEqual([]);
	});
});
