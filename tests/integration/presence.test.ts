// F4 (S30): replicas of one customer document see who else has it open, over the real relay on 127.0.0.1.
import type { Role } from '../../src/lib/schema/access';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRelayHarness, type RelayHarness } from '../helpers/relay-harness';
import { openTestReplica, settled } from '../helpers/sync-clients';
import { joinPresence, type Presence, type PresencePeer } from '../../src/lib/data/presence';
import type { Replica } from '../../src/lib/data/sync/types';
import { customerDocName } from '../../src/lib/schema/ids';

const TENANT = 'tenant-presence';
const DOC = customerDocName('cust-1');

let harness: RelayHarness;
const replicas: Replica[] = [];

beforeEach(async () => {
	harness = await startRelayHarness();
	harness.registerCustomer(DOC, TENANT);
});

afterEach(async () => {
	await Promise.all(replicas.splice(0).map((replica) => replica.destroy()));
	await harness.close();
});

/** Opens the customer document as the person `email` (the relay accepts presence only as that person, S30). */
async function openCustomer(role: Role, email: string): Promise<Replica> {
	const replica = openTestReplica(harness.syncUrl, DOC, harness.signIn(TENANT, role, email));
	replicas.push(replica);
	await settled(replica);
	return replica;
}

/** Resolves with `presence.others()` once it satisfies `predicate`, checking on every awareness change. */
function othersWhen(presence: Presence, predicate: (others: PresencePeer[]) => boolean): Promise<PresencePeer[]> {
	return new Promise((resolve) => {
		let off: () => void = () => undefined;
		const check = (): boolean => {
			const others = presence.others();
			if (!predicate(others)) return false;
			off();
			resolve(others);
			return true;
		};
		if (!check()) off = presence.onChange(check);
	});
}

const emails = (others: PresencePeer[]): string[] => others.map((peer) => peer.email);

describe('S30: presence over the relay', () => {
	it('F4: two replicas of a customer see each other, see what the other edits, and no longer see one that left', async () => {
		const a = await openCustomer('superAdmin', 'alice@example.test');
		const b = await openCustomer('readOnly', 'bob@example.test');
		const alice = joinPresence(a.awareness, { email: 'alice@example.test' });
		const bob = joinPresence(b.awareness, { email: 'bob@example.test' });

		expect(emails(await othersWhen(alice, (others) => others.length === 1))).toEqual(['bob@example.test']);
		expect(emails(await othersWhen(bob, (others) => others.length === 1))).toEqual(['alice@example.test']);

		const stop = alice.beginEditing('contact');
		const whileEditing = await othersWhen(bob, (others) => others[0]?.editing.length === 1);
		expect(whileEditing[0]).toMatchObject({ email: 'alice@example.test', editing: ['contact'], self: false });
		stop();
		await othersWhen(bob, (others) => others[0]?.editing.length === 0);

		// The page closes: the replica may stay open (S27), but its presence is gone for the others.
		bob.leave();
		expect(await othersWhen(alice, (others) => others.length === 0)).toEqual([]);
		expect(b.status().connection).toBe('online');
	});

	it('F4: a replica that closes without leaving disappears for the others (the relay removes its presence, S13)', async () => {
		const a = await openCustomer('superAdmin', 'alice@example.test');
		const b = await openCustomer('admin', 'bob@example.test');
		const alice = joinPresence(a.awareness, { email: 'alice@example.test' });
		joinPresence(b.awareness, { email: 'bob@example.test' }).beginEditing('profile');
		await othersWhen(alice, (others) => others[0]?.editing[0] === 'profile');

		replicas.splice(replicas.indexOf(b), 1);
		await b.destroy();
		expect(await othersWhen(alice, (others) => others.length === 0)).toEqual([]);
	});

	it('F4, S43: the same person on two devices is one entry; a state that does not parse never reaches the others', async () => {
		const a = await openCustomer('superAdmin', 'alice@example.test');
		const b1 = await openCustomer('admin', 'bob@example.test');
		const b2 = await openCustomer('admin', 'bob@example.test');
		const odd = await openCustomer('admin', 'odd@example.test');
		const alice = joinPresence(a.awareness, { email: 'alice@example.test' });
		joinPresence(b1.awareness, { email: 'bob@example.test' });
		joinPresence(b2.awareness, { email: 'bob@example.test' }).beginEditing('contact:c-1');
		const oddSeen: unknown[] = [];
		a.awareness.on('change', () => {
			const state = a.awareness.getStates().get(odd.awareness.clientID);
			if (state !== undefined) oddSeen.push(state);
		});
		// Another program on the same document announcing what the app would never send, then what it would.
		odd.awareness.setLocalState({ user: { email: 'odd@example.test' }, editing: { not: 'a field' } });
		odd.awareness.setLocalState({ user: { email: 'odd@example.test' }, editing: 'notes' });

		// Frames of one connection are handled in order: once the valid state is seen, the invalid one was dropped.
		const others = await othersWhen(
			alice,
			(list) => list.some((peer) => peer.email === 'odd@example.test') && list[0]?.sessions === 2
		);
		expect(others).toEqual([
			{ email: 'bob@example.test', name: null, editing: ['contact:c-1'], sessions: 2, self: false },
			{ email: 'odd@example.test', name: null, editing: ['notes'], sessions: 1, self: false }
		]);
		expect(oddSeen).toEqual([{ user: { email: 'odd@example.test' }, editing: 'notes' }]);
	});
});
