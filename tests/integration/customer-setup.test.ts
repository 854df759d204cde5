// H3, L5: a customer's setup over a real server: the customer's own user is invited (a Read-only role granted that
// customer alone, who then sees only that customer and its licenses), or the setup is skipped; the status becomes normal.
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../server/src/clock';
import { createMemoryStore } from '../../server/src/store/memory';
import type { Store } from '../../server/src/store/types';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { scopedViewSchema } from '../../src/lib/schema/view';
import { createMailbox, type Mailbox } from '../helpers/mailbox';
import { addOwner, OWNER_EMAIL, OWNER_PASSWORD, startPortal, type Portal } from '../helpers/portal';
import { createSignedIn, signIn } from '../helpers/portal-clients';
import { storedDoc } from '../helpers/sync-frames';

let portal: Portal | null = null;
let store: Store;
let mailbox: Mailbox;

afterEach(async () => {
	await portal?.server.close();
	portal = null;
	await store.close();
});

async function start(): Promise<{ base: string; owner: string }> {
	store = createMemoryStore();
	mailbox = createMailbox();
	const ownerId = await addOwner(store, systemClock);
	await store.setTenantOwner('acme', ownerId);
	portal = await startPortal({ store, clock: systemClock, mailer: mailbox });
	const ids = ['msp', 'c-one', 'c-two'];
	await portal.server.relay.change('tenant:acme', (doc) => {
		const tree = new TenantRepository(doc, { newId: () => ids.shift()! });
		const msp = tree.createNode({ kind: 'msp', name: 'Acme MSP', parentId: null });
		tree.createNode({ kind: 'customer', name: 'Customer One', parentId: msp });
		tree.createNode({ kind: 'customer', name: 'Customer Two', parentId: msp });
		tree.putLicenseData({
			accounts: [{ id: 'acc', kind: 'msp', name: 'Vendor', login: 'vendor' }],
			pools: [
				{ id: 'p-one', name: 'Pool One', accountId: 'acc', groupId: 'c-one' },
				{ id: 'p-two', name: 'Pool Two', accountId: 'acc', groupId: 'c-two' }
			],
			licenses: ['one', 'two'].map((n) => ({
				id: `l-${n}`,
				publicId: `PUB-${n}`,
				poolId: `p-${n}`,
				product: 'Endpoint',
				type: 'business' as const,
				unitsOrdered: 10,
				unitsActivated: 1,
				expiresOn: '2030-01-01',
				suspended: false,
				ownerId: `c-${n}`,
				tag: n
			}))
		});
	});
	const base = portal.base;
	return { base, owner: await signIn(base, OWNER_EMAIL, OWNER_PASSWORD) };
}

const post = (base: string, path: string, cookie: string, body: unknown) =>
	fetch(`${base}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie },
		body: JSON.stringify(body)
	});

const statusOf = async (id: string) => new TenantRepository(await storedDoc(store, 'tenant:acme')).node(id)?.status;

describe('customer setup (H3, L5)', () => {
	it('L5: setting a customer up with its own user invites a Read-only user who sees only that customer and its licenses', async () => {
		const { base, owner } = await start();
		const answer = await post(base, '/api/customers/c-one/setup', owner, { email: 'it@one.example' });
		expect(answer.status).toBe(201);
		expect(((await answer.json()) as { invitationId: string | null }).invitationId).toEqual(expect.any(String));
		expect(await statusOf('c-one')).toBe('normal');

		const token = mailbox.tokenFor('it@one.example', '/invitations/accept');
		const accepted = await post(base, '/api/invitations/accept', '', { token, password: 'customer password 1' });
		expect(accepted.status).toBe(204);
		const cookie = (accepted.headers.get('set-cookie') ?? '').split(';')[0]!;
		const me = (await (await fetch(`${base}/api/me`, { headers: { cookie } })).json()) as Record<string, unknown>;
		expect(me).toMatchObject({ role: 'readOnly', grants: [{ scope: 'customer', id: 'c-one' }] });
		const view = scopedViewSchema.parse(await (await fetch(`${base}/api/view`, { headers: { cookie } })).json());
		expect(view.nodes.map((node) => node.id)).toEqual(['c-one']);
		expect(view.licenses.map((license) => license.id)).toEqual(['l-one']);
		expect(view.pools.map((pool) => pool.id)).toEqual(['p-one']);
	});

	it('H3: skipping the setup makes the customer normal with no user; a customer set up already answers 409', async () => {
		const { base, owner } = await start();
		const skipped = await post(base, '/api/customers/c-two/setup', owner, {});
		expect(skipped.status).toBe(201);
		expect(await skipped.json()).toEqual({ invitationId: null });
		expect(await statusOf('c-two')).toBe('normal');
		expect(mailbox.sent).toEqual([]);
		expect((await post(base, '/api/customers/c-two/setup', owner, {})).status).toBe(409);
		expect((await post(base, '/api/customers/nope/setup', owner, {})).status).toBe(404);
		const audit = await store.listAudit({ tenantId: 'acme', limit: 5 });
		expect(audit.some((row) => row.action === 'customerSetupSkipped' && row.item === 'c-two')).toBe(true);
	});

	it('P16: a Help Desk user may skip a setup but not invite; a refused invitation leaves the customer not set up', async () => {
		const { base } = await start();
		const helpDesk = await createSignedIn(base, store, {
			tenantId: 'acme',
			email: 'hd@acme.example',
			role: 'helpDesk'
		});
		const refused = await post(base, '/api/customers/c-one/setup', helpDesk, { email: 'it@one.example' });
		expect(refused.status).toBe(403);
		expect(await statusOf('c-one')).toBe('notSetUp');
		const reader = await createSignedIn(base, store, { tenantId: 'acme', email: 'ro@acme.example', role: 'readOnly' });
		expect((await post(base, '/api/customers/c-one/setup', reader, {})).status).toBe(403);
		expect((await post(base, '/api/customers/c-one/setup', helpDesk, {})).status).toBe(201);
		expect(await statusOf('c-one')).toBe('normal');
		expect((await post(base, '/api/customers/c-two/setup', helpDesk, { email: 'not-an-email' })).status).toBe(400);
	});
});
