// An update that arrives before the update it depends on (docs/sync.md S23; found by the convergence fuzz, S149): Yjs
// keeps its structs aside until the dependency arrives and the relay keeps its deletions with them, so the review never
// sees a record whose old values were deleted while their replacements wait; whoever completes it is sent all of it.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { MESSAGE_REJECTED } from '../../src/lib/data/sync/protocol';
import { startRelayHarness, type RelayHarness } from '../helpers/relay-harness';
import { rawClient, type RawClient } from '../helpers/sync-clients';
import { isAck, isSyncStep1, readAck, seedDoc, storedDoc, syncPayload, updateFrame } from '../helpers/sync-frames';
import { MESSAGE_SYNC, SYNC_UPDATE } from '../../src/lib/data/sync/protocol';

const TENANT = 'tenant:dep1';

let harness: RelayHarness | null = null;
const raws: RawClient[] = [];

afterEach(async () => {
	for (const client of raws.splice(0)) client.socket.terminate();
	await harness?.close();
	harness = null;
});

/** Every update `doc` emits while `fn` runs, one per transaction. */
function updatesOf(doc: Y.Doc, fn: () => void): Uint8Array[] {
	const updates: Uint8Array[] = [];
	const listener = (update: Uint8Array): void => void updates.push(update);
	doc.on('update', listener);
	fn();
	doc.off('update', listener);
	return updates;
}

/** A stored tree of two MSPs, and a client holding it that renamed both: `second` cannot integrate without `first`. */
async function twoRenames(h: RelayHarness): Promise<{
	msp: string;
	other: string;
	seeded: Y.Doc;
	client: Y.Doc;
	first: Uint8Array;
	second: Uint8Array;
}> {
	let msp = '';
	let other = '';
	const seeded = await seedDoc(h.store, TENANT, (doc) => {
		const repo = new TenantRepository(doc);
		msp = repo.createNode({ kind: 'msp', name: 'Alpen IT', parentId: null });
		other = repo.createNode({ kind: 'msp', name: 'Nordic IT', parentId: null });
	});
	// The second transaction (a rename: it deletes the stored name's item and inserts the new one) follows the first in
	// the client's own clock, so Yjs holds its structs until the first arrives.
	const client = new Y.Doc();
	Y.applyUpdate(client, Y.encodeStateAsUpdate(seeded));
	const repo = new TenantRepository(client);
	const [first, second] = updatesOf(client, () => {
		repo.rename(other, 'Nordic IT GmbH');
		repo.rename(msp, 'Alpen IT GmbH');
	});
	expect(first).toBeDefined();
	expect(second).toBeDefined();
	return { msp, other, seeded, client, first: first!, second: second! };
}

async function joined(h: RelayHarness, user: string): Promise<RawClient> {
	const raw = rawClient(`${h.syncUrl}/${TENANT}`, { cookie: h.signIn('dep1', 'superAdmin', `${user}@example.test`) });
	raws.push(raw);
	await raw.nextFrame(isSyncStep1);
	return raw;
}

describe('an update that waits for a missing dependency', () => {
	it('S23: its deletions wait with its structs; the valid edit is kept, nothing is reported undone', async () => {
		const h = (harness = await startRelayHarness());
		const { msp, other, client, first, second } = await twoRenames(h);
		const raw = await joined(h, 'one');
		// The second arrives first (as when a replica's edit overtakes its sync step 2 after a reconnect).
		raw.send(updateFrame(second));
		raw.send(updateFrame(first));
		const ack = await raw.nextFrame((frame) => isAck(frame) && readAck(frame).handledFrames >= 2);
		// Acknowledged only once both integrated: the ack covers the client's whole state.
		expect(Y.decodeStateVector(readAck(ack).stateVector).get(client.clientID)).toBe(
			Y.decodeStateVector(Y.encodeStateVector(client)).get(client.clientID)
		);

		expect(raw.frames.filter((frame) => frame[0] === MESSAGE_REJECTED)).toEqual([]);
		expect(h.events.filter((event) => event.type === 'rejected')).toEqual([]);
		const stored = new TenantRepository(await storedDoc(h.store, TENANT));
		expect(stored.node(msp)?.name).toBe('Alpen IT GmbH');
		expect(stored.node(other)?.name).toBe('Nordic IT GmbH');
	});

	it('S23: the connection whose update completes a waiting one is sent what waited (not only the rest)', async () => {
		const h = (harness = await startRelayHarness());
		const { msp, seeded, first, second } = await twoRenames(h);
		const waiting = await joined(h, 'waiting');
		const completing = await joined(h, 'completing');
		waiting.send(updateFrame(second));
		await waiting.nextFrame(isAck);
		completing.send(updateFrame(first));
		// The broadcast of a commit comes before its acks (S23).
		await completing.nextFrame(isAck);

		// What the completing connection holds: the stored state, its own update and what the relay sent it.
		const view = new Y.Doc();
		Y.applyUpdate(view, Y.encodeStateAsUpdate(seeded));
		Y.applyUpdate(view, first);
		for (const frame of completing.frames)
			if (frame[0] === MESSAGE_SYNC && frame[1] === SYNC_UPDATE) Y.applyUpdate(view, syncPayload(frame));
		expect(new TenantRepository(view).node(msp)?.name).toBe('Alpen IT GmbH');
		expect(view.store.pendingStructs).toBeNull();
		expect(Y.encodeStateAsUpdate(view)).toEqual(Y.encodeStateAsUpdate(await storedDoc(h.store, TENANT)));
	});
});
