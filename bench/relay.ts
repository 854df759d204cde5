// The relay under load: N y-websocket writers renaming nodes until every edit is acknowledged, and a client catching up
// on a long history. Durability's cost shows against the same server and workload on the in-memory store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TenantRepository } from '../src/lib/data/tenant-repository';
import { openReplica } from '../src/lib/data/device/replica';
import type { Replica } from '../src/lib/data/sync/types';
import { tenantDocName } from '../src/lib/schema/ids';
import { socketWithHeaders, waitForStatus } from '../tests/helpers/sync-clients';
import { median, percentile, type BenchResult } from './measure';
import { startRelayChild, withTimeout } from './support/relay-children';
import { fanOutRun, type FanOutOptions } from './support/relay-fanout';
import {
	benchSignIn as signIn,
	WRITERS_CUSTOMERS,
	WRITERS_EMAIL,
	WRITERS_TENANT,
	catchUpEmail,
	catchUpTenant
} from './support/relay-protocol';

export interface RelayBenchOptions {
	readonly writers: number;
	/** Edits per writer in the measured run. */
	readonly editsPerWriter: number;
	/** Edits a writer has sent and not yet seen acknowledged, at most (a closed loop). */
	readonly inFlight: number;
	/** Measured runs of the workload on one server: throughput is their median, latencies are pooled. */
	readonly rounds: number;
	readonly catchUpUpdates: number;
	/** Cold joins per catch-up case (each on its own document, so each one loads from the store). */
	readonly catchUpJoins: number;
	/** The fan-out case against the stock y-websocket server. */
	readonly fanOut: FanOutOptions;
}

const DEFAULTS: RelayBenchOptions = {
	writers: 4,
	editsPerWriter: 250,
	inFlight: 4,
	rounds: 3,
	catchUpUpdates: 2_000,
	catchUpJoins: 3,
	fanOut: {
		clients: 200,
		docs: 50,
		rate: 2,
		warmUpSeconds: 3,
		latencySeconds: 10,
		throughputSeconds: 5,
		// BENCH_CPU_PROF=<dir>: V8 CPU profiles of the server processes, to see where the time goes.
		serverExecArgv: process.env['BENCH_CPU_PROF'] ? ['--cpu-prof', '--cpu-prof-dir', process.env['BENCH_CPU_PROF']] : []
	}
};

const WARM_UP_EDITS = 30;
const MiB = 1024 * 1024;

function openClient(url: string, tenantId: string, cookie: string): Replica {
	return openReplica(tenantDocName(tenantId), {
		serverUrl: `${url.replace(/^http/, 'ws')}/sync`,
		persistence: false,
		storage: null,
		WebSocketPolyfill: socketWithHeaders({ cookie })
	});
}

/** One writer: renames its own customers in a closed loop of at most `inFlight` unacknowledged edits. */
class Writer {
	readonly #repo: TenantRepository;
	readonly #sentAt: number[] = [];
	readonly latencies: number[] = [];
	#issued = 0;
	#target = 0;
	#round = 0;
	#done: (() => void) | null = null;

	constructor(
		readonly replica: Replica,
		readonly index: number,
		readonly inFlight: number
	) {
		this.#repo = new TenantRepository(replica.doc);
		// S6: pending drops as acks arrive, oldest first (one connection, one queue on the relay): those edits are durable now.
		replica.onStatus((status) => {
			const now = performance.now();
			while (this.#sentAt.length > status.pending) this.latencies.push(now - this.#sentAt.shift()!);
			// Not from inside the replica's notification: the next edit would notify again while this one is running.
			queueMicrotask(() => this.#pump());
		});
	}

	/** Makes `edits` more edits; resolves when every one of them is acknowledged. */
	run(edits: number): Promise<void> {
		this.latencies.length = 0;
		this.#target = this.#issued + edits;
		this.#round += 1;
		return new Promise((resolve) => {
			this.#done = resolve;
			this.#pump();
		});
	}

	#pump(): void {
		while (this.#sentAt.length < this.inFlight && this.#issued < this.#target) {
			const customer = `cust-${(this.index * 7 + this.#issued) % WRITERS_CUSTOMERS}`;
			this.#sentAt.push(performance.now());
			this.#repo.rename(customer, `Writer ${this.index} round ${this.#round} edit ${this.#issued}`);
			this.#issued += 1;
		}
		if (this.#issued >= this.#target && this.#sentAt.length === 0 && this.#done) {
			const done = this.#done;
			this.#done = null;
			done();
		}
	}
}

interface WriteRun {
	readonly updatesPerSecond: number;
	readonly p50: number;
	readonly p95: number;
	readonly rssGrowth: number;
	readonly heapGrowth: number;
}

async function writeWorkload(store: 'sqlite' | 'memory', options: RelayBenchOptions): Promise<WriteRun> {
	const dataDir = mkdtempSync(join(tmpdir(), `msp-bench-relay-${store}-`));
	const server = await startRelayChild({ store, dataDir, catchUp: null, load: null });
	const replicas: Replica[] = [];
	try {
		const cookie = await signIn(server.url, WRITERS_EMAIL);
		for (let i = 0; i < options.writers; i++) replicas.push(openClient(server.url, WRITERS_TENANT, cookie));
		await withTimeout(
			Promise.all(replicas.map((r) => waitForStatus(r, (s) => s.connection === 'online'))),
			'the writers connecting'
		);
		const writers = replicas.map((replica, i) => new Writer(replica, i, options.inFlight));
		await withTimeout(Promise.all(writers.map((w) => w.run(WARM_UP_EDITS))), 'the warm-up');

		const before = await server.memory();
		const rates: number[] = [];
		const latencies: number[] = [];
		for (let round = 0; round < options.rounds; round++) {
			const start = performance.now();
			await withTimeout(Promise.all(writers.map((w) => w.run(options.editsPerWriter))), 'the measured writes');
			const elapsed = performance.now() - start;
			rates.push((options.writers * options.editsPerWriter) / (elapsed / 1000));
			latencies.push(...writers.flatMap((w) => w.latencies));
		}
		const after = await server.memory();
		return {
			updatesPerSecond: median(rates),
			p50: percentile(latencies, 50),
			p95: percentile(latencies, 95),
			rssGrowth: (after.rss - before.rss) / MiB,
			heapGrowth: (after.heapUsed - before.heapUsed) / MiB
		};
	} finally {
		await Promise.all(replicas.map((r) => r.destroy()));
		await server.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
}

/** Milliseconds from opening a fresh replica (no local copy) to its first completed sync, for each cold document. */
async function catchUp(options: RelayBenchOptions): Promise<{ raw: number; compacted: number }> {
	const dataDir = mkdtempSync(join(tmpdir(), 'msp-bench-relay-catchup-'));
	const server = await startRelayChild({
		store: 'sqlite',
		dataDir,
		catchUp: { updates: options.catchUpUpdates, copies: options.catchUpJoins + 1 },
		load: null
	});
	try {
		const join = async (kind: 'raw' | 'compacted', copy: number): Promise<number> => {
			const cookie = await signIn(server.url, catchUpEmail(kind, copy));
			const start = performance.now();
			const replica = openClient(server.url, catchUpTenant(kind, copy), cookie);
			try {
				await withTimeout(
					waitForStatus(replica, (s) => s.syncedOnce),
					`catching up on ${kind} copy ${copy}`
				);
				return performance.now() - start;
			} finally {
				await replica.destroy();
			}
		};
		// Copy 0 of each warms up the server's code paths; the rest alternate so that neither case always goes first.
		await join('raw', 0);
		await join('compacted', 0);
		const raw: number[] = [];
		const compacted: number[] = [];
		for (let copy = 1; copy <= options.catchUpJoins; copy++) {
			raw.push(await join('raw', copy));
			compacted.push(await join('compacted', copy));
		}
		return { raw: median(raw), compacted: median(compacted) };
	} finally {
		await server.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
}

export async function benchRelay(overrides: Partial<RelayBenchOptions> = {}): Promise<BenchResult[]> {
	const options = { ...DEFAULTS, ...overrides };
	const memory = await writeWorkload('memory', options);
	const sqlite = await writeWorkload('sqlite', options);
	const joined = await catchUp(options);
	const fanOut = await benchFanOut(options.fanOut);
	const load = `${options.writers} writers × ${options.editsPerWriter} renames, ≤${options.inFlight} in flight each, median of ${options.rounds}`;
	const baselineName = 'same relay, in-memory store';
	return [
		{
			name: `relay throughput to ack, ${load}`,
			unit: 'updates/s',
			ours: sqlite.updatesPerSecond,
			baseline: memory.updatesPerSecond,
			baselineName
		},
		{ name: 'relay edit → ack latency p50', unit: 'ms', ours: sqlite.p50, baseline: memory.p50, baselineName },
		{ name: 'relay edit → ack latency p95', unit: 'ms', ours: sqlite.p95, baseline: memory.p95, baselineName },
		{
			name: `relay server heap growth (after GC) over ${options.rounds} rounds`,
			unit: 'MiB',
			ours: sqlite.heapGrowth,
			baseline: memory.heapGrowth,
			baselineName
		},
		{
			name: `relay server RSS growth over ${options.rounds} rounds`,
			unit: 'MiB',
			ours: sqlite.rssGrowth,
			baseline: memory.rssGrowth,
			baselineName
		},
		{
			name: `catch-up: fresh client joins a doc of ${options.catchUpUpdates.toLocaleString('en')} stored updates`,
			unit: 'ms',
			ours: joined.raw,
			baseline: joined.compacted,
			baselineName: 'same doc compacted to one snapshot'
		},
		...fanOut
	];
}

/** `npm run bench -- relay-fanout`: the comparison with the stock server alone. */
export function benchRelayFanOut(): Promise<BenchResult[]> {
	return benchFanOut(DEFAULTS.fanOut);
}

/** Ours (SQLite; and on the in-memory store, to tell the relay's own cost from the commit's) against the stock server. */
async function benchFanOut(options: FanOutOptions): Promise<BenchResult[]> {
	const stock = await fanOutRun('stock', options);
	const sqlite = await fanOutRun('ours-sqlite', options);
	const memory = await fanOutRun('ours-memory', options);
	const load = `${options.clients} clients on ${options.docs} docs`;
	const baselineName = 'stock y-websocket server (no auth, no validation, no persistence)';
	const rows: BenchResult[] = [];
	for (const [label, ours] of [
		['SQLite', sqlite],
		['in-memory store', memory]
	] as const) {
		rows.push(
			{
				name: `relay fan-out p50, ${load}, ${options.rate} edits/s each (ours: ${label})`,
				unit: 'ms',
				ours: ours.p50,
				baseline: stock.p50,
				baselineName
			},
			{
				name: `relay fan-out p99, ${load}, ${options.rate} edits/s each (ours: ${label})`,
				unit: 'ms',
				ours: ours.p99,
				baseline: stock.p99,
				baselineName
			},
			{
				name: `relay updates/s to every other client, ${load}, 1 in flight each (ours: ${label})`,
				unit: 'updates/s',
				ours: ours.updatesPerSecond,
				baseline: stock.updatesPerSecond,
				baselineName
			}
		);
	}
	process.stderr.write(
		`relay fan-out: server CPU s/s in the latency phase: stock ${stock.serverCpu.toFixed(2)}, ours SQLite ${sqlite.serverCpu.toFixed(2)}, ours memory ${memory.serverCpu.toFixed(2)}\n`
	);
	return rows;
}
