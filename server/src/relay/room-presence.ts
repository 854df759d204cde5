// S13, S25, S30, S43: a document's presence (y-protocols awareness) on the relay: who may set which state, how much a
// document holds, and the cached answer to "query awareness". Owned by its Room.
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { Logger } from 'pino';
import { CLOSE, MESSAGE_AWARENESS } from '../../../src/lib/data/sync/protocol';
import { rewriteAwareness } from './awareness-owner';
import { presenceFor } from './presence';
import type { RelayLimits } from './limits';
import { sendFrame, type Connection } from './connection';

export function awarenessFrame(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
	return encoding.toUint8Array(encoder);
}

export interface PresenceHost {
	readonly limits: RelayLimits;
	readonly log: Logger;
	/** The document's open connections. */
	connections(): Iterable<Connection>;
	/** Sends to every open connection of the document. */
	broadcast(frame: Uint8Array): void;
	/** S10: a malformed awareness update closes its connection. */
	refuse(conn: Connection, code: number, reason: string): void;
}

export class RoomPresence {
	readonly awareness: awarenessProtocol.Awareness;
	readonly #host: PresenceHost;
	/** S43: bytes of each awareness client's state (its JSON), and their sum, bounded by maxPresenceBytesPerDoc. */
	readonly #bytes = new Map<number, number>();
	#total = 0;
	/** S43: the answer to "query awareness" while the presence has not changed; null when it must be encoded again. */
	#answer: Uint8Array | null = null;

	constructor(doc: Y.Doc, host: PresenceHost) {
		this.#host = host;
		this.awareness = new awarenessProtocol.Awareness(doc);
		// The relay itself is not present in the document.
		this.awareness.setLocalState(null);
		this.awareness.on('update', (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) =>
			this.#changed(change, origin)
		);
	}

	/** S4: what a joining connection hears after the relay's step 1: every state present, or null when nobody is. */
	presentFrame(): Uint8Array | null {
		const present = [...this.awareness.getStates().keys()];
		return present.length > 0 ? awarenessFrame(this.awareness, present) : null;
	}

	/**
	 * S25, S30, S43: applies what of a connection's awareness update is its own to say. Each state must parse as presence
	 * (the zod schema the app reads it with) and is rewritten from the account (the person's email; no name nobody
	 * checked); ids another person's connection introduced, ids beyond maxAwarenessClients and states that would take the
	 * document's presence beyond maxPresenceBytesPerDoc are dropped. Removals (a null state) of the connection's own ids
	 * always pass.
	 */
	handle(conn: Connection, awarenessUpdate: Uint8Array): void {
		const principal = conn.principal;
		if (principal === null) return;
		const { limits } = this.#host;
		try {
			let roomForNew = limits.maxAwarenessClients - conn.awarenessClients.size;
			let total = this.#total;
			const { update, dropped } = rewriteAwareness(awarenessUpdate, (client, state) => {
				if (this.#ownedByOther(conn, client)) return null;
				const before = this.#bytes.get(client) ?? 0;
				if (state === 'null') {
					total -= before;
					return state;
				}
				const rewritten = presenceFor(state, principal);
				if (rewritten === null) return null;
				if (!conn.awarenessClients.has(client)) {
					roomForNew -= 1;
					if (roomForNew < 0) return null;
				}
				if (total - before + rewritten.length > limits.maxPresenceBytesPerDoc) return null;
				total += rewritten.length - before;
				return rewritten;
			});
			if (dropped > 0)
				this.#host.log.warn(
					{ conn: conn.id, dropped },
					"ignored awareness entries that are not this connection's to set"
				);
			if (update !== null) awarenessProtocol.applyAwarenessUpdate(this.awareness, update, conn);
		} catch {
			this.#host.refuse(conn, CLOSE.malformed, 'malformed awareness update');
		}
	}

	/**
	 * S43: "query awareness" costs the relay the encoding of every state of the document: answered from a cache that lives
	 * until the presence changes, and at most once per queryAwarenessIntervalMs per connection (more are ignored).
	 */
	answerQuery(conn: Connection, now: number): void {
		if (now - conn.lastQueryAt < this.#host.limits.queryAwarenessIntervalMs) return;
		conn.lastQueryAt = now;
		this.#answer ??= awarenessFrame(this.awareness, [...this.awareness.getStates().keys()]);
		sendFrame(conn, this.#answer);
	}

	/** S13: the states a closed connection announced are removed for everyone. */
	leave(conn: Connection): void {
		if (conn.awarenessClients.size > 0)
			awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessClients], null);
	}

	destroy(): void {
		this.awareness.destroy();
	}

	/**
	 * S25: is `client` an awareness id that an open connection of another person introduced? The same person may take over
	 * their own id: a reconnecting replica keeps its client id while the server may not have noticed the old socket is gone.
	 */
	#ownedByOther(conn: Connection, client: number): boolean {
		for (const other of this.#host.connections()) {
			if (other === conn || !other.awarenessClients.has(client)) continue;
			if (other.principal?.userId !== conn.principal?.userId) return true;
		}
		return false;
	}

	#changed(
		{ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
		origin: unknown
	): void {
		const connections = [...this.#host.connections()];
		const owner = connections.find((conn) => conn === origin);
		if (owner) {
			for (const client of [...added, ...updated]) {
				// Taken over (S25): the previous connection must not remove it for everyone when it closes.
				for (const other of connections) if (other !== owner) other.awarenessClients.delete(client);
				owner.awarenessClients.add(client);
			}
			for (const client of removed) owner.awarenessClients.delete(client);
		}
		// S43: what each state weighs, so that the document's presence stays bounded.
		const states = this.awareness.getStates();
		for (const client of [...added, ...updated, ...removed]) {
			const state = states.get(client);
			const bytes = state === undefined ? 0 : JSON.stringify(state).length;
			this.#total += bytes - (this.#bytes.get(client) ?? 0);
			if (bytes === 0) this.#bytes.delete(client);
			else this.#bytes.set(client, bytes);
		}
		this.#answer = null;
		// Sent to everyone, the sender too: y-websocket drops a connection that hears nothing for 30 s.
		this.#host.broadcast(awarenessFrame(this.awareness, [...added, ...updated, ...removed]));
	}
}
