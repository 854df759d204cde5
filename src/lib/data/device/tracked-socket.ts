// A WebSocket stand-in for y-websocket: delays reconnects by a random jitter (S17) and numbers the frames it sends (S6).
import { MESSAGE_SYNC, SYNC_STEP_2 } from '../sync/protocol';

export interface TrackedSocketHooks {
	/** Delay before the real socket opens; y-websocket's own backoff has already passed when this is asked. */
	delayFor(attempt: number): number;
	/** A new socket exists; it is the provider's current one until the next. */
	onCreated(socket: TrackedSocketInfo): void;
	/** A frame went out on `socket`; `frame` is its 1-based number on that socket. */
	onSent(socket: TrackedSocketInfo, frame: number, isSyncStep2: boolean): void;
}

export interface TrackedSocketInfo {
	/** Distinct for every socket of a replica. */
	readonly id: number;
	/** Frames sent so far on this socket. */
	readonly sentFrames: number;
	readonly readyState: number;
}

type Handler = ((event: Event) => void) | null;

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/** Builds the class handed to y-websocket as `WebSocketPolyfill`; it wraps `Base` (the browser's WebSocket, or `ws` in Node). */
export function trackedSocketClass(Base: typeof WebSocket, hooks: TrackedSocketHooks): typeof WebSocket {
	let attempts = 0;

	class TrackedSocket implements TrackedSocketInfo {
		static readonly CONNECTING = CONNECTING;
		static readonly OPEN = OPEN;
		static readonly CLOSING = CLOSING;
		static readonly CLOSED = CLOSED;
		readonly CONNECTING = CONNECTING;
		readonly OPEN = OPEN;
		readonly CLOSING = CLOSING;
		readonly CLOSED = CLOSED;

		readonly id: number;
		sentFrames = 0;
		onopen: Handler = null;
		onmessage: ((event: MessageEvent) => void) | null = null;
		onclose: ((event: CloseEvent) => void) | null = null;
		onerror: Handler = null;
		#binaryType: BinaryType = 'arraybuffer';
		#real: WebSocket | null = null;
		#timer: ReturnType<typeof setTimeout> | null = null;
		#closedEarly = false;

		constructor(url: string | URL, protocols?: string | string[]) {
			const attempt = attempts++;
			this.id = attempt + 1;
			hooks.onCreated(this);
			const delay = hooks.delayFor(attempt);
			if (delay <= 0) this.#open(url, protocols);
			else this.#timer = setTimeout(() => this.#open(url, protocols), delay);
		}

		#open(url: string | URL, protocols?: string | string[]): void {
			this.#timer = null;
			if (this.#closedEarly) return;
			const real = new Base(url, protocols);
			real.binaryType = this.#binaryType;
			real.onopen = (event) => this.onopen?.(event);
			real.onmessage = (event) => this.onmessage?.(event);
			real.onclose = (event) => this.onclose?.(event);
			real.onerror = (event) => this.onerror?.(event);
			this.#real = real;
		}

		get readyState(): number {
			if (this.#real) return this.#real.readyState;
			return this.#closedEarly ? CLOSED : CONNECTING;
		}

		get binaryType(): BinaryType {
			return this.#binaryType;
		}

		set binaryType(value: BinaryType) {
			this.#binaryType = value;
			if (this.#real) this.#real.binaryType = value;
		}

		send(data: Uint8Array<ArrayBuffer> | ArrayBuffer): void {
			if (!this.#real) throw new Error('the socket is not open yet');
			this.#real.send(data);
			this.sentFrames += 1;
			const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
			hooks.onSent(this, this.sentFrames, bytes[0] === MESSAGE_SYNC && bytes[1] === SYNC_STEP_2);
		}

		close(code?: number, reason?: string): void {
			if (this.#real) {
				this.#real.close(code, reason);
				return;
			}
			// Closed while still waiting out the jitter: y-websocket has detached its handlers already, nothing to tell.
			this.#closedEarly = true;
			if (this.#timer !== null) clearTimeout(this.#timer);
			this.#timer = null;
		}
	}

	return TrackedSocket as unknown as typeof WebSocket;
}
