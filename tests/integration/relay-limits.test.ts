// The relay's memory bounds over real sockets: backpressure on fast senders, slow readers cut, presence ids capped, no load after close (S20, S25, S26).
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MESSAGE_AWARENESS } from '../../src/lib/data/sync/protocol';
import { RelayClosedError } from '../../server/src/relay/relay';
import { createMemoryStore } from '../../server/src/store/memory';
import type { DocStore } from '../../server/src/store/types';
import { startRelayHarness, type RelayHarness, type RelayHarnessOptions } from '../helpers/relay-harness';
import { rawClient, type RawClient } from '../helpers/sync-clients';
import { isAck, isSyncStep1, readAck, storedDoc, updateFrame } from '../helpers/sync-frames';

const TENANT = 'tenant:t1';
let harness: RelayHarness | null = null;
const raws: RawClient[] = [];

async function start(options: RelayHarnessOptions): Promise<RelayHarness> {
	harness = await startRelayHarness(options);
	return harness;
}

/** A raw client that has joined the document (the relay's sync step 1 arrived), with its relay connection id. */
async function joined(h: RelayHarness, cookie: string): Promise<{ client: RawClient; connection: number }> {
	const before = h.events.filter((e) => e.type === 'joined').length;
	const client = rawClient(`${h.syncUrl}/${TENANT}`, { cookie });
	raws.push(client);
	await client.nextFrame(isSyncStep1);
	const event = h.events.filter((e) => e.type === 'joined')[before];
	if (event?.type !== 'joined') throw new Error('no joined event');
	return { client, connection: event.connection };
}

/** Presence (S43: states parse as the app's presence, as the signed-in person) for each of `clients`. */
function awarenessFrame(clients: readonly number[], email = 'flooder@example.test'): Uint8Array {
	const inner = encoding.createEncoder();
	encoding.writeVarUint(inner, clients.length);
	for (const client of clients) {
		encoding.writeVarUint(inner, client);
		encoding.writeVarUint(inner, 1);
		encoding.writeVarString(inner, JSON.stringify({ user: { email }, editing: `field-${client}` }));
	}
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner));
	return encoding.toUint8Array(encoder);
}

function awarenessCount(frame: Uint8Array): number {
	const decoder = decoding.createDecoder(frame);
	decoding.readVarUint(decoder);
	return decoding.readVarUint(decoding.createDecoder(decoding.readVarUint8Array(decoder)));
}

afterEach(async () => {
	for (const client of raws.splice(0)) client.socket.terminate();
	await harness?.close();
	harness = null;
});

describe('relay limits', () => {
	it('S26: a connection sending faster than the store commits is paused, not buffered without bound, and loses nothing', async () => {
		const memory = createMemoryStore();
		let releaseAppends: () => void = () => undefined;
		const gate = new Promise<void>((resolve) => (releaseAppends = resolve));
		const store: DocStore = {
			...memory,
			async append(name, update) {
				await gate;
				return memory.append(name, update);
			}
		};
		const h = await start({ store, validators: null, limits: { maxQueuedBytes: 256 * 1024 } });
		const { client, connection } = await joined(h, h.signIn('t1'));
		const paused = h.event((e) => e.type === 'paused' && e.connection === connection);

		const source = new Y.Doc();
		const updates: Uint8Array[] = [];
		source.on('update', (update: Uint8Array) => updates.push(update));
		for (let i = 0; i < 20; i++) source.getMap('meta').set('tenantName', `${'x'.repeat(64 * 1024)}-${i}`);
		for (const update of updates) client.send(updateFrame(update));
		await paused;

		releaseAppends();
		const last = await client.nextFrame((frame) => isAck(frame) && readAck(frame).handledFrames === updates.length);
		expect(readAck(last).handledFrames).toBe(20);
		expect(String((await storedDoc(memory, TENANT)).getMap('meta').get('tenantName'))).toMatch(/-19$/);
	});

	it('S26: a socket that does not read what it is sent is cut; the document and the others go on', async () => {
		const h = await start({
			validators: null,
			limits: { maxBufferedBytes: 1024 * 1024, compactEvery: 100_000 }
		});
		const cookie = h.signIn('t1');
		const reader = await joined(h, cookie);
		const other = await joined(h, cookie);
		reader.client.socket.pause();
		let cut = false;
		const left = h
			.event((e) => e.type === 'left' && e.connection === reader.connection)
			.then(() => {
				cut = true;
			});
		const chunk = 'y'.repeat(256 * 1024);
		// Loopback buffers absorb a few MB before anything waits in the server; 100 MB is far beyond that.
		for (let i = 0; i < 400 && !cut; i++) {
			const seen = other.client.frames.length;
			await h.relay.change(TENANT, (doc) => doc.getMap('meta').set('tenantName', `${chunk}${i}`));
			// The reading client gets each change: it keeps up, and the loop gives the sockets their turn.
			await other.client.nextFrame((frame) => other.client.frames.indexOf(frame) >= seen);
		}
		await left;
		expect(cut).toBe(true);
		expect(other.client.socket.readyState).toBe(other.client.socket.OPEN);
		expect(h.relay.stats().connections).toBe(1);
	});

	it('S25: one connection cannot fill the presence of a document with thousands of client ids', async () => {
		const h = await start({ validators: null, limits: { maxAwarenessClients: 4 } });
		const cookie = h.signIn('t1', 'superAdmin', 'flooder@example.test');
		const flooder = await joined(h, cookie);
		flooder.client.send(awarenessFrame(Array.from({ length: 50 }, (_, i) => 1000 + i)));
		// ws answers pings in order, so the relay has queued the awareness frame before the next connection joins.
		await new Promise<void>((resolve) => {
			flooder.client.socket.once('pong', () => resolve());
			flooder.client.socket.ping();
		});
		const observer = await joined(h, cookie);
		const present = await observer.client.nextFrame((frame) => frame[0] === MESSAGE_AWARENESS);
		expect(awarenessCount(present)).toBe(4);
	});

	it('S10: updates that wait for a missing dependency cannot pile up in memory', async () => {
		const h = await start({ validators: null, limits: { maxFrameBytes: 256 * 1024 } });
		const cookie = h.signIn('t1');
		const writer = await joined(h, cookie);
		const reader = await joined(h, cookie);
		const source = new Y.Doc();
		const updates: Uint8Array[] = [];
		source.on('update', (update: Uint8Array) => updates.push(update));
		for (let i = 0; i < 12; i++) source.getMap('meta').set('tenantName', `${'z'.repeat(32 * 1024)}-${i}`);
		// The first update never arrives, so each later one waits for it.
		for (const update of updates.slice(1)) writer.client.send(updateFrame(update));
		expect(await writer.client.closed).toEqual({ code: 4413, reason: 'too much data waits for missing updates' });
		// The document is reloaded from the store for everyone else, without what was waiting.
		expect((await reader.client.closed).code).toBe(1011);
		await h.event((e) => e.type === 'unloaded');
		const state = new Y.Doc();
		Y.applyUpdate(state, await h.relay.encodeState(TENANT));
		expect(state.store.pendingStructs).toBeNull();
	});

	it('S20: after close() no document is loaded again', async () => {
		const h = await start({});
		await h.relay.close();
		await expect(h.relay.withDoc(TENANT, () => true)).rejects.toBeInstanceOf(RelayClosedError);
		await expect(h.relay.change(TENANT, () => undefined)).rejects.toBeInstanceOf(RelayClosedError);
		expect(h.relay.stats().loadedDocs).toBe(0);
	});
});
