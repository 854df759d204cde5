// Seeds a data directory with a tenant of two customers whose server-written summaries hold failed jobs and open service
// requests at times relative to now (as engineer A's integrations would write them), and one customer document with its
// jobs and the request. Run as a script (a child process, like the CLI):
//   node --import tsx tests/e2e/support/seed-work.ts <dataDir>
// prints one JSON line: the tenant, the owner and the ids the tests need.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createUserAccount } from '../../../server/src/auth/auth';
import { DB_FILE } from '../../../server/src/pid-lock';
import { storageName } from '../../../server/src/store/doc-keys';
import { openSqliteStore } from '../../../server/src/store/sqlite';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import { CUSTOMER_ROOTS } from '../../../src/lib/data/customer-doc';
import { EMPTY_SUMMARY, toEpochMinutes } from '../../../src/lib/schema/customer-summary';
import type { Job } from '../../../src/lib/schema/customer';
import { customerDocName, tenantDocName } from '../../../src/lib/schema/ids';

/** The password of fixtures.ts (not imported: this script runs without Playwright). */
const SEED_PASSWORD = 'correct horse battery';
const FAST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };
const HOUR = 3_600_000;

export interface WorkSeed {
	readonly tenantId: string;
	readonly owner: string;
	readonly fabrikam: string;
	readonly contoso: string;
}

export async function seedWork(dataDir: string): Promise<WorkSeed> {
	mkdirSync(dataDir, { recursive: true, mode: 0o700 });
	const store = openSqliteStore(join(dataDir, DB_FILE));
	const now = Date.now();
	const at = (hoursAgo: number) => new Date(now - hoursAgo * HOUR).toISOString();
	const tenantId = 'northwind';
	try {
		await store.createTenant({ id: tenantId, name: 'Northwind IT Services', createdAt: new Date(now).toISOString() });
		const doc = new Y.Doc();
		const repo = new TenantRepository(doc);
		repo.setTenantName('Northwind IT Services');
		const msp = repo.createNode({ kind: 'msp', name: 'Northwind MSP', parentId: null });
		const fabrikam = repo.createNode({ kind: 'customer', name: 'Fabrikam S.A.', parentId: msp });
		const contoso = repo.createNode({ kind: 'customer', name: 'Contoso GmbH', parentId: msp });
		const failed = (jobId: string, hoursAgo: number, service: string): Job => ({
			jobId,
			service,
			module: 'Mailboxes',
			status: 'failed',
			startedAt: at(hoursAgo + 1),
			endedAt: at(hoursAgo)
		});
		const fabrikamJobs = [failed('FAB-0002', 2, 'Exchange backup'), failed('FAB-0001', 50, 'Teams backup')];
		const contosoJobs = [failed('CON-0007', 5, 'OneDrive backup'), failed('CON-0003', 24 * 20, 'Exchange backup')];
		const request = {
			requestId: 'TKT-4711',
			subject: 'Restore the CEO mailbox',
			status: 'open' as const,
			submittedAt: at(3)
		};
		const summary = (jobs: Job[], requests: (typeof request)[]) => ({
			...EMPTY_SUMMARY,
			updatedAt: new Date(now).toISOString(),
			failedJobEnds: jobs.map((job) => toEpochMinutes(job.endedAt)),
			failedJobs: jobs.map(({ jobId, service, module, startedAt, endedAt }) => ({
				jobId,
				service,
				module,
				startedAt,
				endedAt
			})),
			requestSubmissions: requests.map((r) => toEpochMinutes(r.submittedAt)),
			openRequests: requests.length,
			requests
		});
		repo.putSummary(fabrikam, summary(fabrikamJobs, [request]));
		repo.putSummary(contoso, summary(contosoJobs, []));
		await store.append(tenantDocName(tenantId), Y.encodeStateAsUpdate(doc));
		doc.destroy();

		// Fabrikam's own document: its jobs (one that succeeded too) and the request the summary names.
		const customer = new Y.Doc();
		const jobs = customer.getMap(CUSTOMER_ROOTS.jobs);
		for (const job of [...fabrikamJobs, { ...failed('FAB-0003', 1, 'Exchange backup'), status: 'succeeded' as const }])
			jobs.set(job.jobId, job);
		const record = new Y.Map<unknown>();
		customer.getMap(CUSTOMER_ROOTS.serviceRequests).set(request.requestId, record);
		record.set('subject', request.subject);
		record.set('details', 'The mailbox of the CEO is empty since this morning.');
		record.set('status', 'open');
		record.set('submittedAt', request.submittedAt);
		record.set('source', 'Ticketing');
		await store.append(storageName(tenantId, customerDocName(fabrikam)), Y.encodeStateAsUpdate(customer));
		customer.destroy();

		const owner = 'owner@northwind.example';
		await createUserAccount(store, {
			tenantId,
			email: owner,
			password: SEED_PASSWORD,
			role: 'superAdmin',
			id: 'owner',
			now: new Date(now),
			scrypt: FAST_SCRYPT
		});
		await store.setTenantOwner(tenantId, 'owner');
		return { tenantId, owner, fabrikam, contoso };
	} finally {
		await store.close();
	}
}

if (process.argv[1]?.endsWith('seed-work.ts')) {
	const [dataDir] = process.argv.slice(2);
	if (!dataDir) throw new Error('usage: seed-work.ts <dataDir>');
	process.stdout.write(`${JSON.stringify(await seedWork(dataDir))}\n`);
}
