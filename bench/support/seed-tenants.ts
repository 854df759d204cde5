// The screen benches' data: tenants written straight into a SQLite data directory (the server is not running yet), each
// with one Super Admin who signs in through the app.
import { join } from 'node:path';
import * as Y from 'yjs';
import { createUserAccount } from '../../server/src/auth/auth';
import { DB_FILE } from '../../server/src/pid-lock';
import { openSqliteStore } from '../../server/src/store/sqlite';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { tenantDocName } from '../../src/lib/schema/ids';

export interface SeededTenant {
	readonly tenantId: string;
	readonly email: string;
	readonly name: string;
	/** Writes the tenant's document; `newId` hands out ids unique to this tenant. */
	fill(doc: Y.Doc, newId: () => string, now: Date): void;
}

export async function seedTenants(dataDir: string, tenants: readonly SeededTenant[], password: string): Promise<void> {
	const store = openSqliteStore(join(dataDir, DB_FILE));
	const now = new Date();
	try {
		for (const tenant of tenants) {
			const doc = new Y.Doc();
			new TenantRepository(doc).setTenantName(tenant.name);
			let n = 0;
			tenant.fill(doc, () => `${tenant.tenantId}-${++n}`, now);
			await store.createTenant({ id: tenant.tenantId, name: tenant.name, createdAt: now.toISOString() });
			await store.append(tenantDocName(tenant.tenantId), Y.encodeStateAsUpdate(doc));
			doc.destroy();
			await createUserAccount(store, {
				tenantId: tenant.tenantId,
				email: tenant.email,
				password,
				role: 'superAdmin',
				now
			});
		}
	} finally {
		await store.close();
	}
}
