// One loaded document on the relay: its Y.Doc, awareness, connections, and the serial queue all its work runs through (S4, S5).
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import type { WebSocket } from 'ws';
import type { DocStore } from '../store/types';
import type { TokenBucket } from './limits';
import type { Principal } from './types';
import type { DocName } from '../../../src/lib/schema/ids';
import { parseStorageName } from '../store/doc-keys';
import type { RoomValidation } from '../validation/types';

/** Transaction origin of what the relay reads from its own store. */
export const LOAD_ORIGIN = Symbol('relay-load');
/** Transaction origin of server-side changes (`relay.change`). */
export const SERVER_ORIGIN = 'server';

export interface Frame {
	/** 1-based position of the frame in its connection, echoed in acks (S5). */
	readonly index: number;
	readonly bytes: Uint8Array;
}

/**
 * Who sent a change the room reviews, commits and audits (S21-S24): a socket's connection, or a batch request (S121), which
 * has no socket. Compared by identity: a connection does not get its own change broadcast back.
 */
export interface Sender {
	/** Who is behind it (S21: the validator's role check; the audit log). */
	readonly principal: Principal | null;
	/** The peer's address for the audit log, when known. */
	readonly ip: string | null;
}

export interface Connection extends Sender {
	readonly id: number;
	readonly socket: WebSocket;
	readonly bucket: TokenBucket;
	access: 'read' | 'write' | null;
	/** Who is behind the connection, once authenticated (S21: the validator's role check; the audit log). */
	principal: Principal | null;
	/** The peer's address for the audit log and the per-address cap (S42), when known. */
	readonly ip: string | null;
	/** The document's name as the client asked for it (S1); its room's name is the storage name (S40). */
	docName: DocName | null;
	/** S41: fires when the session may have ended (its `validUntil`), to ask whether it still holds. */
	sessionCheck: { cancel(): void } | null;
	/** S43: when this connection's last "query awareness" was answered (ms). */
	lastQueryAt: number;
	room: Room | null;
	/** Frames received before the connection joined its room (authorization and loading are still running). */
	backlog: Frame[];
	received: number;
	/** Awareness client ids this connection has announced; removed for everyone when it closes. */
	readonly awarenessClients: Set<number>;
	closed: boolean;
	/** Set when the relay closed the connection for a protocol violation: its queued frames are dropped. */
	refused: boolean;
	alive: boolean;
	ping: { cancel(): void } | null;
	/** S26: bytes of frames received and not handled yet (backlog and queue); the socket is paused while above the limit. */
	queuedBytes: number;
	paused: boolean;
	/** S26: a socket that has more than this waiting to be sent is not reading; it is cut instead of buffered. */
	readonly maxBufferedBytes: number;
	/** Set when the connection was cut for not reading what the relay sends (S26). */
	slow: boolean;
}

/** A frame of a joined connection waiting in its document's inbox (S5: handled in batches, in arrival order). */
export interface Queued {
	readonly conn: Connection;
	readonly frame: Frame;
}

/** Returned by `Room.enqueue` when the room was unloaded before the task ran. */
export const ROOM_GONE = Symbol('room-gone');

export class Room {
	/** The storage name (S40): `tenant:<id>` or `<tenantId>/customer:<id>`. */
	readonly name: string;
	/** The name clients use for it (S1), in events and in the rejected notice (S24). */
	readonly docName: string;
	readonly doc: Y.Doc;
	readonly awareness: Awareness;
	readonly conns = new Map<WebSocket, Connection>();
	lastSeq: number;
	sinceCompaction: number;
	idle: { cancel(): void } | null = null;
	closed = false;
	/** S21: checks what clients change; null when no validator is registered for the document's kind. */
	validation: RoomValidation | null = null;
	/** S5: frames of joined connections not handled yet, in arrival order; drained in batches by a task in the queue. */
	inbox: Queued[] = [];
	/** A drain task is in the queue and has not started yet: frames arriving now will be in its batch. */
	drainScheduled = false;
	/** S43: bytes of each awareness client's state (its JSON), and their sum, bounded by maxPresenceBytesPerDoc. */
	readonly presenceBytes = new Map<number, number>();
	presenceTotal = 0;
	/** S43: the answer to "query awareness" while the presence has not changed; null when it must be encoded again. */
	presenceAnswer: Uint8Array | null = null;
	#chain: Promise<unknown> = Promise.resolve();
	#collected: Uint8Array[] = [];

	private constructor(name: string, doc: Y.Doc, lastSeq: number, updatesStored: number) {
		this.name = name;
		this.docName = parseStorageName(name)?.docName ?? name;
		this.doc = doc;
		this.lastSeq = lastSeq;
		this.sinceCompaction = updatesStored;
		this.awareness = new Awareness(doc);
		// The relay itself is not present in the document.
		this.awareness.setLocalState(null);
		doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin !== LOAD_ORIGIN) this.#collected.push(update);
		});
	}

	/** S4: the whole stored state (snapshot, then updates in order) is in the document before the room exists. */
	static async load(
		name: string,
		store: DocStore,
		openValidation: (doc: Y.Doc) => RoomValidation | null = () => null
	): Promise<Room> {
		const stored = await store.load(name);
		const doc = new Y.Doc({ gc: true });
		if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot, LOAD_ORIGIN);
		for (const update of stored.updates) Y.applyUpdate(doc, update, LOAD_ORIGIN);
		const room = new Room(name, doc, stored.lastSeq, stored.updates.length);
		// S22: opened on the stored state, so its last valid records are what the store holds.
		room.validation = openValidation(doc);
		return room;
	}

	/** Runs `task` after every task queued before it; S5 rests on this: one message at a time per document. */
	enqueue<T>(task: (room: Room) => Promise<T> | T): Promise<T | typeof ROOM_GONE> {
		const next = this.#chain.then(() => (this.closed ? ROOM_GONE : task(this)));
		this.#chain = next.then(
			() => undefined,
			() => undefined
		);
		return next;
	}

	/** The effective change made since the last call (what the document gained), or null when nothing changed. */
	takeDelta(): Uint8Array | null {
		const collected = this.#collected;
		this.#collected = [];
		if (collected.length === 0) return null;
		return collected.length === 1 ? collected[0]! : Y.mergeUpdates(collected);
	}

	/** Sends a frame to every open connection of the room except `except`. */
	broadcast(frame: Uint8Array, except: Connection | null): void {
		for (const conn of this.conns.values()) {
			if (conn !== except) sendFrame(conn, frame);
		}
	}

	destroy(): void {
		this.closed = true;
		this.idle?.cancel();
		this.idle = null;
		this.validation?.destroy();
		this.awareness.destroy();
		this.doc.destroy();
	}
}

export function sendFrame(conn: Connection, frame: Uint8Array): void {
	if (conn.closed || conn.socket.readyState !== conn.socket.OPEN) return;
	// S26: what a socket does not read would pile up in the server's memory; the client reconnects and syncs instead.
	if (conn.socket.bufferedAmount > conn.maxBufferedBytes) {
		conn.slow = true;
		conn.socket.terminate();
		return;
	}
	conn.socket.send(frame);
}
