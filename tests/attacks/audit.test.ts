// P17: the audit log end to end on a real server (SQLite): a client's changes over a real socket become one row per changed
// record, written with one store call per batch, read back through GET /api/audit as JSON and CSV, filtered, paged, per
// tenant, only for audit.read tenant-wide, and purged after each tenant's retention by the scheduler on the fake clock.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Role } from '../../src/lib/schema/access';
import { auditPageSchema, type AuditPage } from '../../src/lib/schema/audit';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { CustomerRepository } from '../../src/lib/data/customer-repository';
import { createServer, type PortalServer } from '../../server/src/app';
import { testConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/log';
import { openSqliteStore } from '../../server/src/store/sqlite';
import type { AuditEntry, Store } from '../../server/src/store/types';
import { DAY_MS } from '../../server/src/audit/audit';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock';
import type { RawClient } from '../helpers/sync-clients';
import { createSignedIn, openSynced, sendEdit } from '../helpers/portal-clients';

const FAST = { N: 2 ** 10, r: 8, p: 1 };
const HOUR = 60 * 60 * 1000;

interface Running {
	readonly server: PortalServer;
	readonly store: Store;
	readonly base: string;
	readonly clock: FakeClock;
	/** Entries per appendAuditBatch call, in order. */
	readonly batches: number[];
	/** Resolves once purgeAudit ran for `n` tenants (the scheduler's purge is done). */
	purged(n: number): Promise<void>;
}

const running: Running[] = [];
const sockets: RawClient[] = [];

afterEach(async () => {
	for (const socket of sockets.splice(0)) socket.socket.terminate();
	for (const { server, store } of running.splice(0)) {
		await server.close();
		await store.close();
	}
});

async function start(): Promise<Running> {
	const clock = createFakeClock(new Date('2025-06-01T12:00:00Z'));
	const inner = openSqliteStore(':memory:');
	const batches: number[] = [];
	let purges = 0;
	const waiters: Array<{ n: number; resolve: () => void }> = [];
	// Counts the store calls the server makes; everything else goes to the real SQLite store.
	const store: Store = {
		...inner,
		async appendAuditBatch(entries) {
			batches.push(entries.length);
			await inner.appendAuditBatch(entries);
		},
		async purgeAudit(tenantId, before) {
			const removed = await inner.purgeAudit(tenantId, before);
			purges += 1;
			for (const waiter of waiters.filter((w) => w.n <= purges)) waiter.resolve();
			return removed;
		}
	};
	const server = createServer({
		store,
		clock,
		log: createLogger('silent'),
		config: testConfig({ buildDir: '/nonexistent-build' }),
		authOptions: { scrypt: FAST },
		relayLimits: { pingIntervalMs: 1000 * HOUR }
	});
	const { url } = await server.listen();
	const run: Running = {
		server,
		store,
		base: url,
		clock,
		batches,
		purged: (n) => new Promise((resolve) => (purges >= n ? resolve() : waiters.push({ n, resolve })))
	};
	running.push(run);
	return run;
}

async function tenant(run: Running, id: string): Promise<{ msp: string; customer: string }> {
	await run.store.createTenant({ id, name: `Tenant ${id}`, createdAt: run.clock.now().toISOString() });
	// Time jumps by hours here: sessions outlive them (P18's default of 15 minutes would end them).
	await run.store.putTenantSettings(id, {
		...(await run.store.getTenantSettings(id)),
		sessionTimeoutMinutes: 24 * 60
	});
	const ids = [`${id}-msp`, `${id}-cust`];
	await run.server.relay.change(`tenant:${id}`, (doc) => {
		const tree = new TenantRepository(doc, { newId: () => ids.shift() ?? crypto.randomUUID() });
		const msp = tree.createNode({ kind: 'msp', name: `MSP of ${id}`, parentId: null });
		tree.createNode({ kind: 'customer', name: 'Müller, "Der Bäcker"', parentId: msp });
	});
	return { msp: `${id}-msp`, customer: `${id}-cust` };
}

/** A user with `role`, signed in; answers the cookie. */
function user(run: Running, tenantId: string, email: string, role: Role): Promise<string> {
	return createSignedIn(run.base, run.store, { tenantId, email, role, now: run.clock.now() });
}

async function synced(run: Running, docName: string, cookie: string): Promise<{ client: RawClient; doc: Y.Doc }> {
	const opened = await openSynced(run.base, docName, cookie);
	sockets.push(opened.client);
	return opened;
}

const write = sendEdit;

async function auditPage(run: Running, cookie: string, query = ''): Promise<AuditPage> {
	const response = await fetch(`${run.base}/api/audit${query}`, { headers: { cookie } });
	expect(response.status).toBe(200);
	return auditPageSchema.parse(await response.json());
}

/** RFC 4180 read back: quoted cells with doubled quotes, commas and line breaks inside. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i]!;
		if (quoted && c === '"' && text[i + 1] === '"') {
			cell += '"';
			i++;
		} else if (c === '"') {
			quoted = !quoted;
		} else if (!quoted && c === ',') {
			row.push(cell);
			cell = '';
		} else if (!quoted && c === '\r' && text[i + 1] === '\n') {
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
			i++;
		} else {
			cell += c;
		}
	}
	return rows;
}

describe('P17: the audit log', () => {
	it("P17: a client's changes over a real socket give one row per changed record, read back as JSON and as CSV", async () => {
		const run = await start();
		const { msp, customer } = await tenant(run, 'ta');
		const owner = await user(run, 'ta', 'owner@ta.example', 'superAdmin');
		const { client, doc } = await synced(run, 'tenant:ta', owner);
		let created = '';
		await write(client, doc, (d) => {
			const tree = new TenantRepository(d);
			tree.rename(customer, 'Huber GmbH');
			tree.updateProfile(msp, { country: 'AT', address: 'Hauptplatz 1' });
			created = tree.createNode({ kind: 'customer', name: 'Neu', parentId: msp });
		});
		expect(run.batches).toEqual([3]);

		const page = await auditPage(run, owner, '?itemType=treeNode');
		const byItem = new Map(page.entries.map((e) => [e.item, e]));
		expect(page.entries).toHaveLength(3);
		expect(byItem.get(customer)).toMatchObject({ action: 'updated', description: 'renamed', user: 'owner@ta.example' });
		expect(byItem.get(msp)).toMatchObject({ action: 'updated', description: 'fields: address, country' });
		expect(byItem.get(created)).toMatchObject({ action: 'created', madeAt: expect.any(String) });
		for (const entry of page.entries) {
			expect(entry.ip).toMatch(/127\.0\.0\.1$/);
			expect(entry.at).toBe(run.clock.now().toISOString());
		}
		expect(JSON.stringify(page)).not.toMatch(/Huber|Hauptplatz|Neu"/);

		// A description with a comma, a quote and an umlaut, written by a route through the same store.
		await run.store.appendAudit({
			at: run.clock.now().toISOString(),
			tenantId: 'ta',
			userId: null,
			ip: null,
			itemType: 'settings',
			item: 'ta',
			action: 'updated',
			description: 'fields: "auditRetentionDays", Übersicht\nzweite Zeile'
		});
		const response = await fetch(`${run.base}/api/audit?format=csv&from=2025-06-01&to=2025-06-01`, {
			headers: { cookie: owner }
		});
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(response.headers.get('content-disposition')).toBe('attachment; filename="audit-2025-06-01-2025-06-01.csv"');
		const bytes = new Uint8Array(await response.arrayBuffer());
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
		expect(text).toContain('"fields: ""auditRetentionDays"", Übersicht\nzweite Zeile"');
		const [header, ...rows] = parseCsv(text.slice(1));
		expect(header).toEqual(['Time', 'Made on device', 'User', 'Address', 'Item type', 'Item', 'Action', 'Description']);
		const json = await auditPage(run, owner, '?from=2025-06-01&to=2025-06-01');
		expect(rows).toEqual(
			json.entries.map((e) => [
				e.at,
				e.madeAt ?? '',
				e.user ?? '',
				e.ip ?? '',
				e.itemType,
				e.item,
				e.action,
				e.description
			])
		);
		expect(rows[0]![7]).toBe('fields: "auditRetentionDays", Übersicht\nzweite Zeile');
		expect(rows.some((r) => r[6] === 'signedIn')).toBe(true);

		// S115: the column names follow the reader's own language; the rows stay as they are.
		const me = (await run.store.listUsers('ta')).find((u) => u.email === 'owner@ta.example')!;
		await run.store.setUserLocale(me.id, 'de');
		const german = await fetch(`${run.base}/api/audit?format=csv&from=2025-06-01&to=2025-06-01`, {
			headers: { cookie: owner }
		});
		const [germanHeader, ...germanRows] = parseCsv((await german.text()).replace(/^\uFEFF/, ''));
		expect(germanHeader![0]).not.toBe('Time');
		expect(germanHeader).toHaveLength(8);
		expect(germanRows).toEqual(rows);
	});

	it('P17: a frame with many changes is written with ONE store call; past 1000 rows one summary row stands for the rest', async () => {
		const run = await start();
		const { msp } = await tenant(run, 'ta');
		const owner = await user(run, 'ta', 'owner@ta.example', 'superAdmin');
		const { client, doc } = await synced(run, 'customer:ta-cust', owner);
		await write(client, doc, (d) => {
			const repo = new CustomerRepository(d);
			d.transact(() => {
				for (let n = 0; n < 1200; n++) repo.addContact({ name: `Contact ${n}`, role: '', email: '', phone: '' });
			});
		});
		expect(run.batches).toEqual([1001]);
		const contacts = await auditPage(run, owner, '?itemType=contact&limit=500');
		expect(contacts.entries).toHaveLength(500);
		expect(contacts.entries[0]!.description).toBe('created in customer:ta-cust');
		const summary = await auditPage(run, owner, '?itemType=document');
		expect(summary.entries).toHaveLength(1);
		expect(summary.entries[0]).toMatchObject({ item: 'customer:ta-cust', action: 'updated' });
		expect(summary.entries[0]!.description).toContain('200 further change(s)');

		const tenantDoc = await synced(run, 'tenant:ta', owner);
		await write(tenantDoc.client, tenantDoc.doc, (d) => {
			const tree = new TenantRepository(d);
			d.transact(() => {
				for (let n = 0; n < 300; n++) tree.createNode({ kind: 'customer', name: `C ${n}`, parentId: msp });
			});
		});
		expect(run.batches).toEqual([1001, 300]);
	});

	it('P17: filters (time, user by email, item type, item, action) and cursor paging, newest first; bad input is a 400', async () => {
		const run = await start();
		const { customer } = await tenant(run, 'ta');
		const owner = await user(run, 'ta', 'owner@ta.example', 'superAdmin');
		const admin = await user(run, 'ta', 'admin@ta.example', 'admin');
		const adminSocket = await synced(run, 'tenant:ta', admin);
		for (const name of ['One', 'Two', 'Three']) {
			await write(adminSocket.client, adminSocket.doc, (d) => new TenantRepository(d).rename(customer, name));
			run.clock.advance(HOUR);
		}
		const all = await auditPage(run, owner);
		expect(all.entries.map((e) => e.action)).toEqual(['updated', 'updated', 'updated', 'signedIn', 'signedIn']);
		const byAdmin = await auditPage(run, owner, '?user=ADMIN@ta.example&action=updated&itemType=treeNode');
		expect(byAdmin.entries).toHaveLength(3);
		expect(byAdmin.entries.every((e) => e.user === 'admin@ta.example' && e.item === customer)).toBe(true);
		expect((await auditPage(run, owner, `?item=${customer}&action=signedIn`)).entries).toEqual([]);
		expect((await auditPage(run, owner, '?user=nobody@ta.example')).entries).toEqual([]);
		const later = await auditPage(run, owner, `?from=${encodeURIComponent('2025-06-01T12:30:00Z')}&action=updated`);
		expect(later.entries.map((e) => e.at)).toEqual(['2025-06-01T14:00:00.000Z', '2025-06-01T13:00:00.000Z']);

		const first = await auditPage(run, owner, '?limit=2');
		expect(first.entries.map((e) => e.id)).toEqual(all.entries.slice(0, 2).map((e) => e.id));
		const second = await auditPage(run, owner, `?limit=2&cursor=${first.nextCursor}`);
		const third = await auditPage(run, owner, `?limit=2&cursor=${second.nextCursor}`);
		expect([...first.entries, ...second.entries, ...third.entries].map((e) => e.id)).toEqual(
			all.entries.map((e) => e.id)
		);
		expect(third.nextCursor).toBeNull();

		for (const bad of [
			'?limit=0',
			'?limit=9999',
			'?action=dr0p',
			'?from=yesterday',
			'?cursor=-1',
			'?format=xml',
			'?x=1'
		]) {
			const response = await fetch(`${run.base}/api/audit${bad}`, { headers: { cookie: owner } });
			expect(response.status, bad).toBe(400);
			expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_query');
		}
	});

	it('P17: a help-desk or read-only user gets 403, no session 401, and another tenant never sees these rows', async () => {
		const run = await start();
		await tenant(run, 'ta');
		await tenant(run, 'tb');
		const ownerA = await user(run, 'ta', 'owner@ta.example', 'superAdmin');
		const ownerB = await user(run, 'tb', 'owner@tb.example', 'superAdmin');
		for (const [email, role] of [
			['desk@ta.example', 'helpDesk'],
			['reader@ta.example', 'readOnly']
		] as const) {
			const cookie = await user(run, 'ta', email, role);
			const response = await fetch(`${run.base}/api/audit?format=csv`, { headers: { cookie } });
			expect(response.status, role).toBe(403);
		}
		expect((await fetch(`${run.base}/api/audit`)).status).toBe(401);
		const seenByB = await auditPage(run, ownerB, '?limit=500');
		expect(seenByB.entries.map((e) => e.user)).toEqual(['owner@tb.example']);
		const seenByA = await auditPage(run, ownerA, '?limit=500');
		expect(seenByA.entries.every((e) => e.user?.endsWith('@ta.example'))).toBe(true);
		// Naming B's user or item from A finds nothing either.
		expect((await auditPage(run, ownerA, '?user=owner@tb.example')).entries).toEqual([]);
	});

	it("P17: the daily purge removes each tenant's rows older than its retention and keeps the newer ones", async () => {
		const run = await start();
		await run.store.createTenant({ id: 'ta', name: 'A', createdAt: run.clock.now().toISOString() });
		await run.store.createTenant({ id: 'tb', name: 'B', createdAt: run.clock.now().toISOString() });
		const settings = await run.store.getTenantSettings('ta');
		await run.store.putTenantSettings('ta', { ...settings, auditRetentionDays: 30 });
		const row = (tenantId: string, daysAgo: number): AuditEntry => ({
			at: new Date(run.clock.now().getTime() - daysAgo * DAY_MS).toISOString(),
			tenantId,
			userId: null,
			ip: null,
			itemType: 'treeNode',
			item: `${tenantId}-${daysAgo}`,
			action: 'updated',
			description: 'renamed'
		});
		// The purge runs one day from now: 'ta' keeps 30 days (28 + 1 stays, 40 + 1 goes), 'tb' the default 180.
		await run.store.appendAuditBatch([row('ta', 40), row('ta', 28), row('ta', 1), row('tb', 200), row('tb', 178)]);
		run.clock.advance(DAY_MS - 1);
		expect((await run.store.listAudit({ tenantId: 'ta' })).map((e) => e.item)).toHaveLength(3);
		run.clock.advance(1);
		await run.purged(2);
		expect((await run.store.listAudit({ tenantId: 'ta' })).map((e) => e.item)).toEqual(['ta-1', 'ta-28']);
		expect((await run.store.listAudit({ tenantId: 'tb' })).map((e) => e.item)).toEqual(['tb-178']);
	});
});
