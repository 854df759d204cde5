// Seeds a data directory for the dashboard's tests (P1, P2), before a server starts: a tenant whose customers have
// countries and server summaries (failed jobs, service requests, registered accounts, services) at times relative to now,
// written into the tenant document as the server would. Run as a script (a child process, like the CLI):
//   node --import tsx tests/e2e/support/seed-dashboard.ts <dataDir>
// prints one JSON line: the tenant, the people and the customer ids the tests need.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createUserAccount } from '../../../server/src/auth/auth';
import { DB_FILE } from '../../../server/src/pid-lock';
import { openSqliteStore } from '../../../server/src/store/sqlite';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import { EMPTY_SUMMARY, type CustomerSummary } from '../../../src/lib/schema/customer-summary';
import { tenantDocName } from '../../../src/lib/schema/ids';

/** The password of fixtures.ts (not imported: this script runs without Playwright). */
const SEED_PASSWORD = 'correct horse battery';
const FAST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

export interface DashboardSeed {
	readonly tenantId: string;
	readonly owner: string;
	/** Help Desk on Contoso GmbH only (H6). */
	readonly helpDesk: string;
	/** Customer ids by name. */
	readonly customers: Record<string, string>;
}

export async function seedDashboard(dataDir: string): Promise<DashboardSeed> {
	mkdirSync(dataDir, { recursive: true, mode: 0o700 });
	const store = openSqliteStore(join(dataDir, DB_FILE));
	const now = new Date();
	const minutesAgo = (minutes: number): number => Math.floor(now.getTime() / 60_000) - minutes;
	const summary = (fields: Partial<CustomerSummary>): CustomerSummary => ({
		updatedAt: now.toISOString(),
		...EMPTY_SUMMARY,
		...fields
	});
	const tenantId = 'northwind';
	try {
		await store.createTenant({ id: tenantId, name: 'Northwind IT Services', createdAt: now.toISOString() });
		const doc = new Y.Doc();
		const repo = new TenantRepository(doc);
		repo.setTenantName('Northwind IT Services');
		const msp = repo.createNode({ kind: 'msp', name: 'Northwind MSP', parentId: null, country: 'DE' });
		const customer = (name: string, country: string | null, email: string): string =>
			repo.createNode({
				kind: 'customer',
				name,
				parentId: msp,
				country,
				status: 'normal',
				contact: { name: 'Admin', email, phone: '' }
			});
		const customers = {
			'Contoso GmbH': customer('Contoso GmbH', 'DE', 'admin@contoso.example'),
			'Fabrikam AG': customer('Fabrikam AG', 'DE', 'admin@fabrikam.example'),
			'Tailspin SARL': customer('Tailspin SARL', 'FR', 'admin@tailspin.example'),
			'Nowhere Ltd': customer('Nowhere Ltd', null, 'admin@nowhere.example'),
			// Singapore has no shape in the 110m atlas: a dot stands for it.
			'Merlion Pte': customer('Merlion Pte', 'SG', 'admin@merlion.example')
		};
		// Contoso: a job failed two hours ago and a request submitted yesterday is open (needs attention in every window).
		repo.putSummary(
			customers['Contoso GmbH'],
			summary({
				failedJobEnds: [minutesAgo(120)],
				requestSubmissions: [minutesAgo(26 * 60)],
				openRequests: 1,
				services: ['exchangeBackup', 'endpointProtection'],
				accounts: ['admin@contoso.example', 'it@contoso.example']
			})
		);
		// Fabrikam: its only failed job ended ten days ago: in the last 30 days, not in the last 7.
		repo.putSummary(
			customers['Fabrikam AG'],
			summary({ failedJobEnds: [minutesAgo(10 * 24 * 60)], services: ['oneDriveBackup'] })
		);
		// Tailspin: no summary yet (zeros). Nowhere: no country, two open requests.
		repo.putSummary(customers['Nowhere Ltd'], summary({ openRequests: 2, requestSubmissions: [minutesAgo(60)] }));
		await store.append(tenantDocName(tenantId), Y.encodeStateAsUpdate(doc));
		doc.destroy();

		const people = { owner: 'owner@northwind.example', helpDesk: 'helpdesk@northwind.example' };
		await createUserAccount(store, {
			tenantId,
			email: people.owner,
			password: SEED_PASSWORD,
			role: 'superAdmin',
			id: 'owner',
			now,
			scrypt: FAST_SCRYPT
		});
		await createUserAccount(store, {
			tenantId,
			email: people.helpDesk,
			password: SEED_PASSWORD,
			role: 'helpDesk',
			id: 'helpdesk',
			now,
			scrypt: FAST_SCRYPT,
			grants: [{ scope: 'customer', id: customers['Contoso GmbH'] }]
		});
		await store.setTenantOwner(tenantId, 'owner');
		return { tenantId, ...people, customers };
	} finally {
		await store.close();
	}
}

// Run as a script: seed and print what was made.
if (process.argv[1]?.endsWith('seed-dashboard.ts')) {
	const [dataDir] = process.argv.slice(2);
	if (!dataDir) throw new Error('usage: seed-dashboard.ts <dataDir>');
	const seed = await seedDashboard(dataDir);
	process.stdout.write(`${JSON.stringify(seed)}\n`);
}
