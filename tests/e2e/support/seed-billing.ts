// Seeds a data directory for the billing screen: a tenant with three customers whose server-written summaries list their
// active services, two with an admin contact email; no billing profile yet. Run as a script (a child process):
//   node --import tsx tests/e2e/support/seed-billing.ts <dataDir>
// prints one JSON line: the tenant and the owner's email.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createUserAccount } from '../../../server/src/auth/auth';
import { DB_FILE } from '../../../server/src/pid-lock';
import { openSqliteStore } from '../../../server/src/store/sqlite';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import { CustomerRepository } from '../../../src/lib/data/customer-repository';
import { storageName } from '../../../server/src/store/doc-keys';
import { EMPTY_SUMMARY } from '../../../src/lib/schema/customer-summary';
import type { ServiceKind } from '../../../src/lib/schema/customer';
import { customerDocName, tenantDocName } from '../../../src/lib/schema/ids';

/** The password of fixtures.ts (not imported: this script runs without Playwright). */
const SEED_PASSWORD = 'correct horse battery';
const FAST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

export interface BillingSeed {
	readonly tenantId: string;
	readonly owner: string;
}

const CUSTOMERS: ReadonlyArray<{ name: string; email: string; services: ServiceKind[] }> = [
	{ name: 'Huber Bau GmbH', email: 'it@huber-bau.example', services: ['exchangeBackup', 'teamsBackup'] },
	{ name: 'Moser Logistik KG', email: '', services: ['exchangeBackup'] },
	{ name: 'Gruber Apotheke', email: 'admin@gruber.example', services: ['serverBackup'] }
];

export async function seedBilling(dataDir: string): Promise<BillingSeed> {
	mkdirSync(dataDir, { recursive: true, mode: 0o700 });
	const store = openSqliteStore(join(dataDir, DB_FILE));
	const now = new Date();
	const tenantId = 'alpen';
	try {
		await store.createTenant({ id: tenantId, name: 'Alpen IT Services', createdAt: now.toISOString() });
		const doc = new Y.Doc();
		const repo = new TenantRepository(doc);
		repo.setTenantName('Alpen IT Services');
		const msp = repo.createNode({ kind: 'msp', name: 'Alpen IT', parentId: null });
		const customerDocs: Array<{ id: string; doc: Y.Doc }> = [];
		for (const customer of CUSTOMERS) {
			const id = repo.createNode({
				kind: 'customer',
				name: customer.name,
				parentId: msp,
				status: 'normal',
				...(customer.email ? { contact: { name: '', email: customer.email, phone: '' } } : {})
			});
			// The services live in the customer's document; the summary says the same (the server recomputes it from there).
			repo.putSummary(id, { ...EMPTY_SUMMARY, updatedAt: now.toISOString(), services: customer.services });
			const customerDoc = new Y.Doc();
			const services = new CustomerRepository(customerDoc);
			for (const kind of customer.services) services.addService(kind);
			customerDocs.push({ id, doc: customerDoc });
		}
		await store.append(tenantDocName(tenantId), Y.encodeStateAsUpdate(doc));
		for (const { id, doc: customerDoc } of customerDocs) {
			await store.append(storageName(tenantId, customerDocName(id)), Y.encodeStateAsUpdate(customerDoc));
			customerDoc.destroy();
		}
		doc.destroy();
		const owner = 'owner@alpen.example';
		await createUserAccount(store, {
			tenantId,
			email: owner,
			password: SEED_PASSWORD,
			role: 'superAdmin',
			id: 'owner',
			now,
			scrypt: FAST_SCRYPT
		});
		await store.setTenantOwner(tenantId, 'owner');
		return { tenantId, owner };
	} finally {
		await store.close();
	}
}

if (process.argv[1]?.endsWith('seed-billing.ts')) {
	const [dataDir] = process.argv.slice(2);
	if (!dataDir) throw new Error('usage: seed-billing.ts <dataDir>');
	process.stdout.write(`${JSON.stringify(await seedBilling(dataDir))}\n`);
}
