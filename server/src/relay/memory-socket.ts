// S141: an in-memory websocket pair. `memoryWebSocketClass(relay)` is a class y-websocket (and `openReplica` through its
// `WebSocketPolyfill` option) uses as a browser WebSocket; each instance is connected to the relay in-process through
// the relay's socket seam (transport.ts), with no network. Frames are delivered asynchronously (one macrotask each, in
// order per direction, never re-entrantly), and a test decides each frame's fate: delivered, delayed, dropped, or the
// link cut before it (partial delivery). Used by the relay's tests, the convergence fuzzer and the load runs.
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import type { Relay } from './types';
import type { TransportSocket, TransportState } from './transport';

export type Direction = 'toServer' | 'toClient';

/**
 * What happens to one frame. `deliver`; `{ delayMs }`: delivered later, and the frames after it wait behind it (one
 * ordered stream, as TCP); `drop`: lost alone (the peer never learns of it); `cut`: the link is cut before it: what was
 * sent earlier arrives, this frame and everything after it is lost, and both ends see the socket closed.
 */
export type FrameFate = 'deliver' | 'drop' | 'cut' | { readonly delayMs: number };

/** One client socket and its server end, as a test sees it. */
export interface MemoryLink {
	/** 1, 2, … in the order the class opened them. */
	readonly id: number;
	/** The URL the client opened (y-websocket: `<serverUrl>/<docName>`). */
	readonly url: string;
	/** Loses the network: frames in flight are dropped, the relay sees the socket closed, the client a 1006 close. */
	cut(): void;
	/** True once either end has seen the socket closed. */
	readonly closed: boolean;
}

export interface MemorySocketOptions {
	/** Request headers of the "upgrade" (a Cookie for the session, an Origin): what authentication reads. */
	readonly headers?: Record<string, string>;
	/** The peer's address the relay sees (S42's per-address cap, the audit log); default 127.0.0.1. */
	readonly remoteAddress?: string;
	/** Decides each frame's fate, in both directions; default: every frame is delivered at once. */
	readonly fate?: (frame: Uint8Array, direction: Direction, link: MemoryLink) => FrameFate;
	/** Told of every socket the class opens, before it connects. */
	readonly onOpen?: (link: MemoryLink) => void;
}

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;
/** What a browser reports when the connection was lost without a close frame. */
const ABNORMAL_CLOSE = 1006;
/** What a browser reports for a close frame without a code. */
const NO_STATUS = 1005;

const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One direction of a link: steps run one after the other, each in a macrotask of its own; nothing runs once it is lost. */
class Pipe {
	#tail: Promise<void> = Promise.resolve();
	#lost = false;
	#paused: { promise: Promise<void>; resume: () => void } | null = null;
	/** Bytes of frames pushed and not delivered yet. */
	bytes = 0;

	push(delayMs: number, bytes: number, step: () => void): void {
		this.bytes += bytes;
		this.#tail = this.#tail.then(async () => {
			await (delayMs > 0 ? sleep(delayMs) : nextMacrotask());
			while (this.#paused !== null && !this.#lost) await this.#paused.promise;
			this.bytes -= bytes;
			if (!this.#lost) step();
		});
	}

	pause(): void {
		if (this.#paused !== null) return;
		let resume = (): void => undefined;
		const promise = new Promise<void>((resolve) => (resume = resolve));
		this.#paused = { promise, resume };
	}

	resume(): void {
		const paused = this.#paused;
		this.#paused = null;
		paused?.resume();
	}

	lose(): void {
		this.#lost = true;
		this.resume();
	}
}

interface ClientEnd {
	receive(frame: Uint8Array): void;
	closedBy(code: number, reason: string, clean: boolean): void;
	readonly open: boolean;
}

/** Both ends of one connection. The server end is the relay's TransportSocket. */
class Link implements MemoryLink {
	readonly id: number;
	readonly url: string;
	readonly toServer = new Pipe();
	readonly toClient = new Pipe();
	readonly #fate: NonNullable<MemorySocketOptions['fate']>;
	readonly client: ClientEnd;
	serverState: TransportState = 'open';
	readonly messageListeners: Array<(frame: Uint8Array, isBinary: boolean) => void> = [];
	readonly closeListeners: Array<() => void> = [];
	readonly pongListeners: Array<() => void> = [];

	constructor(id: number, url: string, client: ClientEnd, fate: MemorySocketOptions['fate']) {
		this.id = id;
		this.url = url;
		this.client = client;
		this.#fate = fate ?? (() => 'deliver');
	}

	get closed(): boolean {
		return this.serverState === 'closed' || !this.client.open;
	}

	/** Sends toward `direction`, after the test decided the frame's fate; answers false when the frame was not sent. */
	carry(direction: Direction, frame: Uint8Array, step: () => void): boolean {
		const fate = this.#fate(frame, direction, this);
		if (fate === 'drop') return false;
		if (fate === 'cut') {
			this.cut();
			return false;
		}
		const pipe = direction === 'toServer' ? this.toServer : this.toClient;
		pipe.push(fate === 'deliver' ? 0 : fate.delayMs, frame.byteLength, step);
		return true;
	}

	cut(): void {
		if (this.serverState === 'closed' && !this.client.open) return;
		this.toServer.lose();
		this.toClient.lose();
		void nextMacrotask().then(() => {
			this.serverClosed();
			this.client.closedBy(ABNORMAL_CLOSE, '', false);
		});
	}

	/** The relay's end closed (handshake done or cut): its close listeners run once. */
	serverClosed(): void {
		if (this.serverState === 'closed') return;
		this.serverState = 'closed';
		for (const listener of this.closeListeners.splice(0)) listener();
	}

	/** The client's frame reaches the relay (also while the relay's close is on its way, as with ws). */
	deliverToServer(frame: Uint8Array, isBinary: boolean): void {
		if (this.serverState === 'closed') return;
		for (const listener of this.messageListeners) listener(frame, isBinary);
	}

	/** The client asked to close: the relay sees the close, then the client hears the echo (the close handshake). */
	clientClosing(code: number, reason: string): void {
		this.toServer.push(0, 0, () => {
			this.serverState = 'closing';
			this.toClient.push(0, 0, () => {
				this.serverClosed();
				this.client.closedBy(code, reason, true);
			});
		});
	}

	/** The relay's end. */
	readonly server: TransportSocket = serverEnd(this);
}

/** The relay's end of a link, as the relay's socket seam wants it. */
function serverEnd(link: Link): TransportSocket {
	return {
		get state(): TransportState {
			return link.serverState;
		},
		get bufferedAmount(): number {
			return link.toClient.bytes;
		},
		send: (frame) => {
			if (link.serverState !== 'open') return;
			const copy = new Uint8Array(frame);
			link.carry('toClient', copy, () => link.client.receive(copy));
		},
		close: (code, reason) => {
			if (link.serverState !== 'open' && link.serverState !== 'connecting') return;
			link.serverState = 'closing';
			// The client hears the close after what was sent before it, then answers it; then both ends are closed.
			link.toClient.push(0, 0, () => {
				link.client.closedBy(code, reason, true);
				link.toServer.push(0, 0, () => link.serverClosed());
			});
		},
		terminate: () => link.cut(),
		pause: () => link.toServer.pause(),
		resume: () => link.toServer.resume(),
		ping: () => {
			if (link.serverState !== 'open') return;
			// A client answers pings itself (a browser's does, below the page's code).
			link.toClient.push(0, 0, () => {
				if (!link.client.open) return;
				link.toServer.push(0, 0, () => {
					for (const listener of link.pongListeners) listener();
				});
			});
		},
		onMessage: (listener) => {
			link.messageListeners.push(listener);
		},
		onClose: (listener) => {
			if (link.serverState === 'closed') void nextMacrotask().then(listener);
			else link.closeListeners.push(listener);
		},
		onPong: (listener) => {
			link.pongListeners.push(listener);
		}
	};
}

/** The request the relay authenticates: a real IncomingMessage with the test's headers and peer address, no socket I/O. */
function upgradeRequest(url: string, headers: Record<string, string>, remoteAddress: string): IncomingMessage {
	const socket = new Socket();
	Object.defineProperty(socket, 'remoteAddress', { value: remoteAddress });
	const req = new IncomingMessage(socket);
	const parsed = new URL(url, 'ws://memory');
	req.method = 'GET';
	req.url = parsed.pathname + parsed.search;
	req.headers = { host: parsed.host, connection: 'upgrade', upgrade: 'websocket' };
	for (const [name, value] of Object.entries(headers)) req.headers[name.toLowerCase()] = value;
	return req;
}

interface MessageEventLike {
	readonly data: ArrayBuffer;
}
interface CloseEventLike {
	readonly code: number;
	readonly reason: string;
	readonly wasClean: boolean;
}

/**
 * A WebSocket class connected in-process to `relay` (S141). Every instance is one socket: the relay admits it with the
 * same hooks as an upgrade (the Cookie in `headers`, `remoteAddress` as the peer), then both ends exchange frames
 * asynchronously. Pass it as y-websocket's or `openReplica`'s `WebSocketPolyfill`.
 */
export function memoryWebSocketClass(relay: Relay, options: MemorySocketOptions = {}): typeof WebSocket {
	const headers = options.headers ?? {};
	const remoteAddress = options.remoteAddress ?? '127.0.0.1';
	let opened = 0;

	class MemoryWebSocket implements ClientEnd {
		static readonly CONNECTING = CONNECTING;
		static readonly OPEN = OPEN;
		static readonly CLOSING = CLOSING;
		static readonly CLOSED = CLOSED;
		readonly CONNECTING = CONNECTING;
		readonly OPEN = OPEN;
		readonly CLOSING = CLOSING;
		readonly CLOSED = CLOSED;

		readonly url: string;
		readonly protocol = '';
		readonly extensions = '';
		binaryType: BinaryType = 'blob';
		readyState: number = CONNECTING;
		onopen: ((event: object) => void) | null = null;
		onmessage: ((event: MessageEventLike) => void) | null = null;
		onclose: ((event: CloseEventLike) => void) | null = null;
		onerror: ((event: object) => void) | null = null;
		readonly #link: Link;

		constructor(url: string | URL) {
			this.url = String(url);
			opened += 1;
			this.#link = new Link(opened, this.url, this, options.fate);
			options.onOpen?.(this.#link);
			const current = this.#link;
			void nextMacrotask().then(() => {
				if (this.readyState !== CONNECTING) return;
				relay.acceptSocket(current.server, upgradeRequest(this.url, headers, remoteAddress));
				// Opened before anything the relay sends (it sends only after admission, which is asynchronous).
				current.toClient.push(0, 0, () => {
					if (this.readyState !== CONNECTING) return;
					this.readyState = OPEN;
					this.onopen?.({ type: 'open' });
				});
			});
		}

		get open(): boolean {
			return this.readyState === OPEN || this.readyState === CONNECTING;
		}

		get bufferedAmount(): number {
			return this.#link.toServer.bytes;
		}

		send(data: string | ArrayBufferLike | ArrayBufferView): void {
			if (this.readyState === CONNECTING) throw new Error('InvalidStateError: the socket is still connecting');
			if (this.readyState !== OPEN) return;
			const isBinary = typeof data !== 'string';
			const frame =
				typeof data === 'string'
					? new TextEncoder().encode(data)
					: ArrayBuffer.isView(data)
						? new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength))
						: new Uint8Array(data.slice(0));
			this.#link.carry('toServer', frame, () => this.#link.deliverToServer(frame, isBinary));
		}

		close(code?: number, reason?: string): void {
			if (this.readyState === CLOSING || this.readyState === CLOSED) return;
			if (this.readyState === CONNECTING) {
				// Closed before it opened: the browser reports a lost connection.
				this.#link.cut();
				this.readyState = CLOSING;
				return;
			}
			this.readyState = CLOSING;
			this.#link.clientClosing(code ?? NO_STATUS, reason ?? '');
		}

		receive(frame: Uint8Array): void {
			if (this.readyState !== OPEN) return;
			const data = new Uint8Array(frame.byteLength);
			data.set(frame);
			this.onmessage?.({ data: data.buffer });
		}

		closedBy(code: number, reason: string, clean: boolean): void {
			if (this.readyState === CLOSED) return;
			this.readyState = CLOSED;
			if (!clean) this.onerror?.({ type: 'error' });
			this.onclose?.({ code, reason, wasClean: clean });
		}
	}
	return MemoryWebSocket as unknown as typeof WebSocket;
}
