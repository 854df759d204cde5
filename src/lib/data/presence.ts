// F4 (S30): this device's presence on a document (who looks, what they edit) and everyone else's, read from the replica's awareness.
import type { Awareness } from 'y-protocols/awareness';
import { presenceStateSchema, type PresenceAnnouncement, type PresenceUser } from '../schema/presence';

/** One person who has the document open elsewhere, however many tabs and devices they use. */
export interface PresencePeer {
	/** Lower-case; one person is one email. */
	readonly email: string;
	readonly name: string | null;
	/** What they are editing on any of their tabs or devices (unique, sorted); empty when they only look. */
	readonly editing: readonly string[];
	/** How many of their tabs or devices have the document open. */
	readonly sessions: number;
	/** The signed-in person themselves, on another tab or device. */
	readonly self: boolean;
}

export interface Presence {
	/** The people on the document other than this client, sorted by name then email. Invalid states are ignored. */
	others(): PresencePeer[];
	/** Called when someone arrives, leaves or changes what they edit; returns the unsubscribe. */
	onChange(listener: () => void): () => void;
	/**
	 * Announces that this person edits `what` until the returned function is called. Several edits may be under way (a
	 * profile form, then a contact dialog); the latest one still under way is announced, none means only looking.
	 */
	beginEditing(what: string): () => void;
	/** What this client announces it edits now. */
	editing(): string | null;
	/** Removes this client's presence (the page closed); the relay tells the others. Later calls change nothing. */
	leave(): void;
}

/** Starts announcing `user` on `awareness`: the replica's awareness sends it to the relay, now or when it connects. */
export function joinPresence(awareness: Awareness, user: PresenceUser): Presence {
	const me = { email: user.email.toLowerCase(), ...(user.name ? { name: user.name } : {}) };
	const edits: Array<{ readonly what: string }> = [];
	let left = false;

	const announce = (): void => {
		if (left) return;
		const state: PresenceAnnouncement = { user: me, editing: edits.at(-1)?.what ?? null };
		awareness.setLocalState(state);
	};
	announce();

	return {
		others: () => readOthers(awareness, me.email),
		onChange(listener) {
			const handler = (): void => listener();
			awareness.on('change', handler);
			return () => awareness.off('change', handler);
		},
		beginEditing(what) {
			const entry = { what };
			edits.push(entry);
			announce();
			let ended = false;
			return () => {
				if (ended) return;
				ended = true;
				edits.splice(edits.indexOf(entry), 1);
				announce();
			};
		},
		editing: () => (left ? null : (edits.at(-1)?.what ?? null)),
		leave() {
			if (left) return;
			left = true;
			edits.length = 0;
			awareness.setLocalState(null);
		}
	};
}

/** Every other client's state, parsed (an invalid one is skipped), merged per person. */
export function readOthers(awareness: Awareness, selfEmail: string): PresencePeer[] {
	const people = new Map<string, { name: string | null; editing: Set<string>; sessions: number }>();
	for (const [client, raw] of awareness.getStates()) {
		if (client === awareness.clientID) continue;
		const parsed = presenceStateSchema.safeParse(raw);
		if (!parsed.success) continue;
		const { user, editing } = parsed.data;
		const person = people.get(user.email) ?? { name: null, editing: new Set<string>(), sessions: 0 };
		person.sessions += 1;
		person.name ??= user.name ?? null;
		if (editing) person.editing.add(editing);
		people.set(user.email, person);
	}
	return [...people.entries()]
		.map(([email, person]) => ({
			email,
			name: person.name,
			editing: [...person.editing].sort(),
			sessions: person.sessions,
			self: email === selfEmail.toLowerCase()
		}))
		.sort((a, b) => (a.name ?? a.email).localeCompare(b.name ?? b.email) || a.email.localeCompare(b.email));
}
