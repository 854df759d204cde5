// Group commit: the writes asked for in one turn of the event loop share ONE SQLite transaction, so ONE fsync
// (synchronous = FULL) makes all of them durable. Under load, 50 busy documents each committing their batch and its audit
// rows on their own meant 100 fsyncs in a row with no socket served meanwhile (docs/performance.md, Relay).
import type Database from 'better-sqlite3';

interface Job {
	run(): unknown;
	resolve(value: unknown): void;
	reject(error: unknown): void;
}

export interface GroupCommit {
	/** Runs `write` inside the next group transaction (its own savepoint: if it throws, only it is undone and rejected). */
	add<T>(write: () => T): Promise<T>;
	/** Commits what is queued now (before closing the database). */
	flush(): void;
}

export function groupCommit(db: Database.Database): GroupCommit {
	let queued: Job[] = [];
	let scheduled: NodeJS.Immediate | null = null;

	const flush = (): void => {
		if (scheduled !== null) clearImmediate(scheduled);
		scheduled = null;
		const jobs = queued;
		queued = [];
		if (jobs.length === 0) return;
		const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
		try {
			db.transaction(() => {
				for (const job of jobs) {
					try {
						// A nested better-sqlite3 transaction is a savepoint: a failing write rolls back alone.
						outcomes.push({ ok: true, value: db.transaction(() => job.run())() });
					} catch (error) {
						outcomes.push({ ok: false, error });
					}
				}
			})();
		} catch (error) {
			// The commit itself failed (disk full, I/O error): nothing of the group is stored, every caller hears it.
			for (const job of jobs) job.reject(error);
			return;
		}
		jobs.forEach((job, index) => {
			const outcome = outcomes[index]!;
			if (outcome.ok) job.resolve(outcome.value);
			else job.reject(outcome.error);
		});
	};

	return {
		add<T>(write: () => T): Promise<T> {
			return new Promise<T>((resolve, reject) => {
				queued.push({ run: write, resolve: resolve as (value: unknown) => void, reject });
				scheduled ??= setImmediate(flush);
			});
		},
		flush
	};
}
