// S61, S62, S66-S69, H6, P16, P17: the command runner with a real relay and store (no sockets): a permission per type and
// where it applies, idempotent retries (import and sync too), the audit row, and what License management is told.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { permissionsOf } from '../../../src/lib/domain/access';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import type { Grant, Role } from '../../../src/lib/schema/access';
import type { Command, CommandInput } from '../../../src/lib/schema/commands';
import type { ImportResult } from '../../../src/lib/schema/license-export';
import { createAudit } from '../audit/audit';
import type { Clock } from '../clock';
import type { LicenseOutcome, LicenseService } from '../licenses/types';
import { createRelay } from '../relay/relay';
import type { Principal, Relay } from '../relay/types';
import { createMemoryStore } from '../store/memory';
import type { Store } from '../store/types';
import { createCommandRunner, LICENSES_UNAVAILABLE, type CommandRunner } from './commands';

const TENANT = 't1';
const DOC = `tenant:${TENANT}`;
const clock: Clock = {
	now: () => new Date('2026-03-10T10:00:00.000Z'),
	setTimeout: () => ({ cancel: () => undefined })
};
const log = pino({ level: 'silent' });

/** A LicenseService that answers what the test says and records what it was asked. */
function fakeLicenses() {
	const calls: string[] = [];
	let next: LicenseOutcome = {
		ok: true,
		result: { accountId: 'acc1', added: 3, changed: 1, removed: 0, companiesAdded: 2 } satisfies ImportResult
	};
	const service: LicenseService = {
		async importText(actor, text, options) {
			calls.push(`import ${actor.userId} ${options?.name} ${options?.format} ${text.length}`);
			return next;
		},
		async addHttpAccount() {
			throw new Error('not used');
		},
		async syncAccount(actor, accountId) {
			calls.push(`sync ${actor.userId} ${accountId}`);
			return next;
		},
		async listAccounts() {
			return [];
		},
		progress: () => null,
		async forgetAccount(tenantId, accountId) {
			calls.push(`forget ${tenantId} ${accountId}`);
		},
		async history() {
			return null;
		},
		async recordEvent(tenantId, event) {
			calls.push(`event ${event.licenseId} ${event.kind}`);
		}
	};
	return { service, calls, answer: (outcome: LicenseOutcome) => (next = outcome) };
}

let store: Store;
let relay: Relay;
let licenses: ReturnType<typeof fakeLicenses>;
let runner: CommandRunner;

beforeEach(async () => {
	store = createMemoryStore();
	await store.createTenant({ id: TENANT, name: 'Acme IT', createdAt: clock.now().toISOString() });
	relay = createRelay({
		store,
		clock,
		log,
		hooks: { authenticate: async () => null, authorize: async () => 'none', revalidate: async () => null }
	});
	licenses = fakeLicenses();
	runner = createCommandRunner({
		store,
		relay,
		audit: createAudit(store, clock, log),
		clock,
		log,
		licenses: licenses.service
	});
	// MSP A (m1) with customer c1; MSP B (m2) with customer c2. Account acc1 has pool p1 in c1 and pool p2 in c2.
	const ids = ['m1', 'c1', 'm2', 'c2'];
	await relay.change(DOC, (doc) => {
		const repo = new TenantRepository(doc, { newId: () => ids.shift()! });
		const m1 = repo.createNode({ kind: 'msp', name: 'MSP A', parentId: null });
		repo.createNode({ kind: 'customer', name: 'Contoso', parentId: m1, status: 'normal' });
		const m2 = repo.createNode({ kind: 'msp', name: 'MSP B', parentId: null });
		repo.createNode({ kind: 'customer', name: 'Fabrikam', parentId: m2, status: 'normal' });
		const license = {
			product: 'ESET PROTECT',
			unitsOrdered: 10,
			unitsActivated: 1,
			expiresOn: '2026-04-01',
			suspended: false,
			tag: ''
		};
		repo.putLicenseData({
			accounts: [{ id: 'acc1', kind: 'msp', name: 'MSP account', login: 'msp@example.com' }],
			pools: [
				{ id: 'p1', name: 'Contoso', accountId: 'acc1', groupId: 'c1' },
				{ id: 'p2', name: 'Fabrikam', accountId: 'acc1', groupId: 'c2' }
			],
			licenses: [
				{ ...license, id: 'trial1', publicId: 'T-1', poolId: 'p1', type: 'trial', ownerId: 'c1' },
				{ ...license, id: 'fab1', publicId: 'F-1', poolId: 'p2', type: 'msp', ownerId: 'c2' }
			]
		});
	});
});

afterEach(async () => {
	await relay.close();
	await store.close();
});

let people = 0;
function principal(role: Role, grants: Grant[]): Principal {
	people += 1;
	return {
		userId: `u${people}`,
		tenantId: TENANT,
		role,
		grants,
		permissions: [...permissionsOf(role)],
		email: `u${people}@acme.example`,
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

const repo = <T>(read: (repo: TenantRepository) => T): Promise<T> =>
	relay.withDoc(DOC, (doc) => read(new TenantRepository(doc)));

const admin = () => principal('admin', [{ scope: 'tenant' }]);

describe('license commands on the server', () => {
	it('S67, P16: a license command needs licenses.edit on the pool’s access group; Help Desk has none', async () => {
		const extend = command({ type: 'license.extendTrial', licenseId: 'trial1' });
		const [helpDesk] = await runner.run(principal('helpDesk', [{ scope: 'tenant' }]), null, [extend]);
		expect(helpDesk).toMatchObject({
			status: 'refused',
			code: 'notPermitted',
			message: 'your role may not change licenses'
		});
		expect(await repo((r) => r.licenseRecord('trial1')?.extensions)).toBe(0);

		const [applied] = await runner.run(admin(), null, [command({ type: 'license.extendTrial', licenseId: 'trial1' })]);
		expect(applied?.status).toBe('applied');
		expect(await repo((r) => r.licenseRecord('trial1')?.expiresOn)).toBe('2026-05-01');
		expect(licenses.calls).toEqual(['event trial1 extended']);
	});

	it('S67, H6: a custom role granted one MSP changes licenses there and nowhere else', async () => {
		await store.putCustomRole(TENANT, { id: 'lic', name: 'License clerk', permissions: ['licenses.edit'] });
		const clerk = {
			...principal('custom:lic', [{ scope: 'node', id: 'm1' }]),
			permissions: ['licenses.edit' as const]
		};
		const results = await runner.run(clerk, null, [
			command({ type: 'license.setTag', licenseId: 'trial1', tag: 'Mine' }),
			command({ type: 'license.setTag', licenseId: 'fab1', tag: 'Not mine' }),
			command({ type: 'license.setTag', licenseId: 'nope', tag: 'Nobody' }),
			// L8: both the pool's group and the new one must be inside the grant.
			command({ type: 'licensePool.move', poolId: 'p1', groupId: 'm2' }),
			command({ type: 'licensePool.move', poolId: 'p1', groupId: 'm1' }),
			// L14: the company must be inside the grant.
			command({ type: 'licenses.suspendCompany', companyId: 'c2', suspended: true }),
			// L11: the deletion takes p2 (in MSP B) too: refused.
			command({ type: 'license.delete', licenseId: 'trial1' })
		]);
		expect(results.map((r) => r.code ?? r.status)).toEqual([
			'applied',
			'notPermitted',
			'notFound',
			'notPermitted',
			'applied',
			'notPermitted',
			'notPermitted'
		]);
		expect(await repo((r) => r.licenses().map((l) => [l.id, l.tag]))).toEqual([
			['trial1', 'Mine'],
			['fab1', '']
		]);
		expect(await repo((r) => r.pools().map((p) => [p.id, p.groupId]))).toEqual([
			['p1', 'm1'],
			['p2', 'c2']
		]);
		expect(await repo((r) => r.licenseRecord('fab1')?.held)).toBe(false);
	});

	it('L11, S69: a deletion forgets the account with License management after the change is stored', async () => {
		const [result] = await runner.run(admin(), null, [command({ type: 'license.delete', licenseId: 'fab1' })]);
		expect(result?.status).toBe('applied');
		expect(await repo((r) => [r.accounts().length, r.pools().length, r.licenseRecords().length])).toEqual([0, 0, 0]);
		expect(licenses.calls).toEqual([`forget ${TENANT} acc1`]);
	});

	it('L15, S62: a rule the license breaks is refused as invalid with the rule’s words, and nothing changes', async () => {
		const results = await runner.run(admin(), null, [
			command({ type: 'license.extendTrial', licenseId: 'fab1' }),
			command({ type: 'license.convertTrial', licenseId: 'trial1', units: 11 })
		]);
		expect(results.map((r) => [r.code, r.message])).toEqual([
			['invalid', 'only a trial license can be extended'],
			['invalid', 'between 1 and 10 units of this trial can be converted']
		]);
		expect(licenses.calls).toEqual([]);
	});

	it('L15: a conversion makes the paid license with the command’s id, a year from the server’s day', async () => {
		const conversion = command({ type: 'license.convertTrial', licenseId: 'trial1', units: 4 });
		await runner.run(admin(), null, [conversion]);
		expect(await repo((r) => r.licenseRecord(conversion.id))).toMatchObject({
			type: 'msp',
			unitsOrdered: 4,
			expiresOn: '2027-03-10',
			origin: 'portal',
			poolId: 'p1'
		});
		expect(licenses.calls).toEqual(['event trial1 converted', `event ${conversion.id} converted`]);
	});
});

describe('import and sync', () => {
	it('S66, S61: an import runs through License management once; a retry answers duplicate and imports nothing', async () => {
		const owner = admin();
		const importing = command({ type: 'licenses.import', fileName: 'export.json', format: 'json', text: '{"x":1}' });
		const [first] = await runner.run(owner, '192.0.2.1', [importing]);
		expect(first).toEqual({
			id: importing.id,
			status: 'applied',
			summary: { accountId: 'acc1', added: 3, changed: 1, removed: 0, companiesAdded: 2 }
		});
		const [again] = await runner.run(owner, '192.0.2.1', [importing]);
		expect(again).toEqual({ id: importing.id, status: 'duplicate' });
		expect(licenses.calls).toEqual([`import ${owner.userId} export.json json 7`]);
	});

	it('S66: a refused import answers invalid with the message and the details, and a retry answers the same', async () => {
		licenses.answer({
			ok: false,
			code: 'distributor_account',
			message: 'a distributor account cannot be imported',
			details: [{ where: 'account.kind', message: 'distributor' }]
		});
		const importing = command({ type: 'licenses.import', fileName: 'd.csv', format: 'csv', text: 'a;b' });
		const [result] = await runner.run(admin(), null, [importing]);
		expect(result).toEqual({
			id: importing.id,
			status: 'refused',
			code: 'invalid',
			message: 'a distributor account cannot be imported',
			details: [{ where: 'account.kind', message: 'distributor' }]
		});
		const [again] = await runner.run(admin(), null, [importing]);
		expect(again).toMatchObject({ status: 'duplicate', code: 'invalid' });
	});

	it('S67: import and sync need licenses.sync on the whole tenant', async () => {
		const sync = (): Command => command({ type: 'licenses.sync', accountId: 'acc1' });
		const [scopedAdmin] = await runner.run(principal('admin', [{ scope: 'node', id: 'm1' }]), null, [sync()]);
		expect(scopedAdmin).toMatchObject({ code: 'notPermitted', message: 'this needs a grant on the whole tenant' });
		const [helpDesk] = await runner.run(principal('helpDesk', [{ scope: 'tenant' }]), null, [sync()]);
		expect(helpDesk).toMatchObject({
			code: 'notPermitted',
			message: 'your role may not import or synchronize licenses'
		});
		licenses.answer({ ok: false, code: 'not_found', message: 'no such account', details: [] });
		const [unknown] = await runner.run(admin(), null, [sync()]);
		expect(unknown).toMatchObject({ status: 'refused', code: 'notFound', message: 'no such account' });
		expect(licenses.calls).toEqual(['sync u' + people + ' acc1']);
	});

	it('S66: without License management on the server, import and sync are refused with a clear message', async () => {
		const bare = createCommandRunner({ store, relay, audit: createAudit(store, clock, log), clock, log });
		const [result] = await bare.run(admin(), null, [command({ type: 'licenses.sync', accountId: 'acc1' })]);
		expect(result).toMatchObject({ status: 'refused', code: 'invalid', message: LICENSES_UNAVAILABLE });
	});
});

describe('the audit row', () => {
	it('P17, S61: every license command is audited once with its type, id and result, never its values', async () => {
		const tag = command({ type: 'license.setTag', licenseId: 'trial1', tag: 'Secret tag' });
		const importing = command({ type: 'licenses.import', fileName: 'secret.json', format: 'json', text: 'SECRET' });
		const owner = admin();
		await runner.run(owner, '192.0.2.7', [tag, importing, tag]);
		const rows = await store.listAudit({ tenantId: TENANT, action: 'command' });
		expect(rows.map((row) => [row.itemType, row.item, row.description, row.ip, row.userId])).toEqual([
			['command', 'licenses', `licenses.import ${importing.id} applied`, '192.0.2.7', owner.userId],
			['command', 'trial1', `license.setTag ${tag.id} applied`, '192.0.2.7', owner.userId]
		]);
		expect(JSON.stringify(rows)).not.toMatch(/Secret|secret|SECRET/);
	});
});
