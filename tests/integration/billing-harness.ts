// P15: a tenant with billing profiles and customers written straight into a SQLite data directory, and servers over it on
// a fake clock, for the billing tests (the schedule, the outbox, restarts, two processes).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type PortalServer } from '../../server/src/app';
import { testConfig } from '../../server/src/config';
import { storeDocs } from '../../server/src/licenses/docs';
import { createLogger } from '../../server/src/log';
import { createOutboxMailer, type Mailer } from '../../server/src/mail/mailer';
import { createAudit } from '../../server/src/audit/audit';
import { createBillingService, type BillingService } from '../../server/src/billing/service';
import { openSqliteStore } from '../../server/src/store/sqlite';
import type { Store } from '../../server/src/store/types';
import { DEFAULT_TENANT_SETTINGS } from '../../src/lib/schema/settings';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { EMPTY_SUMMARY } from '../../src/lib/schema/customer-summary';
import type { ServiceKind } from '../../src/lib/schema/customer';
import type { BillingProfileInput } from '../../src/lib/schema/billing';
import { tenantDocName } from '../../src/lib/schema/ids';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock';
import { FAST_SCRYPT } from '../helpers/portal';

export const TENANT = 'alpen';

export interface BillingCustomer {
	readonly id: string;
	readonly name: string;
	readonly email?: string;
	readonly services?: readonly ServiceKind[];
	readonly unlinked?: boolean;
}

export interface BillingWorld {
	readonly dataDir: string;
	readonly file: string;
	readonly clock: FakeClock;
	readonly store: Store;
	/** Another store instance on the same file: a second process. */
	openStore(): Store;
	start(options?: { store?: Store; mailer?: Mailer }): PortalServer;
	/** The server's URL (it listens on the first call). */
	url(server: PortalServer): Promise<string>;
	/**
	 * The billing run without a server (no scheduler, so a test that moves the clock runs it only when it says so), on
	 * the store's documents, mailing into DATA_DIR/outbox unless given a mailer.
	 */
	service(options?: { store?: Store; mailer?: Mailer }): BillingService;
	/** Changes the tenant document in the store (before the servers that read it have loaded it). */
	changeTenant(fn: (repo: TenantRepository) => void): Promise<void>;
	/** The .eml files in DATA_DIR/outbox, oldest name first. */
	outbox(): string[];
	close(): Promise<void>;
}

export const STANDARD: BillingProfileInput = {
	id: 'standard',
	name: 'Standard',
	description: 'Backup customers',
	discountPercent: 10,
	currency: 'EUR',
	prices: { exchangeBackup: 1250, teamsBackup: 399, serverBackup: 4999 },
	frequency: { kind: 'monthly', day: 31 },
	locale: 'de'
};

export async function billingWorld(options: {
	start: string;
	timeZone?: string;
	profiles?: readonly BillingProfileInput[];
	customers: readonly BillingCustomer[];
	assignments: Readonly<Record<string, string>>;
}): Promise<BillingWorld> {
	const dataDir = mkdtempSync(join(tmpdir(), 'msp-billing-'));
	const file = join(dataDir, 'portal.db');
	const clock = createFakeClock(new Date(options.start));
	const stores: Store[] = [];
	const servers: PortalServer[] = [];
	const urls = new Map<PortalServer, Promise<string>>();
	const openStore = () => {
		const store = openSqliteStore(file);
		stores.push(store);
		return store;
	};
	const store = openStore();
	await store.createTenant({ id: TENANT, name: 'Alpen IT', createdAt: clock.now().toISOString() });
	await store.putTenantSettings(TENANT, { ...DEFAULT_TENANT_SETTINGS, timeZone: options.timeZone ?? 'Europe/Berlin' });
	const changeTenant = (fn: (repo: TenantRepository) => void) =>
		storeDocs(store).change(tenantDocName(TENANT), (doc) => fn(new TenantRepository(doc)));
	await changeTenant((repo) => {
		repo.setTenantName('Alpen IT');
		const msp = repo.createNode({ kind: 'msp', name: 'Alpen IT', parentId: null });
		repo.createNodes(
			options.customers.map((customer) => ({
				id: customer.id,
				kind: 'customer' as const,
				name: customer.name,
				parentId: msp,
				...(customer.email ? { contact: { name: '', email: customer.email, phone: '' } } : {})
			}))
		);
		for (const customer of options.customers) {
			repo.putSummary(customer.id, {
				...EMPTY_SUMMARY,
				updatedAt: clock.now().toISOString(),
				services: [...(customer.services ?? [])]
			});
		}
		for (const profile of options.profiles ?? [STANDARD]) repo.putBillingProfile(profile);
		for (const [customerId, profileId] of Object.entries(options.assignments))
			repo.assignBilling([customerId], profileId);
		for (const customer of options.customers) if (customer.unlinked) repo.setStatus(customer.id, 'unlinked');
	});
	return {
		dataDir,
		file,
		clock,
		store,
		openStore,
		start(startOptions = {}) {
			const server = createServer({
				store: startOptions.store ?? store,
				clock,
				log: createLogger('silent'),
				config: testConfig({ buildDir: '/nonexistent-build', dataDir }),
				authOptions: { scrypt: FAST_SCRYPT },
				...(startOptions.mailer ? { mailer: startOptions.mailer } : {})
			});
			servers.push(server);
			return server;
		},
		url(server) {
			let url = urls.get(server);
			if (!url) {
				url = server.listen().then((listening) => listening.url);
				urls.set(server, url);
			}
			return url;
		},
		service(serviceOptions = {}) {
			const on = serviceOptions.store ?? store;
			const log = createLogger('silent');
			return createBillingService({
				store: on,
				docs: storeDocs(on),
				clock,
				log,
				audit: createAudit(on, clock, log),
				mailer: serviceOptions.mailer ?? createOutboxMailer(join(dataDir, 'outbox'), 'portal@alpen.example', clock),
				messageIdHost: 'msp-portal.invalid'
			});
		},
		changeTenant,
		outbox() {
			const dir = join(dataDir, 'outbox');
			try {
				return readdirSync(dir)
					.sort()
					.map((name) => readFileSync(join(dir, name), 'utf8'));
			} catch {
				return [];
			}
		},
		async close() {
			for (const server of servers) await server.close();
			for (const each of stores) await each.close();
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

/** A mail's header value (unfolded), from the RFC 822 text. */
export function header(eml: string, name: string): string {
	const head = eml.split('\n\n')[0] ?? '';
	const unfolded = head.replace(/\n[ \t]+/g, ' ');
	const line = unfolded.split('\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
	return line ? line.slice(name.length + 1).trim() : '';
}

/** The text body of a mail written by nodemailer's stream transport (quoted-printable decoded when it is). */
export function body(eml: string): string {
	const [head, ...rest] = eml.split('\n\n');
	const text = rest.join('\n\n');
	if (!/content-transfer-encoding:\s*quoted-printable/i.test(head ?? '')) return text;
	const bytes: number[] = [];
	const soft = text.replace(/=\n/g, '');
	for (let i = 0; i < soft.length; i++) {
		const hex = soft[i] === '=' ? soft.slice(i + 1, i + 3) : '';
		if (/^[0-9A-F]{2}$/.test(hex)) {
			bytes.push(parseInt(hex, 16));
			i += 2;
		} else bytes.push(...Buffer.from(soft[i]!, 'utf8'));
	}
	return Buffer.from(bytes).toString('utf8');
}
