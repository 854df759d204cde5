// A Clock whose time moves only when a test says so: timers (idle unload, pings) fire from `advance`, never from sleeping.
import type { Clock } from '../../server/src/clock';

export interface FakeClock extends Clock {
	/** Moves time forward and runs every timer that falls due, in order. */
	advance(ms: number): void;
	/** Timers not yet fired or cancelled. */
	pendingTimers(): number;
}

export function createFakeClock(start = new Date('2025-01-01T00:00:00Z')): FakeClock {
	let now = start.getTime();
	let nextId = 0;
	const timers = new Map<number, { at: number; fn: () => void }>();
	return {
		now: () => new Date(now),
		setTimeout(fn, ms) {
			const id = nextId++;
			timers.set(id, { at: now + ms, fn });
			return { cancel: () => timers.delete(id) };
		},
		advance(ms) {
			const until = now + ms;
			for (;;) {
				const due = [...timers.entries()]
					.filter(([, t]) => t.at <= until)
					.sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
				if (!due) break;
				timers.delete(due[0]);
				now = due[1].at;
				due[1].fn();
			}
			now = until;
		},
		pendingTimers: () => timers.size
	};
}
