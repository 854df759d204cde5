// H6, L5, P16: the authorization matrix over a real server, real sockets and the real API. Every built-in role and one
// custom role, each granted on the tenant, on an MSP (its subtree), on one customer and on a customer group, against the
// tenant document and two customer documents: read (join), write, awareness, heads (the catch-up's question) and the
// scoped view. The expected cell values are the table below; every cell is checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { createServer, type PortalServer } from '../../server/src/app';
import { systemClock } from '../../server/src/clock';
import { testConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/log';
import { createMemoryStore } from '../../server/src/store/memory';
import type { Store } from '../../server/src/store/types';
import { CustomerRepository } from '../../src/lib/data/customer-repository';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { MESSAGE_AWARENESS, MESSAGE_REJECTED, readRejectedBody } from '../../src/lib/data/sync/protocol';
import type { Grant, Role } from '../../src/lib/schema/access';
import { scopedViewSchema } from '../../src/lib/schema/view';
import { commandsResponseSchema } from '../../src/lib/schema/commands';
import { syncHeadsResponseSchema } from '../../src/lib/schema/api';
import { rawClient, type RawClient } from '../helpers/sync-clients';
import { createSignedIn } from '../helpers/portal-clients';
import {
	isAck,
	isSyncStep1,
	isSyncStep2,
	storedDoc,
	syncPayload,
	syncStep1Frame,
	updateFrame
} from '../helpers/sync-frames';

const FAST = { N: 2 ** 10, r: 8, p: 1 };
const TENANT = 'ta';

/**
 * The expected outcome of each cell.
 * - tenant, c1, c2: the document `tenant:ta`, `customer:c1` (under MSP msp-a, in group g-gold) and `customer:c2` (under
 *   msp-b): `W` joins and its write is stored, `R` joins and its write is refused with 4403 (nothing stored), `-` is
 *   refused before a byte is sent (4403 for the tenant document, 1013 for a customer document: the same answer as an id
 *   nobody has, S40). Heads, the view and awareness follow: a document is in the heads answer and presence on it is
 *   relayed exactly when the cell is `R` or `W`; a customer is in the scoped view exactly when it may be read.
 * - units: changing a license's units in the tenant document: `W` stored; `C` compensated (undone, notPermitted, audited);
 *   `R` refused with 4403; `-` no access to the document at all.
 * - users, audit, settings: `GET /api/users` (users.manage), `GET /api/audit` (audit.read), `PATCH /api/settings`
 *   (settings.edit), each tenant-wide: `A` 200, `-` 403. command: `POST /api/commands` changing customer c1's address
 *   (customers.edit where the grant covers c1; S60): `A` applied, `-` refused notPermitted.
 * C5, H6: a grant on customer group g-gold covers its member c1 exactly as a grant on c1 does.
 */
const MATRIX = `
role            grant     tenant  c1  c2  units  users  audit  settings  command
superAdmin      tenant    W       W   W   W      A      A      A         A
superAdmin      node      -       W   -   -      -      -      -         A
superAdmin      customer  -       W   -   -      -      -      -         A
superAdmin      group     -       W   -   -      -      -      -         A
admin           tenant    W       W   W   W      A      A      A         A
admin           node      -       W   -   -      -      -      -         A
admin           customer  -       W   -   -      -      -      -         A
admin           group     -       W   -   -      -      -      -         A
helpDesk        tenant    W       W   W   C      -      -      -         A
helpDesk        node      -       W   -   -      -      -      -         A
helpDesk        customer  -       W   -   -      -      -      -         A
helpDesk        group     -       W   -   -      -      -      -         A
readOnly        tenant    R       R   R   R      -      -      -         -
readOnly        node      -       R   -   -      -      -      -         -
readOnly        customer  -       R   -   -      -      -      -         -
readOnly        group     -       R   -   -      -      -      -         -
businessAdmin   tenant    R       R   R   C      -      -      -         -
businessAdmin   node      -       R   -   -      -      -      -         -
businessAdmin   customer  -       R   -   -      -      -      -         -
businessAdmin   group     -       R   -   -      -      -      -         -
custom:noc      tenant    W       W   W   C      -      A      -         A
custom:noc      node      -       W   -   -      -      -      -         A
custom:noc      customer  -       W   -   -      -      -      -         A
custom:noc      group     -       W   -   -      -      -      -         A
`;

type Cell = 'W' | 'R' | '-' | 'C';
interface Row {
	readonly role: Role;
	readonly grant: keyof typeof GRANTS;
	readonly tenant: Cell;
	readonly c1: Cell;
	readonly c2: Cell;
	readonly units: Cell;
	readonly users: Api;
	readonly audit: Api;
	readonly settings: Api;
	readonly command: Api;
}
/** An API route: `A` answers (200), `-` refuses (403; a command: refused `notPermitted`). */
type Api = 'A' | '-';

const GRANTS = {
	tenant: [{ scope: 'tenant' }],
	node: [{ scope: 'node', id: 'msp-a' }],
	customer: [{ scope: 'customer', id: 'c1' }],
	group: [{ scope: 'group', id: 'g-gold' }]
} satisfies Record<string, Grant[]>;

const ROWS: Row[] = MATRIX.trim()
	.split('\n')
	.slice(1)
	.map((line) => {
		const [role, grant, tenant, c1, c2, units, users, audit, settings, command] = line.trim().split(/\s+/);
		return { role, grant, tenant, c1, c2, units, users, audit, settings, command } as Row;
	});

let store: Store;
let server: PortalServer;
let base = '';
let buildDir = '';
const sockets: RawClient[] = [];

beforeAll(async () => {
	store = createMemoryStore();
	buildDir = mkdtempSync(join(tmpdir(), 'msp-matrix-'));
	server = createServer({
		store,
		clock: systemClock,
		log: createLogger('silent'),
		config: testConfig({ buildDir }),
		authOptions: { scrypt: FAST }
	});
	base = (await server.listen()).url;
	await store.createTenant({ id: TENANT, name: 'Matrix IT', createdAt: new Date().toISOString() });
	await store.putCustomRole(TENANT, { id: 'noc', name: 'NOC', permissions: ['customers.edit', 'audit.read'] });
	const ids = ['msp-a', 'c1', 'msp-b', 'c2'];
	await server.relay.change(`tenant:${TENANT}`, (doc) => {
		const tree = new TenantRepository(doc, { newId: () => ids.shift()! });
		tree.setTenantName('Matrix IT');
		tree.createNode({
			kind: 'customer',
			name: 'Customer One',
			parentId: tree.createNode({ kind: 'msp', name: 'MSP A', parentId: null })
		});
		tree.createNode({
			kind: 'customer',
			name: 'Customer Two',
			parentId: tree.createNode({ kind: 'msp', name: 'MSP B', parentId: null })
		});
		// C5: c1 belongs to the group that the `group` grants name.
		tree.setCustomerGroups('c1', [tree.putGroup({ id: 'g-gold', name: 'Gold customers' })]);
		tree.putLicenseData({
			accounts: [{ id: 'acc', kind: 'msp', name: 'Vendor account', login: 'vendor' }],
			pools: [
				{ id: 'pool-1', name: 'Pool One', accountId: 'acc', groupId: 'c1' },
				{ id: 'pool-2', name: 'Pool Two', accountId: 'acc', groupId: 'c2' }
			],
			licenses: ['1', '2'].map((n) => ({
				id: `lic-${n}`,
				publicId: `AAA-${n}`,
				poolId: `pool-${n}`,
				product: 'Endpoint Security',
				type: 'business' as const,
				unitsOrdered: 50,
				unitsActivated: 10,
				expiresOn: '2030-01-01',
				suspended: false,
				ownerId: `c${n}`,
				tag: 'Customer'
			}))
		});
	});
});

afterAll(async () => {
	for (const socket of sockets.splice(0)) socket.socket.terminate();
	await server.close();
	await store.close();
	rmSync(buildDir, { recursive: true, force: true });
});

function signIn(row: Row, n: number): Promise<string> {
	const email = `m${n}@matrix.example`;
	return createSignedIn(base, store, {
		tenantId: TENANT,
		email,
		role: row.role,
		grants: GRANTS[row.grant],
		id: `u${n}`
	});
}

function open(docName: string, cookie: string): RawClient {
	const client = rawClient(`${base.replace('http', 'ws')}/sync/${docName}`, { cookie });
	sockets.push(client);
	return client;
}

/** Joins, or answers the close code when the socket is refused before it joined. */
async function connectTo(docName: string, cookie: string): Promise<{ client: RawClient; doc: Y.Doc } | number> {
	const client = open(docName, cookie);
	const first = await Promise.race([client.nextFrame(isSyncStep1).then(() => null), client.closed]);
	if (first !== null) {
		expect(client.frames).toEqual([]);
		return first.code;
	}
	const doc = new Y.Doc();
	client.send(syncStep1Frame(doc));
	Y.applyUpdate(doc, syncPayload(await client.nextFrame(isSyncStep2)));
	return { client, doc };
}

/** Sends `edit` as one update; answers 'acked', 'rejected' (undone by the server) or the close code. */
async function write(
	joined: { client: RawClient; doc: Y.Doc },
	edit: (doc: Y.Doc) => void
): Promise<'acked' | 'rejected' | number> {
	let update: Uint8Array | null = null;
	const capture = (u: Uint8Array): void => void (update = u);
	joined.doc.on('update', capture);
	edit(joined.doc);
	joined.doc.off('update', capture);
	const acks = joined.client.frames.filter(isAck).length;
	joined.client.send(updateFrame(update!));
	const outcome = await Promise.race([
		joined.client.nextFrame((f) => isAck(f) && joined.client.frames.filter(isAck).length > acks).then(() => null),
		joined.client.closed
	]);
	if (outcome !== null) return outcome.code;
	const rejected = joined.client.frames.some((frame) => {
		if (frame[0] !== MESSAGE_REJECTED) return false;
		const decoder = decoding.createDecoder(frame);
		decoding.readVarUint(decoder);
		return readRejectedBody(decoder).items.some((item) => item.code === 'notPermitted');
	});
	return rejected ? 'rejected' : 'acked';
}

/** Announces presence and answers whether the relay relayed it back (it sends every update to everyone, the sender too). */
async function presenceRelayed(joined: { client: RawClient }, email: string, clientId: number): Promise<boolean> {
	const inner = encoding.createEncoder();
	encoding.writeVarUint(inner, 1);
	encoding.writeVarUint(inner, clientId);
	encoding.writeVarUint(inner, 1);
	encoding.writeVarString(inner, JSON.stringify({ user: { email }, editing: null }));
	const frame = encoding.createEncoder();
	encoding.writeVarUint(frame, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(frame, encoding.toUint8Array(inner));
	joined.client.send(encoding.toUint8Array(frame));
	await joined.client.nextFrame((f) => f[0] === MESSAGE_AWARENESS && awarenessClients(f).includes(clientId));
	return true;
}

/** The awareness client ids an awareness frame carries. */
function awarenessClients(frame: Uint8Array): number[] {
	const decoder = decoding.createDecoder(frame);
	decoding.readVarUint(decoder);
	const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
	const clients: number[] = [];
	const count = decoding.readVarUint(update);
	for (let i = 0; i < count; i++) {
		clients.push(decoding.readVarUint(update));
		decoding.readVarUint(update);
		decoding.readVarString(update);
	}
	return clients;
}

const readable = (cell: Cell): boolean => cell !== '-';

describe('H6, L5, P16: the authorization matrix', () => {
	it('has a row for every built-in role and one custom role on every kind of grant', () => {
		expect(ROWS).toHaveLength(24);
		expect(new Set(ROWS.map((row) => `${row.role}/${row.grant}`)).size).toBe(24);
	});

	ROWS.forEach((row, index) => {
		it(`${row.grant === 'group' ? 'C5, ' : ''}H6/P16: ${row.role} granted ${row.grant}: tenant ${row.tenant}, c1 ${row.c1}, c2 ${row.c2}, units ${row.units}, API ${row.users}${row.audit}${row.settings}${row.command}`, async () => {
			const n = index + 1;
			const cookie = await signIn(row, n);
			const email = `m${n}@matrix.example`;

			// Heads (S32, the catch-up asks them first) answer exactly the readable documents.
			const headsResponse = await fetch(`${base}/api/sync/heads`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', cookie },
				body: JSON.stringify({ docs: [`tenant:${TENANT}`, 'customer:c1', 'customer:c2'] })
			});
			const heads = Object.keys(syncHeadsResponseSchema.parse(await headsResponse.json()).heads).sort();
			const expectedHeads = [
				...(readable(row.c1) ? ['customer:c1'] : []),
				...(readable(row.c2) ? ['customer:c2'] : []),
				...(readable(row.tenant) ? [`tenant:${TENANT}`] : [])
			];
			expect(heads).toEqual(expectedHeads);

			// The scoped view (L5): the customers, pools and licenses the grant covers, nothing else.
			const view = scopedViewSchema.parse(await (await fetch(`${base}/api/view`, { headers: { cookie } })).json());
			const customersInView = view.nodes
				.filter((node) => node.kind === 'customer')
				.map((node) => node.id)
				.sort();
			expect(customersInView).toEqual(['c1', 'c2'].filter((id) => readable(row[id as 'c1' | 'c2'])));
			expect(view.licenses.map((l) => l.ownerId).sort()).toEqual(customersInView);

			// The API routes follow the same module (hasTenantPermission, can).
			const get = (path: string) => fetch(`${base}${path}`, { headers: { cookie } });
			expect((await get('/api/users')).status, 'users').toBe(row.users === 'A' ? 200 : 403);
			expect((await get('/api/audit')).status, 'audit').toBe(row.audit === 'A' ? 200 : 403);
			const settings = await fetch(`${base}/api/settings`, {
				method: 'PATCH',
				headers: { 'content-type': 'application/json', cookie },
				body: JSON.stringify({ auditRetentionDays: 180 })
			});
			expect(settings.status, 'settings').toBe(row.settings === 'A' ? 200 : 403);
			const commands = await fetch(`${base}/api/commands`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', cookie },
				body: JSON.stringify({
					commands: [
						{
							id: crypto.randomUUID(),
							at: new Date().toISOString(),
							type: 'customer.updateProfile',
							customerId: 'c1',
							patch: { address: `Street ${n}` }
						}
					]
				})
			});
			expect(commands.status).toBe(200);
			const [result] = commandsResponseSchema.parse(await commands.json()).results;
			expect(result?.status, 'command').toBe(row.command === 'A' ? 'applied' : 'refused');

			for (const [docName, cell] of [
				[`tenant:${TENANT}`, row.tenant],
				['customer:c1', row.c1],
				['customer:c2', row.c2]
			] as const) {
				const joined = await connectTo(docName, cookie);
				if (!readable(cell)) {
					expect(joined).toBe(docName.startsWith('tenant:') ? 4403 : 1013);
					continue;
				}
				if (typeof joined === 'number') throw new Error(`${docName}: refused with ${joined}`);
				expect(await presenceRelayed(joined, email, 10_000 + n)).toBe(true);
				if (docName.startsWith('customer:')) {
					const outcome = await write(joined, (doc) =>
						new CustomerRepository(doc).addContact({ name: `Contact of ${n}`, role: 'IT', email: '', phone: '' })
					);
					expect(outcome).toBe(cell === 'W' ? 'acked' : 4403);
					const stored = new CustomerRepository(await storedDoc(store, `${TENANT}/${docName}`)).contacts();
					expect(stored.some((c) => c.name === `Contact of ${n}`)).toBe(cell === 'W');
				} else {
					const outcome = await write(joined, (doc) => {
						const licenses = doc.getMap<unknown[]>('licenses');
						const record = [...licenses.get('lic-1')!];
						record[5] = 60 + n;
						licenses.set('lic-1', record);
					});
					expect(outcome).toBe({ W: 'acked', C: 'rejected', R: 4403, '-': -1 }[row.units]);
					const units = new TenantRepository(await storedDoc(store, `tenant:${TENANT}`))
						.licenses()
						.find((l) => l.id === 'lic-1')!.unitsOrdered;
					expect(units === 60 + n).toBe(row.units === 'W');
					if (row.units === 'C') {
						const audit = await store.listAudit({ tenantId: TENANT, limit: 5 });
						expect(audit.some((entry) => entry.userId === `u${n}` && entry.action === 'rejected')).toBe(true);
					}
				}
				joined.client.socket.terminate();
			}
		});
	});
});
