// F4: who else has the customer open, as the customer page reads it, and what this person announces they edit.
import { createSubscriber } from 'svelte/reactivity';
import type { Presence, PresencePeer } from '$lib/data/presence';

export type { PresencePeer };

export class PresenceState {
	readonly #presence: Presence;
	#subscribe = createSubscriber((update) => this.#presence.onChange(update));

	constructor(presence: Presence) {
		this.#presence = presence;
	}

	/** The other people on the page (this person too when on another tab or device, marked `self`). */
	get others(): PresencePeer[] {
		this.#subscribe();
		return this.#presence.others();
	}

	/** Tells the others this person edits `what` until the returned function is called (an effect's cleanup). */
	beginEditing(what: string): () => void {
		return this.#presence.beginEditing(what);
	}

	leave(): void {
		this.#presence.leave();
	}
}
