// S60-S63, H6, P16: server commands over the real API: applied through the tenant repository, idempotent on retry,
// refused outside the grant or without customers.edit (changing nothing), audited, and broadcast to tenant-wide sockets.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { hashPassword } from '../../server/src/auth/passwords';
import { createMemoryStore } from '../../server/src/store/memory';
import type { Store } from '../../server/src/store/types';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import type { Grant, Role } from '../../src/lib/schema/access';
import { commandsResponseSchema, type Command } from '../../src/lib/schema/commands';
import type { Replica } from '../../src/lib/data/sync/types';
import { createFakeClock } from '../helpers/fake-clock';
import { FAST_SCRYPT, startPortal, type Portal } from '../helpers/portal';
import { openTestReplica, settled, waitForDoc } from '../helpers/sync-clients';

const TENANT = 'acme';
const PASSWORD = 'commands password 1';

let store: Store;
let portal: Portal;
const replicas: Replica[] = [];

beforeEach(async () => {
	store = createMemoryStore();
	const clock = createFakeClock();
	portal = await startPortal({ store, clock });
	await store.createTenant({ id: TENANT, name: 'Acme IT', createdAt: clock.now().toISOString() });
	const ids = ['msp-a', 'c1', 's1', 'msp-b', 'c2'];
	await portal.server.relay.change(`tenant:${TENANT}`, (doc) => {
		const tree = new TenantRepository(doc, { newId: () => ids.shift()! });
		const mspA = tree.createNode({ kind: 'msp', name: 'MSP A', parentId: null });
		const c1 = tree.createNode({ kind: 'customer', name: 'Customer One', parentId: mspA, address: 'Old street 1' });
		tree.createNode({ kind: 'site', name: 'Head office', parentId: c1 });
		const mspB = tree.createNode({ kind: 'msp', name: 'MSP B', parentId: null });
		tree.createNode({ kind: 'customer', name: 'Customer Two', parentId: mspB, address: 'Far away 2' });
	});
});

afterEach(async () => {
	for (const replica of replicas.splice(0)) await replica.destroy();
	await portal.server.close();
	await store.close();
});

let users = 0;
async function signIn(role: Role, grants: Grant[]): Promise<string> {
	const email = `user${++users}@acme.example`;
	await store.createUser({
		id: `u${users}`,
		tenantId: TENANT,
		email,
		passwordHash: await hashPassword(PASSWORD, FAST_SCRYPT),
		role,
		grants,
		createdAt: new Date().toISOString()
	});
	const response = await fetch(`${portal.base}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email, password: PASSWORD })
	});
	expect(response.status).toBe(204);
	return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
}

const helpDeskOfMspA = (): Promise<string> => signIn('helpDesk', [{ scope: 'node', id: 'msp-a' }]);

function post(cookie: string, body: unknown): Promise<Response> {
	return fetch(`${portal.base}/api/commands`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie },
		body: JSON.stringify(body)
	});
}

async function send(cookie: string, commands: Command[]) {
	const response = await post(cookie, { commands });
	expect(response.status).toBe(200);
	return commandsResponseSchema.parse(await response.json()).results;
}

const at = '2026-01-01T10:00:00.000Z';
const updateAddress = (customerId: string, address: string): Command => ({
	id: crypto.randomUUID(),
	at,
	type: 'customer.updateProfile',
	customerId,
	patch: { address }
});

async function node(id: string) {
	return portal.server.relay.withDoc(`tenant:${TENANT}`, (doc) => new TenantRepository(doc).node(id));
}

describe('POST /api/commands', () => {
	it('S60, P16: a help-desk user granted an MSP changes a customer profile and the sites under it', async () => {
		const cookie = await helpDeskOfMspA();
		const create: Command = { id: crypto.randomUUID(), at, type: 'site.create', customerId: 'c1', name: 'Warehouse' };
		const results = await send(cookie, [
			updateAddress('c1', 'New street 9'),
			create,
			{ id: crypto.randomUUID(), at, type: 'site.rename', siteId: create.id, name: 'Big warehouse' },
			{ id: crypto.randomUUID(), at, type: 'site.delete', siteId: 's1' }
		]);
		expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
		expect((await node('c1'))?.address).toBe('New street 9');
		// S63: the new site carries the command's id, so the device that made it already knows it.
		expect(await node(create.id)).toMatchObject({ kind: 'site', name: 'Big warehouse' });
		expect(await node('s1')).toBeNull();
	});

	it('S61: a retried command answers duplicate with the first result and changes nothing again', async () => {
		const cookie = await helpDeskOfMspA();
		const command = updateAddress('c1', 'First address');
		expect((await send(cookie, [command]))[0]).toEqual({ id: command.id, status: 'applied' });
		await send(cookie, [updateAddress('c1', 'Second address')]);
		expect((await send(cookie, [command]))[0]).toEqual({ id: command.id, status: 'duplicate' });
		expect((await node('c1'))?.address).toBe('Second address');

		const refused = updateAddress('c2', 'Elsewhere');
		expect((await send(cookie, [refused]))[0]?.code).toBe('notPermitted');
		expect((await send(cookie, [refused]))[0]).toMatchObject({ status: 'duplicate', code: 'notPermitted' });
	});

	it('H6, S62: a command outside the grant is refused as notPermitted and changes nothing', async () => {
		const cookie = await helpDeskOfMspA();
		const results = await send(cookie, [
			updateAddress('c2', 'Taken over'),
			{ id: crypto.randomUUID(), at, type: 'site.create', customerId: 'c2', name: 'Intruder' },
			updateAddress('no-such-customer', 'Nowhere')
		]);
		expect(results.map((r) => [r.status, r.code])).toEqual([
			['refused', 'notPermitted'],
			['refused', 'notPermitted'],
			['refused', 'notFound']
		]);
		expect((await node('c2'))?.address).toBe('Far away 2');
		expect(await node(results[1]!.id)).toBeNull();
	});

	it('P16, S62: a role without customers.edit is refused as notPermitted, even inside its grant', async () => {
		const cookie = await signIn('readOnly', [{ scope: 'node', id: 'msp-a' }]);
		const [result] = await send(cookie, [updateAddress('c1', 'Read-only wrote this')]);
		expect(result).toMatchObject({ status: 'refused', code: 'notPermitted' });
		expect((await node('c1'))?.address).toBe('Old street 1');
	});

	it('S62: a command the tree cannot take is refused as invalid or notFound, and the next one still runs', async () => {
		const cookie = await helpDeskOfMspA();
		const results = await send(cookie, [
			{ id: crypto.randomUUID(), at, type: 'site.rename', siteId: 'c1', name: 'A customer is no site' },
			{ id: crypto.randomUUID(), at, type: 'site.create', customerId: 'msp-a', name: 'Under an MSP' },
			updateAddress('c1', 'Still applied')
		]);
		expect(results.map((r) => r.code ?? r.status)).toEqual(['notFound', 'notFound', 'applied']);
		expect((await node('c1'))?.name).toBe('Customer One');
	});

	it('S60: bad input is refused whole with 400 and changes nothing; no session answers 401', async () => {
		const cookie = await helpDeskOfMspA();
		const good = updateAddress('c1', 'Should not land');
		for (const body of [
			{ commands: [good, { ...good, id: 'not-a-uuid' }] },
			{ commands: [{ ...good, type: 'tenant.delete' }] },
			{ commands: Array.from({ length: 101 }, () => updateAddress('c1', 'x')) },
			{ commands: [] }
		]) {
			const response = await post(cookie, body);
			expect(response.status).toBe(400);
		}
		expect((await post('', { commands: [good] })).status).toBe(401);
		expect((await node('c1'))?.address).toBe('Old street 1');
		expect(await store.getCommand(TENANT, good.id)).toBeNull();
	});

	it('P17: each command is audited with its type and ids, never its values', async () => {
		const cookie = await helpDeskOfMspA();
		const applied = updateAddress('c1', 'Secret street 7');
		const refused = updateAddress('c2', 'Secret street 8');
		await send(cookie, [applied, refused]);
		const entries = await store.listAudit({ tenantId: TENANT, action: 'command' });
		expect(entries.map((e) => [e.itemType, e.item, e.madeAt])).toEqual([
			['command', 'c2', at],
			['command', 'c1', at]
		]);
		expect(entries[1]?.description).toBe(`customer.updateProfile ${applied.id} applied`);
		expect(entries[0]?.description).toBe(`customer.updateProfile ${refused.id} refused (notPermitted)`);
		expect(JSON.stringify(entries)).not.toContain('Secret street');
	});

	it('S60: an applied command reaches a tenant-wide socket like any server change', async () => {
		const ownerCookie = await signIn('superAdmin', [{ scope: 'tenant' }]);
		const replica = openTestReplica(`${portal.base.replace('http', 'ws')}/sync`, `tenant:${TENANT}`, ownerCookie);
		replicas.push(replica);
		await settled(replica);
		const cookie = await helpDeskOfMspA();
		await send(cookie, [updateAddress('c1', 'Broadcast street 3')]);
		await waitForDoc(
			replica.doc,
			(doc: Y.Doc) => new TenantRepository(doc).node('c1')?.address === 'Broadcast street 3'
		);
	});
});
