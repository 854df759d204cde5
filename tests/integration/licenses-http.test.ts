// The HTTP connector against a stand-in vendor (msp-license-api/1 on 127.0.0.1:0): connecting an account, syncs on demand
// and by the scheduler (L12, on the fake clock), and every way a vendor fails: each gives a clear error and changes nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Clock } from '../../server/src/clock';
import { importErrorSchema, importResultSchema, licenseAccountsResponseSchema } from '../../src/lib/schema/license-api';
import { fixtureData, startVendorServer, VENDOR_TOKEN, type VendorServer } from '../helpers/vendor-server';
import { startLicensePortal, TENANT, TENANT_DOC, type LicensePortal } from './licenses-harness';

const DAY = 24 * 60 * 60 * 1000;
const MINUTE = 60 * 1000;

let h: LicensePortal;
let vendor: VendorServer;
let owner: string;
/** Every answer the portal gave in a test, to look for the token in. */
let answers: string[];

beforeEach(async () => {
	h = await startLicensePortal();
	vendor = await startVendorServer();
	owner = await h.signIn();
	answers = [];
});
afterEach(async () => {
	await vendor.close();
	await h.close();
});

async function call(cookie: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
	const response = await h.request(cookie, path, body === undefined ? {} : { body: JSON.stringify(body) });
	const text = await response.text();
	answers.push(text);
	return { status: response.status, json: JSON.parse(text) as unknown };
}

const connect = (token = VENDOR_TOKEN) =>
	call(owner, '/api/licenses/accounts', { connector: 'http', url: vendor.url, token });
const sync = () => call(owner, '/api/licenses/accounts/acc-7710/sync', {});

async function accounts() {
	return licenseAccountsResponseSchema.parse((await call(owner, '/api/licenses/accounts')).json).accounts;
}

/** Resolves when the service arms a timer of `ms` on the fake clock (a Retry-After wait; not 1 s, the scheduler's own). */
function nextTimer(clock: Clock, ms: number): Promise<void> {
	const original = clock.setTimeout;
	return new Promise((resolve) => {
		clock.setTimeout = (fn, delay) => {
			const timer = original(fn, delay);
			if (delay === ms) {
				clock.setTimeout = original;
				resolve();
			}
			return timer;
		};
	});
}

/** Runs `attempt` and checks that the tenant document and the stored connectors are exactly as before. */
async function changesNothing(attempt: () => Promise<{ status: number; json: unknown }>) {
	const before = await h.stateVector();
	const appends = h.appends();
	const connectors = await h.store.listLicenseConnectors(TENANT);
	const { status, json } = await attempt();
	expect(status).toBe(422);
	expect(await h.stateVector()).toEqual(before);
	expect(h.appends()).toBe(appends);
	const after = await h.store.listLicenseConnectors(TENANT);
	expect(after.map((c) => [c.accountId, c.token, c.url])).toEqual(connectors.map((c) => [c.accountId, c.token, c.url]));
	return importErrorSchema.parse(json).error;
}

describe('connecting an account', () => {
	it('L1, L12: the account is read page by page with its token, and its first sync runs at once (201)', async () => {
		const { status, json } = await connect();
		expect(status).toBe(201);
		expect(importResultSchema.parse(json)).toEqual({
			accountId: 'acc-7710',
			added: 5,
			changed: 0,
			removed: 0,
			companiesAdded: 5
		});
		expect(
			vendor.requests.map((r) => [r.path, r.query.limit ?? null, r.query.cursor === undefined ? 'first' : 'next'])
		).toEqual([
			['/v1/account', null, 'first'],
			['/v1/companies', '100', 'first'],
			['/v1/companies', '100', 'next'],
			['/v1/companies', '100', 'next'],
			['/v1/licenses', '100', 'first'],
			['/v1/licenses', '100', 'next'],
			['/v1/licenses', '100', 'next']
		]);
		expect(new Set(vendor.requests.map((r) => r.authorization))).toEqual(new Set([`Bearer ${VENDOR_TOKEN}`]));
		expect(await accounts()).toEqual([
			{
				accountId: 'acc-7710',
				connector: 'http',
				url: vendor.url,
				lastSync: {
					at: h.clock.now().toISOString(),
					status: 'ok',
					added: 5,
					changed: 0,
					removed: 0,
					companiesAdded: 5
				},
				nextSyncAt: new Date(h.clock.now().getTime() + DAY).toISOString()
			}
		]);
		expect(await h.tenant((repo) => repo.accounts()[0]?.connector)).toBe('http');
	});

	it('S49: the token is in no answer, no document, no audit entry and no log line; the store holds it sealed', async () => {
		expect((await connect()).status).toBe(201);
		vendor.data = fixtureData('msp-account-next-day.json');
		expect((await sync()).status).toBe(200);
		vendor.behaviour = { kind: 'malformed', path: '/v1/licenses' };
		expect((await sync()).status).toBe(422);
		await call(owner, '/api/licenses/accounts');
		await call(owner, '/api/licenses/sync-status');
		await call(owner, '/api/licenses/export');
		const [stored] = await h.store.listLicenseConnectors(TENANT);
		expect(stored?.token).toMatch(/^v1\./);
		const doc = new Y.Doc();
		Y.applyUpdate(doc, await h.portal.server.relay.encodeState(TENANT_DOC));
		const documentText =
			JSON.stringify(doc.toJSON()) +
			Buffer.from(await h.portal.server.relay.encodeState(TENANT_DOC)).toString('latin1');
		const audit = JSON.stringify(await h.store.listAudit({ tenantId: TENANT, limit: 1000 }));
		expect(audit).toContain('licensesSynced');
		for (const place of [answers.join('\n'), documentText, audit, h.logs.join(''), stored?.token ?? ''])
			expect(place).not.toContain(VENDOR_TOKEN);
	});

	it('S49: refuses an address with credentials or a query in it, before asking the vendor (422, nothing stored)', async () => {
		const withUser = vendor.url.replace('http://', 'http://user:pass@');
		const error = await changesNothing(() =>
			call(owner, '/api/licenses/accounts', { connector: 'http', url: withUser, token: VENDOR_TOKEN })
		);
		expect(error).toMatchObject({ code: 'sync_failed', message: expect.stringContaining('user name or password') });
		const query = await call(owner, '/api/licenses/accounts', {
			connector: 'http',
			url: `${vendor.url}?key=abc`,
			token: 'x'
		});
		expect(query.status).toBe(422);
		expect(
			(await call(owner, '/api/licenses/accounts', { connector: 'http', url: 'ftp://vendor', token: 'x' })).status
		).toBe(400);
		expect(vendor.requests).toEqual([]);
	});
});

describe('a vendor that cannot be read changes nothing (S45)', () => {
	it('L1, L2: a distributor account, or one that can read no company, is refused when it is connected', async () => {
		vendor.data = fixtureData('distributor-account.json');
		expect(await changesNothing(() => connect())).toMatchObject({ code: 'distributor_account' });
		vendor.data = fixtureData('no-access-account.json');
		expect(await changesNothing(() => connect())).toMatchObject({ code: 'no_readable_company' });
		expect(await h.store.listLicenseConnectors(TENANT)).toEqual([]);
	});

	it('S45: stopping the server ends a sync that waits for the vendor; nothing changes and the account stays due', async () => {
		expect((await connect()).status).toBe(201);
		const before = await h.stateVector();
		const appends = h.appends();
		vendor.data = fixtureData('msp-account-next-day.json');
		vendor.behaviour = { kind: 'hang', path: '/v1/licenses' };
		const pending = sync();
		await vendor.nextRequest('/v1/licenses');
		const stopped = h.portal.server.licenses.stop();
		expect(await pending).toMatchObject({
			status: 422,
			json: { error: { code: 'sync_failed', message: 'the server is stopping; the sync runs again later' } }
		});
		await stopped;
		expect(await h.stateVector()).toEqual(before);
		expect(h.appends()).toBe(appends);
		const [stored] = await h.store.listLicenseConnectors(TENANT);
		expect(JSON.parse(stored?.lastSync ?? 'null')).toMatchObject({ status: 'ok', added: 5 });
	});

	it('S45: a wrong token: 401 becomes sync_failed and nothing is stored', async () => {
		const error = await changesNothing(() => connect('wrong-token'));
		expect(error).toEqual({
			code: 'sync_failed',
			message:
				'the vendor refused the API token (401 to GET /v1/account): check the token, or connect the account again',
			details: []
		});
		expect(await h.store.listLicenseConnectors(TENANT)).toEqual([]);
	});

	it('S45: no answer within 30 s (the fake clock, no real wait); the sync status shows the reading meanwhile', async () => {
		vendor.behaviour = { kind: 'hang', path: '/v1/licenses' };
		const error = changesNothing(async () => {
			const pending = connect();
			await vendor.nextRequest('/v1/licenses');
			const { json } = await call(owner, '/api/licenses/sync-status');
			expect(json).toEqual({
				running: {
					accountId: null,
					phase: 'reading',
					companies: 5,
					licenses: 0,
					startedAt: h.clock.now().toISOString()
				}
			});
			h.clock.advance(30_000);
			return pending;
		});
		expect(await error).toEqual({
			code: 'sync_failed',
			message: 'no answer from the vendor within 30 s (GET /v1/licenses)',
			details: []
		});
		expect((await call(owner, '/api/licenses/sync-status')).json).toEqual({ running: null });
	});

	it('S45: 429 with Retry-After: the connector waits on the clock and asks again (bounded), a long wait fails at once', async () => {
		vendor.behaviour = { kind: 'rateLimited', times: 2, retryAfter: '2' };
		let waited = nextTimer(h.clock, 2000);
		const pending = connect();
		for (let i = 0; i < 2; i++) {
			await waited;
			// Nothing more is asked until the clock has moved.
			expect(vendor.requests.map((r) => r.status)).toEqual(Array(i + 1).fill(429));
			waited = nextTimer(h.clock, 2000);
			h.clock.advance(2000);
		}
		expect((await pending).status).toBe(201);
		expect(vendor.requests.slice(0, 3).map((r) => [r.path, r.status])).toEqual([
			['/v1/account', 429],
			['/v1/account', 429],
			['/v1/account', 200]
		]);

		vendor.behaviour = { kind: 'rateLimited', times: Number.MAX_SAFE_INTEGER, retryAfter: '3' };
		const stillBusy = sync();
		for (let i = 0; i < 5; i++) {
			await nextTimer(h.clock, 3000);
			h.clock.advance(3000);
		}
		expect(await stillBusy).toMatchObject({
			status: 422,
			json: { error: { code: 'sync_failed', message: expect.stringContaining('still busy after 5 retries') } }
		});

		vendor.behaviour = { kind: 'rateLimited', times: Number.MAX_SAFE_INTEGER, retryAfter: '3600' };
		expect(await sync()).toMatchObject({
			status: 422,
			json: { error: { message: 'the vendor asks to wait 3600 s (429 to GET /v1/account); the sync runs again later' } }
		});
	});

	it('S45: a body that is not JSON', async () => {
		vendor.behaviour = { kind: 'malformed', path: '/v1/companies' };
		const error = await changesNothing(() => connect());
		expect(error.message).toBe("the vendor's answer to GET /v1/companies is not valid JSON");
	});

	it('S45: a page that fails half way through a sync: nothing of the pages before it is applied, and the failure is recorded', async () => {
		expect((await connect()).status).toBe(201);
		vendor.data = fixtureData('msp-account-next-day.json');
		vendor.behaviour = { kind: 'failPage', list: 'licenses', page: 2, status: 500 };
		const error = await changesNothing(sync);
		expect(error.message).toBe('the vendor answered 500 to GET /v1/licenses');
		const [account] = await accounts();
		expect(account?.lastSync).toMatchObject({ status: 'failed', message: error.message });
		expect(await h.tenant((repo) => repo.licenses().length)).toBe(5);
		const [entry] = await h.store.listAudit({ tenantId: TENANT, action: 'licenseSyncFailed' });
		expect(entry?.description).toBe('sync on demand: sync_failed');
	});
});

describe('synchronizing', () => {
	it('L7, L4: a sync of the next day adds the new company and its licenses; the renamed company keeps its license tag', async () => {
		expect((await connect()).status).toBe(201);
		vendor.data = fixtureData('msp-account-next-day.json');
		const { status, json } = await sync();
		expect(status).toBe(200);
		expect(json).toEqual({ accountId: 'acc-7710', added: 2, changed: 0, removed: 0, companiesAdded: 1 });
		const tree = await h.tenant((repo) => ({
			names: [...repo.view().nodes.values()].map((n) => n.name),
			tags: Object.fromEntries(repo.licenses().map((l) => [l.publicId, l.tag]))
		}));
		expect(tree.names).toContain('Wingtip Toys Ltd');
		expect(tree.names).toContain('Fabrikam Iberia S.A.');
		expect(tree.tags['4CD-PL2-09A']).toBe('Fabrikam S.A.');
		expect(tree.tags['6GH-KM3-22P']).toBe('Wingtip Toys Ltd');
	});

	it('S46: a second sync with nothing changed writes no document update at all', async () => {
		expect((await connect()).status).toBe(201);
		const appends = h.appends();
		const before = await h.stateVector();
		const { status, json } = await sync();
		expect(status).toBe(200);
		expect(json).toEqual({ accountId: 'acc-7710', added: 0, changed: 0, removed: 0, companiesAdded: 0 });
		expect(h.appends()).toBe(appends);
		expect(await h.stateVector()).toEqual(before);
		// The sync itself is still recorded.
		expect((await h.store.listAudit({ tenantId: TENANT, action: 'licensesSynced' })).length).toBe(1);
		expect((await h.store.listAudit({ tenantId: TENANT, action: 'licenseAccountConnected' })).length).toBe(1);
	});
});

describe('the daily sync (L12)', () => {
	it('L12, S48: each connected account is synchronized once a day by the scheduler, on the clock', async () => {
		expect((await connect()).status).toBe(201);
		vendor.data = fixtureData('msp-account-next-day.json');
		const accountReads = () => vendor.requests.filter((r) => r.path === '/v1/account').length;

		// The scheduler looks every minute; the last look before the day is over finds nothing due.
		h.clock.advance(DAY - 2 * MINUTE);
		await h.settle();
		h.clock.advance(MINUTE);
		await h.settle();
		expect(accountReads()).toBe(1);
		h.clock.advance(MINUTE);
		await h.settle();
		expect(accountReads()).toBe(2);
		expect(await h.tenant((repo) => [...repo.view().nodes.values()].some((n) => n.name === 'Wingtip Toys Ltd'))).toBe(
			true
		);
		const [stored] = await h.store.listLicenseConnectors(TENANT);
		expect(stored?.nextSyncAt).toBe(new Date(h.clock.now().getTime() + DAY).toISOString());
		const [entry] = await h.store.listAudit({ tenantId: TENANT, action: 'licensesSynced' });
		expect(entry).toMatchObject({
			userId: null,
			description: 'daily sync: added 2, changed 0, removed 0, companies added 1'
		});

		// Once: the next minutes, and most of the next day, ask nothing.
		for (let i = 0; i < 3; i++) {
			h.clock.advance(MINUTE);
			await h.settle();
		}
		h.clock.advance(DAY - 10 * MINUTE);
		await h.settle();
		expect(accountReads()).toBe(2);
	});

	it('L12, S48: a daily sync that fails is recorded, changes nothing, and runs again the next day', async () => {
		expect((await connect()).status).toBe(201);
		vendor.behaviour = { kind: 'malformed', path: '/v1/account' };
		const before = await h.stateVector();
		const day = async () => {
			h.clock.advance(DAY);
			await h.settle();
			h.clock.advance(MINUTE);
			await h.settle();
		};
		await day();
		let [stored] = await h.store.listLicenseConnectors(TENANT);
		expect(JSON.parse(stored?.lastSync ?? 'null')).toMatchObject({
			status: 'failed',
			message: expect.stringContaining('not valid JSON')
		});
		expect(await h.stateVector()).toEqual(before);

		vendor.behaviour = { kind: 'ok' };
		vendor.data = fixtureData('msp-account-next-day.json');
		await day();
		[stored] = await h.store.listLicenseConnectors(TENANT);
		expect(JSON.parse(stored?.lastSync ?? 'null')).toMatchObject({ status: 'ok', added: 2 });
	});

	it('L11: a forgotten account is no longer synchronized, and its token is gone', async () => {
		expect((await connect()).status).toBe(201);
		await h.portal.server.licenses.forgetAccount(TENANT, 'acc-7710');
		expect(await h.store.listLicenseConnectors(TENANT)).toEqual([]);
		h.clock.advance(DAY + MINUTE);
		await h.settle();
		h.clock.advance(MINUTE);
		await h.settle();
		expect(vendor.requests.filter((r) => r.path === '/v1/account')).toHaveLength(1);
	});
});
