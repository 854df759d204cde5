// S85-S89, P6, C6, P7: the customer commands on the server with a real relay, store, invitations and outbox mailer (no
// sockets): the invitation books the license, writes the services and mails a readable .eml once; billing keeps C6; a
// backup request reaches the (fake) backup integration.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import pino from 'pino';
import { permissionsOf } from '../../../src/lib/domain/access';
import { CUSTOMER_ROOTS } from '../../../src/lib/data/customer-doc';
import { PORTAL_ACCOUNT_ID } from '../../../src/lib/data/customer-commands';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import type { Grant, Role } from '../../../src/lib/schema/access';
import type { Command, CommandInput } from '../../../src/lib/schema/commands';
import type { BackupRequest } from '../../../src/lib/schema/customer';
import { createAudit } from '../audit/audit';
import type { Clock } from '../clock';
import type { BackupQueue } from '../integrations/types';
import { createOutboxMailer, MailError, type Mailer } from '../mail/mailer';
import { createRelay } from '../relay/relay';
import type { Principal, Relay } from '../relay/types';
import { createMemoryStore } from '../store/memory';
import type { Store } from '../store/types';
import { createInvitations } from '../users/invitations';
import type { UsersDeps } from '../users/context';
import { createCommandRunner, type CommandRunner } from './commands';
import { NO_BACKUPS } from './customer-commands';

const TENANT = 't1';
const DOC = `tenant:${TENANT}`;
const clock: Clock = {
	now: () => new Date('2026-03-10T10:00:00.000Z'),
	setTimeout: () => ({ cancel: () => undefined })
};
const log = pino({ level: 'silent' });

let store: Store;
let relay: Relay;
let outbox: string;
let mailer: Mailer;
let mailFails = false;
let backups: { queue: BackupQueue; requests: Array<{ customerId: string; request: BackupRequest }>; fail: boolean };

function runnerWith(extra: { backups?: BackupQueue } = {}): CommandRunner {
	const deps = { store, relay, log, clock, mailer, auth: {} as UsersDeps['auth'] };
	return createCommandRunner({
		store,
		relay,
		audit: createAudit(store, clock, log),
		clock,
		log,
		invitations: createInvitations(deps),
		customerWaitMs: 0,
		...extra
	});
}

beforeEach(async () => {
	outbox = await mkdtemp(join(tmpdir(), 'msp-outbox-'));
	const files = createOutboxMailer(outbox, 'portal@acme.example', clock);
	mailFails = false;
	mailer = {
		send: (message) => (mailFails ? Promise.reject(new MailError('test')) : files.send(message))
	};
	store = createMemoryStore();
	await store.createTenant({ id: TENANT, name: 'Acme IT', createdAt: clock.now().toISOString() });
	relay = createRelay({
		store,
		clock,
		log,
		hooks: { authenticate: async () => null, authorize: async () => 'none', revalidate: async () => null }
	});
	const requests: Array<{ customerId: string; request: BackupRequest }> = [];
	backups = {
		requests,
		fail: false,
		queue: {
			queue: async (tenantId, customerId, request) => {
				if (backups.fail) throw new Error('integration down');
				requests.push({ customerId, request });
			}
		}
	};
	// MSP A (m1) with a new customer c1 (not set up, as the wizard makes it) and a set-up customer c2.
	const ids = ['m1', 'c1', 'c2'];
	await relay.change(DOC, (doc) => {
		const repo = new TenantRepository(doc, { newId: () => ids.shift()! });
		repo.setTenantName('Acme IT');
		const m1 = repo.createNode({ kind: 'msp', name: 'MSP A', parentId: null });
		repo.createNode({
			kind: 'customer',
			name: 'Contoso',
			parentId: m1,
			origin: 'partner',
			billingType: 'trial',
			contact: { name: 'Ana Ruiz', email: 'ana@contoso.example', phone: '' }
		});
		repo.createNode({ kind: 'customer', name: 'Fabrikam', parentId: m1, status: 'normal', billingType: 'trial' });
	});
});

afterEach(async () => {
	await relay.close();
	await store.close();
	await rm(outbox, { recursive: true, force: true });
});

let people = 0;
function principal(role: Role, grants: Grant[] = [{ scope: 'tenant' }]): Principal {
	people += 1;
	return {
		userId: `u${people}`,
		tenantId: TENANT,
		role,
		grants,
		permissions: [...permissionsOf(role)],
		email: `tech${people}@acme.example`,
		sessionId: `s${people}`,
		validUntil: Number.MAX_SAFE_INTEGER
	};
}

let ids = 0;
const command = (input: CommandInput): Command =>
	({
		...input,
		id: `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
		at: '2026-03-10T09:00:00.000Z'
	}) as Command;

const invite = (license: Partial<Extract<CommandInput, { type: 'customer.invite' }>['license']> = {}) =>
	command({
		type: 'customer.invite',
		customerId: 'c1',
		email: 'ana@contoso.example',
		contactName: 'Ana Ruiz',
		services: ['exchangeBackup', 'teamsBackup'],
		license: { billingType: 'trial', product: 'Backup for Office 365', units: 5, expiresOn: '2027-03-10', ...license }
	});

const tenant = <T>(read: (repo: TenantRepository) => T): Promise<T> =>
	relay.withDoc(DOC, (doc) => read(new TenantRepository(doc)));
const customerDoc = <T>(customerId: string, read: (doc: Y.Doc) => T): Promise<T> =>
	relay.withDoc(`${TENANT}/customer:${customerId}`, read);
/** The .eml files, their quoted-printable body decoded (soft line breaks joined, =XX bytes read). */
const mails = async (): Promise<string[]> =>
	Promise.all(
		(await readdir(outbox)).map(async (name) =>
			Buffer.from(
				(await readFile(join(outbox, name), 'latin1'))
					.replace(/=\n/g, '')
					.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
				'latin1'
			).toString('utf8')
		)
	);

describe('customer.invite', () => {
	it('P6, S86: books the license in a portal pool, sets the customer up, writes the services and mails the invitation', async () => {
		const runner = runnerWith();
		const admin = principal('admin');
		const invitation = invite();
		expect(await runner.run(admin, '192.0.2.1', [invitation], 'https://portal.acme.example')).toEqual([
			{ id: invitation.id, status: 'applied' }
		]);
		const state = await tenant((r) => ({
			node: r.node('c1'),
			account: r.accounts().find((account) => account.id === PORTAL_ACCOUNT_ID),
			pools: r.pools().filter((pool) => pool.groupId === 'c1'),
			license: r.licenseRecord(invitation.id)
		}));
		expect(state.node).toMatchObject({ status: 'normal', billingType: 'trial' });
		expect(state.account).toMatchObject({ kind: 'msp', name: 'Acme IT' });
		expect(state.pools).toHaveLength(1);
		expect(state.license).toMatchObject({
			type: 'trial',
			product: 'Backup for Office 365',
			unitsOrdered: 5,
			expiresOn: '2027-03-10',
			ownerId: 'c1',
			poolId: state.pools[0]!.id,
			origin: 'portal'
		});
		const services = await customerDoc('c1', (doc) =>
			[...doc.getMap<Y.Map<unknown>>(CUSTOMER_ROOTS.services).values()].map((service) => service.toJSON())
		);
		expect(services).toEqual([
			{ kind: 'exchangeBackup', status: 'active', addedAt: '2026-03-10T10:00:00.000Z' },
			{ kind: 'teamsBackup', status: 'active', addedAt: '2026-03-10T10:00:00.000Z' }
		]);
		const [mail, ...more] = await mails();
		expect(more).toEqual([]);
		expect(mail).toContain('To: ana@contoso.example');
		expect(mail).toContain('Acme IT invites Contoso to the MSP Portal');
		for (const line of [
			'Hello Ana Ruiz,',
			'Exchange backup',
			'Teams backup',
			'Free trial',
			'Purchased capacity: 5 users'
		])
			expect(mail).toContain(line);
		expect(mail).toMatch(/https:\/\/portal\.acme\.example\/invitations\/accept\?token=/);
		// The link works: a Read-only invitation granted this customer alone (L5).
		const [pending] = await store.listPendingInvitations(TENANT);
		expect(pending).toMatchObject({
			email: 'ana@contoso.example',
			role: 'readOnly',
			grants: [{ scope: 'customer', id: 'c1' }]
		});
	});

	it('S61, P6: a retry of the same command answers duplicate and mails nothing more', async () => {
		const runner = runnerWith();
		const admin = principal('admin');
		const invitation = invite();
		await runner.run(admin, null, [invitation]);
		expect(await runner.run(admin, null, [invitation])).toEqual([{ id: invitation.id, status: 'duplicate' }]);
		expect(await mails()).toHaveLength(1);
		expect(await customerDoc('c1', (doc) => doc.getMap(CUSTOMER_ROOTS.services).size)).toBe(2);
	});

	it('P6, S86: the server checks P6 again on its day: 6 users on a trial, or one day beyond a year, change and mail nothing', async () => {
		const runner = runnerWith();
		const admin = principal('admin');
		const tooMany = invite({ units: 6 });
		const tooLate = invite({ expiresOn: '2027-03-11' });
		expect(await runner.run(admin, null, [tooMany, tooLate])).toEqual([
			{ id: tooMany.id, status: 'refused', code: 'invalid', message: 'a trial license covers at most 5 users' },
			{
				id: tooLate.id,
				status: 'refused',
				code: 'invalid',
				message: 'the expiry date is at most one year after the first booking date (today)'
			}
		]);
		expect(await tenant((r) => [r.node('c1')?.status, r.pools().length])).toEqual(['notSetUp', 0]);
		expect(await mails()).toEqual([]);
		expect(await store.listPendingInvitations(TENANT)).toEqual([]);
	});

	it('P6, S86: the first booking date is the tenant’s day in its time zone', async () => {
		// 10:00 UTC on 10 March is already 11 March in Kiritimati (UTC+14): a year from then passes there.
		await store.putTenantSettings(TENANT, {
			...(await store.getTenantSettings(TENANT)),
			timeZone: 'Pacific/Kiritimati'
		});
		const late = invite({ expiresOn: '2027-03-11' });
		expect(await runnerWith().run(principal('admin'), null, [late])).toEqual([{ id: late.id, status: 'applied' }]);
	});

	it('C6, S86: monthly needs the monthly-billing program', async () => {
		const monthly = invite({ billingType: 'monthly', units: 40 });
		const [refused] = await runnerWith().run(principal('admin'), null, [monthly]);
		expect(refused).toMatchObject({
			status: 'refused',
			code: 'invalid',
			message: expect.stringContaining('monthly-billing program')
		});
		await store.putTenantSettings(TENANT, { ...(await store.getTenantSettings(TENANT)), monthlyBillingProgram: true });
		const again = invite({ billingType: 'monthly', units: 40 });
		expect(await runnerWith().run(principal('admin'), null, [again])).toEqual([{ id: again.id, status: 'applied' }]);
		expect(await tenant((r) => r.node('c1')?.billingType)).toBe('monthly');
	});

	it('S87, S62: a mail that cannot be sent refuses the command, withdraws the invitation and changes nothing', async () => {
		mailFails = true;
		const invitation = invite();
		const [result] = await runnerWith().run(principal('admin'), null, [invitation]);
		expect(result).toEqual({
			id: invitation.id,
			status: 'refused',
			code: 'invalid',
			message: 'the invitation mail could not be sent; nothing was changed: try again later'
		});
		expect(await tenant((r) => [r.node('c1')?.status, r.licenseRecord(invitation.id)])).toEqual(['notSetUp', null]);
		expect(await store.listPendingInvitations(TENANT)).toEqual([]);
		expect(await customerDoc('c1', (doc) => doc.getMap(CUSTOMER_ROOTS.services).size)).toBe(0);
	});

	it('S85, H6: only tenant-wide people who create customers (tree.edit) invite; a set-up customer is not invited again', async () => {
		const runner = runnerWith();
		const helpDesk = invite();
		expect(await runner.run(principal('helpDesk'), null, [helpDesk])).toEqual([
			{ id: helpDesk.id, status: 'refused', code: 'notPermitted', message: 'your role may not create customers' }
		]);
		const scoped = invite();
		expect(await runner.run(principal('admin', [{ scope: 'node', id: 'm1' }]), null, [scoped])).toMatchObject([
			{ status: 'refused', code: 'notPermitted' }
		]);
		const setUp = command({ ...invite(), type: 'customer.invite', customerId: 'c2' } as CommandInput);
		expect(await runner.run(principal('admin'), null, [setUp])).toMatchObject([
			{ status: 'refused', code: 'invalid', message: 'this customer is set up already' }
		]);
		const missing = command({ ...invite(), type: 'customer.invite', customerId: 'nope' } as CommandInput);
		expect(await runner.run(principal('admin'), null, [missing])).toMatchObject([
			{ status: 'refused', code: 'notFound' }
		]);
		expect(await mails()).toEqual([]);
	});

	it('P17, S62: the audit row carries the type and ids, never the email or the product', async () => {
		await runnerWith().run(principal('admin'), null, [invite()]);
		const rows = await store.listAudit({ tenantId: TENANT, action: 'command' });
		expect(rows).toHaveLength(1);
		expect(JSON.stringify(rows)).not.toMatch(/contoso\.example|Office 365/);
	});
});

describe('customer.setBilling', () => {
	const setBilling = (billingType: 'trial' | 'monthly' | 'term', earlyAccess = false, customerId = 'c2') =>
		command({ type: 'customer.setBilling', customerId, billingType, earlyAccess });

	it('C6, S88: monthly only in the program; a trial converts to monthly once the tenant is in it', async () => {
		const runner = runnerWith();
		const first = setBilling('monthly');
		expect(await runner.run(principal('admin'), null, [first])).toMatchObject([
			{ status: 'refused', code: 'invalid', message: expect.stringContaining('monthly-billing program') }
		]);
		await store.putTenantSettings(TENANT, { ...(await store.getTenantSettings(TENANT)), monthlyBillingProgram: true });
		expect(await runner.run(principal('admin'), null, [setBilling('monthly')])).toMatchObject([{ status: 'applied' }]);
		expect(await tenant((r) => r.node('c2')?.billingType)).toBe('monthly');
	});

	it('C6, S88: a monthly account never joins early access; term does', async () => {
		await store.putTenantSettings(TENANT, { ...(await store.getTenantSettings(TENANT)), monthlyBillingProgram: true });
		const runner = runnerWith();
		expect(await runner.run(principal('admin'), null, [setBilling('monthly', true)])).toMatchObject([
			{ status: 'refused', message: 'a monthly account cannot take part in early-access programs' }
		]);
		expect(await runner.run(principal('helpDesk'), null, [setBilling('term', true)])).toMatchObject([
			{ status: 'applied' }
		]);
		expect(await tenant((r) => r.node('c2'))).toMatchObject({ billingType: 'term', earlyAccess: true });
		expect(await runner.run(principal('readOnly'), null, [setBilling('term', false)])).toMatchObject([
			{ status: 'refused', code: 'notPermitted' }
		]);
	});

	it('C6: the profile command does not change billing past setBilling', async () => {
		const profile = command({ type: 'customer.updateProfile', customerId: 'c2', patch: { billingType: 'monthly' } });
		expect(await runnerWith().run(principal('admin'), null, [profile])).toMatchObject([
			{ status: 'refused', code: 'invalid' }
		]);
	});
});

describe('customer.startBackup', () => {
	const startBackup = (customerId = 'c2') => command({ type: 'customer.startBackup', customerId, serviceId: null });

	it('P7, S89: writes a queued backup request into the customer document and hands it to the backup integration', async () => {
		const runner = runnerWith({ backups: backups.queue });
		const start = startBackup();
		expect(await runner.run(principal('helpDesk'), null, [start])).toEqual([{ id: start.id, status: 'applied' }]);
		expect(backups.requests).toEqual([
			{
				customerId: 'c2',
				request: expect.objectContaining({ id: start.id, serviceId: null, status: 'queued' }) as BackupRequest
			}
		]);
		const stored = await customerDoc('c2', (doc) => doc.getMap(CUSTOMER_ROOTS.backupRequests).get(start.id));
		expect(stored).toMatchObject({ status: 'queued', requestedAt: '2026-03-10T10:00:00.000Z' });
		// S61: a retry queues nothing more.
		await runner.run(principal('helpDesk'), null, [start]);
		expect(backups.requests).toHaveLength(1);
	});

	it('P7, S89: without a backup integration, for a service the customer lacks, or for an unlinked customer: refused', async () => {
		expect(await runnerWith().run(principal('admin'), null, [startBackup()])).toMatchObject([
			{ status: 'refused', code: 'invalid', message: NO_BACKUPS }
		]);
		const runner = runnerWith({ backups: backups.queue });
		const unknownService = command({ type: 'customer.startBackup', customerId: 'c2', serviceId: 'svc-x' });
		expect(await runner.run(principal('admin'), null, [unknownService])).toMatchObject([
			{ status: 'refused', code: 'notFound' }
		]);
		await relay.change(DOC, (doc) => new TenantRepository(doc).setStatus('c2', 'unlinked'));
		expect(await runner.run(principal('admin'), null, [startBackup()])).toMatchObject([
			{ status: 'refused', code: 'invalid', message: 'an unlinked customer is read-only' }
		]);
		expect(await runner.run(principal('readOnly'), null, [startBackup('c1')])).toMatchObject([
			{ status: 'refused', code: 'notPermitted' }
		]);
		expect(backups.requests).toEqual([]);
	});

	it('P7, S89: when the integration does not take it, the request is marked failed and the command refused', async () => {
		backups.fail = true;
		const start = startBackup();
		expect(await runnerWith({ backups: backups.queue }).run(principal('admin'), null, [start])).toMatchObject([
			{ status: 'refused', code: 'invalid' }
		]);
		expect(
			await customerDoc(
				'c2',
				(doc) => (doc.getMap(CUSTOMER_ROOTS.backupRequests).get(start.id) as BackupRequest).status
			)
		).toBe('failed');
	});
});
