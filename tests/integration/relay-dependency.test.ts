// An update that arrives before the update it depends on (docs/sync.md S23, S26 found by the fuzz, S149): Yjs keeps its
// structs aside until the dependency arrives, and the relay keeps its deletions with them, so the review never sees a
// record whose old values were deleted while their replacements wait.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { MESSAGE_REJECTED } from '../../src/lib/data/sync/protocol';
import { startRelayHarness, type RelayHarness } from '../helpers/relay-harness';
import { rawClient, type RawClient } from '../helpers/sync-clients';
import { isAck, isSyncStep1, readAck, seedDoc, storedDoc, updateFrame } from '../helpers/sync-frames';

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

describe('an update that waits for a missing dependency', () => {
	it('S23: its deletions wait with its structs; the valid edit is kept, nothing is reported undone', async () => {
		const h = (harness = await startRelayHarness());
		let msp = '';
		let other = '';
		const seeded = await seedDoc(h.store, TENANT, (doc) => {
			const repo = new TenantRepository(doc);
			msp = repo.createNode({ kind: 'msp', name: 'Alpen IT', parentId: null });
			other = repo.createNode({ kind: 'msp', name: 'Nordic IT', parentId: null });
		});
		// A client that holds the stored state makes two transactions: the second (a rename, which deletes the stored
		// name's item and inserts the new one) follows the first in its own clock, so it cannot integrate without it.
		const client = new Y.Doc();
		Y.applyUpdate(client, Y.encodeStateAsUpdate(seeded));
		const repo = new TenantRepository(client);
		const [first, second] = updatesOf(client, () => {
			repo.rename(other, 'Nordic IT GmbH');
			repo.rename(msp, 'Alpen IT GmbH');
		});
		expect(first).toBeDefined();
		expect(second).toBeDefined();

		const raw = rawClient(`${h.syncUrl}/${TENANT}`, { cookie: h.signIn('dep1') });
		raws.push(raw);
		await raw.nextFrame(isSyncStep1);
		// The second arrives first (as when a replica's edit overtakes its sync step 2 after a reconnect).
		raw.send(updateFrame(second!));
		raw.send(updateFrame(first!));
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
});
