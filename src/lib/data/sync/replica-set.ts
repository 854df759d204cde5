// The open replicas of a session, shared by name and ref-counted, with one combined status for the sync indicator (F3) and a "work offline" switch.
import type { DocName } from '../../schema/ids';
import { openReplica, type ReplicaOptions } from './replica';
import type { ConnectionState, Rejection, Replica, ReplicaStatus } from './types';

export interface CombinedStatus {
	/** The worst state of any open replica (refused, then offline, then syncing, then online). */
	readonly connection: ConnectionState;
	/** Sum of unconfirmed local changes over all open replicas. */
	readonly pending: number;
	/** Every open replica has read its local copy. */
	readonly loaded: boolean;
	/** The person chose to work offline. */
	readonly workingOffline: boolean;
	/** Documents the relay refused, with why. */
	readonly refused: ReadonlyArray<{ readonly docName: DocName; readonly code: number; readonly reason: string }>;
	/** S24: per document, the last time the relay undid changes that were not valid. */
	readonly rejected: ReadonlyArray<Rejection & { readonly docName: DocName }>;
}

export interface ReplicaLease {
	readonly replica: Replica;
	/** Gives the replica back; the last lease closes it. */
	release(): Promise<void>;
}

export interface ReplicaSet {
	acquire(docName: DocName): ReplicaLease;
	status(): CombinedStatus;
	onStatus(listener: (status: CombinedStatus) => void): () => void;
	/** Back to syncing every open replica. */
	online(): void;
	/** "Work offline": every open replica (and those opened later) stops syncing; edits stay local and pending. */
	offline(): void;
	destroy(): Promise<void>;
}

const RANK: Record<ConnectionState, number> = { refused: 0, offline: 1, syncing: 2, online: 3 };

export function combineStatuses(
	entries: ReadonlyArray<readonly [DocName, ReplicaStatus]>,
	workingOffline: boolean
): CombinedStatus {
	let connection: ConnectionState = workingOffline ? 'offline' : 'online';
	let pending = 0;
	let loaded = true;
	const refused: Array<{ docName: DocName; code: number; reason: string }> = [];
	const rejected: Array<Rejection & { docName: DocName }> = [];
	for (const [docName, status] of entries) {
		if (RANK[status.connection] < RANK[connection]) connection = status.connection;
		pending += status.pending;
		loaded &&= status.loaded;
		if (status.refusal) refused.push({ docName, ...status.refusal });
		if (status.rejected) rejected.push({ docName, ...status.rejected });
	}
	return { connection, pending, loaded, workingOffline, refused, rejected };
}

export function createReplicaSet(
	options: ReplicaOptions,
	open: (docName: DocName, options: ReplicaOptions) => Replica = openReplica
): ReplicaSet {
	const open_ = new Map<DocName, { replica: Replica; refs: number; unsubscribe: () => void }>();
	const listeners = new Set<(status: CombinedStatus) => void>();
	let workingOffline = false;

	const status = (): CombinedStatus =>
		combineStatuses(
			[...open_.entries()].map(([name, entry]) => [name, entry.replica.status()] as const),
			workingOffline
		);
	const notify = (): void => {
		const next = status();
		for (const listener of listeners) listener(next);
	};

	return {
		acquire(docName) {
			let entry = open_.get(docName);
			if (!entry) {
				const replica = open(docName, { ...options, connect: !workingOffline && (options.connect ?? true) });
				entry = { replica, refs: 0, unsubscribe: replica.onStatus(notify) };
				open_.set(docName, entry);
			}
			entry.refs += 1;
			const held = entry;
			notify();
			let released = false;
			return {
				replica: held.replica,
				async release() {
					if (released) return;
					released = true;
					held.refs -= 1;
					if (held.refs > 0 || open_.get(docName) !== held) return;
					open_.delete(docName);
					held.unsubscribe();
					await held.replica.destroy();
					notify();
				}
			};
		},
		status,
		onStatus(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		online() {
			workingOffline = false;
			for (const entry of open_.values()) entry.replica.connect();
			notify();
		},
		offline() {
			workingOffline = true;
			for (const entry of open_.values()) entry.replica.disconnect();
			notify();
		},
		async destroy() {
			const entries = [...open_.values()];
			open_.clear();
			listeners.clear();
			for (const entry of entries) entry.unsubscribe();
			await Promise.all(entries.map((entry) => entry.replica.destroy()));
		}
	};
}
