// A websocket connection as the relay sees it (S140-S142): its socket, who is behind it, where it is in its life, and what
// it has sent that is not handled yet.
import type { TokenBucket } from './limits';
import type { Room } from './room';
import type { TransportSocket } from './transport';
import type { Principal } from './types';
import type { DocName } from '../../../src/lib/schema/ids';

/**
 * S142: `admitting`: authenticated, authorized and loading its document (its frames wait in `backlog`); `joined`: in its
 * room, frames go to the room's inbox; `closed`: its socket closed (frames it had queued are still handled, unless it was
 * refused). Whether the relay refused it is `refusal`, kept after the socket closed.
 */
export type ConnectionPhase = 'admitting' | 'joined' | 'closed';

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
	readonly socket: TransportSocket;
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
	/** Its document once joined (S4), or null while admitting. */
	room: Room | null;
	/** Frames received before the connection joined its room (authorization and loading are still running). */
	backlog: Frame[];
	received: number;
	/** Awareness client ids this connection has announced; removed for everyone when it closes. */
	readonly awarenessClients: Set<number>;
	/** S142: where the connection is in its life (instead of flags). */
	phase: ConnectionPhase;
	/** S142: set when the relay closed the connection for a protocol violation: its queued frames are dropped. */
	refusal: { readonly code: number; readonly reason: string } | null;
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

export function sendFrame(conn: Connection, frame: Uint8Array): void {
	if (conn.phase === 'closed' || conn.socket.state !== 'open') return;
	// S26: what a socket does not read would pile up in the server's memory; the client reconnects and syncs instead.
	if (conn.socket.bufferedAmount > conn.maxBufferedBytes) {
		conn.slow = true;
		conn.socket.terminate();
		return;
	}
	conn.socket.send(frame);
}

/** S142: the connection's socket has closed (a function, so that a check after an `await` reads the phase anew). */
export function isClosed(conn: Connection): boolean {
	return conn.phase === 'closed';
}
