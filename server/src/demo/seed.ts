// The demo tenant: a deterministic (seeded) MSP tree with ~150 customers, sites, contacts and license pools, built only through the repositories.
import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import { customerDocName, tenantDocName } from '../../../src/lib/schema/ids';
import { storageName } from '../store/doc-keys';
import {
	SERVICE_KINDS,
	type CustomerStatus,
	type LicenseInput,
	type LicenseAccount,
	type LicensePool,
	type NodeKind
} from '../../../src/lib/schema';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import { CustomerRepository } from '../../../src/lib/data/customer-repository';
import { createUserAccount } from '../auth/auth';
import type { Store } from '../store/types';
import { DEMO_COUNTRIES, NAMES, type DemoCountry } from './names';
import { prng } from '../prng';
import { storeDocs } from '../licenses/docs';
import { createIntegrationsService } from '../integrations/service';
import { createIntegrationToken } from '../integrations/tokens';
import { createAudit } from '../audit/audit';
import { systemClock } from '../clock';
import { createLogger } from '../log';

export const DEMO_TENANT_ID = 'demo';
export const DEMO_TENANT_NAME = 'Bitwerk Systemhaus GmbH';
export const DEMO_EMAIL = 'demo@msp.example';
const CUSTOMER_COUNT = 150;
/** C5: the demo tenant's customer groups. */
const DEMO_GROUPS = ['Healthcare', 'Key accounts', 'Retail'] as const;
/** P10: smart tags on demo customers. */
const DEMO_TAGS = ['VIP', 'Onsite support', 'Pilot', '24/7'] as const;
const SEED = 20250301;

class Dice {
	readonly #next: () => number;
	#ids = 0;
	constructor(seed: number) {
		this.#next = prng(seed);
	}
	float(): number {
		return this.#next();
	}
	int(min: number, max: number): number {
		return min + Math.floor(this.#next() * (max - min + 1));
	}
	pick<T>(items: readonly T[]): T {
		const item = items[Math.floor(this.#next() * items.length)];
		if (item === undefined) throw new Error('pick from an empty list');
		return item;
	}
	id(prefix: string): string {
		this.#ids += 1;
		return `${prefix}-${this.#ids.toString(36).padStart(4, '0')}-${Math.floor(this.#next() * 36 ** 4)
			.toString(36)
			.padStart(4, '0')}`;
	}
}

export interface DemoData {
	readonly tenantUpdate: Uint8Array;
	readonly customerUpdates: ReadonlyMap<string, Uint8Array>;
}

function companyName(dice: Dice, country: DemoCountry, used: Set<string>): string {
	const names = NAMES[country];
	for (let attempt = 0; attempt < 50; attempt++) {
		const stem = dice.pick(names.stems);
		const trade = dice.pick(names.trades);
		const form = dice.pick(names.forms);
		const base = names.pattern === 'stemTrade' ? `${stem} ${trade}` : `${trade} ${stem}`;
		// Two companies that differ only in their legal form look like a data error, not like a real customer list.
		if (!used.has(base)) {
			used.add(base);
			return `${base} ${form}`;
		}
	}
	const fallback = `${dice.pick(names.stems)} ${dice.pick(names.trades)} ${used.size} ${dice.pick(names.forms)}`;
	used.add(fallback);
	return fallback;
}

function ascii(text: string): string {
	return text
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/ł/g, 'l')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '');
}

function person(dice: Dice, country: DemoCountry, company: string): { name: string; email: string; phone: string } {
	const names = NAMES[country];
	const first = dice.pick(names.firstNames);
	const last = dice.pick(names.lastNames);
	const domain = `${ascii(company.split(' ').slice(0, 2).join('')).slice(0, 20)}.${names.domain}.example`;
	return {
		name: `${first} ${last}`,
		email: `${ascii(first)}.${ascii(last)}@${domain}`,
		phone: `${names.phonePrefix} ${dice.int(100, 999)} ${dice.int(100000, 9999999)}`
	};
}

function address(dice: Dice, country: DemoCountry): { city: string; line: string } {
	const names = NAMES[country];
	const city = dice.pick(names.cities);
	return { city: city.name, line: `${dice.pick(names.streets)} ${dice.int(1, 180)}, ${city.postcode} ${city.name}` };
}

const isoDate = (date: Date): string => date.toISOString().slice(0, 10);
const addDays = (date: Date, days: number): Date => new Date(date.getTime() + days * 86_400_000);

/** Builds the demo documents; the same `now` gives the same content. */
export function buildDemo(now: Date): DemoData {
	const dice = new Dice(SEED);
	const tenantDoc = new Y.Doc();
	const tenant = new TenantRepository(tenantDoc, { newId: () => dice.id('n'), now: () => now });
	const used = new Set<string>();
	const customerUpdates = new Map<string, Uint8Array>();

	tenant.setTenantName(DEMO_TENANT_NAME);
	const org = (kind: NodeKind, name: string, parentId: string | null, country: DemoCountry): string => {
		const contact = person(dice, country, name);
		return tenant.createNode({ kind, name, parentId, country, contact, address: address(dice, country).line });
	};
	const distributor = org('distributor', 'Nordwind Distribution GmbH', null, 'DE');
	const manager = org('mspManager', 'Alpenblick IT Services GmbH', distributor, 'AT');
	const managedEs = org('managedMsp', 'Sistemas Levante S.L.', manager, 'ES');
	const managedPl = org('managedMsp', 'Wisła Tech Sp. z o.o.', manager, 'PL');
	const msp = org('msp', DEMO_TENANT_NAME, distributor, 'DE');
	// Most customers belong to the tenant's own MSP; the managed MSPs and the manager have a few of their own.
	const parents: readonly { id: string; weight: number; countries: readonly DemoCountry[] }[] = [
		{ id: msp, weight: 0.6, countries: DEMO_COUNTRIES },
		{ id: managedEs, weight: 0.15, countries: ['ES'] },
		{ id: managedPl, weight: 0.15, countries: ['PL'] },
		{ id: manager, weight: 0.1, countries: ['AT', 'DE', 'IT'] }
	];

	const accounts: LicenseAccount[] = [
		{ id: 'acct-msp', kind: 'msp', name: `${DEMO_TENANT_NAME} (MSP)`, login: 'licenses@bitwerk.example' },
		{ id: 'acct-business', kind: 'business', name: 'Bitwerk business account', login: 'business@bitwerk.example' }
	];
	const pools: LicensePool[] = [];
	const licenses: LicenseInput[] = [];
	const products = [
		'ESET PROTECT Entry',
		'ESET PROTECT Advanced',
		'ESET PROTECT Complete',
		'ESET Server Security',
		'ESET Mail Security'
	];

	// C5, P10, C2, C6, C8, P7: groups, tags, billing, managed orders, consoles and services come from their own dice, so
	// that the tree, the contacts and the licenses stay what they were.
	const account = new Dice(SEED + 1);
	const groups = DEMO_GROUPS.map((name) =>
		tenant.putGroup({ id: `grp-${name.toLowerCase().replace(/\W+/g, '-')}`, name })
	);

	for (let i = 0; i < CUSTOMER_COUNT; i++) {
		let roll = dice.float();
		const parent = parents.find((p) => (roll -= p.weight) < 0) ?? parents[0]!;
		const country = dice.pick(parent.countries);
		const name = companyName(dice, country, used);
		const statusRoll = dice.float();
		const status: CustomerStatus = statusRoll < 0.84 ? 'normal' : statusRoll < 0.95 ? 'notSetUp' : 'unlinked';
		const contact = person(dice, country, name);
		const hq = address(dice, country);
		const accountRoll = account.float();
		const customerId = tenant.createNode({
			kind: 'customer',
			name,
			parentId: parent.id,
			country,
			// C8: some customers came from a managed-customer order (their subscriptions show on the account section).
			origin: accountRoll > 0.9 ? 'managedOrder' : 'partner',
			// C7: an unlinked customer is read-only, so it is unlinked once its profile and sites are written.
			status: status === 'unlinked' ? 'normal' : status,
			contact,
			address: hq.line
		});
		tenant.updateProfile(customerId, {
			billingType: dice.float() < 0.2 ? 'monthly' : 'term',
			partnerAssistance: dice.float() < 0.7
		});
		tenant.updateProfile(customerId, {
			...(accountRoll < 0.08 ? { billingType: 'trial' } : {}),
			...(account.float() < 0.5 ? { consoleUrl: `https://console.example/${customerId}` } : {}),
			tags: DEMO_TAGS.filter(() => account.float() < 0.18)
		});
		const memberOf = groups.filter(() => account.float() < 0.2);
		if (memberOf.length > 0) tenant.setCustomerGroups(customerId, memberOf);

		const siteCount = dice.int(1, 3);
		const siteLabels = NAMES[country].sites;
		for (let s = 0; s < siteCount; s++) {
			const place = s === 0 ? hq : address(dice, country);
			tenant.createNode({
				kind: 'site',
				name: `${siteLabels[s] ?? siteLabels[0]} ${place.city}`,
				parentId: customerId,
				address: place.line
			});
		}
		if (status === 'unlinked') tenant.setStatus(customerId, 'unlinked');

		if (i % 6 === 0 && status !== 'unlinked') {
			const pool: LicensePool = {
				id: dice.id('pool'),
				name: `${name} pool`,
				accountId: dice.float() < 0.8 ? 'acct-msp' : 'acct-business',
				groupId: customerId
			};
			pools.push(pool);
			for (let l = 0, count = dice.int(1, 3); l < count; l++) {
				const unitsOrdered = dice.pick([5, 10, 25, 50, 100]);
				const kindRoll = dice.float();
				// Roughly one in eight expires within two weeks and one in eight is overused (L14 states to look at).
				const days = kindRoll < 0.12 ? dice.int(1, 13) : kindRoll < 0.17 ? -dice.int(1, 30) : dice.int(30, 700);
				const overused = dice.float() < 0.12;
				licenses.push({
					id: dice.id('lic'),
					publicId: `${dice.int(100, 999)}-${dice.int(100, 999)}-${dice.int(100, 999)}`,
					poolId: pool.id,
					product: dice.pick(products),
					type: dice.float() < 0.1 ? 'trial' : pool.accountId === 'acct-msp' ? 'msp' : 'business',
					unitsOrdered,
					unitsActivated: overused ? unitsOrdered + dice.int(1, 5) : dice.int(0, unitsOrdered),
					expiresOn: isoDate(addDays(now, days)),
					suspended: false,
					ownerId: customerId,
					tag: name
				});
			}
		}

		const customerDoc = new Y.Doc();
		const customer = new CustomerRepository(customerDoc, { newId: () => dice.id('c'), now: () => now });
		// P1, P7: the services the customer has.
		const services = new CustomerRepository(customerDoc, { newId: () => account.id('svc'), now: () => now });
		for (const kind of SERVICE_KINDS) if (account.float() < 0.35) services.addService(kind);
		for (let c = 0, count = dice.int(1, 3); c < count; c++) {
			const who = c === 0 ? contact : person(dice, country, name);
			customer.addContact({
				name: who.name,
				role: c === 0 ? 'IT admin' : dice.pick(['Managing director', 'Office manager', 'Accounting']),
				email: who.email,
				phone: who.phone
			});
		}
		customerUpdates.set(customerId, Y.encodeStateAsUpdate(customerDoc));
		customerDoc.destroy();
	}
	tenant.putLicenseData({ accounts, pools, licenses });
	const tenantUpdate = Y.encodeStateAsUpdate(tenantDoc);
	tenantDoc.destroy();
	return { tenantUpdate, customerUpdates };
}

/**
 * Seeds the demo tenant, its documents and the demo owner; answers the owner's password, or null (and no change) when
 * the demo exists already. S54: the password is random, printed once on the console: a fixed one, published in the
 * README, made every demo (and every data directory it ever shared) an owner account anyone could sign in to.
 */
export async function seedDemo(
	store: Store,
	now: Date,
	password = randomBytes(12).toString('base64url')
): Promise<string | null> {
	if (await store.getTenant(DEMO_TENANT_ID)) return null;
	const demo = buildDemo(now);
	await store.createTenant({ id: DEMO_TENANT_ID, name: DEMO_TENANT_NAME, createdAt: now.toISOString() });
	await store.append(tenantDocName(DEMO_TENANT_ID), demo.tenantUpdate);
	for (const [customerId, update] of demo.customerUpdates) {
		await store.append(storageName(DEMO_TENANT_ID, customerDocName(customerId)), update);
	}
	await seedDemoWork(store, [...demo.customerUpdates.keys()], now);
	await createUserAccount(store, {
		tenantId: DEMO_TENANT_ID,
		email: DEMO_EMAIL,
		password,
		role: 'superAdmin',
		now,
		id: 'demo-owner'
	});
	await store.setTenantOwner(DEMO_TENANT_ID, 'demo-owner');
	return password;
}

const DEMO_SERVICES = [
	['Exchange backup', 'Mailboxes'],
	['OneDrive backup', 'Files'],
	['SharePoint backup', 'Sites'],
	['Teams backup', 'Channels']
] as const;
const DEMO_REQUESTS = [
	['Restore a deleted mailbox folder', 'The finance team deleted the folder "Invoices 2024" by mistake.'],
	['Backup of the new SharePoint site', 'Please include the site "Projects" in the nightly backup.'],
	['OneDrive backup fails for one user', 'The job for the sales manager fails every night since Monday.'],
	['Change the retention period', 'We need 7 years of retention for the accounting mailboxes.']
] as const;

/**
 * P4, P5: the demo's jobs of the last week (some failed) and its open service requests, sent through the integrations
 * service the API uses (as an integration named "Demo backup system"), so the documents and the summaries are what a
 * real integration leaves.
 */
async function seedDemoWork(store: Store, customerIds: readonly string[], now: Date): Promise<void> {
	const dice = new Dice(SEED + 9);
	const log = createLogger('silent');
	const clock = { ...systemClock, now: () => now };
	const service = createIntegrationsService({
		store,
		docs: storeDocs(store),
		clock,
		log,
		audit: createAudit(store, clock, log)
	});
	// The token exists so that the integrations screen lists the sender; its secret is never shown (create a new one).
	const { record } = await createIntegrationToken(store, {
		tenantId: DEMO_TENANT_ID,
		name: 'Demo backup system',
		createdBy: null,
		now
	});
	const jobs: unknown[] = [];
	const requests: unknown[] = [];
	const hour = 60 * 60 * 1000;
	for (const [c, customerId] of customerIds.entries()) {
		if (dice.float() < 0.25) continue;
		const failureRate = dice.float() < 0.2 ? 0.3 : 0.03;
		// One job a day, the services taking turns: a week of jobs of every customer fits in one call of at most 1,000.
		for (let day = 6; day >= 0; day--) {
			{
				const s = (day + c) % DEMO_SERVICES.length;
				const [serviceName, module] = DEMO_SERVICES[s]!;
				const ended = now.getTime() - day * 24 * hour - dice.int(1, 5) * hour;
				const failed = dice.float() < failureRate;
				jobs.push({
					jobId: `demo-${customerId}-${day}-${s}`,
					customerId,
					service: serviceName,
					module,
					status: failed ? 'failed' : dice.float() < 0.05 ? 'warning' : 'succeeded',
					startedAt: new Date(ended - dice.int(5, 90) * 60_000).toISOString(),
					endedAt: new Date(ended).toISOString(),
					...(failed ? {} : { bytes: dice.int(1, 400) * 1024 * 1024 * 1024 })
				});
			}
		}
		if (dice.float() < 0.3) {
			const [subject, details] = dice.pick(DEMO_REQUESTS);
			requests.push({
				requestId: `demo-req-${customerId}`,
				customerId,
				subject,
				details,
				submittedAt: new Date(now.getTime() - dice.int(1, 20 * 24) * hour).toISOString(),
				status: dice.pick(['open', 'open', 'inProgress', 'waiting'] as const)
			});
		}
	}
	// P11: the first customer's mailbox backup failed three times today, so the first look shows an insight (more than 2
	// failed jobs in 24 h); the dice above are left as they were, so the rest of the demo does not change.
	const [troubled] = customerIds;
	if (troubled !== undefined)
		for (let n = 1; n <= 3; n++) {
			const ended = now.getTime() - n * 2 * hour;
			const [serviceName, module] = DEMO_SERVICES[0]!;
			jobs.push({
				jobId: `demo-${troubled}-insight-${n}`,
				customerId: troubled,
				service: serviceName,
				module,
				status: 'failed',
				startedAt: new Date(ended - 20 * 60_000).toISOString(),
				endedAt: new Date(ended).toISOString()
			});
		}
	const sender = { id: record.id, tenantId: DEMO_TENANT_ID, name: record.name };
	for (let i = 0; i < jobs.length; i += 1000) await service.ingestJobs(sender, jobs.slice(i, i + 1000));
	if (requests.length > 0) await service.ingestServiceRequests(sender, requests);
}
