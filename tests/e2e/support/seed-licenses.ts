// Seeds a data directory with a tenant whose licenses are in every L14 state on the day the test runs, before a server
// starts: the sample exports of tests/fixtures/licenses imported through the same code the server runs (importLicenses),
// with expiry dates moved relative to today. Run as a script (a child process, like the CLI):
//   node --import tsx tests/e2e/support/seed-licenses.ts <dataDir> [--big <licenses>]
// prints one JSON line: the tenant, the people and the node ids the tests need.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createUserAccount } from '../../../server/src/auth/auth';
import { DB_FILE } from '../../../server/src/pid-lock';
import { openSqliteStore } from '../../../server/src/store/sqlite';
import { importLicenses } from '../../../src/lib/data/licenses/import';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import { addDays } from '../../../src/lib/domain/license-state';
import type { LicenseExport, VendorCompany, VendorLicense } from '../../../src/lib/schema/license-export';
import { tenantDocName } from '../../../src/lib/schema/ids';

/** The password of fixtures.ts (not imported: this script runs without Playwright). */
const SEED_PASSWORD = 'correct horse battery';
const FAST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

export interface LicenseSeed {
	readonly tenantId: string;
	readonly tenantName: string;
	readonly owner: string;
	readonly reader: string;
	/** Help Desk on Contoso GmbH only (H6, L5). */
	readonly helpDesk: string;
	/** Node ids by name. */
	readonly nodes: Record<string, string>;
	readonly today: string;
}

const fixture = (name: string): LicenseExport =>
	JSON.parse(readFileSync(join('tests/fixtures/licenses', name), 'utf8')) as LicenseExport;

/** The MSP account with each license's expiry moved so that its state is the one the tests expect today. */
function mspAccount(today: string, withRetired: boolean): LicenseExport {
	const data = fixture('msp-account.json');
	const expiry: Record<string, number> = {
		'3AB-XQ4-77K': 120, // 48/50: warning (96 % activated)
		'3AB-XQ4-81M': 120, // 23/20: overused
		'4CD-PL2-09A': 8, // trial: expiring soon
		'5EF-RT7-13Q': -30, // expired
		'5EF-RT7-14R': 200 // suspended by the vendor
	};
	const licenses: VendorLicense[] = data.licenses.map((license) => ({
		...license,
		expiresOn: addDays(today, expiry[license.publicId] ?? 100)
	}));
	licenses.push(
		{ ...licenses[0]!, publicId: '3AB-XQ4-55A', unitsOrdered: 50, unitsActivated: 10, expiresOn: addDays(today, 200) },
		// Exactly 14 days left in UTC: still OK; a day later in a time zone ahead of UTC: expiring soon (L14, P9).
		{ ...licenses[0]!, publicId: '3AB-XQ4-14D', unitsOrdered: 50, unitsActivated: 10, expiresOn: addDays(today, 14) },
		// A trial extended twice in the portal (L15), written below.
		{ ...licenses[2]!, publicId: '4CD-PL2-12C', unitsOrdered: 30, unitsActivated: 5, expiresOn: addDays(today, 40) },
		{
			...licenses[2]!,
			publicId: '4CD-PL2-11B',
			product: 'Mail Security',
			unitsOrdered: 5,
			unitsActivated: 1,
			expiresOn: addDays(today, -5)
		}
	);
	// Listed on the first import only: the second marks it removed (the vendor no longer lists it).
	if (withRetired)
		licenses.push({ ...licenses[0]!, publicId: '9ZZ-OLD-001', unitsActivated: 3, expiresOn: addDays(today, 90) });
	return { ...data, licenses };
}

function businessAccount(today: string): LicenseExport {
	const data = fixture('business-account.json');
	return { ...data, licenses: data.licenses.map((license) => ({ ...license, expiresOn: addDays(today, 60) })) };
}

/** A large MSP account for measuring: `count` licenses over count/5 customers. */
function bigAccount(today: string, count: number): LicenseExport {
	const companies: VendorCompany[] = [
		{ id: 'big-0', name: 'Big MSP', kind: 'msp', parentId: null, access: 'write', country: 'DE', sites: [] }
	];
	const licenses: VendorLicense[] = [];
	const customers = Math.max(1, Math.ceil(count / 5));
	const products = ['Endpoint Security', 'Mail Security', 'Server Security', 'Cloud Sandbox', 'Full Disk Encryption'];
	for (let c = 1; c <= customers; c++)
		companies.push({
			id: `big-${c}`,
			name: `Customer ${String(c).padStart(5, '0')} GmbH`,
			kind: 'customer',
			parentId: 'big-0',
			access: 'write',
			country: 'DE',
			sites: []
		});
	for (let i = 0; i < count; i++) {
		const ordered = [5, 10, 25, 50, 100][i % 5]!;
		licenses.push({
			publicId: `BIG-${String(i).padStart(6, '0')}`,
			product: products[(i * 7) % products.length]!,
			type: i % 11 === 0 ? 'trial' : 'msp',
			companyId: `big-${1 + (i % customers)}`,
			siteId: null,
			unitsOrdered: ordered,
			unitsActivated: (i * 13) % (ordered + 3),
			expiresOn: addDays(today, (i % 400) - 40),
			suspended: i % 97 === 0
		});
	}
	return {
		account: { id: 'acc-big', kind: 'msp', name: 'Big MSP account', login: 'big@example.test' },
		companies,
		licenses,
		exportedAt: null
	};
}

export async function seedLicenses(dataDir: string, options: { big?: number } = {}): Promise<LicenseSeed> {
	mkdirSync(dataDir, { recursive: true, mode: 0o700 });
	const store = openSqliteStore(join(dataDir, DB_FILE));
	const now = new Date();
	const today = now.toISOString().slice(0, 10);
	const tenantId = 'northwind';
	const tenantName = 'Northwind IT Services';
	try {
		await store.createTenant({ id: tenantId, name: tenantName, createdAt: now.toISOString() });
		const doc = new Y.Doc();
		const repo = new TenantRepository(doc);
		repo.setTenantName(tenantName);
		for (const data of [mspAccount(today, true), mspAccount(today, false), businessAccount(today)]) {
			const outcome = importLicenses(doc, data, { connector: 'file' });
			if (!outcome.ok) throw new Error(`seed import refused: ${outcome.message}`);
		}
		// L15: the trial 4CD-PL2-12C was extended twice in the portal.
		const twice = repo.licenseRecords().find((license) => license.publicId === '4CD-PL2-12C');
		if (twice) repo.putLicenseData({ licenses: [{ ...twice, extensions: 2 }] });
		if (options.big) {
			const outcome = importLicenses(doc, bigAccount(today, options.big), { connector: 'file' });
			if (!outcome.ok) throw new Error(`seed import refused: ${outcome.message}`);
		}
		await store.append(tenantDocName(tenantId), Y.encodeStateAsUpdate(doc));
		const nodes: Record<string, string> = {};
		for (const [id, node] of repo.view().nodes) if (!node.name.startsWith('Customer ')) nodes[node.name] = id;
		doc.destroy();

		const people = {
			owner: 'owner@northwind.example',
			reader: 'reader@northwind.example',
			helpDesk: 'helpdesk@northwind.example'
		};
		const account = (email: string, role: 'superAdmin' | 'readOnly' | 'helpDesk', id: string) =>
			createUserAccount(store, {
				tenantId,
				email,
				password: SEED_PASSWORD,
				role,
				id,
				now,
				scrypt: FAST_SCRYPT,
				...(role === 'helpDesk' ? { grants: [{ scope: 'customer' as const, id: nodes['Contoso GmbH']! }] } : {})
			});
		await account(people.owner, 'superAdmin', 'owner');
		await account(people.reader, 'readOnly', 'reader');
		await account(people.helpDesk, 'helpDesk', 'helpdesk');
		await store.setTenantOwner(tenantId, 'owner');
		return { tenantId, tenantName, ...people, nodes, today };
	} finally {
		await store.close();
	}
}

// Run as a script: seed and print what was made.
if (process.argv[1]?.endsWith('seed-licenses.ts')) {
	const [dataDir, flag, value] = process.argv.slice(2);
	if (!dataDir) throw new Error('usage: seed-licenses.ts <dataDir> [--big <licenses>]');
	const seed = await seedLicenses(dataDir, flag === '--big' ? { big: Number(value) } : {});
	process.stdout.write(`${JSON.stringify(seed)}\n`);
}
