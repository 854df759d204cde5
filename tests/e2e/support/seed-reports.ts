// Seeds a data directory for the reports' tests (P8), before a server starts: the license tenant of seed-licenses.ts
// (accounts, pools, licenses in every L14 state, the owner, a read-only person and a Help Desk on Contoso GmbH) plus
// server summaries of its customers (services, failed jobs, open requests, storage) and a few audit entries of this
// month. Run as a script (a child process, like the CLI):
//   node --import tsx tests/e2e/support/seed-reports.ts <dataDir>
// prints one JSON line: the license seed and the figures the tests expect.
import { join } from 'node:path';
import * as Y from 'yjs';
import { DB_FILE } from '../../../server/src/pid-lock';
import { openSqliteStore } from '../../../server/src/store/sqlite';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import { EMPTY_SUMMARY, type CustomerSummary } from '../../../src/lib/schema/customer-summary';
import { tenantDocName } from '../../../src/lib/schema/ids';
import { seedLicenses, type LicenseSeed } from './seed-licenses';

const GB = 1_000_000_000;

export interface ReportsSeed extends LicenseSeed {
	/** Customer names by storage, largest first (the storage report's order). */
	readonly byStorage: readonly string[];
}

export async function seedReports(dataDir: string): Promise<ReportsSeed> {
	const seed = await seedLicenses(dataDir);
	const store = openSqliteStore(join(dataDir, DB_FILE));
	const now = new Date();
	const minutesAgo = (minutes: number): number => Math.floor(now.getTime() / 60_000) - minutes;
	const summary = (fields: Partial<CustomerSummary>): CustomerSummary => ({
		updatedAt: now.toISOString(),
		...EMPTY_SUMMARY,
		...fields
	});
	try {
		const doc = new Y.Doc();
		const stored = await store.load(tenantDocName(seed.tenantId));
		if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
		for (const update of stored.updates) Y.applyUpdate(doc, update);
		const before = Y.encodeStateVector(doc);
		const repo = new TenantRepository(doc);
		const id = (name: string): string => {
			const found = seed.nodes[name];
			if (!found) throw new Error(`no node ${name}`);
			return found;
		};
		repo.putSummary(
			id('Contoso GmbH'),
			summary({
				services: ['exchangeBackup', 'oneDriveBackup'],
				failedJobEnds: [minutesAgo(120), minutesAgo(3 * 24 * 60)],
				openRequests: 1,
				storageBytes: 420 * GB
			})
		);
		repo.putSummary(
			id('Fabrikam S.A.'),
			summary({
				services: ['exchangeBackup'],
				failedJobEnds: [minutesAgo(20 * 24 * 60)],
				openRequests: 0,
				storageBytes: 1_250 * GB
			})
		);
		repo.putSummary(id('Adatum S.r.l.'), summary({ services: ['serverBackup'], storageBytes: 75 * GB }));
		await store.append(tenantDocName(seed.tenantId), Y.encodeStateAsUpdate(doc, before));
		doc.destroy();

		// This month's audit entries (besides the sign-ins the tests make): the owner renamed two nodes today.
		const at = now.toISOString();
		await store.appendAuditBatch(
			['a', 'b'].map((item) => ({
				at,
				tenantId: seed.tenantId,
				userId: 'owner',
				ip: null,
				itemType: 'treeNode',
				item,
				action: 'updated',
				description: 'name'
			}))
		);
		return { ...seed, byStorage: ['Fabrikam S.A.', 'Contoso GmbH', 'Adatum S.r.l.'] };
	} finally {
		await store.close();
	}
}

// Run as a script: seed and print what was made.
if (process.argv[1]?.endsWith('seed-reports.ts')) {
	const [dataDir] = process.argv.slice(2);
	if (!dataDir) throw new Error('usage: seed-reports.ts <dataDir>');
	const seed = await seedReports(dataDir);
	process.stdout.write(`${JSON.stringify(seed)}\n`);
}
