// F4 (S30): presence over awareness instances linked in memory, as the relay links them (every update reaches everyone).
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { joinPresence } from './presence';

const awarenesses: Awareness[] = [];

/** `count` awareness instances of one document, each update applied to all the others at once. */
function linked(count: number): Awareness[] {
	const group: Awareness[] = [];
	for (let i = 0; i < count; i++) {
		const awareness = new Awareness(new Y.Doc());
		awareness.on(
			'update',
			({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
				if (origin === 'remote') return;
				const update = encodeAwarenessUpdate(awareness, [...added, ...updated, ...removed]);
				for (const other of group) if (other !== awareness) applyAwarenessUpdate(other, update, 'remote');
			}
		);
		group.push(awareness);
	}
	// Each instance starts with the default state `{}`; let everyone know it, as a sync would.
	for (const awareness of group) awareness.setLocalState({});
	awarenesses.push(...group);
	return group;
}

/** An awareness update carrying `state` for a made-up client, as another program could send it. */
function foreignState(client: number, state: unknown): Uint8Array {
	const doc = new Y.Doc();
	doc.clientID = client;
	const source = new Awareness(doc);
	source.setLocalState(state as Record<string, unknown>);
	const update = encodeAwarenessUpdate(source, [client]);
	source.destroy();
	return update;
}

afterEach(() => {
	for (const awareness of awarenesses.splice(0)) awareness.destroy();
});

describe('S30: joinPresence', () => {
	it('F4: each client sees the others with their email, and not itself', () => {
		const [a, b, c] = linked(3);
		const alice = joinPresence(a!, { email: 'Alice@Example.test' });
		const bob = joinPresence(b!, { email: 'bob@example.test', name: 'Bob Martin' });
		joinPresence(c!, { email: 'carol@example.test' });

		expect(alice.others().map((peer) => peer.email)).toEqual(['bob@example.test', 'carol@example.test']);
		expect(alice.others()[0]).toEqual({
			email: 'bob@example.test',
			name: 'Bob Martin',
			editing: [],
			sessions: 1,
			self: false
		});
		expect(bob.others().map((peer) => peer.email)).toEqual(['alice@example.test', 'carol@example.test']);
	});

	it('F4: the local state holds only the email, the optional name and what is edited', () => {
		const [a] = linked(1);
		joinPresence(a!, { email: 'alice@example.test' });
		expect(a!.getLocalState()).toEqual({ user: { email: 'alice@example.test' }, editing: null });
	});

	it('F4: what someone edits is shown to the others, and gone when they stop', () => {
		const [a, b] = linked(2);
		const alice = joinPresence(a!, { email: 'alice@example.test' });
		const bob = joinPresence(b!, { email: 'bob@example.test' });
		let changes = 0;
		const off = alice.onChange(() => (changes += 1));

		const endProfile = bob.beginEditing('profile');
		expect(alice.others()[0]?.editing).toEqual(['profile']);
		expect(changes).toBeGreaterThan(0);

		// A contact dialog opened over the profile form: the latest edit is announced, then the profile again.
		const endContact = bob.beginEditing('contact:c1');
		expect(bob.editing()).toBe('contact:c1');
		expect(alice.others()[0]?.editing).toEqual(['contact:c1']);
		endContact();
		expect(alice.others()[0]?.editing).toEqual(['profile']);
		endProfile();
		endProfile();
		expect(bob.editing()).toBeNull();
		expect(alice.others()[0]?.editing).toEqual([]);

		off();
		const before = changes;
		bob.beginEditing('profile');
		expect(changes).toBe(before);
	});

	it('F4: the same person on several tabs or devices is one entry, editing if any of them edits', () => {
		const [a, b1, b2, self2] = linked(4);
		const alice = joinPresence(a!, { email: 'alice@example.test' });
		joinPresence(b1!, { email: 'bob@example.test' });
		joinPresence(b2!, { email: 'BOB@example.test' }).beginEditing('contact');
		joinPresence(self2!, { email: 'alice@example.test' });

		expect(alice.others()).toEqual([
			{ email: 'alice@example.test', name: null, editing: [], sessions: 1, self: true },
			{ email: 'bob@example.test', name: null, editing: ['contact'], sessions: 2, self: false }
		]);
	});

	it('F4: states that do not parse are ignored', () => {
		const [a] = linked(1);
		const alice = joinPresence(a!, { email: 'alice@example.test' });
		const invalid: unknown[] = [
			{},
			{ user: { email: 42 } },
			{ user: { email: 'not an email' } },
			{ user: { email: 'x@example.test' }, editing: '<script>' },
			{ user: { email: 'y@example.test', name: 'n'.repeat(500) } },
			{ user: 'z@example.test' }
		];
		invalid.forEach((state, i) => applyAwarenessUpdate(a!, foreignState(1000 + i, state), 'remote'));
		applyAwarenessUpdate(a!, foreignState(2000, { user: { email: 'dan@example.test' }, extra: 'ignored' }), 'remote');

		expect(a!.getStates().size).toBe(1 + invalid.length + 1);
		expect(alice.others()).toEqual([
			{ email: 'dan@example.test', name: null, editing: [], sessions: 1, self: false }
		]);
	});

	it('F4: leaving clears the local state, so the others no longer see this client', () => {
		const [a, b] = linked(2);
		const alice = joinPresence(a!, { email: 'alice@example.test' });
		const bob = joinPresence(b!, { email: 'bob@example.test' });
		bob.beginEditing('profile');
		expect(alice.others()).toHaveLength(1);

		bob.leave();
		expect(b!.getLocalState()).toBeNull();
		expect(alice.others()).toEqual([]);
		// Nothing is announced again after leaving.
		bob.beginEditing('contact');
		expect(b!.getLocalState()).toBeNull();
		expect(bob.editing()).toBeNull();
	});
});
