// Slows down repeated failed sign-ins per email and per IP: after a few free failures, each one locks the key for twice as long.
import type { Clock } from '../clock';

export interface ThrottleOptions {
	/** Failures allowed before the first lock. */
	readonly freeFailures: number;
	/** Lock after the first failure beyond the free ones; doubles with each further failure. */
	readonly baseLockMs: number;
	readonly maxLockMs: number;
	/** A key with no failure for this long starts over. */
	readonly forgetAfterMs: number;
	/** Bounds memory under a flood of distinct keys: the least recently failed are forgotten first. */
	readonly maxKeys: number;
}

interface FailureRecord {
	failures: number;
	lastFailureAt: number;
	lockedUntil: number;
}

export class FailureThrottle {
	readonly #clock: Clock;
	readonly #options: ThrottleOptions;
	readonly #records = new Map<string, FailureRecord>();

	constructor(clock: Clock, options: ThrottleOptions) {
		this.#clock = clock;
		this.#options = options;
	}

	/** Seconds to wait before the key may try again, or 0 when it may try now. */
	retryAfterSeconds(key: string): number {
		const now = this.#clock.now().getTime();
		const record = this.#current(key, now);
		if (!record || record.lockedUntil <= now) return 0;
		return Math.ceil((record.lockedUntil - now) / 1000);
	}

	fail(key: string): void {
		const now = this.#clock.now().getTime();
		const record = this.#current(key, now) ?? { failures: 0, lastFailureAt: now, lockedUntil: 0 };
		record.failures += 1;
		record.lastFailureAt = now;
		const beyond = record.failures - this.#options.freeFailures;
		if (beyond > 0) {
			const lock = Math.min(this.#options.baseLockMs * 2 ** Math.min(beyond - 1, 30), this.#options.maxLockMs);
			record.lockedUntil = now + lock;
		}
		// Re-inserting keeps the map in least-recently-failed order for eviction.
		this.#records.delete(key);
		this.#records.set(key, record);
		while (this.#records.size > this.#options.maxKeys) {
			const oldest = this.#records.keys().next();
			if (oldest.done) break;
			this.#records.delete(oldest.value);
		}
	}

	succeed(key: string): void {
		this.#records.delete(key);
	}

	#current(key: string, now: number): FailureRecord | null {
		const record = this.#records.get(key);
		if (!record) return null;
		if (now - record.lastFailureAt > this.#options.forgetAfterMs && record.lockedUntil <= now) {
			this.#records.delete(key);
			return null;
		}
		return record;
	}
}
