// S155-S159: many sockets on many documents against the real server in its own process (SQLite, default relay limits),
// every socket a raw y-protocols client overwriting its own contact at a steady rate. Proves that no update is lost (each
// edit acked, held by every client of its document and by the store after the server stopped) and measures edit-to-ack
// and fan-out latency and the server's RSS once a second. `npm run load` and tests/integration/load.test.ts run it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { percentile } from '../../bench/measure';
import { startRelayChild, withTimeout, type ServerChild } from '../../bench/support/relay-children';
import { closeFleet, openFleet, type DocFleet } from '../../bench/support/relay-clients';
import { BENCH_PASSWORD, LOAD_TENANT, loadCustomerId, loadEmail } from '../../bench/support/relay-protocol';
import { DEFAULT_LIMITS } from '../../server/src/relay/limits';
import { DB_FILE } from '../../server/src/pid-lock';
import { storageName } from '../../server/src/store/doc-keys';
import { openSqliteStore } from '../../server/src/store/sqlite';
import { customerDocName } from '../../src/lib/schema/ids';
import { CUSTOMER_ROOTS } from '../../src/lib/data/customer-doc';

export interface LoadOptions {
	readonly sockets: number;
	readonly docs: number;
	/** Measured seconds of edits, after the warm-up. */
	readonly seconds: number;
	readonly warmUpSeconds: number;
	/** Edits per socket per second (each socket on its own timer, phases spread at random). */
	readonly rate: number;
	/** `memory`: the server on its in-memory store, to tell the relay's own memory from SQLite's (no store check then). */
	readonly store?: 'sqlite' | 'memory';
	/** Sockets opened at once while connecting. */
	readonly connectBatch?: number;
	/** Progress lines (no user data: counts and timings). */
	readonly log?: (line: string) => void;
}

export interface Percentiles {
	readonly p50: number;
	readonly p99: number;
	readonly samples: number;
}

export interface MemoryReport {
	/** RSS in MiB at the first and last sample after the warm-up, the largest, and the fitted slope. */
	readonly startMiB: number;
	readonly endMiB: number;
	readonly maxMiB: number;
	readonly slopeMiBPerMinute: number;
	/** The slope over the measured window: how much the fitted line rose. */
	readonly growthMiB: number;
	readonly samples: number;
	/** The server's heap after a full collection, at the end of the warm-up and after the last edit. */
	readonly heapStartMiB: number;
	readonly heapEndMiB: number;
	/** RSS right after those collections, and the memory outside V8's heap then (ArrayBuffers, native). */
	readonly rssAfterGcStartMiB: number;
	readonly rssAfterGcEndMiB: number;
	readonly externalStartMiB: number;
	readonly externalEndMiB: number;
	readonly heapTotalStartMiB: number;
	readonly heapTotalEndMiB: number;
}

export interface LoadReport {
	readonly sockets: number;
	readonly docs: number;
	readonly users: number;
	readonly addresses: number;
	readonly sent: number;
	readonly measuredEdits: number;
	readonly editsPerSecond: number;
	readonly editToAck: Percentiles;
	readonly fanOut: Percentiles;
	/** Edit-to-ack p50 of the edits sent in the last 10 measured seconds: above the whole run's, a backlog was growing. */
	readonly editToAckLast10s: Percentiles;
	/** CPU seconds per second over the measured window: the server process, and this (the clients') process. */
	readonly serverCpu: number;
	readonly clientCpu: number;
	readonly memory: MemoryReport;
	/** False on the in-memory store: it went with the server, so S157's store check did not run. */
	readonly storeChecked: boolean;
	/** Every lost or refused update, socket closed by the server, or disagreement between replicas and store. */
	readonly failures: readonly string[];
}

const MiB = 1024 * 1024;
/** Sockets per user and per source address stay below the relay's caps (S42) with room for a second tab. */
const SOCKETS_PER_USER = Math.floor(DEFAULT_LIMITS.maxSocketsPerUser * 0.75);
const SOCKETS_PER_ADDRESS = Math.floor(DEFAULT_LIMITS.maxSocketsPerAddress * 0.75);
/** Bound on draining acks and fan-out after the last edit, and on connecting. */
const SETTLE_MS = 60_000;

async function signIn(url: string, email: string): Promise<string> {
	const response = await fetch(`${url}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email, password: BENCH_PASSWORD })
	});
	const cookie = response.headers.get('set-cookie')?.split(';')[0];
	if (response.status !== 204 || cookie === undefined) throw new Error(`load: sign-in answered ${response.status}`);
	return cookie;
}

function stats(values: readonly number[]): Percentiles {
	if (values.length === 0) return { p50: Number.NaN, p99: Number.NaN, samples: 0 };
	return { p50: percentile(values, 50), p99: percentile(values, 99), samples: values.length };
}

/** Least-squares slope of (seconds, MiB) samples, in MiB per minute. */
export function slopePerMinute(samples: ReadonlyArray<{ at: number; rss: number }>): number {
	if (samples.length < 2) return 0;
	const n = samples.length;
	const meanT = samples.reduce((sum, s) => sum + s.at, 0) / n;
	const meanR = samples.reduce((sum, s) => sum + s.rss, 0) / n;
	let num = 0;
	let den = 0;
	for (const s of samples) {
		num += (s.at - meanT) * (s.rss - meanR);
		den += (s.at - meanT) ** 2;
	}
	return den === 0 ? 0 : (num / den) * 60;
}

/** Polls `condition` every 20 ms up to `ms`; false when it never held. */
async function until(condition: () => boolean, ms: number): Promise<boolean> {
	const deadline = performance.now() + ms;
	while (!condition()) {
		if (performance.now() > deadline) return false;
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	return true;
}

/** S157: every replica of a document (its sockets' and the store's) holds every writer's last edit and the same state. */
function checkDoc(
	doc: DocFleet,
	holders: ReadonlyArray<[string, Y.Doc]>,
	reference: Uint8Array,
	failures: string[]
): void {
	const expectedClocks = doc.ledger.finalClocks();
	const expectedRoles = doc.clients.map((c, i) => [`s${i}`, `edit ${c.edits - 1}`] as const);
	for (const [who, replica] of holders) {
		for (const [writer, clock] of expectedClocks) {
			const held = Y.getState(replica.store, writer);
			if (held < clock) failures.push(`${doc.docName}: ${who} lacks edits of a writer (${held} < ${clock})`);
		}
		const contacts = replica.getMap<Y.Map<string>>(CUSTOMER_ROOTS.contacts);
		for (const [contactId, role] of expectedRoles) {
			const actual = contacts.get(contactId)?.get('role');
			if (actual !== role) failures.push(`${doc.docName}: ${who} shows ${contactId} as ${actual}, not ${role}`);
		}
		if (!Buffer.from(Y.encodeStateVector(replica)).equals(Buffer.from(reference)))
			failures.push(`${doc.docName}: ${who} differs from socket 0`);
	}
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
	const log = options.log ?? (() => undefined);
	const users = Math.ceil(options.sockets / SOCKETS_PER_USER);
	const addresses = Math.ceil(options.sockets / SOCKETS_PER_ADDRESS);
	if (addresses > 250) throw new Error('load: too many sockets for the loopback addresses 127.0.0.1-250');
	const dataDir = mkdtempSync(join(tmpdir(), 'msp-load-'));
	const failures: string[] = [];
	const docs: DocFleet[] = [];
	const timers: NodeJS.Timeout[] = [];
	let server: ServerChild | null = null;
	try {
		server = await startRelayChild({
			store: options.store ?? 'sqlite',
			dataDir,
			catchUp: null,
			load: { customers: options.docs, users }
		});
		const cookies: string[] = [];
		for (let user = 0; user < users; user++) cookies.push(await signIn(server.url, loadEmail(user)));
		const syncUrl = `${server.url.replace(/^http/, 'ws')}/sync`;

		// S155: socket i opens document i mod docs as user i mod users from 127.0.0.(1 + i mod addresses).
		const connectStart = performance.now();
		docs.push(
			...(await openFleet({
				sockets: options.sockets,
				docs: options.docs,
				docName: (d) => customerDocName(loadCustomerId(d)),
				url: (docName) => `${syncUrl}/${docName}`,
				headers: (i) => ({ cookie: cookies[i % users]! }),
				localAddress: (i) => `127.0.0.${1 + (i % addresses)}`,
				expectAcks: true,
				batch: options.connectBatch ?? 50,
				timeoutMs: SETTLE_MS
			}))
		);
		const all = docs.flatMap((d) => d.clients);
		log(`${options.sockets} sockets synced in ${Math.round(performance.now() - connectStart)} ms`);
		for (const client of all) client.edit();
		await withTimeout(Promise.all(all.map((c) => c.allAcked())), 'the first edits', SETTLE_MS);

		const samples: Array<{ at: number; rss: number }> = [];
		let measuring = false;
		const sampler = setInterval(() => {
			const rss = server?.rss();
			if (!measuring || rss == null) return;
			samples.push({ at: performance.now() / 1000, rss: rss / MiB });
			if (samples.length % 10 === 0) log(`${samples.length} s measured: server RSS ${(rss / MiB).toFixed(1)} MiB`);
		}, 1000);
		timers.push(sampler);
		const intervalMs = 1000 / options.rate;
		for (const client of all) {
			const start = setTimeout(() => {
				client.edit();
				timers.push(setInterval(() => client.edit(), intervalMs));
			}, Math.random() * intervalMs);
			timers.push(start);
		}
		await new Promise((resolve) => setTimeout(resolve, options.warmUpSeconds * 1000));
		const memoryStart = await server.memory();
		const sentBefore = docs.reduce((sum, d) => sum + d.ledger.sentCount(), 0);
		const serverCpuStart = server.cpuSeconds() ?? Number.NaN;
		const clientCpuStart = process.cpuUsage();
		const measureFrom = performance.now();
		for (const doc of docs) doc.ledger.measureFrom = measureFrom;
		measuring = true;
		log(`warm-up done; measuring ${options.seconds} s`);
		await new Promise((resolve) => setTimeout(resolve, options.seconds * 1000));
		for (const timer of timers.splice(0)) clearInterval(timer);
		const measuredFor = (performance.now() - measureFrom) / 1000;
		const serverCpu = ((server.cpuSeconds() ?? Number.NaN) - serverCpuStart) / measuredFor;
		const clientCpuUsed = process.cpuUsage(clientCpuStart);
		const clientCpu = (clientCpuUsed.user + clientCpuUsed.system) / 1e6 / measuredFor;
		const lastTenFrom = performance.now() - 10_000;
		const sent = docs.reduce((sum, d) => sum + d.ledger.sentCount(), 0);

		// S156: every edit acknowledged; S157: every edit reached every other socket of its document.
		const acked = await until(() => all.every((c) => c.unacked === 0 || c.failure !== null), SETTLE_MS);
		if (!acked) failures.push(`${all.reduce((sum, c) => sum + c.unacked, 0)} edits not acknowledged`);
		const delivered = await until(() => docs.every((d) => d.ledger.completed === d.ledger.sentCount()), SETTLE_MS);
		if (!delivered) failures.push('edits that did not reach every socket of their document');
		const memoryEnd = await server.memory();
		for (const client of all) if (client.failure) failures.push(client.failure);

		const references = docs.map((d) => Y.encodeStateVector(d.clients[0]!.doc));
		docs.forEach((doc, d) =>
			checkDoc(
				doc,
				doc.clients.map((c, i) => [`socket ${i}`, c.doc]),
				references[d]!,
				failures
			)
		);
		const ackLatencies = all.flatMap((c) => c.ackLatency);
		const fanOut = docs.flatMap((d) => d.ledger.fanOut);
		await closeFleet(docs);
		await server.stop();
		server = null;

		// S157: the store holds it all, read after the server stopped.
		const store = options.store === 'memory' ? null : openSqliteStore(join(dataDir, DB_FILE));
		try {
			for (const [d, doc] of store === null ? [] : docs.entries()) {
				const loaded = await store!.load(storageName(LOAD_TENANT, customerDocName(loadCustomerId(d))));
				const stored = new Y.Doc();
				if (loaded.snapshot) Y.applyUpdate(stored, loaded.snapshot);
				for (const update of loaded.updates) Y.applyUpdate(stored, update);
				checkDoc(doc, [['the store', stored]], references[d]!, failures);
			}
		} finally {
			await store?.close();
		}

		const rssValues = samples.map((s) => s.rss);
		const slope = slopePerMinute(samples);
		return {
			sockets: options.sockets,
			docs: options.docs,
			storeChecked: store !== null,
			users,
			addresses,
			sent,
			measuredEdits: sent - sentBefore,
			editsPerSecond: (sent - sentBefore) / measuredFor,
			editToAck: stats(ackLatencies.map((a) => a.ms)),
			editToAckLast10s: stats(ackLatencies.filter((a) => a.sentAt >= lastTenFrom).map((a) => a.ms)),
			serverCpu,
			clientCpu,
			fanOut: stats(fanOut),
			memory: {
				startMiB: rssValues[0] ?? Number.NaN,
				endMiB: rssValues.at(-1) ?? Number.NaN,
				maxMiB: rssValues.length > 0 ? Math.max(...rssValues) : Number.NaN,
				slopeMiBPerMinute: slope,
				growthMiB: (slope * measuredFor) / 60,
				samples: samples.length,
				heapStartMiB: memoryStart.heapUsed / MiB,
				heapEndMiB: memoryEnd.heapUsed / MiB,
				rssAfterGcStartMiB: memoryStart.rss / MiB,
				rssAfterGcEndMiB: memoryEnd.rss / MiB,
				externalStartMiB: memoryStart.external / MiB,
				externalEndMiB: memoryEnd.external / MiB,
				heapTotalStartMiB: memoryStart.heapTotal / MiB,
				heapTotalEndMiB: memoryEnd.heapTotal / MiB
			},
			failures
		};
	} finally {
		for (const timer of timers) clearInterval(timer);
		await closeFleet(docs);
		await server?.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
}
