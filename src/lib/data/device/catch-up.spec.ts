// S28, S126: the catch-up's progress over a batch sync whose outcomes the test hands out.
import { describe, expect, it } from 'vitest';
import type { DocName } from '../../schema/ids';
import { createCatchUp, type CatchUpProgress } from './catch-up';
import { BatchUnauthenticatedError, type BatchOutcome, type BatchSync, type BatchSyncHooks } from './batch-sync';

/** A batch sync that waits for the test: `answer` reports outcomes, `finish` ends the call. */
function scriptedSync() {
	const calls: Array<{ docNames: readonly DocName[]; hooks: BatchSyncHooks; finish: (error?: Error) => void }> = [];
	const sync: BatchSync = (docNames, hooks = {}) =>
		new Promise<void>((resolve, reject) => {
			calls.push({ docNames, hooks, finish: (error) => (error ? reject(error) : resolve()) });
		});
	const last = () => calls[calls.length - 1]!;
	return {
		sync,
		calls,
		answer(...outcomes: BatchOutcome[]) {
			for (const outcome of outcomes) last().hooks.onOutcome?.(outcome);
		},
		finish: (error?: Error) => last().finish(error)
	};
}

const synced = (docName: DocName, head = 1): BatchOutcome => ({ docName, result: 'synced', head, pending: 0, rejected: null });

describe('createCatchUp', () => {
	it('S126: progress counts documents as their batches are answered; a failure leaves no completion time', async () => {
		const script = scriptedSync();
		const catchUp = createCatchUp(script.sync, { now: () => 42 });
		const seen: CatchUpProgress[] = [];
		catchUp.onProgress((progress) => seen.push(progress));
		const run = catchUp.run(['customer:a', 'customer:b', 'customer:c', 'customer:a']);
		expect(script.calls[0]!.docNames).toEqual(['customer:a', 'customer:b', 'customer:c']);
		expect(catchUp.progress()).toMatchObject({ running: true, total: 3, done: 0, failed: 0 });
		script.answer(synced('customer:a'), { docName: 'customer:b', result: 'live' });
		expect(catchUp.progress()).toMatchObject({ running: true, done: 2, failed: 0, available: 1 });
		script.answer({ docName: 'customer:c', result: 'refused', code: 4403, reason: 'no access' });
		script.finish();
		expect(await run).toMatchObject({ running: false, total: 3, done: 2, failed: 1, completedAt: null, available: 1 });
		expect(seen.map((p) => p.done + p.failed)).toEqual([0, 1, 2, 3, 3]);
		expect(catchUp.isCaughtUp('customer:a')).toBe(true);
		expect(catchUp.isCaughtUp('customer:b')).toBe(false);

		// A run with nothing failed stamps its end.
		const again = catchUp.run(['customer:c']);
		script.answer(synced('customer:c'));
		script.finish();
		expect(await again).toMatchObject({ done: 1, failed: 0, completedAt: 42, available: 2 });
	});

	it('S126: stop aborts the sync (its signal) and ends the run; outcomes after it are not counted', async () => {
		const script = scriptedSync();
		const catchUp = createCatchUp(script.sync, { now: () => 42 });
		const run = catchUp.run(['customer:a', 'customer:b']);
		script.answer(synced('customer:a'));
		catchUp.stop();
		expect(script.calls[0]!.hooks.signal?.aborted).toBe(true);
		expect(catchUp.progress()).toMatchObject({ running: false, done: 1, completedAt: null });
		script.finish();
		expect(await run).toMatchObject({ running: false, done: 1, total: 2 });
	});

	it('S126: a session that ended (401) stops the run with the rest not done', async () => {
		const script = scriptedSync();
		const catchUp = createCatchUp(script.sync);
		const run = catchUp.run(['customer:a', 'customer:b', 'customer:c']);
		script.answer(synced('customer:a'));
		script.finish(new BatchUnauthenticatedError());
		expect(await run).toMatchObject({ running: false, total: 3, done: 1, failed: 2, completedAt: null });
	});

	it('S32: documents known to be up to date count as available without a run', () => {
		const catchUp = createCatchUp(scriptedSync().sync);
		catchUp.noteUpToDate(['customer:a', 'customer:b']);
		expect(catchUp.progress().available).toBe(2);
		expect(catchUp.isCaughtUp('customer:b')).toBe(true);
	});
});
