// P14, P6: the customer invitation (customer.invite) mails the admin contact in the language the wizard chose, from the
// tenant's default customer-invitation template of that language; read back from the outbox as an .eml file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { permissionsOf } from '../../src/lib/domain/access';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import type { Command, CommandInput } from '../../src/lib/schema/commands';
import type { Locale } from '../../src/lib/schema/locale';
import { createAudit } from '../../server/src/audit/audit';
import type { Clock } from '../../server/src/clock';
import { createCommandRunner } from '../../server/src/commands/commands';
import { createOutboxMailer } from '../../server/src/mail/mailer';
import { createRelay } from '../../server/src/relay/relay';
import type { Principal, Relay } from '../../server/src/relay/types';
import { createMemoryStore } from '../../server/src/store/memory';
import type { Store } from '../../server/src/store/types';
import type { UsersDeps } from '../../server/src/users/context';
import { createInvitations } from '../../server/src/users/invitations';
import { outboxMails } from '../helpers/eml';

const TENANT = 't1';
const clock: Clock = {
	now: () => new Date('2026-03-10T10:00:00.000Z'),
	setTimeout: () => ({ cancel: () => undefined })
};
const log = pino({ level: 'silent' });
let store: Store;
let relay: Relay;
let dataDir: string;

beforeEach(async () => {
	dataDir = await mkdtemp(join(tmpdir(), 'msp-templates-'));
	store = createMemoryStore();
	await store.createTenant({ id: TENANT, name: 'Acme IT', createdAt: clock.now().toISOString() });
	relay = createRelay({
		store,
		clock,
		log,
		hooks: { authenticate: async () => null, authorize: async () => 'none', revalidate: async () => null }
	});
	const ids = ['m1', 'c1'];
	await relay.change(`tenant:${TENANT}`, (doc) => {
		const repo = new TenantRepository(doc, { newId: () => ids.shift()! });
		repo.setTenantName('Acme IT');
		const m1 = repo.createNode({ kind: 'msp', name: 'MSP A', parentId: null });
		repo.createNode({
			kind: 'customer',
			name: 'Kowalski Sp. z o.o.',
			parentId: m1,
			origin: 'partner',
			billingType: 'trial'
		});
	});
});

afterEach(async () => {
	await relay.close();
	await store.close();
	await rm(dataDir, { recursive: true, force: true });
});

const admin: Principal = {
	userId: 'u1',
	tenantId: TENANT,
	role: 'admin',
	grants: [{ scope: 'tenant' }],
	permissions: [...permissionsOf('admin')],
	email: 'tech@acme.example',
	sessionId: 's1',
	validUntil: Number.MAX_SAFE_INTEGER
};

function invite(locale: Locale | undefined): Command {
	const input: CommandInput = {
		type: 'customer.invite',
		customerId: 'c1',
		email: 'jan@kowalski.example',
		contactName: 'Jan Kowalski',
		...(locale ? { locale } : {}),
		services: ['exchangeBackup', 'teamsBackup'],
		license: { billingType: 'trial', product: 'Backup for Office 365', units: 3, expiresOn: '2027-03-10' }
	};
	return { ...input, id: '00000000-0000-4000-8000-000000000001', at: '2026-03-10T09:00:00.000Z' } as Command;
}

async function run(command: Command): Promise<void> {
	const mailer = createOutboxMailer(join(dataDir, 'outbox'), 'portal@acme.example', clock);
	const deps = { store, relay, log, clock, mailer, auth: {} as UsersDeps['auth'] };
	const runner = createCommandRunner({
		store,
		relay,
		audit: createAudit(store, clock, log),
		clock,
		log,
		invitations: createInvitations(deps),
		customerWaitMs: 0
	});
	expect(await runner.run(admin, null, [command], 'https://portal.acme.example')).toEqual([
		{ id: command.id, status: 'applied' }
	]);
}

describe('customer invitation mail (P14)', () => {
	it('P14: customer.invite in Polish mails the Polish built-in template with the services, license and plurals in Polish', async () => {
		await run(invite('pl'));
		const [mail, ...more] = outboxMails(dataDir);
		expect(more).toEqual([]);
		expect(mail?.subject).toBe('Acme IT zaprasza Kowalski Sp. z o.o. do portalu MSP');
		for (const line of [
			'Dzień dobry Jan Kowalski,',
			'W portalu MSP utworzono organizację Kowalski Sp. z o.o..',
			'tech@acme.example (Acme IT) zaprasza Państwa jako jej kontakt administracyjny.',
			'Usługi: Kopia zapasowa Exchange i Kopia zapasowa Teams',
			'  Typ licencji: Bezpłatna wersja próbna',
			'  Zakupiony limit: 3 użytkownicy',
			'  Data wygaśnięcia: 10 marca 2027'
		])
			expect(mail?.text).toContain(line);
		expect((await store.listPendingInvitations(TENANT))[0]?.locale).toBe('pl');
	});

	it('P14: a custom default customer template in Italian is used; a command without a language gets English', async () => {
		const now = clock.now().toISOString();
		await store.putNotificationTemplate(TENANT, {
			id: 'tpl-it',
			name: 'Benvenuto',
			kind: 'customerInvitation',
			locale: 'it',
			subject: 'Benvenuti, {{organization}}',
			body: '{{contactName}}: {{license}}\n{{link}}',
			createdAt: now,
			updatedAt: now
		});
		await store.setTemplateDefault(TENANT, 'customerInvitation', 'it', 'tpl-it');
		await run(invite('it'));
		const [mail] = outboxMails(dataDir);
		expect(mail?.subject).toBe('Benvenuti, Kowalski Sp. z o.o.');
		expect(mail?.text).toMatch(
			/^Jan Kowalski: Prova gratuita · Backup for Office 365 · 3 utenti · 10 marzo 2027\nhttps:\/\/portal\.acme\.example\/invitations\/accept\?token=\S+$/
		);
	});

	it('P14: a queued command from before languages (no locale) is mailed in English', async () => {
		await run(invite(undefined));
		expect(outboxMails(dataDir)[0]?.subject).toBe('Acme IT invites Kowalski Sp. z o.o. to the MSP Portal');
	});
});
