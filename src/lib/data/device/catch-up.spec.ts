// S28: the catch-up's bookkeeping (timeouts, stopping, progress) with replicas whose status the test sets.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DocName } from '../../schema/ids';
import { createReplicaSet } from './replica-set';
import { createCatchUp } from './catch-up';
import { fakeReplica } from './testing';

/** A replica set whose replicas start connected but not yet in sync; the test moves them on. */
function fakeSet() {
	const replicas = new Map<DocName, ReturnType<typeof fakeReplica>>();
	const set = createReplicaSet({ serverUrl: 'ws://relay/sync' }, (docName) => {
		const fake = fakeReplica(docName, { connection: 'syncing', syncedOnce: false });
		replicas.set(docName, fake);
		return fake.replica;
	});
	return { set, replicas };
}

afterEach(() => {
	vi.useRealTimers();
});

describe('createCatchUp', () => {
	it('S28: a document that does not get in sync in time counts as failed and the run goes on', async () => {
		vi.useFakeTimers();
		const { set, replicas } = fakeSet();
		const catchUp = createCatchUp(set, { concurrency: 1, timeoutMs: 1000 });
		const run = catchUp.run(['customer:slow', 'customer:fast']);
		expect(catchUp.progress()).toMatchObject({ running: true, total: 2, done: 0, failed: 0 });
		await vi.advanceTimersByTimeAsync(1000);
		expect(replicas.get('customer:slow')!.destroyed).toBe(true);
		replicas.get('customer:fast')!.set({ connection: 'online', syncedOnce: true });
		const result = await run;
		expect(result).toMatchObject({ running: false, total: 2, done: 1, failed: 1, completedAt: null });
		await set.destroy();
	});

	it('S28: stop lets go of the documents being synced and ends the run without a completion time', async () => {
		const { set, replicas } = fakeSet();
		const catchUp = createCatchUp(set, { concurrency: 2, now: () => 42 });
		const run = catchUp.run(['customer:a', 'customer:b', 'customer:c']);
		replicas.get('customer:a')!.set({ connection: 'online' });
		await vi.waitFor(() => expect(replicas.has('customer:c')).toBe(true));
		catchUp.stop();
		const result = await run;
		expect(result).toMatchObject({ running: false, done: 1, completedAt: null });
		expect([...replicas.values()].every((replica) => replica.destroyed)).toBe(true);
		expect(set.openReplicas()).toEqual([]);

		// A later run over the same documents completes and stamps the time.
		const again = catchUp.run(['customer:a']);
		await vi.waitFor(() => expect(set.openReplicas()).toHaveLength(1));
		replicas.get('customer:a')!.set({ connection: 'online' });
		expect(await again).toMatchObject({ running: false, total: 1, done: 1, failed: 0, completedAt: 42 });
		await set.destroy();
	});
});
