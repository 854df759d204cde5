// What a fuzz schedule runs against: a relay somewhere (in this process, or the real server process), its sessions, its
// server-side changes (license commands), its restart, and what it holds. Peers only see it through `Link` (transport.ts).
import type * as Y from 'yjs';
import type { Command } from '../../src/lib/schema/commands';
import type { DocName } from '../../src/lib/schema/ids';
import type { Target } from './transport';

export interface World {
	readonly name: string;
	readonly tenantDoc: DocName;
	/** Where the relay is now for a signed-in peer; null while it is down (restarting). */
	target(peer: number): Target | null;
	/** Signs peer `peer` in as a tenant-wide admin (S21: its every edit is valid). */
	signIn(peer: number): Promise<void>;
	/** A license command the server applies (S65): `applied`, or `refused` with why (the document did not allow it). */
	command(command: Command): Promise<'applied' | 'refused'>;
	/**
	 * Relay restart from the same store (in this process) or SIGKILL and restart of the server process. Before anything
	 * reconnects, `durable` is called with what the store holds then of each of `docs`; answers the problems it found.
	 */
	restart(docs: readonly DocName[], durable: (docName: DocName, stored: Y.Doc) => string[]): Promise<string[]>;
	/** The document as the relay holds it now, and as its store holds it (the same, once everything is acked). */
	serverState(docName: DocName): Promise<{ relay: Y.Doc; stored: Y.Doc }>;
	/** What the relay refused or undid during the schedule (relay events; the process world sees them on the peers only). */
	relayProblems(): string[];
	close(): Promise<void>;
}
