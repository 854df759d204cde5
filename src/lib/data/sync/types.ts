// What screens learn about the sync of a document (F3): the contract between src/lib/data/sync and src/lib/state.
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { DocName } from '../../schema/ids';
import type { ChangeSources } from '../concurrent-edits';

/**
 * `online`: connected and in sync with the relay. `syncing`: connected, exchanging state.
 * `offline`: no connection (network down or server unreachable); local edits are kept and retried.
 * `refused`: the relay closed the document for good (4401 not signed in, 4403 no access, 44xx bad data).
 */
export type ConnectionState = 'online' | 'syncing' | 'offline' | 'refused';

export interface ReplicaStatus {
	readonly connection: ConnectionState;
	/** Local changes the server has not confirmed as durable yet. */
	readonly pending: number;
	/** True once the local IndexedDB copy has been read. */
	readonly loaded: boolean;
	/**
	 * True once this device has completed a sync with the server for the document (remembered in IndexedDB). False means
	 * the local copy may lack what the server holds: an empty list offline is "not here yet", not "none".
	 */
	readonly syncedOnce: boolean;
	/** Why the relay refused the document, when `connection` is `refused`. */
	readonly refusal: { readonly code: number; readonly reason: string } | null;
	/** S24: the last time the relay undid changes of this replica that were not valid (ms since the epoch), and which. */
	readonly rejected: Rejection | null;
}

/** What the relay undid (S24): `total` changes, the first of them listed in `items`. */
export interface Rejection {
	readonly at: number;
	readonly total: number;
	readonly items: ReadonlyArray<{ readonly itemType: string; readonly id: string; readonly code: string }>;
}

export interface Replica {
	readonly docName: DocName;
	readonly doc: Y.Doc;
	/** Resolves when the local copy (IndexedDB) has been loaded into `doc`. */
	readonly whenLoaded: Promise<void>;
	status(): ReplicaStatus;
	/** Called on every status change; returns the unsubscribe. */
	onStatus(listener: (status: ReplicaStatus) => void): () => void;
	/** F2 (S31): which changes came from the relay, and which Yjs clients wrote this device's unconfirmed changes. */
	readonly sources: ChangeSources;
	/** Presence of the people on the same document (F4). */
	readonly awareness: Awareness;
	/** Connects to the relay (again); also clears a refusal so a person can retry after signing in. */
	connect(): void;
	/** Stops syncing (a person's "work offline"); local edits go on and count as pending. */
	disconnect(): void;
	destroy(): Promise<void>;
}
