// The relay benchmark's fan-out case: many raw clients on many documents against our server (auth, validation, an ack
// after the commit) and against the stock y-websocket server, in the same run. Latency at a steady offered rate (open
// loop), then throughput with one edit in flight per client (closed loop: the next edit once every other client of the
// document holds the previous one).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile } from '../measure';
import { startRelayChild, startStockChild, type ServerChild } from './relay-children';
import { closeFleet, openFleet, type DocFleet } from './relay-clients';
import { benchSignIn as signIn, loadCustomerId, loadEmail } from './relay-protocol';

export interface FanOutOptions {
	readonly clients: number;
	readonly docs: number;
	/** Edits per client per second in the latency phase. */
	readonly rate: number;
	readonly warmUpSeconds: number;
	readonly latencySeconds: number;
	readonly throughputSeconds: number;
	/** Extra node flags for the server child (`--cpu-prof` to profile it). */
	readonly serverExecArgv?: readonly string[];
}

export type FanOutTarget = 'ours-sqlite' | 'ours-memory' | 'stock';

export interface FanOutRun {
	readonly p50: number;
	readonly p99: number;
	readonly samples: number;
	/** Edits per second that reached every other client of their document, one edit in flight per client. */
	readonly updatesPerSecond: number;
	/** Server CPU seconds per second during the latency phase. */
	readonly serverCpu: number;
}

const CONNECT_TIMEOUT_MS = 60_000;
const DRAIN_TIMEOUT_MS = 60_000;
/** Below the relay's per-user cap (S42, 64). */
const SOCKETS_PER_USER = 48;
/** Below the relay's per-address cap (S42, 256). */
const SOCKETS_PER_ADDRESS = 192;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function drained(docs: readonly DocFleet[]): Promise<void> {
	const deadline = performance.now() + DRAIN_TIMEOUT_MS;
	while (!docs.every((d) => d.ledger.completed === d.ledger.sentCount())) {
		if (performance.now() > deadline) throw new Error('relay bench: edits did not reach every client in time');
		await sleep(20);
	}
}

function failures(docs: readonly DocFleet[]): void {
	const failure = docs.flatMap((d) => d.clients).find((c) => c.failure !== null)?.failure;
	if (failure) throw new Error(`relay bench: ${failure}`);
}

async function startTarget(
	target: FanOutTarget,
	options: FanOutOptions,
	dataDir: string
): Promise<{ server: ServerChild; docs: DocFleet[] }> {
	const execArgv = options.serverExecArgv ?? [];
	if (target === 'stock') {
		const server = await startStockChild(execArgv);
		const base = server.url.replace(/^http/, 'ws');
		const docs = await openFleet({
			sockets: options.clients,
			docs: options.docs,
			docName: (d) => `customer:${loadCustomerId(d)}`,
			url: (docName) => `${base}/${docName}`,
			headers: () => ({}),
			localAddress: () => undefined,
			expectAcks: false,
			batch: 50,
			timeoutMs: CONNECT_TIMEOUT_MS
		});
		return { server, docs };
	}
	const users = Math.ceil(options.clients / SOCKETS_PER_USER);
	const addresses = Math.ceil(options.clients / SOCKETS_PER_ADDRESS);
	const server = await startRelayChild(
		{
			store: target === 'ours-sqlite' ? 'sqlite' : 'memory',
			dataDir,
			catchUp: null,
			load: { customers: options.docs, users }
		},
		execArgv
	);
	const cookies: string[] = [];
	for (let user = 0; user < users; user++) cookies.push(await signIn(server.url, loadEmail(user)));
	const base = `${server.url.replace(/^http/, 'ws')}/sync`;
	const docs = await openFleet({
		sockets: options.clients,
		docs: options.docs,
		docName: (d) => `customer:${loadCustomerId(d)}`,
		url: (docName) => `${base}/${docName}`,
		headers: (i) => ({ cookie: cookies[i % users]! }),
		localAddress: (i) => `127.0.0.${1 + (i % addresses)}`,
		expectAcks: true,
		batch: 50,
		timeoutMs: CONNECT_TIMEOUT_MS
	});
	return { server, docs };
}

export async function fanOutRun(target: FanOutTarget, options: FanOutOptions): Promise<FanOutRun> {
	const dataDir = mkdtempSync(join(tmpdir(), `msp-bench-fanout-${target}-`));
	let started: { server: ServerChild; docs: DocFleet[] } | null = null;
	const timers: NodeJS.Timeout[] = [];
	try {
		started = await startTarget(target, options, dataDir);
		const { server, docs } = started;
		const all = docs.flatMap((d) => d.clients);
		for (const client of all) client.edit();
		await drained(docs);

		// Latency: every client edits at `rate` on its own timer, phases spread at random.
		const intervalMs = 1000 / options.rate;
		for (const client of all) {
			timers.push(
				setTimeout(() => {
					client.edit();
					timers.push(setInterval(() => client.edit(), intervalMs));
				}, Math.random() * intervalMs)
			);
		}
		await sleep(options.warmUpSeconds * 1000);
		const measureFrom = performance.now();
		const cpuStart = server.cpuSeconds() ?? Number.NaN;
		for (const doc of docs) doc.ledger.measureFrom = measureFrom;
		await sleep(options.latencySeconds * 1000);
		for (const timer of timers.splice(0)) clearInterval(timer);
		const serverCpu = ((server.cpuSeconds() ?? Number.NaN) - cpuStart) / ((performance.now() - measureFrom) / 1000);
		for (const doc of docs) doc.ledger.measureFrom = Number.POSITIVE_INFINITY;
		await drained(docs);
		failures(docs);
		const fanOut = docs.flatMap((d) => d.ledger.fanOut);

		// Throughput: each client sends its next edit once the previous one reached every other client of its document.
		let running = true;
		const completedBefore = docs.reduce((sum, d) => sum + d.ledger.completed, 0);
		const loop = (client: (typeof all)[number]): void => {
			if (running) client.edit(() => queueMicrotask(() => loop(client)));
		};
		const throughputStart = performance.now();
		for (const client of all) loop(client);
		await sleep(options.throughputSeconds * 1000);
		const completed = docs.reduce((sum, d) => sum + d.ledger.completed, 0) - completedBefore;
		const elapsed = (performance.now() - throughputStart) / 1000;
		running = false;
		await drained(docs);
		failures(docs);
		return {
			p50: percentile(fanOut, 50),
			p99: percentile(fanOut, 99),
			samples: fanOut.length,
			updatesPerSecond: completed / elapsed,
			serverCpu
		};
	} finally {
		for (const timer of timers) clearInterval(timer);
		if (started) {
			await closeFleet(started.docs);
			await started.server.stop();
		}
		rmSync(dataDir, { recursive: true, force: true });
	}
}
