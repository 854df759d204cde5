// The relay over real sockets on 127.0.0.1 with y-websocket clients: the rules of docs/sync.md (S-IDs in the test names).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { createMemoryStore } from '../../server/src/store/memory';
import type { DocStore, StoredDoc } from '../../server/src/store/types';
import type { Replica } from '../../src/lib/data/sync/types';
import { startRelayHarness, type RelayHarness } from '../helpers/relay-harness';
import {
	openTestReplica,
	rawClient,
	settled,
	waitForDoc,
	waitForStatus,
	type RawClient
} from '../helpers/sync-clients';
import {
	isAck,
	isSyncStep1,
	isSyncStep2,
	readAck,
	seedDoc,
	storedDoc,
	syncPayload,
	syncStep1Frame,
	syncStep2Frame,
	updateFrame
} from '../helpers/sync-frames';

const TENANT = 'tenant:t1';

let harness: RelayHarness | null = null;
/** S142: every test runs twice: replicas over real sockets, then over the in-memory pair (raw clients use ws both times). */
let transport: 'ws' | 'memory' = 'ws';
const replicas: Replica[] = [];
const raws: RawClient[] = [];

async function start(options: Parameters<typeof startRelayHarness>[0] = {}): Promise<RelayHarness> {
	harness = await startRelayHarness({ transport, ...options });
	return harness;
}

function replica(h: RelayHarness, docName: typeof TENANT, cookie: string | null, extra = {}): Replica {
	const r = openTestReplica(h.syncUrl, docName, cookie, { WebSocketPolyfill: h.webSocketClass(cookie), ...extra });
	replicas.push(r);
	return r;
}

function raw(h: RelayHarness, docName: string, cookie: string | null): RawClient {
	const client = rawClient(`${h.syncUrl}/${docName}`, cookie === null ? {} : { cookie });
	raws.push(client);
	return client;
}

/** A round trip that proves the relay has read every frame sent before it (ws answers pings in order). */
function roundTrip(client: RawClient): Promise<void> {
	return new Promise((resolve) => {
		client.socket.once('pong', () => resolve());
		client.socket.ping();
	});
}

afterEach(async () => {
	await Promise.all(replicas.splice(0).map((r) => r.destroy()));
	for (const client of raws.splice(0)) client.socket.terminate();
	await harness?.close();
	harness = null;
});

describe.each(['ws', 'memory'] as const)('over %s', (over) => {
	beforeEach(() => {
		transport = over;
	});

	describe('relay: convergence and durability', () => {
		it('S7: two clients converge, edits both ways through TenantRepository', async () => {
			const h = await start();
			const cookie = h.signIn('t1');
			const a = replica(h, TENANT, cookie);
			const b = replica(h, TENANT, cookie);
			await Promise.all([settled(a), settled(b)]);

			const repoA = new TenantRepository(a.doc);
			const repoB = new TenantRepository(b.doc);
			const dist = repoA.createNode({ kind: 'distributor', name: 'Nordic Distribution', parentId: null });
			await waitForDoc(b.doc, () => repoB.node(dist) !== null);
			const msp = repoB.createNode({ kind: 'msp', name: 'Alpen IT', parentId: dist });
			repoB.rename(dist, 'Nordic Distribution AB');
			await waitForDoc(a.doc, () => repoA.node(msp) !== null && repoA.node(dist)?.name === 'Nordic Distribution AB');
			await Promise.all([settled(a), settled(b)]);

			expect(a.doc.getMap('nodes').toJSON()).toEqual(b.doc.getMap('nodes').toJSON());
			const server = new Y.Doc();
			Y.applyUpdate(server, await h.relay.encodeState(TENANT));
			expect(server.getMap('nodes').toJSON()).toEqual(a.doc.getMap('nodes').toJSON());
			const stored = await storedDoc(h.store, TENANT);
			expect(new TenantRepository(stored).node(msp)?.name).toBe('Alpen IT');
		});

		it('S4: sync step 1 is answered only after the stored state is loaded', async () => {
			const memory = createMemoryStore();
			await seedDoc(memory, TENANT, (doc) => doc.getMap('meta').set('tenantName', 'Stored before'));
			let release: () => void = () => undefined;
			const gate = new Promise<void>((resolve) => (release = resolve));
			let loadStarted: () => void = () => undefined;
			const started = new Promise<void>((resolve) => (loadStarted = resolve));
			const held: DocStore = {
				...memory,
				async load(name): Promise<StoredDoc> {
					loadStarted();
					await gate;
					return memory.load(name);
				}
			};
			const h = await start({ store: held });
			const client = raw(h, TENANT, h.signIn('t1'));
			await client.opened;
			await started;
			client.send(syncStep1Frame(new Y.Doc()));
			await roundTrip(client);
			expect(client.frames).toHaveLength(0);

			release();
			const step2 = await client.nextFrame(isSyncStep2);
			const doc = new Y.Doc();
			Y.applyUpdate(doc, syncPayload(step2));
			expect(doc.getMap('meta').get('tenantName')).toBe('Stored before');
			// The relay's own step 1 went out first, after the load, and the answer is acked.
			expect(isSyncStep1(client.frames[0]!)).toBe(true);
			await client.nextFrame(isAck);
		});

		it('S5: an update is in the store before the other client sees it and before the ack', async () => {
			const memory = createMemoryStore();
			const log: string[] = [];
			let holdAppend: Promise<void> | null = null;
			let releaseAppend: () => void = () => undefined;
			let appendCalled: () => void = () => undefined;
			const appending = new Promise<void>((resolve) => (appendCalled = resolve));
			const store: DocStore = {
				...memory,
				async append(name, update) {
					if (holdAppend) {
						appendCalled();
						await holdAppend;
					}
					const seq = await memory.append(name, update);
					log.push('stored');
					return seq;
				}
			};
			const h = await start({ store });
			const cookie = h.signIn('t1');
			const a = replica(h, TENANT, cookie);
			const b = replica(h, TENANT, cookie);
			await Promise.all([settled(a), settled(b)]);

			holdAppend = new Promise<void>((resolve) => (releaseAppend = resolve));
			b.doc.getMap('meta').observe(() => log.push('b saw'));
			a.onStatus((s) => {
				if (s.pending === 0) log.push('a acked');
			});
			a.doc.getMap('meta').set('tenantName', 'Durable first');
			expect(a.status().pending).toBe(1);
			await appending;
			expect(b.doc.getMap('meta').get('tenantName')).toBeUndefined();
			expect(a.status().pending).toBe(1);

			releaseAppend();
			await waitForDoc(b.doc, (doc) => doc.getMap('meta').get('tenantName') === 'Durable first');
			await waitForStatus(a, (s) => s.pending === 0);
			expect(log[0]).toBe('stored');
			expect(log).toContain('b saw');
			expect(log).toContain('a acked');
			expect((await storedDoc(memory, TENANT)).getMap('meta').get('tenantName')).toBe('Durable first');
		});

		it('S5: the ack carries the state vector after the commit and the number of handled frames', async () => {
			const h = await start();
			const client = raw(h, TENANT, h.signIn('t1'));
			await client.nextFrame(isSyncStep1);
			const local = new Y.Doc();
			local.getMap('meta').set('tenantName', 'Acked');
			client.send(syncStep1Frame(new Y.Doc()));
			client.send(updateFrame(Y.encodeStateAsUpdate(local)));
			const acks = [await client.nextFrame(isAck)];
			acks.push(await client.nextFrame((f) => isAck(f) && f !== acks[0]));
			expect(readAck(acks[0]!).handledFrames).toBe(1);
			const second = readAck(acks[1]!);
			expect(second.handledFrames).toBe(2);
			expect(Y.decodeStateVector(second.stateVector).get(local.clientID)).toBe(Y.getState(local.store, local.clientID));
			expect((await storedDoc(h.store, TENANT)).getMap('meta').get('tenantName')).toBe('Acked');
		});

		it('S18: a server-side change is stored, then reaches connected clients', async () => {
			const h = await start();
			const a = replica(h, TENANT, h.signIn('t1'));
			await settled(a);
			await h.relay.change(TENANT, (doc) => doc.getMap('meta').set('tenantName', 'From the server'));
			expect((await storedDoc(h.store, TENANT)).getMap('meta').get('tenantName')).toBe('From the server');
			await waitForDoc(a.doc, (doc) => doc.getMap('meta').get('tenantName') === 'From the server');
			expect(await h.relay.withDoc(TENANT, (doc) => doc.getMap('meta').get('tenantName'))).toBe('From the server');
		});
	});

	describe('relay: who may open what', () => {
		it('S2: no session, or a forged cookie, is closed with 4401 and receives nothing', async () => {
			const h = await start();
			await seedDoc(h.store, TENANT, (doc) => doc.getMap('meta').set('tenantName', 'Secret'));
			const anonymous = raw(h, TENANT, null);
			const forged = raw(h, TENANT, 'msp_test_session=forged-token');
			anonymous.send(syncStep1Frame(new Y.Doc()));
			expect(await anonymous.closed).toEqual({ code: 4401, reason: 'not signed in' });
			expect(await forged.closed).toEqual({ code: 4401, reason: 'not signed in' });
			expect(anonymous.frames).toHaveLength(0);
			expect(forged.frames).toHaveLength(0);

			const r = replica(h, TENANT, null);
			const status = await waitForStatus(r, (s) => s.connection === 'refused');
			expect(status.refusal).toEqual({ code: 4401, reason: 'not signed in' });
			expect(r.doc.getMap('meta').size).toBe(0);
		});

		it("S2: a user of tenant A opening tenant B's document is closed with 4403 and receives zero bytes", async () => {
			const h = await start();
			await seedDoc(h.store, 'tenant:t2', (doc) => doc.getMap('meta').set('tenantName', 'Tenant B'));
			const intruder = raw(h, 'tenant:t2', h.signIn('t1'));
			await intruder.opened;
			intruder.send(syncStep1Frame(new Y.Doc()));
			expect(await intruder.closed).toEqual({ code: 4403, reason: 'no access to this document' });
			expect(intruder.frames).toHaveLength(0);

			h.registerCustomer('customer:c9', 't2');
			const customer = raw(h, 'customer:c9', h.signIn('t1'));
			expect((await customer.closed).code).toBe(4403);
			expect(customer.frames).toHaveLength(0);
		});

		it('S2: an unknown customer document is closed with 1013 (try later); S1: a bad name with 4400', async () => {
			const h = await start();
			const cookie = h.signIn('t1');
			const unknown = raw(h, 'customer:nobody', cookie);
			expect((await unknown.closed).code).toBe(1013);
			const badName = raw(h, 'invoices:1', cookie);
			expect(await badName.closed).toEqual({ code: 4400, reason: 'invalid document name' });
			const encoded = raw(h, encodeURIComponent(TENANT), cookie);
			await encoded.nextFrame(isSyncStep1);
			expect(unknown.frames.length + badName.frames.length).toBe(0);
		});

		it('S8: a read-only user reads; its write is refused with 4403 and not stored; its no-op step 2 is fine', async () => {
			const h = await start();
			const owner = replica(h, TENANT, h.signIn('t1'));
			const node = new TenantRepository(owner.doc).createNode({ kind: 'distributor', name: 'Visible', parentId: null });
			await settled(owner);

			const reader = replica(h, TENANT, h.signIn('t1', 'readOnly'));
			// Its answer to the relay's step 1 is a no-op step 2: it gets through and the reader ends up online.
			await settled(reader);
			expect(new TenantRepository(reader.doc).node(node)?.name).toBe('Visible');
			const before = await h.store.load(TENANT);

			new TenantRepository(reader.doc).rename(node, 'Changed by a reader');
			const status = await waitForStatus(reader, (s) => s.connection === 'refused');
			expect(status.refusal).toEqual({ code: 4403, reason: 'read-only' });
			expect(await h.store.load(TENANT)).toEqual(before);
			expect(new TenantRepository(owner.doc).node(node)?.name).toBe('Visible');
		});

		it('S8: a read-only deletion of an item the server still has is refused', async () => {
			const h = await start();
			const owner = replica(h, TENANT, h.signIn('t1'));
			owner.doc.getMap('meta').set('tenantName', 'Keep me');
			await settled(owner);

			const client = raw(h, TENANT, h.signIn('t1', 'readOnly'));
			client.send(syncStep1Frame(new Y.Doc()));
			const local = new Y.Doc();
			Y.applyUpdate(local, syncPayload(await client.nextFrame(isSyncStep2)));
			// Its whole state, deletions included, is a no-op and acked.
			client.send(syncStep2Frame(Y.encodeStateAsUpdate(local)));
			await client.nextFrame((f) => isAck(f) && readAck(f).handledFrames === 2);
			const sv = Y.encodeStateVector(local);
			local.getMap('meta').delete('tenantName');
			client.send(updateFrame(Y.encodeStateAsUpdate(local, sv)));
			expect(await client.closed).toEqual({ code: 4403, reason: 'read-only' });
			expect((await storedDoc(h.store, TENANT)).getMap('meta').get('tenantName')).toBe('Keep me');
		});
	});

	describe('relay: bad input', () => {
		const malformed: Array<[string, Uint8Array | string]> = [
			['garbage bytes', new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])],
			['a truncated varint', new Uint8Array([0x80])],
			['an update with a garbage payload', updateFrame(new Uint8Array([0x05, 0x01, 0x07, 0x99, 0x42, 0x13]))],
			['a step 2 whose length runs past the frame', new Uint8Array([0, 1, 50, 1, 2, 3])],
			['an unknown message type', new Uint8Array([42])],
			['the ack type, which only the server sends', new Uint8Array([100, 0, 0])],
			['trailing bytes after a message', new Uint8Array([3, 0])],
			['a text frame', 'hello']
		];

		it.each(malformed)(
			'S10: %s closes only that connection with 4400; the other client keeps syncing',
			async (_what, frame) => {
				const h = await start();
				const cookie = h.signIn('t1');
				const a = replica(h, TENANT, cookie);
				const b = replica(h, TENANT, cookie);
				await Promise.all([settled(a), settled(b)]);
				const before = await h.store.load(TENANT);

				const bad = raw(h, TENANT, cookie);
				await bad.nextFrame(isSyncStep1);
				bad.send(frame);
				const closed = await bad.closed;
				expect(closed.code).toBe(4400);
				expect(closed.reason.length).toBeGreaterThan(0);
				expect(await h.store.load(TENANT)).toEqual(before);

				a.doc.getMap('meta').set('tenantName', 'Still syncing');
				await waitForDoc(b.doc, (doc) => doc.getMap('meta').get('tenantName') === 'Still syncing');
				await settled(a);
				expect(b.status().connection).toBe('online');
			}
		);

		it('S11: a frame above the cap is closed with 4413, final for the client', async () => {
			const h = await start({ limits: { maxFrameBytes: 4096 } });
			const cookie = h.signIn('t1');
			const client = raw(h, TENANT, cookie);
			await client.nextFrame(isSyncStep1);
			client.send(new Uint8Array(8192));
			expect((await client.closed).code).toBe(4413);

			const r = replica(h, TENANT, cookie);
			await settled(r);
			r.doc.getMap('meta').set('tenantName', 'x'.repeat(10_000));
			const status = await waitForStatus(r, (s) => s.connection === 'refused');
			expect(status.refusal?.code).toBe(4413);
			expect((await h.store.load(TENANT)).updates).toHaveLength(0);
		});

		it('S12: a connection sending faster than its rate is closed with 4429', async () => {
			const { createFakeClock } = await import('../helpers/fake-clock');
			const h = await start({ clock: createFakeClock(), limits: { framesPerSecond: 1, frameBurst: 5 } });
			const client = raw(h, TENANT, h.signIn('t1'));
			await client.nextFrame(isSyncStep1);
			for (let i = 0; i < 10; i++) client.send(new Uint8Array([3]));
			expect(await client.closed).toEqual({ code: 4429, reason: 'too many messages' });
		});
	});
});
