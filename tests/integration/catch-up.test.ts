// S126-S128 against the real server (POST /api/sync/batch and the relay), and S27/S29 for the live path: customer
// documents no page opened are brought into the one local store in batches, unconfirmed changes are pushed the same way,
// and changes made on a page that closed still upload.
import 'fake-indexeddb/auto';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../server/src/clock';
import { storageName } from '../../server/src/store/doc-keys';
import { createMemoryStore } from '../../server/src/store/memory';
import type { Store } from '../../server/src/store/types';
import { CustomerRepository } from '../../src/lib/data/customer-repository';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { createReplicaSet, type ReplicaSet } from '../../src/lib/data/device/replica-set';
import { createBatchSync, type BatchFetch, type BatchOutcome } from '../../src/lib/data/device/batch-sync';
import { createCatchUp } from '../../src/lib/data/device/catch-up';
import { memoryDocStore, type LocalDocStore } from '../../src/lib/data/device/doc-store';
import { PendingChanges, docsWithPendingChanges, pendingStorageKey } from '../../src/lib/data/device/pending';
import { memoryStorage } from '../../src/lib/data/device/testing';
import type { Replica } from '../../src/lib/data/sync/types';
import type { DocName } from '../../src/lib/schema/ids';
import { addOwner, OWNER_EMAIL, OWNER_PASSWORD, startPortal, type Portal } from '../helpers/portal';
import { signIn } from '../helpers/portal-clients';
import NodeWebSocket from 'ws';
import { idbDocStore } from '../../src/lib/data/device/idb-doc-store';
import { openReplica } from '../../src/lib/data/device/replica';
import { startRelayHarness, type RelayHarness } from '../helpers/relay-harness';
import { socketWithHeaders, waitForStatus } from '../helpers/sync-clients';
import { storedDoc } from '../helpers/sync-frames';

let harness: RelayHarness | null = null;
let portal: Portal | null = null;
let store: Store | null = null;
const sets: ReplicaSet[] = [];
const replicas: Replica[] = [];

afterEach(async () => {
	await Promise.all(replicas.splice(0).map((r) => r.destroy()));
	await Promise.all(sets.splice(0).map((s) => s.destroy()));
	await harness?.close();
	harness = null;
	await portal?.server.close();
	portal = null;
	await store?.close();
	store = null;
});

/** A portal whose tenant `acme` has customers `c0`..`c<n-1>`, each with a contact; the owner signed in. */
async function startWithCustomers(count: number, relayLimits?: Parameters<typeof startPortal>[0]['relayLimits']) {
	store = createMemoryStore();
	await addOwner(store, systemClock);
	portal = await startPortal({ store, clock: systemClock, relayLimits });
	const ids = ['msp', ...Array.from({ length: count }, (_, i) => `c${i}`)];
	await portal.server.relay.change('tenant:acme', (doc) => {
		const tree = new TenantRepository(doc, { newId: () => ids.shift()! });
		const msp = tree.createNode({ kind: 'msp', name: 'Acme MSP', parentId: null });
		for (let i = 0; i < count; i += 1) tree.createNode({ kind: 'customer', name: `Customer ${i}`, parentId: msp });
	});
	for (let i = 0; i < count; i += 1)
		await changeOnServer(`customer:c${i}`, (doc) =>
			new CustomerRepository(doc).addContact({ name: `Contact ${i}`, role: 'IT', email: '', phone: '' })
		);
	const cookie = await signIn(portal.base, OWNER_EMAIL, OWNER_PASSWORD);
	return { base: portal.base, cookie };
}

const changeOnServer = (docName: DocName, fn: (doc: Y.Doc) => void): Promise<void> =>
	portal!.server.relay.change(storageName('acme', docName), fn);

/** The device's fetch: same origin (the Origin the browser sends), the session cookie; counts the bytes answered. */
function deviceFetch(base: string, cookie: string) {
	const answered: number[] = [];
	const fetchBatch: BatchFetch = async (url, init) => {
		const response = await fetch(`${base}${url}`, {
			...init,
			headers: { ...(init.headers as Record<string, string>), cookie, origin: base }
		});
		const bytes = await response.arrayBuffer();
		answered.push(bytes.byteLength);
		return new Response(bytes, { status: response.status, headers: response.headers });
	};
	return { fetch: fetchBatch, answered };
}

async function localDoc(local: LocalDocStore, docName: DocName): Promise<Y.Doc> {
	const doc = new Y.Doc();
	const stored = await local.read(docName);
	if (stored) Y.applyUpdate(doc, stored.update);
	return doc;
}

const contactNames = (doc: Y.Doc): string[] =>
	new CustomerRepository(doc)
		.contacts()
		.map((contact) => contact.name)
		.sort();

describe('batched catch-up against the real server', () => {
	it('S126: every customer document comes into the one store in a few requests; unknown ones are not stored', async () => {
		const { base, cookie } = await startWithCustomers(12);
		const device = deviceFetch(base, cookie);
		const local = memoryDocStore();
		const sync = createBatchSync({ store: local, fetch: device.fetch, pendingStorage: memoryStorage(), maxDocs: 5 });
		const catchUp = createCatchUp(sync);
		const outcomes: BatchOutcome[] = [];
		const docs = Array.from({ length: 12 }, (_, i) => `customer:c${i}` as DocName);

		const result = await catchUp.run([...docs, 'customer:ghost'], (outcome) => outcomes.push(outcome));
		expect(result).toMatchObject({ running: false, total: 13, done: 12, failed: 1 });
		// Three batches, and the unknown customer asked once more (1013: try later) before it counts as failed.
		expect(device.answered).toHaveLength(4);
		expect(outcomes.find((o) => o.docName === 'customer:ghost')).toMatchObject({ result: 'failed' });
		expect(await local.list()).not.toContain('customer:ghost');
		const heads = await store!.heads(docs.map((docName) => storageName('acme', docName)));
		for (const [i, docName] of docs.entries()) {
			expect(contactNames(await localDoc(local, docName))).toEqual([`Contact ${i}`]);
			expect((await local.read(docName))?.head).toBe(heads.get(storageName('acme', docName)));
		}

		// Nothing changed: the same run again answers (almost) nothing per document.
		const firstBytes = device.answered.reduce((a, b) => a + b, 0);
		device.answered.length = 0;
		await catchUp.run(docs);
		expect(device.answered.reduce((a, b) => a + b, 0)).toBeLessThan(firstBytes / 2);
	});

	it('S127: 30 days offline, a server that kept changing and compacted, own offline edits: one catch-up, no reset', async () => {
		const { base, cookie } = await startWithCustomers(2, { compactEvery: 5 });
		const docName: DocName = 'customer:c0';
		const device = deviceFetch(base, cookie);
		const local = memoryDocStore();
		const storage = memoryStorage();
		const sync = createBatchSync({ store: local, fetch: device.fetch, pendingStorage: storage });
		await sync([docName]);

		// Offline on the device: a contact added, the seeded one removed, a note; recorded as a page would (S6).
		const copy = await localDoc(local, docName);
		const pending = new PendingChanges(storage, pendingStorageKey(docName), () => undefined);
		const repo = new CustomerRepository(copy);
		const record = (deletes: boolean) =>
			pending.record(copy.clientID, Y.getState(copy.store, copy.clientID), deletes, null);
		const seeded = repo.contacts()[0]!.id;
		const before = Y.encodeStateVector(copy);
		repo.addContact({ name: 'Met on site', role: '', email: '', phone: '' });
		record(false);
		repo.removeContact(seeded);
		record(true);
		repo.addNote('Replaced the switch', 'tech@acme.example');
		record(false);
		await local.merge([{ docName, update: Y.encodeStateAsUpdate(copy, before) }]);

		// Meanwhile, 30 days on the server: a change a day from elsewhere, each its own commit, compacted every 5.
		for (let day = 1; day <= 30; day += 1)
			await changeOnServer(docName, (doc) => new CustomerRepository(doc).addNote(`Day ${day}`, 'office@acme.example'));
		const stored = await store!.load(storageName('acme', docName));
		expect(stored.snapshot).not.toBeNull();
		expect(stored.updates.length).toBeLessThan(5);

		device.answered.length = 0;
		const outcomes: BatchOutcome[] = [];
		await sync([docName], { onOutcome: (outcome) => outcomes.push(outcome) });
		expect(outcomes).toEqual([expect.objectContaining({ docName, result: 'synced', pending: 0, rejected: null })]);

		// The device equals the server, its edits are there, and they are acknowledged.
		const server = await storedDoc(store!, storageName('acme', docName));
		const mine = await localDoc(local, docName);
		expect(Y.encodeStateVector(mine)).toEqual(Y.encodeStateVector(server));
		expect(contactNames(mine)).toEqual(['Met on site']);
		expect(contactNames(server)).toEqual(['Met on site']);
		expect(new CustomerRepository(server).notes().map((note) => note.text)).toContain('Replaced the switch');
		expect(new CustomerRepository(mine).notes()).toHaveLength(31);
		expect(storage.items.has(pendingStorageKey(docName))).toBe(false);
		// What came down was the 30 days, not the whole document again.
		const answered = device.answered.reduce((a, b) => a + b, 0);
		expect(answered).toBeLessThan(Y.encodeStateAsUpdate(server).byteLength);
	});
});

/** A `ws` class with the cookie and Origin of a browser that counts the bytes the server sends it. */
function countingSocket(base: string, cookie: string) {
	const received = { bytes: 0 };
	class Counting extends NodeWebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers: { cookie, origin: base } });
			this.on('message', (data: Buffer) => (received.bytes += data.byteLength));
		}
	}
	return { WebSocketPolyfill: Counting as unknown as typeof WebSocket, received };
}

describe('going live after the catch-up', () => {
	it('S128: a document that goes live loads the caught-up copy from the same store; the relay sends almost nothing', async () => {
		const { base, cookie } = await startWithCustomers(1);
		const docName: DocName = 'customer:c0';
		// A customer with history: 200 notes.
		await changeOnServer(docName, (doc) => {
			const repo = new CustomerRepository(doc);
			for (let i = 0; i < 200; i += 1)
				repo.addNote(`Visit report ${i}: replaced the switch in rack ${i % 7}`, 'tech@acme.example');
		});
		const local = idbDocStore(`s128-${Date.now()}`, { migrate: false });
		await createBatchSync({ store: local, fetch: deviceFetch(base, cookie).fetch, pendingStorage: memoryStorage() })([
			docName
		]);

		const socket = countingSocket(base, cookie);
		const replica = openReplica(docName, {
			serverUrl: `${base.replace('http', 'ws')}/sync`,
			store: local,
			storage: memoryStorage(),
			WebSocketPolyfill: socket.WebSocketPolyfill,
			maxBackoffTime: 100,
			reconnectJitterMs: 20
		});
		replicas.push(replica);
		await waitForStatus(replica, (status) => status.connection === 'online');
		const server = await storedDoc(store!, storageName('acme', docName));
		expect(new CustomerRepository(replica.doc).notes()).toHaveLength(200);
		expect(Y.encodeStateVector(replica.doc)).toEqual(Y.encodeStateVector(server));
		// The relay's step 1, its (empty) step 2 and the ack: a few dozen bytes against a document of kilobytes.
		const whole = Y.encodeStateAsUpdate(server).byteLength;
		expect(whole).toBeGreaterThan(10_000);
		expect(socket.received.bytes).toBeLessThan(whole / 20);
		local.close();
	});
});

describe('the live path', () => {
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
