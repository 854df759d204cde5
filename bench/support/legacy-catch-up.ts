// The benchmark baseline (bench/catch-up.ts): the per-document catch-up as it was before the batched one (S28 before
// S126): a websocket per document, three at a time, each kept in a y-indexeddb database of its own. Frozen copy of
// src/lib/data/device/catch-up.ts at c2e330c; not used by the app.
// S28: background catch-up. Documents no page has open (each customer's `customer:<id>`) are synced into the local copy a
// few at a time, so that every screen has its data offline (F1) without a page having been opened first.
import type { DocName } from '../../src/lib/schema/ids';
import type { ReplicaSet } from '../../src/lib/data/device/replica-set';
import type { ReplicaStatus } from '../../src/lib/data/sync/types';

export interface CatchUpProgress {
	/** A run is going on. */
	readonly running: boolean;
	/** Documents of the current (or last) run. */
	readonly total: number;
	/** Documents brought up to date with the server in it. */
	readonly done: number;
	/** Documents the relay refused or that did not finish in time; the next run tries them again. */
	readonly failed: number;
	/** When the last run with no failure ended (ms since the epoch), or null. */
	readonly completedAt: number | null;
	/** Documents brought up to date by any run so far. */
	readonly available: number;
}

export interface CatchUpOptions {
	/** Documents synced at the same time (default 3). */
	concurrency?: number;
	/** A document that is not in sync after this long counts as failed for this run (default 30 s). */
	timeoutMs?: number;
	now?: () => number;
}

export interface CatchUp {
	/**
	 * Starts a run over `docNames` (a run going on is stopped first). Resolves when the run ends or is stopped.
	 * `onSynced` hears of each document brought up to date.
	 */
	run(docNames: readonly DocName[], onSynced?: (docName: DocName) => void): Promise<CatchUpProgress>;
	/** S32: documents known to be up to date without opening them (their server head has not moved) count as available. */
	noteUpToDate(docNames: Iterable<DocName>): void;
	/** Stops the current run; documents being synced are let go. */
	stop(): void;
	progress(): CatchUpProgress;
	/** Whether a run has brought `docName` up to date. */
	isCaughtUp(docName: DocName): boolean;
	onProgress(listener: (progress: CatchUpProgress) => void): () => void;
}

type Outcome = 'synced' | 'failed' | 'stopped';

const IDLE: CatchUpProgress = { running: false, total: 0, done: 0, failed: 0, completedAt: null, available: 0 };

export function createLegacyCatchUp(set: ReplicaSet, options: CatchUpOptions = {}): CatchUp {
	const concurrency = Math.max(1, options.concurrency ?? 3);
	const timeoutMs = options.timeoutMs ?? 30_000;
	const now = options.now ?? Date.now;
	const listeners = new Set<(progress: CatchUpProgress) => void>();
	let current: CatchUpProgress = IDLE;
	/** Each run gets a token; stopping or starting another run makes the old token stale. */
	let runToken = 0;
	const stoppers = new Set<() => void>();
	const caughtUp = new Set<DocName>();

	const publish = (next: CatchUpProgress): void => {
		current = next;
		for (const listener of listeners) listener(next);
	};

	/** Syncs one document: holds it until the relay says it is in sync and nothing local waits, then lets it go. */
	function syncOne(docName: DocName): Promise<Outcome> {
		const lease = set.acquire(docName, { background: true });
		return new Promise<Outcome>((resolve) => {
			let settled = false;
			const finish = (outcome: Outcome): void => {
				if (settled) return;
				settled = true;
				clearTimeout(timer);
				unsubscribe();
				stoppers.delete(stopThis);
				// A document still holding unconfirmed changes stays open in the set until they are confirmed (S27).
				void lease.release().then(() => resolve(outcome));
			};
			const stopThis = (): void => finish('stopped');
			const check = (status: ReplicaStatus): void => {
				if (status.connection === 'refused') finish('failed');
				else if (status.loaded && status.connection === 'online') finish('synced');
			};
			const timer = setTimeout(() => finish('failed'), timeoutMs);
			const unsubscribe = lease.replica.onStatus(check);
			stoppers.add(stopThis);
			check(lease.replica.status());
		});
	}

	function stop(): void {
		runToken += 1;
		for (const stopOne of [...stoppers]) stopOne();
		if (current.running) publish({ ...current, running: false });
	}

	return {
		async run(docNames, onSynced) {
			stop();
			const token = ++runToken;
			const queue = [...new Set(docNames)];
			let done = 0;
			let failed = 0;
			const completedAt = current.completedAt;
			publish({ running: true, total: queue.length, done, failed, completedAt, available: caughtUp.size });
			let next = 0;
			let stopped = false;
			const worker = async (): Promise<void> => {
				while (next < queue.length && token === runToken) {
					const docName = queue[next++]!;
					const outcome = await syncOne(docName);
					if (token !== runToken || outcome === 'stopped') {
						stopped = true;
						return;
					}
					if (outcome === 'synced') {
						done += 1;
						caughtUp.add(docName);
						onSynced?.(docName);
					} else failed += 1;
					publish({ running: true, total: queue.length, done, failed, completedAt, available: caughtUp.size });
				}
			};
			await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
			if (token !== runToken) return current;
			const finished: CatchUpProgress = {
				running: false,
				total: queue.length,
				done,
				failed,
				completedAt: !stopped && failed === 0 ? now() : completedAt,
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
