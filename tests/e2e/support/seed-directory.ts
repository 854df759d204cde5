// Seeds a data directory with a tenant for the customer directory (C1, C3, P2, P3, P10) before a server starts: customers
// with tags, groups, billing types, admin contacts and licenses in several states on the day the test runs, and the
// server's summaries (failed job end times, open requests, registered accounts) written as the server would write them.
// Run as a script (a child process, like the CLI):
//   node --import tsx tests/e2e/support/seed-directory.ts <dataDir> [--big <customers>]
// prints one JSON line: the tenant, the people and the customer ids by name.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createUserAccount } from '../../../server/src/auth/auth';
import { DB_FILE } from '../../../server/src/pid-lock';
import { openSqliteStore } from '../../../server/src/store/sqlite';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import { addDays } from '../../../src/lib/domain/license-state';
import { EMPTY_SUMMARY } from '../../../src/lib/schema/customer-summary';
import type { LicenseInput } from '../../../src/lib/schema/licenses';
import type { NewNodeInput } from '../../../src/lib/schema/tree';
import { tenantDocName } from '../../../src/lib/schema/ids';

const SEED_PASSWORD = 'correct horse battery';
const FAST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

export interface DirectorySeed {
	readonly tenantId: string;
	readonly owner: string;
	readonly reader: string;
	/** Customer ids by name. */
	readonly customers: Record<string, string>;
	readonly today: string;
}

export interface CustomerPlan {
	readonly name: string;
	readonly node: Partial<NewNodeInput>;
	readonly groups?: readonly string[];
	/** Products with the days left until expiry (negative: expired). */
	readonly licenses?: readonly { product: string; days: number; suspended?: boolean }[];
	/** Hours ago each failed job ended. */
	readonly failedHoursAgo?: readonly number[];
	readonly openRequests?: number;
	readonly accounts?: readonly string[];
}

/** Five customers a person can tell apart at a glance; the tests name them. */
export const DIRECTORY_CUSTOMERS: readonly CustomerPlan[] = [
	{
		name: 'Müller & Söhne GmbH',
		node: {
			country: 'DE',
			status: 'normal',
			billingType: 'term',
			tags: ['gold'],
			contact: { name: 'Jörg Müller', email: 'joerg@mueller.example', phone: '' },
			consoleUrl: 'https://console.example/mueller'
		},
		groups: ['North'],
		licenses: [
			{ product: 'Endpoint Security', days: 200 },
			{ product: 'Mail Security', days: -10 }
		],
		failedHoursAgo: [2, 5],
		openRequests: 1,
		accounts: ['joerg@mueller.example', 'it@mueller.example']
	},
	{
		name: 'Acme, Inc.',
		node: { country: 'US', status: 'normal', billingType: 'monthly', tags: ['bronze', 'gold'] },
		licenses: [{ product: 'Server Security', days: 5 }],
		failedHoursAgo: [1, 3, 4, 30],
		openRequests: 0,
		accounts: ['ops@acme.example']
	},
	{
		name: 'Zeta AG',
		node: { country: 'CH', status: 'notSetUp', billingType: 'trial' },
		groups: ['North'],
		failedHoursAgo: [],
		openRequests: 3
	},
	{
		name: 'Bäckerei Brot',
		node: { country: 'AT', status: 'normal', tags: ['bronze'] },
		licenses: [{ product: 'Endpoint Security', days: -40 }],
		failedHoursAgo: [10],
		openRequests: 2,
		accounts: ['chef@brot.example']
	},
	{
		name: 'Omega Ltd',
		node: { country: 'GB', status: 'normal', billingType: 'term' },
		licenses: [{ product: 'Cloud Sandbox', days: 90 }],
		failedHoursAgo: [200],
		openRequests: 0
	}
];

/** `count` customers for measuring: names, tags, figures and licenses spread over them. */
export function bigCustomers(count: number): CustomerPlan[] {
	const tags = ['gold', 'silver', 'bronze', 'vip', 'retail', 'health'];
	const products = ['Endpoint Security', 'Mail Security', 'Server Security', 'Cloud Sandbox'];
	return Array.from({ length: count }, (_, i) => ({
		name: `Customer ${String(i + 1).padStart(5, '0')} ${['GmbH', 'AG', 'Ltd', 'Inc.', 'S.A.'][i % 5]}`,
		node: {
			country: ['DE', 'AT', 'CH', 'GB', 'US', 'FR'][i % 6],
			status: i % 17 === 0 ? 'notSetUp' : 'normal',
			billingType: (['trial', 'monthly', 'term'] as const)[i % 3],
			tags: [tags[i % tags.length]!, tags[(i * 7) % tags.length]!].filter((tag, k, all) => all.indexOf(tag) === k),
			contact: { name: '', email: `admin${i + 1}@customer${i + 1}.example`, phone: '' }
		},
		groups: i % 4 === 0 ? ['North'] : [],
		licenses: [
			{ product: products[i % products.length]!, days: (i % 300) - 30 },
			{ product: products[(i + 1) % products.length]!, days: 120, suspended: i % 23 === 0 }
		],
		failedHoursAgo: Array.from({ length: i % 7 }, (_, k) => 1 + k * 20),
		openRequests: i % 5,
		accounts: [`admin${i + 1}@customer${i + 1}.example`, `it${i + 1}@customer${i + 1}.example`]
	}));
}

/** Writes the customers under one MSP node into `doc`; returns their ids by name. */
export function writeDirectoryTenant(
	doc: Y.Doc,
	plans: readonly CustomerPlan[],
	today: string,
	now: Date,
	newId: () => string
): Record<string, string> {
	const repo = new TenantRepository(doc, { newId });
	const msp = repo.createNode({ kind: 'msp', name: 'Northwind IT Services', parentId: null });
	const groups = new Map<string, string>();
	for (const name of new Set(plans.flatMap((plan) => plan.groups ?? []))) groups.set(name, repo.putGroup({ name }));
	const accountId = newId();
	repo.putLicenseData({
		accounts: [{ id: accountId, kind: 'msp', name: 'Northwind account', login: 'n@example.test' }]
	});
	const ids: Record<string, string> = {};
	const nowMinutes = Math.floor(now.getTime() / 60_000);
	let licenseNo = 0;
	for (const plan of plans) {
		const id = repo.createNode({ kind: 'customer', name: plan.name, parentId: msp, ...plan.node });
		ids[plan.name] = id;
		if (plan.groups)
			repo.setCustomerGroups(
				id,
				plan.groups.map((name) => groups.get(name)!)
			);
		if (plan.licenses && plan.licenses.length > 0) {
			const poolId = newId();
			const licenses: LicenseInput[] = plan.licenses.map((license) => ({
				id: newId(),
				publicId: `DIR-${String(++licenseNo).padStart(6, '0')}`,
				poolId,
				product: license.product,
				type: 'msp',
				unitsOrdered: 10,
				unitsActivated: 2,
				expiresOn: addDays(today, license.days),
				suspended: license.suspended ?? false,
				ownerId: id,
				tag: plan.name
			}));
			repo.putLicenseData({ pools: [{ id: poolId, name: plan.name, accountId, groupId: id }], licenses });
		}
		repo.putSummary(id, {
			...EMPTY_SUMMARY,
			updatedAt: now.toISOString(),
			failedJobEnds: (plan.failedHoursAgo ?? []).map((hours) => nowMinutes - hours * 60),
			openRequests: plan.openRequests ?? 0,
			accounts: [...(plan.accounts ?? [])]
		});
	}
	return ids;
}

export async function seedDirectory(dataDir: string, options: { big?: number } = {}): Promise<DirectorySeed> {
	mkdirSync(dataDir, { recursive: true, mode: 0o700 });
	const store = openSqliteStore(join(dataDir, DB_FILE));
	const now = new Date();
	const today = now.toISOString().slice(0, 10);
	const tenantId = 'northwind';
	try {
		await store.createTenant({ id: tenantId, name: 'Northwind IT Services', createdAt: now.toISOString() });
		const doc = new Y.Doc();
		let n = 0;
		const plans = options.big ? bigCustomers(options.big) : DIRECTORY_CUSTOMERS;
		const customers = writeDirectoryTenant(doc, plans, today, now, () => `dir-${++n}`);
		new TenantRepository(doc).setTenantName('Northwind IT Services');
		await store.append(tenantDocName(tenantId), Y.encodeStateAsUpdate(doc));
		doc.destroy();
		const people = { owner: 'owner@northwind.example', reader: 'reader@northwind.example' };
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
			email: people.reader,
			password: SEED_PASSWORD,
			role: 'readOnly',
			id: 'reader',
			now,
			scrypt: FAST_SCRYPT
		});
		await store.setTenantOwner(tenantId, 'owner');
		return { tenantId, ...people, customers: options.big ? {} : customers, today };
	} finally {
		await store.close();
	}
}

if (process.argv[1]?.endsWith('seed-directory.ts')) {
	const [dataDir, flag, value] = process.argv.slice(2);
	if (!dataDir) throw new Error('usage: seed-directory.ts <dataDir> [--big <customers>]');
	const seed = await seedDirectory(dataDir, flag === '--big' ? { big: Number(value) } : {});
	process.stdout.write(`${JSON.stringify(seed)}\n`);
}
