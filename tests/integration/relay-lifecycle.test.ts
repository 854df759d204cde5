// The relay's document lifecycle over real sockets: compaction, idle unload, store failure, awareness (docs/sync.md S13-S16).
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createMemoryStore } from '../../server/src/store/memory';
import type { DocStore } from '../../server/src/store/types';
import type { Replica } from '../../src/lib/data/sync/types';
import { createFakeClock } from '../helpers/fake-clock';
import { startRelayHarness, type RelayHarness } from '../helpers/relay-harness';
import { openTestReplica, rawClient, settled } from '../helpers/sync-clients';
import { isSyncStep1, storedDoc } from '../helpers/sync-frames';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import { MESSAGE_AWARENESS } from '../../src/lib/data/sync/protocol';

const TENANT = 'tenant:t1';
let harness: RelayHarness | null = null;
const replicas: Replica[] = [];

function replica(h: RelayHarness, cookie: string): Replica {
	const r = openTestReplica(h.syncUrl, TENANT, cookie);
	replicas.push(r);
	return r;
}

afterEach(async () => {
	await Promise.all(replicas.splice(0).map((r) => r.destroy()));
	await harness?.close();
	harness = null;
});

describe('relay lifecycle', () => {
	it('S16: compaction after N updates keeps the state identical and shrinks the stored updates', async () => {
		const h = (harness = await startRelayHarness({ limits: { compactEvery: 10 }, validators: null }));
		const a = replica(h, h.signIn('t1'));
		await settled(a);
		const list = a.doc.getArray<number>('numbers');
		// Each edit waits for its ack, so each is its own commit (edits that wait together are stored in one, S5).
		for (let i = 0; i < 25; i++) {
			list.push([i]);
			await settled(a);
		}
		list.delete(0, 3);
		await settled(a);
		await h.event((e) => e.type === 'compacted');

		const stored = await h.store.load(TENANT);
		expect(stored.snapshot).not.toBeNull();
		expect(stored.updates.length).toBeLessThan(10);
		const fromStore = await storedDoc(h.store, TENANT);
		expect(fromStore.getArray('numbers').toJSON()).toEqual(list.toJSON());
		expect(Y.encodeStateVector(fromStore)).toEqual(Y.encodeStateVector(a.doc));

		// A client that arrives after compaction gets the same document.
		const b = replica(h, h.signIn('t1'));
		await settled(b);
		expect(b.doc.getArray('numbers').toJSON()).toEqual(list.toJSON());
	});

	it('S14: a document with no connection is unloaded after idleUnloadMs and loads again from the store', async () => {
		const clock = createFakeClock();
		const h = (harness = await startRelayHarness({ clock, limits: { idleUnloadMs: 10_000 } }));
		const cookie = h.signIn('t1');
		const a = replica(h, cookie);
		await settled(a);
		a.doc.getMap('meta').set('tenantName', 'Survives unload');
		await settled(a);
		expect(h.relay.stats().loadedDocs).toBe(1);

		await a.destroy();
		await h.event((e) => e.type === 'left');
		clock.advance(9_999);
		expect(h.relay.stats().loadedDocs).toBe(1);
		clock.advance(1);
		await h.event((e) => e.type === 'unloaded');
		expect(h.relay.stats()).toEqual({ loadedDocs: 0, connections: 0 });

		const b = replica(h, cookie);
		await settled(b);
		expect(b.doc.getMap('meta').get('tenantName')).toBe('Survives unload');
	});

	it('S14: a connection that joins before the timer fires keeps the document loaded', async () => {
		const clock = createFakeClock();
		const h = (harness = await startRelayHarness({ clock, limits: { idleUnloadMs: 10_000 } }));
		const cookie = h.signIn('t1');
		const a = replica(h, cookie);
		await settled(a);
		await a.destroy();
		await h.event((e) => e.type === 'left');
		const b = replica(h, cookie);
		await settled(b);
		clock.advance(20_000);
		expect(h.events.some((e) => e.type === 'unloaded')).toBe(false);
		expect(h.relay.stats().loadedDocs).toBe(1);
	});

	it('S15: a failed append closes the document with 1011, stores nothing half, and the client resends after reconnecting', async () => {
		const memory = createMemoryStore();
		let failing = false;
		const store: DocStore = {
			...memory,
			async append(name, update) {
				if (failing) throw new Error('disk full');
				return memory.append(name, update);
			}
		};
		const h = (harness = await startRelayHarness({ store }));
		const a = replica(h, h.signIn('t1'));
		await settled(a);
		failing = true;
		const unloaded = h.event((e) => e.type === 'unloaded');
		a.doc.getMap('meta').set('tenantName', 'After the failure');
		await unloaded;
		expect((await storedDoc(memory, TENANT)).getMap('meta').get('tenantName')).toBeUndefined();
		expect(a.status().pending).toBe(1);

		failing = false;
		await settled(a);
		expect((await storedDoc(memory, TENANT)).getMap('meta').get('tenantName')).toBe('After the failure');
	});

	it('S13: awareness is relayed, and removed for everyone when its connection drops without a goodbye', async () => {
		const h = (harness = await startRelayHarness());
		const cookie = h.signIn('t1', 'superAdmin', 'technician-1@example.test');
		const b = replica(h, cookie);
		await settled(b);

		const presence = new Awareness(new Y.Doc());
		const state = { user: { email: 'technician-1@example.test' }, editing: 'contact:7' };
		presence.setLocalState(state);
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
		encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(presence, [presence.clientID]));
		const peer = rawClient(`${h.syncUrl}/${TENANT}`, { cookie });
		await peer.nextFrame(isSyncStep1);
		peer.send(encoding.toUint8Array(encoder));

		const seen = (): boolean => b.awareness.getStates().has(presence.clientID);
		await new Promise<void>((resolve) => {
			if (seen()) return resolve();
			b.awareness.on('change', () => seen() && resolve());
		});
		expect(b.awareness.getStates().get(presence.clientID)).toEqual(state);

		const gone = new Promise<void>((resolve) => b.awareness.on('change', () => !seen() && resolve()));
		peer.socket.terminate();
		await gone;
		expect(seen()).toBe(false);
		presence.destroy();
	});

	it('S13: an awareness state above the cap is closed with 4413', async () => {
		const h = (harness = await startRelayHarness({ limits: { maxAwarenessBytes: 256 } }));
		const presence = new Awareness(new Y.Doc());
		presence.setLocalState({ note: 'x'.repeat(1000) });
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
		encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(presence, [presence.clientID]));
		const peer = rawClient(`${h.syncUrl}/${TENANT}`, { cookie: h.signIn('t1') });
		await peer.nextFrame(isSyncStep1);
		peer.send(encoding.toUint8Array(encoder));
		expect((await peer.closed).code).toBe(4413);
		presence.destroy();
	});
});
