// What the relay needs from the rest of the server, and what it offers it.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type * as Y from 'yjs';
import type { Role } from '../../../src/lib/schema/api';

/** The signed-in person behind a request or a socket. */
export interface Principal {
	readonly userId: string;
	readonly tenantId: string;
	readonly role: Role;
	readonly email: string;
}

/** `write`: read and write; `read`: read only; `none`: refused (4403); `unknown`: not known yet, try again later (1013). */
export type DocAccess = 'write' | 'read' | 'none' | 'unknown';

export interface RelayHooks {
	/** From the upgrade request's session cookie; null refuses the socket (4401). */
	authenticate(req: IncomingMessage): Promise<Principal | null>;
	authorize(principal: Principal, docName: string): Promise<DocAccess>;
}

export interface Relay {
	/** Hands an HTTP upgrade on /sync/<docName> to the relay (Origin is checked by the caller). */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
	/** Server-side change of a document (setup, demo seed, later license sync): applied, stored, then broadcast. */
	change(docName: string, fn: (doc: Y.Doc) => void): Promise<void>;
	/** Current state of a document as Yjs would encode it (the CLI and exports read it from the store instead). */
	encodeState(docName: string): Promise<Uint8Array>;
	/** Read-only access to a loaded-or-loadable document (for authorization lookups such as "is this customer in the tenant's tree"). */
	withDoc<T>(docName: string, fn: (doc: Y.Doc) => T): Promise<T>;
	stats(): { loadedDocs: number; connections: number };
	close(): Promise<void>;
}
