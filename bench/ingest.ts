// Issue 9's ingest targets: 10,000 job events through the integrations API (10 calls of 1,000, an in-process server on
// 127.0.0.1:0 with its SQLite store in a temp dir) against raw inserts of the same rows into SQLite (one prepared insert
// in one transaction); and the size of a customer document after 90 (and 180) days of 50 jobs a day with the daily fold.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createServer } from '../server/src/app';
import { systemClock } from '../server/src/clock';
import { testConfig } from '../server/src/config';
import { createIntegrationToken } from '../server/src/integrations/tokens';
import { createLogger } from '../server/src/log';
import { openSqliteStore } from '../server/src/store/sqlite';
import { foldJobsBefore, putJobs } from '../src/lib/data/customer-feed';
import { TenantRepository } from '../src/lib/data/tenant-repository';
import { JOB_WINDOW_DAYS, type Job } from '../src/lib/schema/customer';
import { ingestResponseSchema } from '../src/lib/schema/integrations';
import type { BenchResult } from './measure';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100);
const CALLS = 10;
const PER_CALL = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

function jobEvent(n: number) {
	const ended = Date.UTC(2026, 10, 1) + n * 60_000;
	return {
		jobId: `job-${n}`,
		customerId: `c-${n % CUSTOMERS}`,
		service: 'Exchange backup',
		module: n % 3 === 0 ? 'Mailboxes' : 'Archive',
		status: n % 17 === 0 ? 'failed' : 'succeeded',
		startedAt: new Date(ended - 600_000).toISOString(),
		endedAt: new Date(ended).toISOString(),
		bytes: 1000 + n
	};
}

async function throughApi(dir: string): Promise<number> {
	const store = openSqliteStore(join(dir, 'portal.db'));
	const server = createServer({
		store,
		clock: systemClock,
		log: createLogger('silent'),
		config: testConfig({ buildDir: '/nonexistent-build', dataDir: dir })
	});
	try {
		const { url } = await server.listen();
		await store.createTenant({ id: 'bench', name: 'Bench MSP', createdAt: new Date().toISOString() });
		await server.relay.change('tenant:bench', (doc) => {
			let next = 0;
			const ids = ['msp', ...Array.from({ length: CUSTOMERS }, (_, i) => `c-${i}`)];
			const repo = new TenantRepository(doc, { newId: () => ids[next++]! });
			const msp = repo.createNode({ kind: 'msp', name: 'Bench MSP', parentId: null });
			for (let i = 0; i < CUSTOMERS; i++)
				repo.createNode({ kind: 'customer', name: `Customer ${i}`, parentId: msp, status: 'normal' });
		});
		const { secret } = await createIntegrationToken(store, {
			tenantId: 'bench',
			name: 'Bench backup',
			createdBy: null,
			now: new Date()
		});
		const bodies = Array.from({ length: CALLS }, (_, c) =>
			JSON.stringify({ items: Array.from({ length: PER_CALL }, (_, i) => jobEvent(c * PER_CALL + i)) })
		);
		const start = performance.now();
		for (const body of bodies) {
			const response = await fetch(`${url}/api/v1/jobs`, {
				method: 'POST',
				headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
				body
			});
			const answer = ingestResponseSchema.parse(await response.json());
			if (answer.accepted !== PER_CALL) throw new Error(`accepted ${answer.accepted} of ${PER_CALL}`);
		}
		return performance.now() - start;
	} finally {
		await server.close();
		await store.close();
	}
}

/** The same rows into the same table, one prepared insert in one transaction: what SQLite alone costs. */
function rawInserts(dir: string): number {
	const store = openSqliteStore(join(dir, 'raw.db'));
	void store.close();
	const db = new Database(join(dir, 'raw.db'));
	db.pragma('journal_mode = WAL');
	db.pragma('synchronous = FULL');
	const rows = Array.from({ length: CALLS * PER_CALL }, (_, n) => jobEvent(n));
	const insert = db.prepare(
		'INSERT INTO ingested_jobs (tenant_id, job_id, customer_id, status, ended_at, bytes, folded) VALUES (?, ?, ?, ?, ?, ?, 0)'
	);
	const start = performance.now();
	db.transaction(() => {
		for (const r of rows) insert.run('bench', r.jobId, r.customerId, r.status, r.endedAt, r.bytes);
	})();
	const ms = performance.now() - start;
	db.close();
	return ms;
}

function jobsOfDay(day: number): Job[] {
	const start = Date.UTC(2026, 0, 1);
	return Array.from({ length: 50 }, (_, i) => {
		const ended = start + day * DAY_MS + i * 20 * 60_000;
		return {
			jobId: `job-${day}-${i}`,
			service: 'Exchange backup',
			module: ['Mailboxes', 'Archive', 'Calendar', 'Contacts', 'Public folders'][i % 5]!,
			status: i % 23 === 0 ? 'failed' : 'succeeded',
			startedAt: new Date(ended - 600_000).toISOString(),
			endedAt: new Date(ended).toISOString(),
			bytes: 10_000_000 + i
		};
	});
}

/** A customer document that got 50 jobs a day for `days` days, one change a day, folded daily as the server does. */
function documentAfter(days: number, fold: boolean): number {
	const doc = new Y.Doc();
	const start = Date.UTC(2026, 0, 1);
	for (let day = 0; day < days; day++) {
		putJobs(doc, jobsOfDay(day));
		if (fold) foldJobsBefore(doc, new Date(start + (day + 1) * DAY_MS - JOB_WINDOW_DAYS * DAY_MS));
	}
	// What the store holds once compacted (S16), and what a device downloads on first sync.
	const size = Y.encodeStateAsUpdate(doc).byteLength;
	doc.destroy();
	return size;
}

/** The same 90 days of jobs as plain JSON text: what the data is without a CRDT. */
function jsonOf90Days(): number {
	const jobs = Array.from({ length: JOB_WINDOW_DAYS }, (_, day) => jobsOfDay(day)).flat();
	return Buffer.byteLength(JSON.stringify(jobs));
}

export async function benchIngest(): Promise<BenchResult[]> {
	const dir = mkdtempSync(join(tmpdir(), 'msp-bench-ingest-'));
	try {
		const apiMs = await throughApi(dir);
		const rawMs = rawInserts(dir);
		const total = CALLS * PER_CALL;
		return [
			{
				name: `ingest ${total.toLocaleString('en')} job events over HTTP (${CALLS} calls, ${CUSTOMERS} customers)`,
				unit: 'jobs/s',
				ours: (total / apiMs) * 1000,
				baseline: (total / rawMs) * 1000,
				baselineName: 'raw SQLite inserts, one transaction'
			},
			{
				name: 'customer document after 90 days of 50 jobs a day (daily fold)',
				unit: 'bytes',
				ours: documentAfter(90, true),
				baseline: jsonOf90Days(),
				baselineName: 'the same jobs as JSON text'
			},
			{
				name: 'customer document after 365 days of 50 jobs a day (daily fold)',
				unit: 'bytes',
				ours: documentAfter(365, true),
				baseline: documentAfter(365, false),
				baselineName: 'the same without the fold'
			}
		];
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
