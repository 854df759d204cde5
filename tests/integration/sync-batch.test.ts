// S120-S125: the batched catch-up, POST /api/sync/batch, on a real server over SQLite: what a batch reads is what a socket
// gets, what it pushes is stored before the answer, broadcast, reviewed and audited like a socket's frame, and what it may
// not do changes nothing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createServer, type PortalServer, type ServerOptions } from '../../server/src/app';
import { systemClock } from '../../server/src/clock';
import { testConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/log';
import { openSqliteStore } from '../../server/src/store/sqlite';
import type { Store } from '../../server/src/store/types';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { CustomerRepository } from '../../src/lib/data/customer-repository';
import {
	BATCH_CONTENT_TYPE,
	BATCH_PATH,
	MAX_BATCH_DOCS,
	MAX_BATCH_REQUEST_BYTES,
	decodeBatchResponse,
	encodeBatchRequest,
	type BatchAnswer,
	type BatchRequestEntry
} from '../../src/lib/data/sync/batch';
import type { DocName } from '../../src/lib/schema/ids';
import type { Role } from '../../src/lib/schema/access';
import { createSignedIn, openSynced, sendEdit } from '../helpers/portal-clients';
import type { RawClient } from '../helpers/sync-clients';
import { storedDoc, syncPayload } from '../helpers/sync-frames';
import { MESSAGE_SYNC, SYNC_UPDATE } from '../../src/lib/data/sync/protocol';

const FAST = { N: 2 ** 10, r: 8, p: 1 };
const TENANT = 'ta';
const OTHER = 'tb';
const TENANT_DOC = `tenant:${TENANT}` as DocName;
const CUSTOMERS = 40;
const customerDoc = (n: number): DocName => `customer:c${n}` as DocName;
const stored = (docName: DocName): string => (docName.startsWith('tenant:') ? docName : `${TENANT}/${docName}`);

interface Running {
	readonly server: PortalServer;
	readonly store: Store;
	readonly base: string;
	readonly file: string;
}

const dirs: string[] = [];
const running: Running[] = [];
const sockets: RawClient[] = [];
/** One seeded server for the tests that neither restart it nor need other limits (each uses its own documents). */
let shared: Running;

async function stop(list: Running[]): Promise<void> {
	for (const { server, store } of list.splice(0)) {
		await server.close();
		await store.close();
	}
}

beforeAll(async () => {
	shared = await seeded();
	running.splice(0);
});

afterEach(async () => {
	for (const socket of sockets.splice(0)) socket.socket.terminate();
	await stop(running);
});

afterAll(async () => {
	await stop([shared]);
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function startOn(file: string, relayLimits?: ServerOptions['relayLimits']): Promise<Running> {
	const store = openSqliteStore(file);
	const buildDir = mkdtempSync(join(tmpdir(), 'msp-batch-build-'));
	dirs.push(buildDir);
	const server = createServer({
		store,
		clock: systemClock,
		log: createLogger('silent'),
		config: testConfig({ buildDir }),
		authOptions: { scrypt: FAST },
		relayLimits
	});
	const { url } = await server.listen();
	const started = { server, store, base: url, file };
	running.push(started);
	return started;
}

/**
 * A tenant with an MSP, CUSTOMERS customers and a license; each customer document written straight to the store (so that
 * no room is loaded for it), some as a snapshot and updates, and a second tenant with one customer.
 */
async function seeded(relayLimits?: ServerOptions['relayLimits']): Promise<Running> {
	const dir = mkdtempSync(join(tmpdir(), 'msp-batch-'));
	dirs.push(dir);
	const portal = await startOn(join(dir, 'portal.sqlite'), relayLimits);
	const { server, store } = portal;
	const now = new Date().toISOString();
	await store.createTenant({ id: TENANT, name: 'Batch IT', createdAt: now });
	await store.createTenant({ id: OTHER, name: 'Other IT', createdAt: now });
	const ids = ['msp', ...Array.from({ length: CUSTOMERS }, (_, i) => `c${i}`)];
	await server.relay.change(TENANT_DOC, (doc) => {
		const tree = new TenantRepository(doc, { newId: () => ids.shift()! });
		const msp = tree.createNode({ kind: 'msp', name: 'MSP A', parentId: null });
		for (let i = 0; i < CUSTOMERS; i += 1) tree.createNode({ kind: 'customer', name: `Customer ${i}`, parentId: msp });
		tree.putLicenseData({
			accounts: [{ id: 'acc', kind: 'msp', name: 'Vendor account', login: 'vendor' }],
			pools: [{ id: 'pool-1', name: 'Pool One', accountId: 'acc', groupId: 'c0' }],
			licenses: [
				{
					id: 'lic-1',
					publicId: 'AAA-1',
					poolId: 'pool-1',
					product: 'Endpoint Security',
					type: 'business',
					unitsOrdered: 50,
					unitsActivated: 10,
					expiresOn: '2030-01-01',
					suspended: false,
					ownerId: 'c0',
					tag: 'Customer'
				}
			]
		});
	});
	const otherIds = ['msp-x', 'x1'];
	await server.relay.change(`tenant:${OTHER}`, (doc) => {
		const tree = new TenantRepository(doc, { newId: () => otherIds.shift()! });
		tree.createNode({
			kind: 'customer',
			name: 'Foreign Ltd',
			parentId: tree.createNode({ kind: 'msp', name: 'MSP X', parentId: null })
		});
	});
	for (let i = 0; i < CUSTOMERS; i += 1) {
		const doc = new Y.Doc();
		const repo = new CustomerRepository(doc);
		repo.addContact({ name: `First of ${i}`, role: 'IT', email: '', phone: '' });
		const first = Y.encodeStateAsUpdate(doc);
		await store.append(stored(customerDoc(i)), first);
		const before = Y.encodeStateVector(doc);
		const second = repo.addContact({ name: `Second of ${i}`, role: 'IT', email: '', phone: '' });
		if (i % 3 === 0) repo.removeContact(second);
		await store.append(stored(customerDoc(i)), Y.encodeStateAsUpdate(doc, before));
		// Every fourth document was compacted: a snapshot, then one more update after it.
		if (i % 4 === 0) {
			const head = (await store.load(stored(customerDoc(i)))).lastSeq;
			await store.compact(stored(customerDoc(i)), Y.encodeStateAsUpdate(doc), head);
			const after = Y.encodeStateVector(doc);
			repo.addContact({ name: `Third of ${i}`, role: 'IT', email: '', phone: '' });
			await store.append(stored(customerDoc(i)), Y.encodeStateAsUpdate(doc, after));
		}
	}
	await store.append(`${OTHER}/customer:x1`, seededContact('Secret of the other tenant'));
	return portal;
}

function seededContact(name: string): Uint8Array {
	const doc = new Y.Doc();
	new CustomerRepository(doc).addContact({ name, role: 'IT', email: '', phone: '' });
	return Y.encodeStateAsUpdate(doc);
}

async function person(portal: Running, role: Role, n: number, tenantId = TENANT): Promise<string> {
	return createSignedIn(portal.base, portal.store, { tenantId, email: `p${n}@batch.example`, role, id: `u${n}` });
}

interface Posted {
	readonly status: number;
	readonly answers: BatchAnswer[] | null;
	readonly error: { code: string; message: string } | null;
}

async function post(
	portal: Running,
	cookie: string | null,
	body: Uint8Array,
	headers: Record<string, string> = {}
): Promise<Posted> {
	const response = await fetch(`${portal.base}${BATCH_PATH}`, {
		method: 'POST',
		headers: { 'content-type': BATCH_CONTENT_TYPE, ...(cookie ? { cookie } : {}), ...headers },
		// A copy typed as backed by an ArrayBuffer, which fetch requires.
		body: new Uint8Array(body)
	});
	const bytes = new Uint8Array(await response.arrayBuffer());
	if (response.status === 200) return { status: 200, answers: decodeBatchResponse(bytes), error: null };
	const text = new TextDecoder().decode(bytes);
	const parsed = text === '' ? null : (JSON.parse(text) as { error: { code: string; message: string } });
	return { status: response.status, answers: null, error: parsed?.error ?? null };
}

async function batch(portal: Running, cookie: string, entries: readonly BatchRequestEntry[]): Promise<BatchAnswer[]> {
	const posted = await post(portal, cookie, encodeBatchRequest(entries));
	expect(posted.status).toBe(200);
	expect(posted.answers!.map((a) => a.docName)).toEqual(entries.map((e) => e.docName));
	return posted.answers!;
}

const EMPTY_SV = Y.encodeStateVector(new Y.Doc());
const readEntry = (docName: DocName, doc?: Y.Doc): BatchRequestEntry => ({
	docName,
	stateVector: doc ? Y.encodeStateVector(doc) : EMPTY_SV,
	update: null
});

function ok(answer: BatchAnswer | undefined): Extract<BatchAnswer, { status: 'ok' }> {
	if (answer?.status !== 'ok') throw new Error(`expected an answer, got ${JSON.stringify(answer)}`);
	return answer;
}

/** Same structs and same deletions: the same document (Yjs snapshots compare both). */
function sameDoc(a: Y.Doc, b: Y.Doc): boolean {
	return Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b));
}

async function heads(store: Store, docNames: readonly DocName[]): Promise<number[]> {
	const map = await store.heads(docNames.map(stored));
	return docNames.map((d) => map.get(stored(d)) ?? 0);
}

/** A live socket on `docName`, synced; pushes frames into `client.frames`. */
async function live(portal: Running, docName: DocName, cookie: string): Promise<{ client: RawClient; doc: Y.Doc }> {
	const synced = await openSynced(portal.base, docName, cookie);
	sockets.push(synced.client);
	return synced;
}

function setUnits(doc: Y.Doc, units: number): void {
	const licenses = doc.getMap<unknown[]>('licenses');
	const record = [...licenses.get('lic-1')!];
	record[5] = units;
	licenses.set('lic-1', record);
}

const isUpdateFrame = (frame: Uint8Array): boolean => frame[0] === MESSAGE_SYNC && frame[1] === SYNC_UPDATE;

const unitsOf = (doc: Y.Doc): number | undefined =>
	new TenantRepository(doc).licenses().find((l) => l.id === 'lic-1')?.unitsOrdered;

describe('POST /api/sync/batch', () => {
	it('S120: not signed in, a foreign Origin, another type, a body that is no batch or too large: refused, nothing changes', async () => {
		const portal = shared;
		const cookie = await person(portal, 'admin', 1);
		const all = [TENANT_DOC, ...Array.from({ length: CUSTOMERS }, (_, i) => customerDoc(i))];
		const before = await heads(portal.store, all);
		const local = new Y.Doc();
		new CustomerRepository(local).addContact({ name: 'Must not land', role: 'IT', email: '', phone: '' });
		const valid = encodeBatchRequest([
			{ docName: customerDoc(1), stateVector: Y.encodeStateVector(local), update: Y.encodeStateAsUpdate(local) }
		]);

		expect((await post(portal, null, valid)).status).toBe(401);
		const foreign = await post(portal, cookie, valid, { origin: 'https://evil.example' });
		expect(foreign.status).toBe(403);
		expect((await post(portal, cookie, valid, { 'content-type': 'text/plain' })).status).toBe(415);

		const truncated = await post(portal, cookie, valid.slice(0, valid.byteLength - 3));
		expect(truncated).toMatchObject({ status: 400, error: { code: 'invalid_batch' } });
		expect(truncated.error!.message).toBe('the batch is truncated or not a batch');
		const trailing = await post(portal, cookie, new Uint8Array([...valid, 7]));
		expect(trailing.error!.message).toBe('the batch has bytes after its last document');
		const badName = await post(
			portal,
			cookie,
			encodeBatchRequest([{ docName: 'customer:no/pe' as DocName, stateVector: EMPTY_SV, update: null }])
		);
		expect(badName).toMatchObject({ status: 400, error: { message: 'documents[0]: not a document name' } });
		const twice = await post(
			portal,
			cookie,
			encodeBatchRequest([readEntry(customerDoc(1)), readEntry(customerDoc(1))])
		);
		expect(twice.error!.message).toBe('documents[1]: customer:c1 is listed twice');
		const tooMany = Array.from({ length: MAX_BATCH_DOCS + 1 }, (_, i) => readEntry(`customer:n${i}` as DocName));
		expect((await post(portal, cookie, encodeBatchRequest(tooMany))).error!.message).toBe(
			`a batch holds 1 to ${MAX_BATCH_DOCS} documents, not ${MAX_BATCH_DOCS + 1}`
		);
		const version = await post(portal, cookie, new Uint8Array([9, 1]));
		expect(version.error!.message).toBe('batch version 9 is not supported');
		const huge = await post(portal, cookie, new Uint8Array(MAX_BATCH_REQUEST_BYTES + 1));
		expect(huge).toMatchObject({ status: 413, error: { code: 'payload_too_large' } });

		expect(await heads(portal.store, all)).toEqual(before);
		const doc = await storedDoc(portal.store, stored(customerDoc(1)));
		expect(new CustomerRepository(doc).contacts().map((c) => c.name)).not.toContain('Must not land');
	});

	it('S122: a read-only catch-up of many documents equals what a websocket replica gets, without loading them', async () => {
		const portal = shared;
		const cookie = await person(portal, 'admin', 2);
		const docs = [TENANT_DOC, ...Array.from({ length: CUSTOMERS }, (_, i) => customerDoc(i))];
		// One document is loaded (a socket is on it) and changed there: its answer comes from the room.
		const open = await live(portal, customerDoc(5), cookie);
		await sendEdit(open.client, open.doc, (doc) =>
			new CustomerRepository(doc).addContact({ name: 'Live change', role: 'IT', email: '', phone: '' })
		);
		const loadedBefore = portal.server.relay.stats().loadedDocs;

		// Half the documents are already partly known to the device: only what it lacks is sent.
		const partial = new Map<DocName, Y.Doc>();
		for (let i = 0; i < CUSTOMERS; i += 2) {
			const doc = new Y.Doc();
			Y.applyUpdate(doc, (await portal.store.load(stored(customerDoc(i)))).updates[0] ?? new Uint8Array([0, 0]));
			partial.set(customerDoc(i), doc);
		}
		const answers = await batch(
			portal,
			cookie,
			docs.map((d) => readEntry(d, partial.get(d)))
		);
		expect(portal.server.relay.stats().loadedDocs).toBe(loadedBefore);

		const head = await heads(portal.store, docs);
		const caughtUp = new Map<DocName, Y.Doc>();
		for (const [index, docName] of docs.entries()) {
			const answer = ok(answers[index]);
			const doc = partial.get(docName) ?? new Y.Doc();
			Y.applyUpdate(doc, answer.update);
			caughtUp.set(docName, doc);
			const socket = await live(portal, docName, cookie);
			expect(sameDoc(doc, socket.doc), docName).toBe(true);
			expect(answer.stateVector).toEqual(Y.encodeStateVector(socket.doc));
			expect(answer.head).toBe(head[index]);
			expect(answer.rejected).toBeNull();
			socket.client.socket.terminate();
		}
		const names = (docName: DocName): string[] =>
			new CustomerRepository(caughtUp.get(docName)!).contacts().map((c) => c.name);
		expect(names(customerDoc(5))).toContain('Live change');
		// Deleted, compacted and later contacts all arrive as the store holds them.
		expect(names(customerDoc(4))).toEqual(['First of 4', 'Second of 4', 'Third of 4']);
		expect(names(customerDoc(3))).toEqual(['First of 3']);
		expect(new TenantRepository(caughtUp.get(TENANT_DOC)!).licenses()).toHaveLength(1);
		// A device that holds everything gets nothing but the delete set.
		const again = await batch(portal, cookie, [readEntry(customerDoc(0), caughtUp.get(customerDoc(0)))]);
		expect(Y.decodeUpdate(ok(again[0]).update).structs).toEqual([]);
	});

	it('S121: a pushed update is stored before the answer (a restarted server has it) and broadcast to a live socket', async () => {
		const portal = await seeded();
		const cookie = await person(portal, 'admin', 3);
		const watcher = await live(portal, customerDoc(7), cookie);
		const broadcast = watcher.client.nextFrame(isUpdateFrame);
		const headBefore = (await heads(portal.store, [customerDoc(7)]))[0]!;

		const local = new Y.Doc();
		const first = await batch(portal, cookie, [readEntry(customerDoc(7))]);
		Y.applyUpdate(local, ok(first[0]).update);
		new CustomerRepository(local).addContact({ name: 'Pushed offline', role: 'IT', email: '', phone: '' });
		const pushed = await batch(portal, cookie, [
			{ docName: customerDoc(7), stateVector: Y.encodeStateVector(local), update: Y.encodeStateAsUpdate(local) }
		]);
		const answer = ok(pushed[0]);
		// The ack: the server's state vector covers everything the device had.
		const acked = Y.decodeStateVector(answer.stateVector);
		for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(local)))
			expect(acked.get(client)).toBeGreaterThanOrEqual(clock);
		expect(answer.head).toBe(headBefore + 1);
		expect(answer.rejected).toBeNull();

		// Broadcast: the live socket receives the change as an update frame.
		Y.applyUpdate(watcher.doc, syncPayload(await broadcast));
		expect(new CustomerRepository(watcher.doc).contacts().map((c) => c.name)).toContain('Pushed offline');

		// Durable: a server started again on the same file has it.
		watcher.client.socket.terminate();
		sockets.splice(0);
		const { file } = portal;
		running.splice(running.indexOf(portal), 1);
		await portal.server.close();
		await portal.store.close();
		const again = await startOn(file);
		const doc = await storedDoc(again.store, stored(customerDoc(7)));
		expect(new CustomerRepository(doc).contacts().map((c) => c.name)).toContain('Pushed offline');
		const cookieAgain = await createSignedIn(again.base, again.store, {
			tenantId: TENANT,
			email: 'p3b@batch.example',
			role: 'admin'
		});
		const read = await batch(again, cookieAgain, [readEntry(customerDoc(7))]);
		const fresh = new Y.Doc();
		Y.applyUpdate(fresh, ok(read[0]).update);
		expect(new CustomerRepository(fresh).contacts().map((c) => c.name)).toContain('Pushed offline');
	});

	it('S123: a Help Desk change of license units is undone like a socket frame: notice in the answer, audit row, compensation sent', async () => {
		const portal = shared;
		const cookie = await person(portal, 'helpDesk', 4);
		const watcher = await live(portal, TENANT_DOC, await person(portal, 'admin', 40));
		const local = new Y.Doc();
		Y.applyUpdate(local, ok((await batch(portal, cookie, [readEntry(TENANT_DOC)]))[0]).update);
		expect(unitsOf(local)).toBe(50);
		const broadcast = watcher.client.nextFrame(isUpdateFrame);
		setUnits(local, 99);
		const answers = await batch(portal, cookie, [
			{ docName: TENANT_DOC, stateVector: Y.encodeStateVector(local), update: Y.encodeStateAsUpdate(local) }
		]);
		const answer = ok(answers[0]);
		expect(answer.rejected).toMatchObject({ docName: TENANT_DOC, total: 1 });
		expect(answer.rejected!.items[0]).toMatchObject({ id: 'lic-1', code: 'notPermitted' });
		// The compensation is in what the device lacks: applied, its copy is back to the stored units.
		Y.applyUpdate(local, answer.update);
		expect(unitsOf(local)).toBe(50);
		expect(unitsOf(await storedDoc(portal.store, TENANT_DOC))).toBe(50);
		const audit = await portal.store.listAudit({ tenantId: TENANT, limit: 10 });
		expect(audit.some((row) => row.userId === 'u4' && row.action === 'rejected' && row.item === 'lic-1')).toBe(true);
		// A live socket sees the same end state (the change and its compensation come as one committed update).
		Y.applyUpdate(watcher.doc, syncPayload(await broadcast));
		expect(unitsOf(watcher.doc)).toBe(50);
		expect(watcher.client.frames.filter(isUpdateFrame)).toHaveLength(1);
	});

	it('S124: read-only, foreign-tenant, unknown and malformed entries are refused alone; the others in the batch go on', async () => {
		const portal = shared;
		const reader = await person(portal, 'readOnly', 5);
		const writer = await person(portal, 'admin', 6);
		const stranger = await person(portal, 'superAdmin', 7, OTHER);
		const all = [TENANT_DOC, customerDoc(2), customerDoc(3)];
		const before = await heads(portal.store, all);

		const local = new Y.Doc();
		Y.applyUpdate(local, ok((await batch(portal, reader, [readEntry(customerDoc(2))]))[0]).update);
		const noOp = Y.encodeStateAsUpdate(local);
		new CustomerRepository(local).addContact({ name: 'Read-only write', role: 'IT', email: '', phone: '' });
		const readOnly = await batch(portal, reader, [
			{ docName: customerDoc(2), stateVector: Y.encodeStateVector(local), update: Y.encodeStateAsUpdate(local) },
			{ docName: customerDoc(3), stateVector: EMPTY_SV, update: seededContact('nope') },
			readEntry(TENANT_DOC)
		]);
		expect(readOnly[0]).toMatchObject({ status: 'refused', code: 4403, reason: 'read-only' });
		expect(readOnly[1]).toMatchObject({ status: 'refused', code: 4403 });
		expect(readOnly[2]).toMatchObject({ status: 'ok' });
		// What a reader's copy already shares with the server is not a write: it is confirmed, not refused (S8).
		const confirm = await batch(portal, reader, [
			{ docName: customerDoc(2), stateVector: Y.encodeStateVector(local), update: noOp }
		]);
		expect(confirm[0]).toMatchObject({ status: 'ok', rejected: null });

		const foreign = await batch(portal, stranger, [
			{ docName: customerDoc(2), stateVector: EMPTY_SV, update: seededContact('Planted by tb') },
			readEntry(TENANT_DOC),
			readEntry('customer:x1' as DocName)
		]);
		expect(foreign[0]).toMatchObject({ status: 'refused', code: 1013, reason: 'unknown document, try later' });
		expect(foreign[1]).toMatchObject({ status: 'refused', code: 4403, reason: 'no access to this document' });
		// Its own customer: read from its own tenant's storage name, never another tenant's (S40).
		const own = new Y.Doc();
		Y.applyUpdate(own, ok(foreign[2]).update);
		expect(new CustomerRepository(own).contacts().map((c) => c.name)).toEqual(['Secret of the other tenant']);

		const garbage = await batch(portal, writer, [
			{ docName: customerDoc(2), stateVector: EMPTY_SV, update: new Uint8Array([1, 200, 3, 4, 5]) },
			{ docName: customerDoc(3), stateVector: new Uint8Array([5, 1]), update: null },
			{ docName: 'customer:nobody' as DocName, stateVector: EMPTY_SV, update: null },
			readEntry(customerDoc(4))
		]);
		expect(garbage[0]).toMatchObject({ status: 'refused', code: 4400, reason: 'malformed update' });
		expect(garbage[1]).toMatchObject({ status: 'refused', code: 4400, reason: 'malformed state vector' });
		expect(garbage[2]).toMatchObject({ status: 'refused', code: 1013 });
		expect(garbage[3]).toMatchObject({ status: 'ok' });

		expect(await heads(portal.store, all)).toEqual(before);
		for (const docName of [customerDoc(2), customerDoc(3)]) {
			const names = new CustomerRepository(await storedDoc(portal.store, stored(docName)))
				.contacts()
				.map((c) => c.name);
			expect(names).not.toContain('Read-only write');
			expect(names).not.toContain('Planted by tb');
			expect(names).not.toContain('nope');
		}
	});

	it('S125: the work of one request is bounded: updates above the frame limit are refused, the answer stops at its byte budget', async () => {
		const portal = await seeded({ maxFrameBytes: 4096, maxBatchAnswerBytes: 1 });
		const cookie = await person(portal, 'admin', 8);
		const big = new Y.Doc();
		for (let i = 0; i < 60; i += 1)
			new CustomerRepository(big).addContact({ name: `${i} ${'x'.repeat(100)}`, role: 'IT', email: '', phone: '' });
		const before = await heads(portal.store, [customerDoc(1)]);
		const answers = await batch(portal, cookie, [
			{ docName: customerDoc(1), stateVector: Y.encodeStateVector(big), update: Y.encodeStateAsUpdate(big) },
			readEntry(customerDoc(2)),
			readEntry(customerDoc(3))
		]);
		expect(answers[0]).toMatchObject({ status: 'refused', code: 4413, reason: 'update too large' });
		// The first answered entry passes the budget of one byte; the next ones are asked for again later.
		expect(answers[1]).toMatchObject({ status: 'ok' });
		expect(answers[2]).toMatchObject({ status: 'refused', code: 1013, reason: 'answer full, ask again' });
		expect(await heads(portal.store, [customerDoc(1)])).toEqual(before);
	});
});
