// Slows down repeated failed sign-ins per key (an email and address pair, an address): after a few free failures, each one locks the key for twice as long.
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
	/** Attempts admitted and still being checked (a password hash takes a while). */
	inFlight: number;
}

export class FailureThrottle {
	readonly #clock: Clock;
	readonly #options: ThrottleOptions;
	readonly #records = new Map<string, FailureRecord>();

	constructor(clock: Clock, options: ThrottleOptions) {
		this.#clock = clock;
		this.#options = options;
	}

	/**
	 * Seconds to wait before the key may try again, or 0 when it may try now. Attempts still in flight count as failures to
	 * be: without that, a burst of parallel guesses would all pass the check before the first one fails. Within the free
	 * failures they may run side by side; beyond them, one at a time.
	 */
	retryAfterSeconds(key: string): number {
		const now = this.#clock.now().getTime();
		const record = this.#current(key, now);
		if (!record) return 0;
		if (record.lockedUntil > now) return Math.ceil((record.lockedUntil - now) / 1000);
		if (record.inFlight > 0 && record.failures + record.inFlight >= this.#options.freeFailures) return 1;
		return 0;
	}

	/** An attempt was admitted (after `retryAfterSeconds` answered 0); `finish` it when its outcome is known. */
	start(key: string): void {
		const now = this.#clock.now().getTime();
		const record = this.#current(key, now) ?? { failures: 0, lastFailureAt: now, lockedUntil: 0, inFlight: 0 };
		record.inFlight += 1;
		this.#remember(key, record);
	}

	finish(key: string): void {
		const record = this.#records.get(key);
		if (!record) return;
		record.inFlight = Math.max(0, record.inFlight - 1);
		if (record.inFlight === 0 && record.failures === 0) this.#records.delete(key);
	}

	fail(key: string): void {
		const now = this.#clock.now().getTime();
		const record = this.#current(key, now) ?? { failures: 0, lastFailureAt: now, lockedUntil: 0, inFlight: 0 };
		record.failures += 1;
		record.lastFailureAt = now;
		const beyond = record.failures - this.#options.freeFailures;
		if (beyond > 0) {
			const lock = Math.min(this.#options.baseLockMs * 2 ** Math.min(beyond - 1, 30), this.#options.maxLockMs);
			record.lockedUntil = now + lock;
		}
		this.#remember(key, record);
	}

	/** The key starts over; attempts of it still in flight stay counted. */
	succeed(key: string): void {
		const record = this.#records.get(key);
		if (!record) return;
		if (record.inFlight === 0) {
			this.#records.delete(key);
			return;
		}
		record.failures = 0;
		record.lockedUntil = 0;
	}

	#remember(key: string, record: FailureRecord): void {
		// Re-inserting keeps the map in least-recently-used order for eviction.
		this.#records.delete(key);
		this.#records.set(key, record);
		while (this.#records.size > this.#options.maxKeys) {
			const oldest = this.#records.keys().next();
			if (oldest.done) break;
			this.#records.delete(oldest.value);
		}
	}

	#current(key: string, now: number): FailureRecord | null {
		const record = this.#records.get(key);
		if (!record) return null;
		if (
			now - record.lastFailureAt > this.#options.forgetAfterMs &&
			record.lockedUntil <= now &&
			record.inFlight === 0
		) {
			this.#records.delete(key);
			return null;
		}
		return record;
	}
}
