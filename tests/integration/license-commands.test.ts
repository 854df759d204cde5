// S66-S69 over the real API: license commands applied as server changes and broadcast, refused without licenses.edit,
// and an import's whole file accepted in the body for people who may import (others keep the small limit).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { createMemoryStore } from '../../server/src/store/memory';
import type { Store } from '../../server/src/store/types';
import { COMMANDS_BODY_LIMIT } from '../../server/src/http/commands-routes';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import type { Replica } from '../../src/lib/data/sync/types';
import type { Grant, Role } from '../../src/lib/schema/access';
import { commandsResponseSchema, type Command, type CommandInput } from '../../src/lib/schema/commands';
import { createFakeClock } from '../helpers/fake-clock';
import { startPortal, type Portal } from '../helpers/portal';
import { createSignedIn } from '../helpers/portal-clients';
import { openTestReplica, settled, waitForDoc } from '../helpers/sync-clients';

const TENANT = 'acme';
const DOC = `tenant:${TENANT}`;

let store: Store;
let portal: Portal;
const replicas: Replica[] = [];

beforeEach(async () => {
	store = createMemoryStore();
	const clock = createFakeClock(new Date('2026-03-10T10:00:00Z'));
	portal = await startPortal({ store, clock });
	await store.createTenant({ id: TENANT, name: 'Acme IT', createdAt: clock.now().toISOString() });
	const ids = ['m1', 'c1'];
	await portal.server.relay.change(DOC, (doc) => {
		const repo = new TenantRepository(doc, { newId: () => ids.shift()! });
		const m1 = repo.createNode({ kind: 'msp', name: 'MSP A', parentId: null });
		repo.createNode({ kind: 'customer', name: 'Contoso', parentId: m1 });
		repo.putLicenseData({
			accounts: [{ id: 'acc1', kind: 'msp', name: 'MSP account', login: 'a@example.com' }],
			pools: [{ id: 'p1', name: 'Contoso', accountId: 'acc1', groupId: 'c1' }],
			licenses: [
				{
					id: 'trial1',
					publicId: 'T-1',
					poolId: 'p1',
					product: 'ESET PROTECT',
					type: 'trial',
					unitsOrdered: 10,
					unitsActivated: 2,
					expiresOn: '2026-04-01',
					suspended: false,
					ownerId: 'c1',
					tag: 'Contoso'
				}
			]
		});
	});
});

afterEach(async () => {
	for (const replica of replicas.splice(0)) await replica.destroy();
	await portal.server.close();
	await store.close();
});

let people = 0;
function signIn(role: Role, grants: Grant[] = [{ scope: 'tenant' }]): Promise<string> {
	people += 1;
	return createSignedIn(portal.base, store, { tenantId: TENANT, email: `p${people}@acme.example`, role, grants });
}

const command = (input: CommandInput): Command =>
	({ ...input, id: crypto.randomUUID(), at: '2026-03-10T09:00:00.000Z' }) as Command;

function post(cookie: string, commands: Command[]): Promise<Response> {
	return fetch(`${portal.base}/api/commands`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie },
		body: JSON.stringify({ commands })
	});
}

async function send(cookie: string, commands: Command[]) {
	const response = await post(cookie, commands);
	expect(response.status).toBe(200);
	return commandsResponseSchema.parse(await response.json()).results;
}

describe('POST /api/commands: licenses', () => {
	it('S68, L15: an applied license command is a server change every tenant-wide socket receives', async () => {
		const cookie = await signIn('admin');
		const replica = openTestReplica(`${portal.base.replace('http', 'ws')}/sync`, DOC, cookie);
		replicas.push(replica);
		await settled(replica);
		const [result] = await send(cookie, [command({ type: 'license.extendTrial', licenseId: 'trial1' })]);
		expect(result?.status).toBe('applied');
		await waitForDoc(
			replica.doc,
			(doc: Y.Doc) => new TenantRepository(doc).licenseRecord('trial1')?.expiresOn === '2026-05-01'
		);
	});

	it('S67, H6: a help-desk technician granted the customer may not change its licenses', async () => {
		const cookie = await signIn('helpDesk', [{ scope: 'node', id: 'c1' }]);
		const results = await send(cookie, [
			command({ type: 'license.setTag', licenseId: 'trial1', tag: 'Mine now' }),
			command({ type: 'licenses.suspendCompany', companyId: 'c1', suspended: true })
		]);
		expect(results.map((r) => r.code)).toEqual(['notPermitted', 'notPermitted']);
	});

	it('S66: an import carries its whole file for a person who may import, and License management reads all of it', async () => {
		const text = 'x'.repeat(COMMANDS_BODY_LIMIT * 2);
		const importing = command({ type: 'licenses.import', fileName: 'big.csv', format: 'csv', text });
		const owner = await signIn('superAdmin');
		const [result] = await send(owner, [importing]);
		// The whole file arrived: License management read it and refused it with what is wrong, not the body limit.
		expect(result).toMatchObject({ status: 'refused', code: 'invalid' });
		expect(result?.details?.[0]?.message).toMatch(/missing columns/);

		// Others keep the small limit: their body is refused whole before anything runs.
		const helpDesk = await signIn('helpDesk');
		const again = command({ type: 'licenses.import', fileName: 'big.csv', format: 'csv', text });
		expect((await post(helpDesk, [again])).status).toBe(413);
		expect(await store.getCommand(TENANT, again.id)).toBeNull();
	});
});
