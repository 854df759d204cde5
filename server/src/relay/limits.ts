// The relay's limits (S11, S12, S13, S36) and the per-connection token bucket that enforces the message rate.
import type { Clock } from '../clock';

export interface RelayLimits {
	/** Largest frame accepted; larger ones close the connection with 4413. */
	maxFrameBytes: number;
	/** Largest awareness payload accepted inside a frame; larger ones close with 4413. */
	maxAwarenessBytes: number;
	/** Sustained frames per second per connection. */
	framesPerSecond: number;
	/** Frames a connection may send in a burst above the sustained rate. */
	frameBurst: number;
	/** Updates appended after the last snapshot before the document is compacted. */
	compactEvery: number;
	/** A document with no connection is unloaded from memory after this long. */
	idleUnloadMs: number;
	/** Interval of websocket pings; a connection that missed the previous pong is terminated. */
	pingIntervalMs: number;
	/** S26: bytes of a connection's frames waiting in the relay; above it the relay stops reading that socket until half drained. */
	maxQueuedBytes: number;
	/** S26: bytes waiting to be sent to a connection (ws bufferedAmount); a socket that does not read beyond it is cut. */
	maxBufferedBytes: number;
	/** S25: awareness client ids one connection may announce (a replica uses one; a reconnect keeps it). */
	maxAwarenessClients: number;
	/** S42: open sockets of one person (every device and tab); more are closed with 1013 and come back later. */
	maxSocketsPerUser: number;
	/** S42: open sockets from one address, signed in or not (an office behind NAT shares one); more get 1013. */
	maxSocketsPerAddress: number;
	/** S43: bytes of presence a document holds for everyone (its awareness states); entries beyond it are dropped. */
	maxPresenceBytesPerDoc: number;
	/** S43: a connection's "query awareness" is answered at most once per this interval; more are ignored. */
	queryAwarenessIntervalMs: number;
	/** S36: changes of one frame the validator may undo; beyond it the frame is refused with 4413 and nothing of it is stored. */
	maxRejectedPerFrame: number;
	/**
	 * S125: bytes of updates one batch answer (POST /api/sync/batch) carries; the entries after it passes this are answered
	 * 1013 (ask again) without being read. The first entry is always answered.
	 */
	maxBatchAnswerBytes: number;
}

export const DEFAULT_LIMITS: RelayLimits = {
	maxFrameBytes: 2 * 1024 * 1024,
	maxAwarenessBytes: 64 * 1024,
	framesPerSecond: 200,
	frameBurst: 2000,
	compactEvery: 300,
	idleUnloadMs: 60_000,
	pingIntervalMs: 30_000,
	maxQueuedBytes: 8 * 1024 * 1024,
	maxBufferedBytes: 16 * 1024 * 1024,
	maxAwarenessClients: 8,
	maxSocketsPerUser: 64,
	maxSocketsPerAddress: 256,
	maxPresenceBytesPerDoc: 256 * 1024,
	queryAwarenessIntervalMs: 10_000,
	maxRejectedPerFrame: 1000,
	maxBatchAnswerBytes: 16 * 1024 * 1024
};

/** A token bucket: `take()` answers false when the connection sends faster than its rate allows. */
export class TokenBucket {
	readonly #clock: Clock;
	readonly #rate: number;
	readonly #burst: number;
	#tokens: number;
	#at: number;

	constructor(clock: Clock, ratePerSecond: number, burst: number) {
		this.#clock = clock;
		this.#rate = ratePerSecond;
		this.#burst = burst;
		this.#tokens = burst;
		this.#at = clock.now().getTime();
	}

	take(): boolean {
		const now = this.#clock.now().getTime();
		this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#at) / 1000) * this.#rate);
		this.#at = now;
		if (this.#tokens < 1) return false;
		this.#tokens -= 1;
		return true;
	}
}
