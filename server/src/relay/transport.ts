// S140: the relay's socket seam. The relay speaks to this interface only; `ws-transport.ts` adapts a `ws` socket to it
// and `memory-socket.ts` connects an in-process client to it (tests, fuzzing, load), with no network in between.

/** Where a socket is in its life, as the relay sees it (a `ws` readyState, named). */
export type TransportState = 'connecting' | 'open' | 'closing' | 'closed';

export interface TransportSocket {
	readonly state: TransportState;
	/** S26: bytes sent and not yet taken by the peer; a socket that does not read is cut instead of buffered. */
	readonly bufferedAmount: number;
	send(frame: Uint8Array): void;
	/** Starts the close handshake; the close listeners run once the peer answered (or the socket was cut). */
	close(code: number, reason: string): void;
	/** Ends the socket at once, with no handshake (a peer that does not answer pings, S26, shutdown's grace). */
	terminate(): void;
	/** S26: stops delivering the peer's frames until `resume` (TCP pushes back on the peer meanwhile). */
	pause(): void;
	resume(): void;
	ping(): void;
	/**
	 * Each frame as a copy that owns its whole ArrayBuffer (S10: a wrong length inside cannot read into pooled memory);
	 * `isBinary` false for a text frame, which the protocol refuses.
	 */
	onMessage(listener: (frame: Uint8Array, isBinary: boolean) => void): void;
	/** Runs once, when the socket is closed (handshake done or cut); `state` is then `closed`. */
	onClose(listener: () => void): void;
	onPong(listener: () => void): void;
}

/**
 * S1: the document a socket asks for, from its request path `/sync/<docName>` (URL-encoded or not; the query is ignored).
 * Answers null when the path is not under /sync/, and `{ rawName: null }` when the name cannot be decoded.
 */
export function syncPathDocName(url: string): { readonly rawName: string | null } | null {
	const path = new URL(url, 'http://relay').pathname;
	if (!path.startsWith('/sync/')) return null;
	try {
		return { rawName: decodeURIComponent(path.slice('/sync/'.length)) };
	} catch {
		return { rawName: null };
	}
}
