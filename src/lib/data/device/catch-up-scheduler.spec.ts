// S28, S32, S129: when the catch-up runs and over what, on a fake clock (no sleeps).
import { describe, expect, it } from 'vitest';
import type { DocName } from '../../schema/ids';
import type { ConnectionState } from '../sync/types';
import type { BatchOutcome } from './batch-sync';
import type { CatchUp, CatchUpProgress } from './catch-up';
import { CatchUpScheduler, type HeadsRecord, type SchedulerTimers } from './catch-up-scheduler';

function fakeTimers() {
	let now = 0;
	let nextId = 0;
	const timers = new Map<number, { at: number; every: number | null; fn: () => void }>();
	const timersApi: SchedulerTimers = {
		setTimeout: (fn, ms) => (timers.set(++nextId, { at: now + ms, every: null, fn }), nextId),
		clearTimeout: (id) => void timers.delete(id as number),
		setInterval: (fn, ms) => (timers.set(++nextId, { at: now + ms, every: ms, fn }), nextId),
		clearInterval: (id) => void timers.delete(id as number)
	};
	return {
		timers: timersApi,
		pending: () => timers.size,
		/** Moves time on, firing what falls due in order. */
		advance(ms: number) {
			const until = now + ms;
			for (;;) {
				const due = [...timers].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
				if (!due) break;
				const [id, timer] = due;
				now = timer.at;
				if (timer.every === null) timers.delete(id);
				else timer.at += timer.every;
				timer.fn();
			}
			now = until;
		}
	};
}

/** A catch-up that syncs every document it is given at once (head 7), or refuses those in `refuse`. */
function fakeCatchUp() {
	const runs: DocName[][] = [];
	const refuse = new Set<DocName>();
	let stops = 0;
	const upToDate: DocName[] = [];
	let progress: CatchUpProgress = { running: false, total: 0, done: 0, failed: 0, completedAt: null, available: 0 };
	const catchUp: CatchUp = {
		async run(docNames, onOutcome) {
			runs.push([...docNames]);
			let failed = 0;
			for (const docName of docNames) {
				const outcome: BatchOutcome = refuse.has(docName)
					? { docName, result: 'refused', code: 4403, reason: 'no access' }
					: { docName, result: 'synced', head: 7, pending: 0, rejected: null };
				if (outcome.result !== 'synced') failed += 1;
				onOutcome?.(outcome);
			}
			progress = { ...progress, running: false, total: docNames.length, done: docNames.length - failed, failed };
			return progress;
		},
		noteUpToDate: (docNames) => void upToDate.push(...docNames),
		stop: () => void (stops += 1),
		progress: () => progress,
		isCaughtUp: () => false,
		onProgress: () => () => undefined
	};
	return { catchUp, runs, refuse, upToDate, stops: () => stops };
}

function memoryHeads(initial: Record<string, number> = {}): HeadsRecord & { map: Map<DocName, number> } {
	const map = new Map(Object.entries(initial) as Array<[DocName, number]>);
	return {
		map,
		changed: (server) => [...server].filter(([docName, head]) => map.get(docName) !== head).map(([docName]) => docName),
		set: (docName, head) => void map.set(docName, head),
		flush: () => undefined
	};
}

function setUp(options: { docs?: DocName[]; heads?: Map<DocName, number> | null; synced?: Record<string, number> } = {}) {
	const clock = fakeTimers();
	const fake = fakeCatchUp();
	let connection: ConnectionState = 'offline';
	const connectionListeners = new Set<() => void>();
	const docListeners = new Set<() => void>();
	let docs = options.docs ?? ['customer:a', 'customer:b', 'customer:c'];
	let priority: DocName[] = [];
	let pending: DocName[] = [];
	const headRequests: DocName[][] = [];
	const syncedHeads = memoryHeads(options.synced);
	const scheduler = new CatchUpScheduler({
		catchUp: fake.catchUp,
		documents: () => docs,
		priority: () => priority,
		pendingDocs: () => pending,
		connection: () => connection,
		onConnection: (listener) => (connectionListeners.add(listener), () => connectionListeners.delete(listener)),
		onDocumentsChanged: (listener) => (docListeners.add(listener), () => docListeners.delete(listener)),
		heads: async (names) => {
			headRequests.push([...names]);
			if (options.heads === null) return null;
			return new Map(names.map((name) => [name, options.heads?.get(name) ?? 7]));
		},
		syncedHeads,
		timers: clock.timers
	});
	return {
		clock,
		fake,
		scheduler,
		headRequests,
		syncedHeads,
		setConnection(next: ConnectionState) {
			connection = next;
			for (const listener of connectionListeners) listener();
		},
		setDocs(next: DocName[]) {
			docs = next;
			for (const listener of docListeners) listener();
		},
		setPriority: (next: DocName[]) => void (priority = next),
		setPending: (next: DocName[]) => void (pending = next),
		/** The run started last has ended. */
		settled: () => scheduler.running ?? Promise.resolve()
	};
}

describe('CatchUpScheduler', () => {
	it('S28: runs over every document once the connection is back in sync, and stops the run when it is lost', async () => {
		const t = setUp();
		t.scheduler.start();
		expect(t.fake.runs).toEqual([]);
		t.setConnection('syncing');
		expect(t.fake.runs).toEqual([]);
		t.setConnection('online');
		await t.settled();
		expect(t.fake.runs).toEqual([['customer:a', 'customer:b', 'customer:c']]);
		// Still online (a status change that is not a reconnect): no second run.
		t.setConnection('online');
		await t.settled();
		expect(t.fake.runs).toHaveLength(1);
		t.setConnection('offline');
		expect(t.fake.stops()).toBe(1);
		t.setConnection('online');
		await t.settled();
		expect(t.fake.runs).toHaveLength(2);
		t.scheduler.stop();
		expect(t.clock.pending()).toBe(0);
	});

	it('S32: asks the heads first and syncs only what changed, recording the heads the answers give', async () => {
		const t = setUp({ synced: { 'customer:a': 7, 'customer:b': 3 } });
		t.scheduler.start();
		t.setConnection('online');
		await t.settled();
		expect(t.headRequests).toEqual([['customer:a', 'customer:b', 'customer:c']]);
		expect(t.fake.runs).toEqual([['customer:b', 'customer:c']]);
		expect(t.fake.upToDate).toEqual(['customer:a']);
		expect(Object.fromEntries(t.syncedHeads.map)).toEqual({ 'customer:a': 7, 'customer:b': 7, 'customer:c': 7 });
	});

	it('S32: without heads (offline, older server) every document is synced', async () => {
		const t = setUp({ heads: null, synced: { 'customer:a': 7 } });
		t.scheduler.start();
		t.setConnection('online');
		await t.settled();
		expect(t.fake.runs).toEqual([['customer:a', 'customer:b', 'customer:c']]);
	});

	it('S129: priority documents go first; S127: documents with unconfirmed changes run whatever their head says', async () => {
		const t = setUp({ synced: { 'customer:a': 7 } });
		t.setPriority(['customer:c', 'customer:x']);
		t.setPending(['customer:a']);
		t.scheduler.start();
		t.setConnection('online');
		await t.settled();
		expect(t.fake.runs).toEqual([['customer:c', 'customer:b', 'customer:a']]);
	});

	it('S28: a customer that appears is synced after the debounce, and only it', async () => {
		const t = setUp();
		t.scheduler.start();
		t.setConnection('online');
		await t.settled();
		t.setDocs(['customer:a', 'customer:b', 'customer:c', 'customer:d']);
		t.clock.advance(1000);
		t.setDocs(['customer:a', 'customer:b', 'customer:c', 'customer:d', 'customer:e']);
		t.clock.advance(1499);
		expect(t.fake.runs).toHaveLength(1);
		t.clock.advance(1);
		await t.settled();
		expect(t.fake.runs[1]).toEqual(['customer:d', 'customer:e']);
	});

	it('S28: every document again every 5 minutes while connected (S32: what changed), none while offline', async () => {
		const heads = new Map<DocName, number>();
		const t = setUp({ heads });
		t.scheduler.start();
		t.setConnection('online');
		await t.settled();
		heads.set('customer:b', 9);
		t.clock.advance(5 * 60_000 - 1);
		expect(t.headRequests).toHaveLength(1);
		t.clock.advance(1);
		await t.settled();
		expect(t.headRequests[1]).toEqual(['customer:a', 'customer:b', 'customer:c']);
		expect(t.fake.runs[1]).toEqual(['customer:b']);
		t.setConnection('offline');
		t.clock.advance(5 * 60_000);
		await t.settled();
		expect(t.headRequests).toHaveLength(2);
	});

	it('S126: a document the server refused is not asked again until the next connection', async () => {
		const t = setUp({ heads: null });
		t.fake.refuse.add('customer:b');
		t.scheduler.start();
		t.setConnection('online');
		await t.settled();
		t.clock.advance(5 * 60_000);
		await t.settled();
		expect(t.fake.runs[1]).toEqual(['customer:a', 'customer:c']);
		t.setConnection('offline');
		t.setConnection('online');
		await t.settled();
		expect(t.fake.runs[2]).toEqual(['customer:a', 'customer:b', 'customer:c']);
	});
});
