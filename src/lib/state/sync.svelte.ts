// F3: what the sync indicator shows: the replica set's combined state, the unconfirmed changes, and each document.
import { createSubscriber } from 'svelte/reactivity';
import type { CombinedStatus, ReplicaSet } from '$lib/data/device/replica-set';
import type { Replica, ReplicaStatus } from '$lib/data/sync/types';
import type { DocName } from '$lib/schema/ids';

/** What screens read of a replica's state (they do not import the data layer). */
export type { ConnectionState, ReplicaStatus } from '$lib/data/sync/types';

export interface DocSync {
	readonly docName: DocName;
	readonly status: ReplicaStatus;
}

export class SyncState {
	readonly #set: ReplicaSet;
	readonly #replicas: () => Iterable<Replica>;
	#subscribe = createSubscriber((update) => this.#set.onStatus(update));

	/** `replicas` lists the open documents for the per-document details. */
	constructor(set: ReplicaSet, replicas: () => Iterable<Replica>) {
		this.#set = set;
		this.#replicas = replicas;
	}

	get status(): CombinedStatus {
		this.#subscribe();
		return this.#set.status();
	}

	get connection(): CombinedStatus['connection'] {
		return this.status.connection;
	}

	get pending(): number {
		return this.status.pending;
	}

	get workingOffline(): boolean {
		return this.status.workingOffline;
	}

	/** The first refusal, so that the UI can say why (e.g. 4401: sign in again). */
	get refusal(): { code: number; reason: string } | null {
		return this.status.refused[0] ?? null;
	}

	/** S24: the changes the relay undid, per document (the last time for each). */
	get rejected(): CombinedStatus['rejected'] {
		return this.status.rejected;
	}

	get documents(): DocSync[] {
		this.#subscribe();
		return [...this.#replicas()].map((replica) => ({ docName: replica.docName, status: replica.status() }));
	}

	workOffline(): void {
		this.#set.offline();
	}

	goOnline(): void {
		this.#set.online();
	}
}
