// Seeds a data directory for the custom and insight report tests (P8, P11), before a server starts: a tenant of four
// customers with countries, server summaries (failed jobs, storage, insight findings) and licenses, written into the
// tenant document as the server and the import would. Run as a script (a child process, like the CLI):
//   node --import tsx tests/e2e/support/seed-custom-reports.ts <dataDir>
// prints one JSON line: the tenant, the people and the customer ids the tests need.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createUserAccount } from '../../../server/src/auth/auth';
import { DB_FILE } from '../../../server/src/pid-lock';
import { openSqliteStore } from '../../../server/src/store/sqlite';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import { EMPTY_SUMMARY, type CustomerSummary } from '../../../src/lib/schema/customer-summary';
import { customerDocName, tenantDocName } from '../../../src/lib/schema/ids';
import { putJobs } from '../../../src/lib/data/customer-feed';
import type { Job } from '../../../src/lib/schema/customer';
import { storageName } from '../../../server/src/store/doc-keys';
import type { Grant } from '../../../src/lib/schema/access';

/** The password of fixtures.ts (not imported: this script runs without Playwright). */
const SEED_PASSWORD = 'correct horse battery';
const FAST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

export interface ReportsSeed {
	readonly tenantId: string;
	readonly owner: string;
	/** Help Desk on Contoso GmbH only (H6). */
	readonly helpDesk: string;
	/** Read-only on the whole tenant. */
	readonly readOnly: string;
	readonly customers: Record<string, string>;
}

export async function seedReports(dataDir: string): Promise<ReportsSeed> {
	mkdirSync(dataDir, { recursive: true, mode: 0o700 });
	const store = openSqliteStore(join(dataDir, DB_FILE));
	const now = new Date();
	const ago = (hours: number): string => new Date(now.getTime() - hours * 3_600_000).toISOString();
	const summary = (fields: Partial<CustomerSummary>): CustomerSummary => ({
		updatedAt: now.toISOString(),
		...EMPTY_SUMMARY,
		...fields
	});
	const failedJob = (jobId: string, hoursAgo: number) => ({
		jobId,
		service: 'Exchange backup',
		module: 'Mailboxes',
		startedAt: ago(hoursAgo + 1),
		endedAt: ago(hoursAgo)
	});
	const tenantId = 'northwind';
	try {
		await store.createTenant({ id: tenantId, name: 'Northwind IT Services', createdAt: now.toISOString() });
		const doc = new Y.Doc();
		const repo = new TenantRepository(doc);
		repo.setTenantName('Northwind IT Services');
		const msp = repo.createNode({ kind: 'msp', name: 'Northwind MSP', parentId: null, country: 'DE' });
		const customer = (name: string, country: string | null): string =>
			repo.createNode({ kind: 'customer', name, parentId: msp, country, status: 'normal' });
		const customers = {
			'Contoso GmbH': customer('Contoso GmbH', 'DE'),
			'Fabrikam AG': customer('Fabrikam AG', 'DE'),
			'Tailspin SARL': customer('Tailspin SARL', 'FR'),
			'Nowhere Ltd': customer('Nowhere Ltd', null)
		};
		const jobs = [failedJob('job-c1', 2), failedJob('job-c2', 5), failedJob('job-c3', 30)];
		repo.putSummary(
			customers['Contoso GmbH'],
			summary({
				failedJobs: jobs,
				failedJobEnds: jobs.map((job) => Math.floor(Date.parse(job.endedAt) / 60_000)),
				storageBytes: 4_000_000_000,
				services: ['exchangeBackup'],
				insights: [{ ruleId: 'builtin-failed-24h', kind: 'failedJobs', since: ago(3), value: 3, threshold: 2 }]
			})
		);
		repo.putSummary(
			customers['Fabrikam AG'],
			summary({
				failedJobs: [failedJob('job-f1', 10)],
				failedJobEnds: [Math.floor(Date.parse(ago(10)) / 60_000)],
				storageBytes: 1_000_000_000,
				// A rule this device has no record of (deleted since, or not synced yet): named by its kind.
				insights: [{ ruleId: 'rule-night-shift', kind: 'noSuccess', since: ago(8), value: 80, threshold: 72 }]
			})
		);
		repo.putSummary(
			customers['Tailspin SARL'],
			summary({
				storageBytes: 2_500_000_000,
				insights: [
					{ ruleId: 'builtin-storage-growth-7d', kind: 'storageGrowth', since: ago(20), value: 35, threshold: 20 }
				]
			})
		);
		repo.putLicenseData({
			accounts: [{ id: 'acc-1', kind: 'msp', name: 'Northwind ESET', login: 'admin@northwind.example' }],
			pools: [{ id: 'pool-c', name: 'Contoso GmbH', accountId: 'acc-1', groupId: customers['Contoso GmbH'] }],
			licenses: [
				{
					id: 'lic-1',
					publicId: 'AAA-111',
					poolId: 'pool-c',
					product: 'ESET PROTECT Entry',
					type: 'business',
					unitsOrdered: 25,
					unitsActivated: 20,
					expiresOn: '2030-01-31',
					suspended: false,
					ownerId: customers['Contoso GmbH'],
					tag: 'Contoso GmbH'
				}
			]
		});
		await store.append(tenantDocName(tenantId), Y.encodeStateAsUpdate(doc));
		// The customers' own documents hold the jobs the summaries above were computed from: the server recomputes a summary
		// from its document whenever it sees a reason to (P1, P11), and must arrive at the same failed jobs and storage.
		const succeeded = (jobId: string, bytes: number) => ({
			jobId,
			service: 'Exchange backup',
			module: 'Mailboxes',
			status: 'succeeded' as const,
			startedAt: ago(2),
			endedAt: ago(1),
			bytes
		});
		const customerJobs: Array<[string, Job[]]> = [
			[
				customers['Contoso GmbH'],
				[...jobs.map((job) => ({ ...job, status: 'failed' as const })), succeeded('job-c0', 4_000_000_000)]
			],
			[
				customers['Fabrikam AG'],
				[{ ...failedJob('job-f1', 10), status: 'failed' }, succeeded('job-f0', 1_000_000_000)]
			],
			[customers['Tailspin SARL'], [succeeded('job-t0', 2_500_000_000)]]
		];
		for (const [id, customerJobsOf] of customerJobs) {
			const customerDoc = new Y.Doc();
			putJobs(customerDoc, customerJobsOf);
			await store.append(storageName(tenantId, customerDocName(id)), Y.encodeStateAsUpdate(customerDoc));
		}
		doc.destroy();

		const people = {
			owner: 'owner@northwind.example',
			helpDesk: 'helpdesk@northwind.example',
			readOnly: 'reader@northwind.example'
		};
		const account = (id: string, email: string, role: 'superAdmin' | 'helpDesk' | 'readOnly', grants?: Grant[]) =>
			createUserAccount(store, {
				tenantId,
				email,
				password: SEED_PASSWORD,
				role,
				id,
				now,
				scrypt: FAST_SCRYPT,
				...(grants ? { grants } : {})
			});
		await account('owner', people.owner, 'superAdmin');
		await account('helpdesk', people.helpDesk, 'helpDesk', [{ scope: 'customer', id: customers['Contoso GmbH'] }]);
		await account('reader', people.readOnly, 'readOnly');
		await store.setTenantOwner(tenantId, 'owner');
		return { tenantId, ...people, customers };
	} finally {
		await store.close();
	}
}

// Run as a script: seed and print what was made.
if (process.argv[1]?.endsWith('seed-custom-reports.ts')) {
	const [dataDir] = process.argv.slice(2);
	if (!dataDir) throw new Error('usage: seed-custom-reports.ts <dataDir>');
	const seed = await seedReports(dataDir);
	process.stdout.write(`${JSON.stringify(seed)}\n`);
}
