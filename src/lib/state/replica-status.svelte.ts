// One replica's sync status as screens read it (F3): `current` follows the replica's status events.
import { createSubscriber } from 'svelte/reactivity';
import type { Replica, ReplicaStatus } from '$lib/data/sync/types';

export class ReplicaStatusState {
	readonly #replica: Replica;
	#subscribe = createSubscriber((update) => this.#replica.onStatus(update));

	constructor(replica: Replica) {
		this.#replica = replica;
	}

	get current(): ReplicaStatus {
		this.#subscribe();
		return this.#replica.status();
	}

	/** Offline and never synced on this device: what the page shows may be incomplete, not empty. */
	get notHereYet(): boolean {
		const { syncedOnce, connection } = this.current;
		return !syncedOnce && connection !== 'online' && connection !== 'syncing';
	}
}
