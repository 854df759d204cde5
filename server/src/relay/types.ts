// What the relay needs from the rest of the server, and what it offers it.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type * as Y from 'yjs';
import type { Grant, Permission, Role } from '../../../src/lib/schema/access';
import type { BatchAnswer, BatchRequestEntry } from '../../../src/lib/data/sync/batch';

/** The signed-in person behind a request or a socket. */
export interface Principal {
	readonly userId: string;
	readonly tenantId: string;
	readonly role: Role;
	/** H6: where the role applies. */
	readonly grants: readonly Grant[];
	/** P16: what the role may change (a custom role resolved), for the relay's checks of what a writer changed (S21). */
	readonly permissions: readonly Permission[];
	readonly email: string;
	/**
	 * The session the person signed in with (S41: sockets end with it). An opaque id (the stored hash of the cookie token,
	 * never the token); never logged, never sent.
	 */
	readonly sessionId: string;
	/** When the session ends unless it is used again (sliding) or ended earlier, in ms since the epoch (S41). */
	readonly validUntil: number;
	/** P12: the client's address the session was presented from (the upgrade request's), checked again on revalidate. */
	readonly address?: string;
}

/**
 * Thrown by a hook (authenticate, revalidate) to refuse a socket with a close code of its own instead of 4401 or a
 * server error; P12: 4403 `address not trusted`.
 */
export class SocketRefusedError extends Error {
	readonly closeCode: number;
	constructor(closeCode: number, reason: string) {
		super(reason);
		this.name = 'SocketRefusedError';
		this.closeCode = closeCode;
	}
}

/** `write`: read and write; `read`: read only; `none`: refused (4403); `unknown`: not known yet, try again later (1013). */
export type DocAccess = 'write' | 'read' | 'none' | 'unknown';

export interface RelayHooks {
	/** From the upgrade request's session cookie; null refuses the socket (4401). */
	authenticate(req: IncomingMessage): Promise<Principal | null>;
	authorize(principal: Principal, docName: string): Promise<DocAccess>;
	/**
	 * S41: the principal again, read fresh from the store (the session may have slid), or null when its session has ended
	 * (signed out, expired, revoked, the user deactivated or deleted). Asked when `validUntil` is reached and after the
	 * store was changed by another process.
	 */
	revalidate(principal: Principal): Promise<Principal | null>;
}

/** Which sockets `Relay.disconnect` ends: all of a session, or all of a user. */
export type SocketOwner = { readonly sessionId: string } | { readonly userId: string };

export interface Relay {
	/** Hands an HTTP upgrade on /sync/<docName> to the relay (Origin is checked by the caller). */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
	/**
	 * Server-side calls name documents by their storage name (`storageName` in server/src/store/doc-keys.ts, S40): a tenant
	 * document is `tenant:<id>`, a customer document `<tenantId>/customer:<id>`.
	 *
	 * Server-side change of a document (setup, demo seed, later license sync): applied, stored, then broadcast.
	 */
	change(docName: string, fn: (doc: Y.Doc) => void): Promise<void>;
	/** Current state of a document as Yjs would encode it (the CLI and exports read it from the store instead). */
	encodeState(docName: string): Promise<Uint8Array>;
	/** Read-only access to a loaded-or-loadable document (for authorization lookups such as "is this customer in the tenant's tree"). */
	withDoc<T>(docName: string, fn: (doc: Y.Doc) => T): Promise<T>;
	/**
	 * S120-S125: the batched catch-up for a signed-in person (`POST /api/sync/batch`): per entry, authorized as a socket
	 * would be; a pushed update reviewed and committed like a socket's frame; answered with what the device lacks, the
	 * server's state vector and head after the commit, and what was undone. One answer per entry, in order.
	 */
	syncBatch(principal: Principal, ip: string | null, entries: readonly BatchRequestEntry[]): Promise<BatchAnswer[]>;
	/** S41: closes every socket of the session or user with 4401 and `reason`, at once; answers how many. */
	disconnect(owner: SocketOwner, reason: string): number;
	/**
	 * S41: asks `hooks.revalidate` for every open socket's session (or only those of `userId`) and closes those whose session
	 * has ended or whose role or grants changed (4401).
	 */
	recheckSessions(userId?: string): Promise<void>;
	stats(): { loadedDocs: number; connections: number };
	close(): Promise<void>;
}
