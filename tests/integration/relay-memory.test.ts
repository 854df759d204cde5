// S140-S143: the relay over its in-memory transport (server/src/relay/memory-socket.ts) with real replicas: no network,
// asynchronous in-order delivery, and the faults a test injects (drop, delay, cut mid-stream) ending in convergence.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createMemoryStore } from '../../server/src/store/memory';
import type { DocStore } from '../../server/src/store/types';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import type { Replica } from '../../src/lib/data/sync/types';
import { MESSAGE_SYNC, SYNC_UPDATE } from '../../src/lib/data/sync/protocol';
import { memoryWebSocketClass, type FrameFate, type MemoryLink } from '../../server/src/relay/memory-socket';
import { startRelayHarness, type RelayHarness } from '../helpers/relay-harness';
import { openTestReplica, settled, waitForDoc, waitForStatus } from '../helpers/sync-clients';
import { isAck, isSyncStep1, isSyncStep2, storedDoc, syncStep1Frame } from '../helpers/sync-frames';

const TENANT = 'tenant:t1';

let harness: RelayHarness | null = null;
const replicas: Replica[] = [];

afterEach(async () => {
	await Promise.all(replicas.splice(0).map((r) => r.destroy()));
	await harness?.close();
	harness = null;
});

async function start(store?: DocStore): Promise<RelayHarness> {
	harness = await startRelayHarness({ transport: 'memory', ...(store ? { store } : {}) });
	return harness;
}

function replica(h: RelayHarness, cookie: string, memory: Parameters<RelayHarness['webSocketClass']>[1] = {}): Replica {
	const r = openTestReplica('ws://memory/sync', TENANT, cookie, {
		WebSocketPolyfill: h.webSocketClass(cookie, memory)
	});
	replicas.push(r);
	return r;
}

const isUpdate = (frame: Uint8Array): boolean => frame[0] === MESSAGE_SYNC && frame[1] === SYNC_UPDATE;

interface Opened {
	readonly socket: WebSocket;
	readonly frames: Uint8Array[];
	next(predicate: (frame: Uint8Array) => boolean): Promise<Uint8Array>;
	readonly closed: Promise<{ code: number; reason: string }>;
	readonly opened: Promise<void>;
}

/** A bare socket of the in-memory class, recording what it receives. */
function bare(Class: typeof WebSocket, url: string): Opened {
	const socket = new Class(url);
	socket.binaryType = 'arraybuffer';
	const frames: Uint8Array[] = [];
	const waiters: Array<{ predicate: (frame: Uint8Array) => boolean; resolve: (frame: Uint8Array) => void }> = [];
	socket.onmessage = (event: MessageEvent) => {
		const frame = new Uint8Array(event.data as ArrayBuffer);
		frames.push(frame);
		for (const waiter of [...waiters])
			if (waiter.predicate(frame)) {
				waiters.splice(waiters.indexOf(waiter), 1);
				waiter.resolve(frame);
			}
	};
	const opened = new Promise<void>((resolve) => (socket.onopen = () => resolve()));
	const closed = new Promise<{ code: number; reason: string }>(
		(resolve) => (socket.onclose = (event: CloseEvent) => resolve({ code: event.code, reason: event.reason }))
	);
	return {
		socket,
		frames,
		opened,
		closed,
		next(predicate) {
			const seen = frames.find(predicate);
			if (seen) return Promise.resolve(seen);
			return new Promise((resolve) => waiters.push({ predicate, resolve }));
		}
	};
}

describe('relay over the in-memory transport', () => {
	it('S141: frames arrive asynchronously and in order, never inside send(); the relay authenticates the cookie', async () => {
		const h = await start();
		const Class = memoryWebSocketClass(h.relay, { headers: { cookie: h.signIn('t1') } });
		const client = bare(Class, 'ws://memory/sync/tenant%3At1');
		expect(client.socket.readyState).toBe(Class.CONNECTING);
		expect(() => client.socket.send(new Uint8Array([0]))).toThrow(/connecting/);
		await client.opened;
		await client.next(isSyncStep1);
		const received = client.frames.length;
		client.socket.send(syncStep1Frame(new Y.Doc()));
		// Nothing is delivered while send() runs, in either direction.
		expect(client.frames.length).toBe(received);
		await client.next(isSyncStep2);
		await client.next(isAck);
		const kinds = client.frames.map((f) =>
			isSyncStep1(f) ? 'step1' : isSyncStep2(f) ? 'step2' : isAck(f) ? 'ack' : 'other'
		);
		expect(kinds.filter((k) => k !== 'other')).toEqual(['step1', 'step2', 'ack']);

		const anonymous = bare(memoryWebSocketClass(h.relay), 'ws://memory/sync/tenant:t1');
		expect(await anonymous.closed).toEqual({ code: 4401, reason: 'not signed in' });
		expect(anonymous.frames).toHaveLength(0);
		const stranger = bare(
			memoryWebSocketClass(h.relay, { headers: { cookie: h.signIn('t2') } }),
			'ws://memory/sync/tenant:t1'
		);
		expect(await stranger.closed).toEqual({ code: 4403, reason: 'no access to this document' });
		expect(stranger.frames).toHaveLength(0);
	});

	it('S142: replicas converge over the pair; a relay shutdown closes them with 1001', async () => {
		const h = await start();
		const cookie = h.signIn('t1');
		const links: MemoryLink[] = [];
		const a = replica(h, cookie, { onOpen: (link) => links.push(link) });
		const b = replica(h, cookie, { onOpen: (link) => links.push(link) });
		await Promise.all([settled(a), settled(b)]);
		const node = new TenantRepository(a.doc).createNode({ kind: 'msp', name: 'In memory', parentId: null });
		await waitForDoc(b.doc, (doc) => new TenantRepository(doc).node(node) !== null);
		await settled(a);
		expect(new TenantRepository(await storedDoc(h.store, TENANT)).node(node)?.name).toBe('In memory');
		expect(links.map((l) => l.id)).toEqual([1, 1]);
		expect(h.relay.stats().connections).toBe(2);

		const closing = bare(memoryWebSocketClass(h.relay, { headers: { cookie } }), 'ws://memory/sync/tenant:t1');
		await closing.next(isSyncStep1);
		await h.close();
		harness = null;
		expect((await closing.closed).code).toBe(1001);
		expect(h.relay.stats().connections).toBe(0);
	});

	it('S143: a dropped update is sent again after the link is cut; delayed frames keep their order; all converge', async () => {
		const h = await start();
		const cookie = h.signIn('t1');
		const links: MemoryLink[] = [];
		let dropNextUpdate = false;
		const fate = (frame: Uint8Array, direction: string): FrameFate => {
			if (direction === 'toServer' && dropNextUpdate && isUpdate(frame)) {
				dropNextUpdate = false;
				return 'drop';
			}
			// Everything the relay sends to this replica is late (and stays in order).
			return direction === 'toClient' ? { delayMs: 5 } : 'deliver';
		};
		const a = replica(h, cookie, { fate, onOpen: (link) => links.push(link) });
		const b = replica(h, cookie);
		await Promise.all([settled(a), settled(b)]);

		dropNextUpdate = true;
		a.doc.getMap('meta').set('tenantName', 'Lost once');
		// The relay never got it: nobody acked it and b does not have it.
		expect(a.status().pending).toBe(1);
		await waitForStatus(a, (s) => s.pending === 1 && !dropNextUpdate);
		expect(b.doc.getMap('meta').get('tenantName')).toBeUndefined();
		links.at(-1)!.cut();
		// The replica reconnects; its sync step 2 carries what was lost.
		await waitForDoc(b.doc, (doc) => doc.getMap('meta').get('tenantName') === 'Lost once');
		await settled(a);
		expect(links.length).toBeGreaterThanOrEqual(2);

		const tree = new TenantRepository(b.doc);
		const ids = Array.from({ length: 20 }, (_, i) =>
			tree.createNode({ kind: 'msp', name: `Late ${i}`, parentId: null })
		);
		await waitForDoc(a.doc, (doc) => new TenantRepository(doc).node(ids[19]!) !== null);
		await settled(b);
		expect(a.doc.getMap('nodes').toJSON()).toEqual(b.doc.getMap('nodes').toJSON());
		expect(a.doc.getMap('meta').toJSON()).toEqual(b.doc.getMap('meta').toJSON());
	});

	it('S143: a link cut in the middle of a stream (partial delivery) loses nothing that was acknowledged', async () => {
		const h = await start();
		const cookie = h.signIn('t1');
		let updatesSent = 0;
		const fate = (frame: Uint8Array, direction: string): FrameFate => {
			if (direction !== 'toServer' || !isUpdate(frame)) return 'deliver';
			updatesSent += 1;
			// The 6th update and everything after it on this socket are lost with the link.
			return updatesSent === 6 ? 'cut' : 'deliver';
		};
		const a = replica(h, cookie, { fate });
		const b = replica(h, cookie);
		await Promise.all([settled(a), settled(b)]);
		const tree = new TenantRepository(a.doc);
		const ids: string[] = [];
		for (let i = 0; i < 10; i += 1) {
			ids.push(tree.createNode({ kind: 'msp', name: `Streamed ${i}`, parentId: null }));
			// One update frame each: the replica sends every transaction as it happens.
			await new Promise((resolve) => setImmediate(resolve));
		}
		await waitForDoc(b.doc, (doc) => ids.every((id) => new TenantRepository(doc).node(id) !== null));
		await settled(a);
		const stored = new TenantRepository(await storedDoc(h.store, TENANT));
		expect(ids.map((id) => stored.node(id)?.name)).toEqual(ids.map((_, i) => `Streamed ${i}`));
		expect(updatesSent).toBeGreaterThanOrEqual(6);
	});

	it('S144: a socket frame, a batch push and a server change each take the one commit path: stored, then broadcast', async () => {
		const memory = createMemoryStore();
		const log: string[] = [];
		let hold: Promise<void> | null = null;
		let appending: () => void = () => undefined;
		const store: DocStore = {
			...memory,
			async append(name, update) {
				if (hold) {
					appending();
					await hold;
				}
				const seq = await memory.append(name, update);
				log.push(`stored ${seq}`);
				return seq;
			}
		};
		const h = await start(store);
		const cookie = h.signIn('t1');
		const watcher = replica(h, cookie);
		const writer = replica(h, cookie);
		await Promise.all([settled(watcher), settled(writer)]);
		watcher.doc.on('update', (_update: Uint8Array, origin: unknown) => {
			if (origin !== null && typeof origin === 'object') log.push('broadcast');
		});

		/** Holds the next append until the test has seen that nobody heard of the change. */
		async function held(change: () => Promise<unknown> | void, name: string): Promise<void> {
			let release: () => void = () => undefined;
			hold = new Promise<void>((resolve) => (release = resolve));
			const called = new Promise<void>((resolve) => (appending = resolve));
			const done = change();
			await called;
			expect(watcher.doc.getMap('meta').get('tenantName')).not.toBe(name);
			hold = null;
			release();
			await done;
			await waitForDoc(watcher.doc, (doc) => doc.getMap('meta').get('tenantName') === name);
		}

		await held(() => {
			writer.doc.getMap('meta').set('tenantName', 'From a socket');
		}, 'From a socket');
		const local = new Y.Doc();
		Y.applyUpdate(local, Y.encodeStateAsUpdate(writer.doc));
		local.getMap('meta').set('tenantName', 'From a batch');
		await held(async () => {
			const [answer] = await h.relay.syncBatch(h.principalOf(cookie), null, [
				{ docName: TENANT, stateVector: Y.encodeStateVector(local), update: Y.encodeStateAsUpdate(local) }
			]);
			expect(answer).toMatchObject({ status: 'ok', head: 2 });
		}, 'From a batch');
		await held(
			() => h.relay.change(TENANT, (doc) => doc.getMap('meta').set('tenantName', 'From the server')),
			'From the server'
		);
		expect(log).toEqual(['stored 1', 'broadcast', 'stored 2', 'broadcast', 'stored 3', 'broadcast']);
	});

	it('S140: only the ws adapter imports ws; the relay speaks to the transport interface', () => {
		const dir = join(__dirname, '../../server/src/relay');
		const importers = readdirSync(dir)
			.filter((file) => file.endsWith('.ts'))
			.filter((file) => /from 'ws'|require\('ws'\)/.test(readFileSync(join(dir, file), 'utf8')));
		expect(importers).toEqual(['ws-transport.ts']);
	});
});
