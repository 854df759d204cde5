// Seeds a data directory with a tenant of two customers whose jobs arrive through the integrations service (as an
// integration's do), so the server's insight rules (P11) have evaluated them: Fabrikam's mailbox backup failed three times
// in the last hours (the built-in "more than 2 failed in 24 h" fires), Contoso's succeeded. Run as a script:
//   node --import tsx tests/e2e/support/seed-insights.ts <dataDir>
// prints one JSON line: the tenant, the people and the ids the tests need.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createUserAccount } from '../../../server/src/auth/auth';
import { createAudit } from '../../../server/src/audit/audit';
import { systemClock } from '../../../server/src/clock';
import { createIntegrationsService } from '../../../server/src/integrations/service';
import { createIntegrationToken } from '../../../server/src/integrations/tokens';
import { storeDocs } from '../../../server/src/licenses/docs';
import { createLogger } from '../../../server/src/log';
import { DB_FILE } from '../../../server/src/pid-lock';
import { openSqliteStore } from '../../../server/src/store/sqlite';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import { tenantDocName } from '../../../src/lib/schema/ids';

/** The password of fixtures.ts (not imported: this script runs without Playwright). */
const SEED_PASSWORD = 'correct horse battery';
const FAST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };
const HOUR = 3_600_000;

export interface InsightsSeed {
	readonly tenantId: string;
	readonly owner: string;
	readonly helpDesk: string;
	readonly fabrikam: string;
	readonly contoso: string;
}

export async function seedInsights(dataDir: string): Promise<InsightsSeed> {
	mkdirSync(dataDir, { recursive: true, mode: 0o700 });
	const store = openSqliteStore(join(dataDir, DB_FILE));
	const now = new Date();
	const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * HOUR).toISOString();
	const tenantId = 'northwind';
	try {
		await store.createTenant({ id: tenantId, name: 'Northwind IT Services', createdAt: now.toISOString() });
		const doc = new Y.Doc();
		const repo = new TenantRepository(doc);
		repo.setTenantName('Northwind IT Services');
		const msp = repo.createNode({ kind: 'msp', name: 'Northwind MSP', parentId: null });
		const fabrikam = repo.createNode({ kind: 'customer', name: 'Fabrikam S.A.', parentId: msp, status: 'normal' });
		const contoso = repo.createNode({ kind: 'customer', name: 'Contoso GmbH', parentId: msp, status: 'normal' });
		await store.append(tenantDocName(tenantId), Y.encodeStateAsUpdate(doc));
		doc.destroy();

		const log = createLogger('silent');
		const clock = { ...systemClock, now: () => now };
		const service = createIntegrationsService({
			store,
			docs: storeDocs(store),
			clock,
			log,
			audit: createAudit(store, clock, log)
		});
		const { record } = await createIntegrationToken(store, { tenantId, name: 'Backup system', createdBy: null, now });
		const job = (jobId: string, customerId: string, hoursAgo: number, status: 'failed' | 'succeeded') => ({
			jobId,
			customerId,
			service: 'Exchange backup',
			module: 'Mailboxes',
			status,
			startedAt: at(hoursAgo + 0.5),
			endedAt: at(hoursAgo),
			...(status === 'succeeded' ? { bytes: 5 * 1024 ** 3 } : {})
		});
		await service.ingestJobs({ id: record.id, tenantId, name: record.name }, [
			job('FAB-1', fabrikam, 1, 'failed'),
			job('FAB-2', fabrikam, 3, 'failed'),
			job('FAB-3', fabrikam, 5, 'failed'),
			job('CON-1', contoso, 2, 'succeeded')
		]);

		const owner = 'owner@northwind.example';
		const helpDesk = 'desk@northwind.example';
		for (const [email, role, id] of [
			[owner, 'superAdmin', 'owner'],
			[helpDesk, 'helpDesk', 'desk']
		] as const)
			await createUserAccount(store, {
				tenantId,
				email,
				password: SEED_PASSWORD,
				role,
				id,
				now,
				scrypt: FAST_SCRYPT
			});
		await store.setTenantOwner(tenantId, 'owner');
		return { tenantId, owner, helpDesk, fabrikam, contoso };
	} finally {
		await store.close();
	}
}

if (process.argv[1]?.endsWith('seed-insights.ts')) {
	const [dataDir] = process.argv.slice(2);
	if (!dataDir) throw new Error('usage: seed-insights.ts <dataDir>');
	process.stdout.write(`${JSON.stringify(await seedInsights(dataDir))}\n`);
}
