// Time as a dependency, so tests can drive timers (idle unload, session expiry, sign-in slow-down) without sleeping.
export interface Clock {
	now(): Date;
	setTimeout(fn: () => void, ms: number): { cancel(): void };
}

export const systemClock: Clock = {
	now: () => new Date(),
	setTimeout(fn, ms) {
		const handle = setTimeout(fn, ms);
		handle.unref?.();
		return { cancel: () => clearTimeout(handle) };
	}
};
