// Seeded fuzz through the real relay: random edits, disconnects and reconnects on 3 clients; everyone ends identical (S5, S6, S7).
// The edits are free-form Yjs content, so the relay runs without document validators (S21) here.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Replica } from '../../src/lib/data/sync/types';
import { startRelayHarness, type RelayHarness } from '../helpers/relay-harness';
import { openTestReplica, settled, waitForDoc } from '../helpers/sync-clients';
import { storedDoc } from '../helpers/sync-frames';
import { prng } from '../../server/src/prng';

const DOC = 'tenant:fuzz';
const STEPS = 150;

/** The fuzzed content with map keys sorted (Yjs map iteration order is insertion order, which differs between replicas). */
const snapshotOf = (doc: Y.Doc): { map: [string, unknown][]; list: unknown[] } => ({
	map: Object.entries(doc.getMap('fuzz').toJSON()).sort(([a], [b]) => a.localeCompare(b)),
	list: doc.getArray('list').toJSON()
});

let harness: RelayHarness | null = null;
const replicas: Replica[] = [];

afterEach(async () => {
	await Promise.all(replicas.splice(0).map((r) => r.destroy()));
	await harness?.close();
	harness = null;
});

async function runFuzz(seed: number): Promise<void> {
	const random = prng(seed);
	const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
	const h = (harness = await startRelayHarness({ limits: { compactEvery: 40 }, validators: null }));
	const cookie = h.signIn('fuzz');
	const clients = [0, 1, 2].map((index) => {
		// Jitter draws from its own sequence so the edit sequence does not depend on network timing.
		const r = openTestReplica(h.syncUrl, DOC, cookie, { random: prng(seed * 31 + index) });
		replicas.push(r);
		return r;
	});
	const connected = new Set(clients);

	for (let step = 0; step < STEPS; step++) {
		const client = pick(clients);
		const roll = random();
		if (roll < 0.35) {
			client.doc.getMap('fuzz').set(`k${Math.floor(random() * 8)}`, `${seed}-${step}`);
		} else if (roll < 0.6) {
			const list = client.doc.getArray<string>('list');
			list.insert(Math.floor(random() * (list.length + 1)), [`s${step}`]);
		} else if (roll < 0.75) {
			const list = client.doc.getArray<string>('list');
			if (list.length > 0) list.delete(Math.floor(random() * list.length), 1);
		} else if (roll < 0.85) {
			if (connected.has(client)) {
				client.disconnect();
				connected.delete(client);
			} else {
				client.connect();
				connected.add(client);
			}
		} else {
			// Let the network catch up with one connected client before going on, so edits interleave with syncing.
			const online = clients.filter((c) => connected.has(c));
			if (online.length > 0) await settled(pick(online));
		}
	}

	for (const client of clients) if (!connected.has(client)) client.connect();
	await Promise.all(clients.map((c) => settled(c)));
	// After its own last ack a client may still be receiving the others' last broadcasts: wait until it shows the server's state.
	const server = new Y.Doc();
	Y.applyUpdate(server, await h.relay.encodeState(DOC));
	const expected = snapshotOf(server);
	const same = (doc: Y.Doc): boolean => JSON.stringify(snapshotOf(doc)) === JSON.stringify(expected);
	await Promise.all(clients.map((c) => waitForDoc(c.doc, same)));
	for (const client of clients) expect(snapshotOf(client.doc)).toEqual(expected);
	expect(snapshotOf(await storedDoc(h.store, DOC))).toEqual(expected);
	for (const client of clients) expect(client.status().pending).toBe(0);
}

describe('relay fuzz', () => {
	for (const seed of [1, 2, 3]) {
		it(`S7: seed ${seed}: random edits, disconnects and reconnects on 3 clients converge with the server`, () =>
			runFuzz(seed));
	}
});
