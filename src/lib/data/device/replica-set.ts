// The open replicas of a session, shared by name and ref-counted, with one combined status for the sync indicator (F3) and a "work offline" switch.
import type { DocName } from '../../schema/ids';
import { openReplica, type ReplicaOptions } from './replica';
import type { ConnectionState, Rejection, Replica, ReplicaStatus } from '../sync/types';

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
	/**
	 * Gives the replica back. The last lease closes it, unless it still holds local changes the server has not confirmed
	 * (S27): then it stays open, counted in the status and uploading, until they are confirmed.
	 */
	release(): Promise<void>;
}

export interface ReplicaSet {
	/**
	 * Holds a document open. A `background` lease (the catch-up, S28) does not count in the combined status: the indicator
	 * speaks of what the person has open and of unconfirmed changes, not of documents fetched behind the scenes.
	 */
	acquire(docName: DocName, options?: { readonly background?: boolean }): ReplicaLease;
	/** S27: opens a document only until its unconfirmed local changes (from an earlier page or session) are confirmed. */
	flush(docName: DocName): void;
	/** Replicas open now (held by a lease, or kept open for their unconfirmed changes). */
	openReplicas(): Replica[];
	/** S128: `docName` is open live here (the batched catch-up leaves it to its replica). */
	isOpen(docName: DocName): boolean;
	/**
	 * S127: a document the batched catch-up syncs without opening it: its unconfirmed changes count in the status, and what
	 * the server undid of them shows like a replica's (S24). A replica open for the document speaks for it instead.
	 */
	noteBackground(docName: DocName, note: BackgroundNote): void;
	status(): CombinedStatus;
	onStatus(listener: (status: CombinedStatus) => void): () => void;
	/** Back to syncing every open replica. */
	online(): void;
	/** "Work offline": every open replica (and those opened later) stops syncing; edits stay local and pending. */
	offline(): void;
	destroy(): Promise<void>;
}

export interface BackgroundNote {
	readonly pending: number;
	readonly rejected?: Rejection | null;
}

interface OpenEntry {
	readonly replica: Replica;
	refs: number;
	/** Leases that are not background ones. */
	foreground: number;
	unsubscribe: () => void;
	/** Set once the replica is being destroyed. */
	closing: Promise<void> | null;
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
	const open_ = new Map<DocName, OpenEntry>();
	const listeners = new Set<(status: CombinedStatus) => void>();
	const closing = new Set<Promise<void>>();
	const background = new Map<DocName, BackgroundNote>();
	let workingOffline = false;

	const status = (): CombinedStatus => {
		const combined = combineStatuses(
			[...open_.entries()]
				.map(([name, entry]) => [name, entry.replica.status(), entry.foreground] as const)
				.filter(([, replicaStatus, foreground]) => foreground > 0 || replicaStatus.pending > 0)
				.map(([name, replicaStatus]) => [name, replicaStatus] as const),
			workingOffline
		);
		const notes = [...background].filter(([docName]) => !open_.has(docName));
		if (notes.length === 0) return combined;
		return {
			...combined,
			pending: combined.pending + notes.reduce((sum, [, note]) => sum + note.pending, 0),
			rejected: [
				...combined.rejected,
				...notes.flatMap(([docName, note]) => (note.rejected ? [{ docName, ...note.rejected }] : []))
			]
		};
	};
	const notify = (): void => {
		const next = status();
		for (const listener of listeners) listener(next);
	};

	const entryFor = (docName: DocName): OpenEntry => {
		let entry = open_.get(docName);
		if (!entry) {
			const replica = open(docName, { ...options, connect: !workingOffline && (options.connect ?? true) });
			const created: OpenEntry = { replica, refs: 0, foreground: 0, unsubscribe: () => undefined, closing: null };
			created.unsubscribe = replica.onStatus(() => {
				// After this status has reached every listener of the replica, not in the middle of telling them.
				queueMicrotask(() => closeIfDone(docName, created));
				notify();
			});
			entry = created;
			open_.set(docName, entry);
		}
		return entry;
	};

	/** Closes an entry nobody holds once nothing of it waits for the server (S27). */
	function closeIfDone(docName: DocName, entry: OpenEntry): void {
		if (entry.refs > 0 || entry.closing || open_.get(docName) !== entry) return;
		if (entry.replica.status().pending > 0 && entry.replica.status().connection !== 'refused') return;
		open_.delete(docName);
		entry.unsubscribe();
		const done = entry.replica.destroy().finally(() => {
			closing.delete(done);
			notify();
		});
		entry.closing = done;
		closing.add(done);
	}

	return {
		acquire(docName, acquireOptions) {
			const held = entryFor(docName);
			const foreground = acquireOptions?.background !== true;
			held.refs += 1;
			if (foreground) held.foreground += 1;
			notify();
			let released = false;
			return {
				replica: held.replica,
				async release() {
					if (released) return;
					released = true;
					held.refs -= 1;
					if (foreground) held.foreground -= 1;
					closeIfDone(docName, held);
					await held.closing;
				}
			};
		},
		flush(docName) {
			const entry = entryFor(docName);
			closeIfDone(docName, entry);
			notify();
		},
		openReplicas: () => [...open_.values()].map((entry) => entry.replica),
		isOpen: (docName) => open_.has(docName),
		noteBackground(docName, note) {
			const before = background.get(docName);
			// The last rejection stays shown (like a replica's) until a newer one replaces it.
			const rejected = note.rejected ?? before?.rejected ?? null;
			if (note.pending === 0 && rejected === null) background.delete(docName);
			else background.set(docName, { pending: note.pending, rejected });
			notify();
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
			background.clear();
			listeners.clear();
			for (const entry of entries) entry.unsubscribe();
			await Promise.all([...entries.map((entry) => entry.replica.destroy()), ...closing]);
		}
	};
}
