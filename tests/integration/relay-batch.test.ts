// The relay's group commit over real sockets: frames waiting together are stored with one commit, still stored before
// anyone is told (S5), failing together (S15), and a malformed frame among them closes only its sender (S10).
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MESSAGE_SYNC, SYNC_STEP_1 } from '../../src/lib/data/sync/protocol';
import { createMemoryStore } from '../../server/src/store/memory';
import type { DocStore } from '../../server/src/store/types';
import { startRelayHarness, type RelayHarness } from '../helpers/relay-harness';
import { rawClient, type RawClient } from '../helpers/sync-clients';
import {
	isAck,
	isSyncStep1,
	isSyncStep2,
	readAck,
	storedDoc,
	syncPayload,
	syncStep1Frame,
	updateFrame
} from '../helpers/sync-frames';

const TENANT = 'tenant:t1';
let harness: RelayHarness | null = null;
const raws: RawClient[] = [];
/** Lets every held append through, so that a failed test does not leave the relay's close() waiting. */
const cleanups: Array<() => void> = [];

afterEach(async () => {
	for (const cleanup of cleanups.splice(0)) cleanup();
	for (const client of raws.splice(0)) client.socket.terminate();
	await harness?.close();
	harness = null;
});

/** A store whose appends wait until the test lets each one through (or fails it), and that counts them. */
function heldStore(): {
	store: DocStore;
	memory: DocStore;
	calls(): number;
	called(n: number): Promise<void>;
	release(): void;
	fail(): void;
} {
	const memory = createMemoryStore();
	const held: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
	const waiters: Array<{ n: number; resolve: () => void }> = [];
	let calls = 0;
	cleanups.push(() => {
		for (const append of held.splice(0)) append.resolve();
	});
	const store: DocStore = {
		...memory,
		async append(name, update) {
			calls += 1;
			const turn = new Promise<void>((resolve, reject) => held.push({ resolve, reject }));
			for (const waiter of waiters.filter((w) => calls >= w.n)) {
				waiters.splice(waiters.indexOf(waiter), 1);
				waiter.resolve();
			}
			await turn;
			return memory.append(name, update);
		}
	};
	const next = (): { resolve: () => void; reject: (error: Error) => void } => {
		const first = held.shift();
		if (first === undefined) throw new Error('no append is waiting');
		return first;
	};
	return {
		store,
		memory,
		calls: () => calls,
		called: (n) => (calls >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
		release: () => next().resolve(),
		fail: () => next().reject(new Error('disk full'))
	};
}

async function join(h: RelayHarness, cookie: string): Promise<RawClient> {
	const client = rawClient(`${h.syncUrl}/${TENANT}`, { cookie });
	raws.push(client);
	await client.nextFrame(isSyncStep1);
	return client;
}

/** A round trip that proves the relay has read every frame sent before it, and that we got every frame it sent before. */
function roundTrip(client: RawClient): Promise<void> {
	return new Promise((resolve) => {
		client.socket.once('pong', () => resolve());
		client.socket.ping();
	});
}

/** An update of one client that sets `meta.<key>`. */
function edit(doc: Y.Doc, key: string): Uint8Array {
	const sv = Y.encodeStateVector(doc);
	doc.getMap('meta').set(key, `value of ${key}`);
	return Y.encodeStateAsUpdate(doc, sv);
}

/** The keys of `meta` in every sync update and step 2 the client received. */
function receivedKeys(client: RawClient): string[] {
	const doc = new Y.Doc();
	for (const frame of client.frames) {
		if (frame[0] === MESSAGE_SYNC && frame[1] !== SYNC_STEP_1) Y.applyUpdate(doc, syncPayload(frame));
	}
	return [...doc.getMap('meta').keys()].sort();
}

const acks = (client: RawClient): number[] => client.frames.filter(isAck).map((f) => readAck(f).handledFrames);
const ackFor = (client: RawClient, index: number): Promise<Uint8Array> =>
	client.nextFrame((f) => isAck(f) && readAck(f).handledFrames === index);

/** Three writers; A's first update holds the document's queue in a held append while the test queues the batch. */
async function threeWriters(held: ReturnType<typeof heldStore>): Promise<{
	h: RelayHarness;
	clients: [RawClient, RawClient, RawClient];
	docs: [Y.Doc, Y.Doc, Y.Doc];
	/** A fourth connection that joined before the queue was held and has sent nothing. */
	late: RawClient;
}> {
	const h = (harness = await startRelayHarness({ store: held.store, validators: null }));
	const cookie = h.signIn('t1');
	const clients: [RawClient, RawClient, RawClient] = [
		await join(h, cookie),
		await join(h, cookie),
		await join(h, cookie)
	];
	const late = await join(h, cookie);
	const docs: [Y.Doc, Y.Doc, Y.Doc] = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
	clients[0].send(updateFrame(edit(docs[0], 'a0')));
	await held.called(1);
	return { h, clients, docs, late };
}

describe('relay group commit', () => {
	it('S5: a batch of updates from several clients is one commit; no ack and no broadcast before it is stored', async () => {
		const held = heldStore();
		const { clients, docs } = await threeWriters(held);
		const [a, b, c] = clients;
		a.send(updateFrame(edit(docs[0], 'a1')));
		a.send(updateFrame(edit(docs[0], 'a2')));
		b.send(updateFrame(edit(docs[1], 'b1')));
		c.send(updateFrame(edit(docs[2], 'c1')));
		b.send(updateFrame(edit(docs[1], 'b2')));
		c.send(updateFrame(edit(docs[2], 'c2')));
		await Promise.all(clients.map(roundTrip));

		held.release();
		await held.called(2);
		// The batch is applied and its append is waiting: nobody has an ack or a byte of it yet.
		await Promise.all(clients.map(roundTrip));
		expect(acks(a)).toEqual([1]);
		expect(acks(b)).toEqual([]);
		expect(acks(c)).toEqual([]);
		expect(receivedKeys(b)).toEqual(['a0']);
		expect(receivedKeys(c)).toEqual(['a0']);

		held.release();
		await Promise.all([ackFor(a, 3), ackFor(b, 2), ackFor(c, 2)]);
		// Six frames, one commit; each frame still has its own ack, in order.
		expect(held.calls()).toBe(2);
		expect((await held.memory.load(TENANT)).updates).toHaveLength(2);
		expect(acks(a)).toEqual([1, 2, 3]);
		expect(acks(b)).toEqual([1, 2]);
		expect(acks(c)).toEqual([1, 2]);
		const all = ['a0', 'a1', 'a2', 'b1', 'b2', 'c1', 'c2'];
		expect([...(await storedDoc(held.memory, TENANT)).getMap('meta').keys()].sort()).toEqual(all);
		await Promise.all(clients.map(roundTrip));
		// Each one got what the others wrote (its own changes are not echoed back).
		expect(receivedKeys(b)).toEqual(['a0', 'a1', 'a2', 'c1', 'c2']);
		expect(receivedKeys(c)).toEqual(['a0', 'a1', 'a2', 'b1', 'b2']);
		expect(receivedKeys(a)).toEqual(['b1', 'b2', 'c1', 'c2']);
	});

	it('S5: a sync step 1 in a batch is answered only after the updates before it are stored', async () => {
		const held = heldStore();
		const { clients, docs, late } = await threeWriters(held);
		const [a, b] = clients;
		b.send(updateFrame(edit(docs[1], 'b1')));
		await roundTrip(b);
		late.send(syncStep1Frame(new Y.Doc()));
		await roundTrip(late);

		held.release();
		await held.called(2);
		await roundTrip(late);
		expect(late.frames.filter(isSyncStep2)).toHaveLength(0);

		held.release();
		const answer = await late.nextFrame(isSyncStep2);
		const doc = new Y.Doc();
		Y.applyUpdate(doc, syncPayload(answer));
		expect([...doc.getMap('meta').keys()].sort()).toEqual(['a0', 'b1']);
		await ackFor(b, 1);
		await ackFor(a, 1);
	});

	it('S15: when the commit of a batch fails, nobody in it is acknowledged, nothing of it is stored, every client reconnects', async () => {
		const held = heldStore();
		const { h, clients, docs } = await threeWriters(held);
		const [a, b, c] = clients;
		a.send(updateFrame(edit(docs[0], 'a1')));
		b.send(updateFrame(edit(docs[1], 'b1')));
		c.send(updateFrame(edit(docs[2], 'c1')));
		await Promise.all(clients.map(roundTrip));
		held.release();
		await held.called(2);
		const unloaded = h.event((e) => e.type === 'unloaded');

		held.fail();
		const closed = await Promise.all(clients.map((client) => client.closed));
		await unloaded;
		expect(closed.map((x) => x.code)).toEqual([1011, 1011, 1011]);
		expect(acks(a)).toEqual([1]);
		expect(acks(b)).toEqual([]);
		expect(acks(c)).toEqual([]);
		expect(receivedKeys(b)).toEqual(['a0']);
		expect([...(await storedDoc(held.memory, TENANT)).getMap('meta').keys()]).toEqual(['a0']);
	});

	it('S10: a malformed frame in the middle of a batch closes only its sender; the rest of the batch is stored and acked', async () => {
		const held = heldStore();
		const { clients, docs } = await threeWriters(held);
		const [a, b, c] = clients;
		a.send(updateFrame(edit(docs[0], 'a1')));
		await roundTrip(a);
		b.send(updateFrame(edit(docs[1], 'b1')));
		b.send(new Uint8Array([42]));
		b.send(updateFrame(edit(docs[1], 'b2')));
		await roundTrip(b);
		c.send(updateFrame(edit(docs[2], 'c1')));
		await roundTrip(c);

		held.release();
		await held.called(2);
		held.release();
		expect(await b.closed).toEqual({ code: 4400, reason: 'unknown message type 42' });
		await Promise.all([ackFor(a, 2), ackFor(c, 1)]);
		expect(held.calls()).toBe(2);
		// What b sent before the bad frame was handled like any frame; what it queued after it is dropped.
		expect([...(await storedDoc(held.memory, TENANT)).getMap('meta').keys()].sort()).toEqual(['a0', 'a1', 'b1', 'c1']);
		await roundTrip(c);
		expect(receivedKeys(c)).toEqual(['a0', 'a1', 'b1']);
	});
});
