// S28, S126: background catch-up. Documents no page has open (each customer's `customer:<id>`) are brought into the local
// store in batches (batch-sync.ts), so that every screen has its data offline (F1) without a page having been opened
// first; this module keeps the run's progress for the sync details.
import type { DocName } from '../../schema/ids';
import { BatchUnauthenticatedError, type BatchOutcome, type BatchSync } from './batch-sync';

export interface CatchUpProgress {
	/** A run is going on. */
	readonly running: boolean;
	/** Documents of the current (or last) run. */
	readonly total: number;
	/** Documents brought up to date with the server in it. */
	readonly done: number;
	/** Documents refused or not answered; the next run tries them again. */
	readonly failed: number;
	/** When the last run with no failure ended (ms since the epoch), or null. */
	readonly completedAt: number | null;
	/** Documents brought up to date by any run so far. */
	readonly available: number;
}

export interface CatchUpOptions {
	now?: () => number;
}

export interface CatchUp {
	/**
	 * Starts a run over `docNames` (a run going on is stopped first). Resolves when the run ends or is stopped.
	 * `onOutcome` hears of each document as its batch is answered.
	 */
	run(docNames: readonly DocName[], onOutcome?: (outcome: BatchOutcome) => void): Promise<CatchUpProgress>;
	/** S32: documents known to be up to date without asking (their server head has not moved) count as available. */
	noteUpToDate(docNames: Iterable<DocName>): void;
	/** Stops the current run: requests in flight are cancelled, nothing more is stored. */
	stop(): void;
	progress(): CatchUpProgress;
	/** Whether a run has brought `docName` up to date. */
	isCaughtUp(docName: DocName): boolean;
	onProgress(listener: (progress: CatchUpProgress) => void): () => void;
}

const IDLE: CatchUpProgress = { running: false, total: 0, done: 0, failed: 0, completedAt: null, available: 0 };

export function createCatchUp(sync: BatchSync, options: CatchUpOptions = {}): CatchUp {
	const now = options.now ?? Date.now;
	const listeners = new Set<(progress: CatchUpProgress) => void>();
	let current: CatchUpProgress = IDLE;
	let controller: AbortController | null = null;
	const caughtUp = new Set<DocName>();

	const publish = (next: CatchUpProgress): void => {
		current = next;
		for (const listener of listeners) listener(next);
	};

	function stop(): void {
		controller?.abort();
		controller = null;
		if (current.running) publish({ ...current, running: false });
	}

	return {
		async run(docNames, onOutcome) {
			stop();
			const mine = new AbortController();
			controller = mine;
			const queue = [...new Set(docNames)];
			let done = 0;
			let failed = 0;
			const completedAt = current.completedAt;
			publish({ running: true, total: queue.length, done, failed, completedAt, available: caughtUp.size });
			let stoppedEarly = false;
			try {
				await sync(queue, {
					signal: mine.signal,
					onOutcome(outcome) {
						if (outcome.result === 'synced') {
							done += 1;
							caughtUp.add(outcome.docName);
						} else if (outcome.result === 'live') done += 1;
						else failed += 1;
						onOutcome?.(outcome);
						publish({ running: true, total: queue.length, done, failed, completedAt, available: caughtUp.size });
					}
				});
			} catch (error) {
				// The session ended: the run stops; what is not done counts as not done, the next sign-in catches up.
				if (!(error instanceof BatchUnauthenticatedError)) console.warn('sync: the catch-up run failed');
				stoppedEarly = true;
			}
			if (mine.signal.aborted) return current;
			controller = null;
			const finished: CatchUpProgress = {
				running: false,
				total: queue.length,
				done,
				failed: stoppedEarly ? queue.length - done : failed,
				completedAt: !stoppedEarly && failed === 0 ? now() : completedAt,
				available: caughtUp.size
			};
			publish(finished);
			return finished;
		},
		stop,
		noteUpToDate(upToDate) {
			const before = caughtUp.size;
			for (const docName of upToDate) caughtUp.add(docName);
			if (caughtUp.size !== before) publish({ ...current, available: caughtUp.size });
		},
		progress: () => current,
		isCaughtUp: (docName) => caughtUp.has(docName),
		onProgress(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		}
	};
}
