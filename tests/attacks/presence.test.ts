// The attack suite, sockets and presence (docs/sync.md S42-S43): nobody opens sockets without bound, and presence costs the
// relay a bounded amount of memory and work however it is sent.
import { afterEach, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { MESSAGE_AWARENESS, MESSAGE_QUERY_AWARENESS } from '../../src/lib/data/sync/protocol';
import type { RelayLimits } from '../../server/src/relay/limits';
import { startRelayHarness, type RelayHarness } from '../helpers/relay-harness';
import { rawClient, type RawClient } from '../helpers/sync-clients';
import { isAck, isSyncStep1, syncStep1Frame } from '../helpers/sync-frames';
import * as Y from 'yjs';

const TENANT = 'tenant:t1';
let harness: RelayHarness | null = null;
const clients: RawClient[] = [];

afterEach(async () => {
	for (const client of clients.splice(0)) client.socket.terminate();
	await harness?.close();
	harness = null;
});

async function start(limits: Partial<RelayLimits> = {}): Promise<RelayHarness> {
	harness = await startRelayHarness({ validators: null, limits });
	return harness;
}

function connect(h: RelayHarness, cookie: string | null): RawClient {
	const client = rawClient(`${h.syncUrl}/${TENANT}`, cookie === null ? {} : { cookie });
	clients.push(client);
	return client;
}

async function joined(h: RelayHarness, cookie: string): Promise<RawClient> {
	const client = connect(h, cookie);
	await client.nextFrame(isSyncStep1);
	return client;
}

/** An awareness frame announcing `state` (any JSON) for awareness client `client`. */
function presenceFrame(client: number, state: unknown, clock = 1): Uint8Array {
	const inner = encoding.createEncoder();
	encoding.writeVarUint(inner, 1);
	encoding.writeVarUint(inner, client);
	encoding.writeVarUint(inner, clock);
	encoding.writeVarString(inner, JSON.stringify(state));
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner));
	return encoding.toUint8Array(encoder);
}

/** The states of an awareness frame, by client id. */
function statesOf(frame: Uint8Array): Map<number, unknown> {
	const decoder = decoding.createDecoder(frame);
	decoding.readVarUint(decoder);
	const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
	const states = new Map<number, unknown>();
	const count = decoding.readVarUint(update);
	for (let i = 0; i < count; i++) {
		const client = decoding.readVarUint(update);
		decoding.readVarUint(update);
		states.set(client, JSON.parse(decoding.readVarString(update)));
	}
	return states;
}

const isAwareness = (frame: Uint8Array): boolean => frame[0] === MESSAGE_AWARENESS;

/** Resolves once every frame `client` sent so far was handled: the relay acks a sync step 1 in frame order (S5). */
async function handled(client: RawClient): Promise<void> {
	const acks = client.frames.filter(isAck).length;
	client.send(syncStep1Frame(new Y.Doc()));
	await client.nextFrame((frame) => isAck(frame) && client.frames.filter(isAck).length > acks);
}

describe('attacks: sockets without bound (S42)', () => {
	it("S42: one person's sockets are capped; the next one is told to come back later (1013), others still connect", async () => {
		const h = await start({ maxSocketsPerUser: 2 });
		const cookie = h.signIn('t1');
		await joined(h, cookie);
		await joined(h, cookie);
		const third = connect(h, cookie);
		expect(await third.closed).toEqual({ code: 1013, reason: 'too many connections, try later' });
		expect(third.frames).toEqual([]);
		await joined(h, h.signIn('t1'));
	});

	it('S42: sockets from one address are capped, before anything else is done for them', async () => {
		const h = await start({ maxSocketsPerAddress: 3 });
		const open = await Promise.all([1, 2, 3].map(() => joined(h, h.signIn('t1'))));
		// A fourth person at the same address, and a socket without a session: refused before authentication (not 4401).
		const fourth = connect(h, h.signIn('t1'));
		const anonymous = connect(h, null);
		expect(await fourth.closed).toEqual({ code: 1013, reason: 'too many connections, try later' });
		expect(await anonymous.closed).toEqual({ code: 1013, reason: 'too many connections, try later' });
		// A closed socket frees its place.
		open[0]!.socket.terminate();
		await h.event((e) => e.type === 'left');
		await joined(h, h.signIn('t1'));
	});
});

describe('attacks: presence amplification (S43)', () => {
	it('S43: a state is relayed only as the presence the app reads, written from the account: no padding, no name', async () => {
		const h = await start();
		const sender = await joined(h, h.signIn('t1', 'admin', 'tech@example.test'));
		const watcher = await joined(h, h.signIn('t1'));
		sender.send(
			presenceFrame(41, {
				user: { email: 'Tech@Example.test', name: 'The CEO' },
				editing: 'profile',
				padding: 'x'.repeat(60_000)
			})
		);
		const frame = await watcher.nextFrame((f) => isAwareness(f) && statesOf(f).has(41));
		expect(statesOf(frame).get(41)).toEqual({ user: { email: 'tech@example.test' }, editing: 'profile' });
		expect(frame.byteLength).toBeLessThan(200);
		// A state that is not presence at all is not relayed.
		sender.send(presenceFrame(42, { anything: 'else' }));
		sender.send(presenceFrame(43, { user: { email: 'tech@example.test' }, editing: null }));
		await watcher.nextFrame((f) => isAwareness(f) && statesOf(f).has(43));
		expect(watcher.frames.some((f) => isAwareness(f) && statesOf(f).has(42))).toBe(false);
	});

	it('S43: the presence a document holds is capped in bytes across all its connections', async () => {
		const state = (n: number) => ({ user: { email: `p${n}@example.test` }, editing: null });
		// Room for two such states, not three.
		const h = await start({ maxPresenceBytesPerDoc: JSON.stringify(state(1)).length * 2 + 1 });
		const senders = await Promise.all([1, 2, 3].map((n) => joined(h, h.signIn('t1', 'admin', `p${n}@example.test`))));
		for (const [i, sender] of senders.entries()) {
			sender.send(presenceFrame(100 + i, state(i + 1)));
			await handled(sender);
		}
		const observer = await joined(h, h.signIn('t1'));
		const present = await observer.nextFrame(isAwareness);
		expect([...statesOf(present).keys()].sort()).toEqual([100, 101]);
		// A removal frees room for the next one.
		senders[0]!.socket.terminate();
		await observer.nextFrame((f) => isAwareness(f) && statesOf(f).get(100) === null);
		senders[2]!.send(presenceFrame(102, state(3), 2));
		const admitted = await observer.nextFrame((f) => isAwareness(f) && statesOf(f).has(102));
		expect(statesOf(admitted).get(102)).toEqual(state(3));
	});

	it('S43: a flood of one-byte "query awareness" frames is answered once per interval', async () => {
		const h = await start({ queryAwarenessIntervalMs: 60_000 });
		for (let n = 0; n < 5; n++) {
			const sender = await joined(h, h.signIn('t1', 'admin', `p${n}@example.test`));
			sender.send(presenceFrame(200 + n, { user: { email: `p${n}@example.test` }, editing: null }));
			await handled(sender);
		}
		const flooder = await joined(h, h.signIn('t1', 'readOnly'));
		await flooder.nextFrame(isAwareness);
		const before = flooder.frames.filter(isAwareness).length;
		const query = new Uint8Array([MESSAGE_QUERY_AWARENESS]);
		for (let i = 0; i < 640; i++) flooder.send(query);
		await handled(flooder);
		const answers = flooder.frames.filter(isAwareness).slice(before);
		expect(answers).toHaveLength(1);
		expect(statesOf(answers[0]!).size).toBe(5);
	});
});
