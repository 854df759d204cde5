// The attack suite, sessions and documents (docs/sync.md S40-S41): another tenant's customer documents can be neither
// claimed, blocked nor probed, and a socket lives no longer than the session that opened it.
import type { Role } from '../../src/lib/schema/access';
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createServer, type PortalServer } from '../../server/src/app';
import type { Clock } from '../../server/src/clock';
import { testConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/log';
import { createMemoryStore } from '../../server/src/store/memory';
import type { Store } from '../../server/src/store/types';
import { CustomerRepository } from '../../src/lib/data/customer-repository';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { syncHeadsResponseSchema } from '../../src/lib/schema/api';
import { DEFAULT_TENANT_SETTINGS } from '../../src/lib/schema/settings';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock';
import type { RawClient } from '../helpers/sync-clients';
import { createSignedIn, openSocket, openSynced, sendEdit, signIn, TEST_PASSWORD } from '../helpers/portal-clients';
import { storedDoc } from '../helpers/sync-frames';

const FAST = { N: 2 ** 10, r: 8, p: 1 };
const HOUR = 60 * 60 * 1000;

interface Running {
	readonly server: PortalServer;
	readonly store: Store;
	readonly base: string;
	readonly buildDir: string;
}

const running: Running[] = [];
const sockets: RawClient[] = [];

afterEach(async () => {
	for (const socket of sockets.splice(0)) socket.socket.terminate();
	for (const { server, store, buildDir } of running.splice(0)) {
		await server.close();
		await store.close();
		rmSync(buildDir, { recursive: true, force: true });
	}
});

async function start(clock: Clock = createFakeClock(new Date())): Promise<Running> {
	// Fake time moves in jumps of hours here; a ping would see no pong within one jump and cut the socket.
	const store = createMemoryStore();
	const buildDir = mkdtempSync(join(tmpdir(), 'msp-attack-build-'));
	const server = createServer({
		store,
		clock,
		log: createLogger('silent'),
		config: testConfig({ buildDir }),
		authOptions: { scrypt: FAST },
		relayLimits: { pingIntervalMs: 1000 * HOUR }
	});
	const { url } = await server.listen();
	const run = { server, store, base: url, buildDir };
	running.push(run);
	return run;
}

/** A tenant with one MSP and the given customer ids in its tree, and a user per role asked for. */
async function tenant(run: Running, id: string, customers: readonly string[]): Promise<void> {
	await run.store.createTenant({ id, name: `Tenant ${id}`, createdAt: new Date().toISOString() });
	// Time moves in hours here: an 8 h inactivity timeout (P18's shorter default is proven in tests/attacks/settings.test.ts).
	await run.store.putTenantSettings(id, { ...DEFAULT_TENANT_SETTINGS, sessionTimeoutMinutes: 8 * 60 });
	await run.server.relay.change(`tenant:${id}`, (doc) => {
		const tree = new TenantRepository(doc, {
			newId: (() => {
				const ids = [`${id}-msp`, ...customers];
				return () => ids.shift() ?? crypto.randomUUID();
			})()
		});
		const msp = tree.createNode({ kind: 'msp', name: `MSP of ${id}`, parentId: null });
		for (const customer of customers)
			tree.createNode({ kind: 'customer', name: `Customer ${customer}`, parentId: msp });
	});
}

function user(run: Running, tenantId: string, email: string, role: Role): Promise<string> {
	return createSignedIn(run.base, run.store, { tenantId, email, role });
}

function open(run: Running, docName: string, cookie: string): RawClient {
	const client = openSocket(run.base, docName, cookie);
	sockets.push(client);
	return client;
}

async function synced(run: Running, docName: string, cookie: string): Promise<{ client: RawClient; doc: Y.Doc }> {
	const opened = await openSynced(run.base, docName, cookie);
	sockets.push(opened.client);
	return opened;
}

const write = sendEdit;

const contactNames = (doc: Y.Doc): string[] =>
	new CustomerRepository(doc)
		.contacts()
		.map((c) => c.name)
		.sort();

describe('attacks: documents of other tenants (S40)', () => {
	it("S40: a tenant cannot squat another tenant's customer id; both tenants keep documents of their own", async () => {
		const run = await start(createFakeClock(new Date()));
		await tenant(run, 'ta', []);
		await tenant(run, 'tb', ['cust-b']);
		const a = await user(run, 'ta', 'owner-a@example.test', 'superAdmin');
		const aReader = await user(run, 'ta', 'reader-a@example.test', 'readOnly');
		const b = await user(run, 'tb', 'owner-b@example.test', 'superAdmin');

		// Before any device of B opened it: A's read-only user asks for its head, A's owner forges a node with B's id.
		const heads = await fetch(`${run.base}/api/sync/heads`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie: aReader },
			body: JSON.stringify({ docs: ['customer:cust-b'] })
		});
		expect(syncHeadsResponseSchema.parse(await heads.json()).heads).toEqual({});
		await run.server.relay.change('tenant:ta', (doc) => {
			const tree = new TenantRepository(doc, { newId: () => 'cust-b' });
			tree.createNode({ kind: 'customer', name: 'Forged', parentId: 'ta-msp' });
		});
		const squatter = await synced(run, 'customer:cust-b', a);
		await write(squatter.client, squatter.doc, (doc) =>
			new CustomerRepository(doc).addContact({ name: 'Planted by A', role: 'IT', email: '', phone: '' })
		);

		// B opens its customer as if nothing happened: its own, empty document, writable.
		const owner = await synced(run, 'customer:cust-b', b);
		expect(contactNames(owner.doc)).toEqual([]);
		await write(owner.client, owner.doc, (doc) =>
			new CustomerRepository(doc).addContact({ name: 'Real contact', role: 'IT', email: '', phone: '' })
		);
		expect(contactNames(await storedDoc(run.store, 'tb/customer:cust-b'))).toEqual(['Real contact']);
		expect(contactNames(await storedDoc(run.store, 'ta/customer:cust-b'))).toEqual(['Planted by A']);
	});

	it("S40: another tenant's customer id answers exactly like an id nobody has (no existence oracle)", async () => {
		const run = await start();
		await tenant(run, 'ta', []);
		await tenant(run, 'tb', ['cust-b']);
		const a = await user(run, 'ta', 'owner-a@example.test', 'superAdmin');
		// B's customer has a stored document.
		const b = await user(run, 'tb', 'owner-b@example.test', 'superAdmin');
		const theirs = await synced(run, 'customer:cust-b', b);
		await write(theirs.client, theirs.doc, (doc) => new CustomerRepository(doc).addNote('private', 'b'));

		const elsewhere = await open(run, 'customer:cust-b', a).closed;
		const nowhere = await open(run, 'customer:no-such-customer', a).closed;
		expect(elsewhere).toEqual(nowhere);
		expect(elsewhere).toEqual({ code: 1013, reason: 'unknown document, try later' });
		const probe = async (docs: string[]) =>
			(
				await fetch(`${run.base}/api/sync/heads`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', cookie: a },
					body: JSON.stringify({ docs })
				})
			).json();
		expect(await probe(['customer:cust-b'])).toEqual(await probe(['customer:no-such-customer']));
	});
});

describe('attacks: sockets outlive their session (S41)', () => {
	it("S41: signing out closes the session's open sockets with 4401; a write sent after it is never stored", async () => {
		const run = await start();
		await tenant(run, 'ta', []);
		const cookie = await user(run, 'ta', 'tech@example.test', 'admin');
		const other = await user(run, 'ta', 'colleague@example.test', 'admin');
		const { client } = await synced(run, 'tenant:ta', cookie);
		const bystander = await synced(run, 'tenant:ta', other);

		const signedOut = await fetch(`${run.base}/api/session`, { method: 'DELETE', headers: { cookie } });
		expect(signedOut.status).toBe(204);
		expect(await client.closed).toEqual({ code: 4401, reason: 'signed out' });
		// A new socket with the old cookie is refused before it receives a byte.
		const reopened = open(run, 'tenant:ta', cookie);
		expect((await reopened.closed).code).toBe(4401);
		expect(reopened.frames).toEqual([]);
		// Another person's socket stays, and writes.
		await write(bystander.client, bystander.doc, (d) => new TenantRepository(d).setTenantName('Still here'));
		expect((await storedDoc(run.store, 'tenant:ta')).getMap('meta').get('tenantName')).toBe('Still here');
	});

	it('S41: a session that expires closes its sockets; one that slid on keeps them open until its new end', async () => {
		const clock: FakeClock = createFakeClock(new Date());
		const run = await start(clock);
		await tenant(run, 'ta', []);
		const idle = await user(run, 'ta', 'idle@example.test', 'admin');
		const busy = await user(run, 'ta', 'busy@example.test', 'admin');
		const idleSocket = (await synced(run, 'tenant:ta', idle)).client;
		const busySocket = (await synced(run, 'tenant:ta', busy)).client;

		clock.advance(7 * HOUR);
		// The busy person uses the app: the session slides 8 h from now.
		expect((await fetch(`${run.base}/api/me`, { headers: { cookie: busy } })).status).toBe(200);
		clock.advance(HOUR + 1000);
		expect(await idleSocket.closed).toEqual({ code: 4401, reason: 'session ended' });
		// Ping/pong keeps sockets alive, not sessions: the busy socket is still there, and closes at its new end.
		expect(busySocket.socket.readyState).toBe(busySocket.socket.OPEN);
		clock.advance(7 * HOUR);
		expect(await busySocket.closed).toEqual({ code: 4401, reason: 'session ended' });
	});

	it('S41: deactivating a user closes every socket of every session of theirs at once, and refuses sign-in', async () => {
		const run = await start();
		await tenant(run, 'ta', ['c1']);
		const tablet = await user(run, 'ta', 'leaver@example.test', 'admin');
		const laptop = await signIn(run.base, 'leaver@example.test');
		const open1 = (await synced(run, 'tenant:ta', tablet)).client;
		const open2 = (await synced(run, 'customer:c1', laptop)).client;
		const leaver = await run.store.getUserByEmail('leaver@example.test');
		await run.server.auth.deactivateUser(leaver!.id, null);

		expect(await open1.closed).toEqual({ code: 4401, reason: 'account deactivated' });
		expect(await open2.closed).toEqual({ code: 4401, reason: 'account deactivated' });
		const again = await fetch(`${run.base}/api/session`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email: 'leaver@example.test', password: TEST_PASSWORD })
		});
		expect(again.status).toBe(403);
		const audit = await run.store.listAudit({ tenantId: 'ta' });
		expect(audit[0]).toMatchObject({ action: 'deactivated', item: leaver!.id, userId: null });
	});
});
