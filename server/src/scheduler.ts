// Periodic server work (session checks, sweeps; later the vendor license sync and insight rules), driven by the injected
// clock so that tests run it by advancing time. Runs never overlap; a failing run is logged and the next one still comes.
import type { Logger } from 'pino';
import type { Clock } from './clock';

export interface Scheduler {
	/** Runs `task` every `intervalMs`, the first time `intervalMs` from now; each run starts after the previous one ended. */
	every(name: string, intervalMs: number, task: () => Promise<void> | void): void;
	/** Cancels every timer and waits for the runs in progress. */
	stop(): Promise<void>;
}

export function createScheduler(clock: Clock, log: Logger): Scheduler {
	const timers = new Set<{ cancel(): void }>();
	const running = new Set<Promise<void>>();
	let stopped = false;

	function plan(name: string, intervalMs: number, task: () => Promise<void> | void): void {
		if (stopped) return;
		const timer = clock.setTimeout(() => {
			timers.delete(timer);
			const run = (async () => {
				try {
					await task();
				} catch (error) {
					log.error({ task: name, err: error }, 'a scheduled task failed');
				}
			})();
			running.add(run);
			void run.finally(() => {
				running.delete(run);
				plan(name, intervalMs, task);
			});
		}, intervalMs);
		timers.add(timer);
	}

	return {
		every: plan,
		async stop() {
			stopped = true;
			for (const timer of timers) timer.cancel();
			timers.clear();
			await Promise.all([...running]);
		}
	};
}
