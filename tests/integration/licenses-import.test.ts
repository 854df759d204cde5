// License management over the real API with the file connector: imports of the fixtures (JSON and CSV), refusals that
// change nothing (L1, L2, broken files), idempotent re-imports, the tenant's export with L14 states, a license's history
// (L16) and who may do what.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importErrorSchema, importResultSchema, licenseHistoryResponseSchema } from '../../src/lib/schema/license-api';
import { request as httpRequest } from 'node:http';
import { fixtureText, startLicensePortal, TENANT, type LicensePortal } from './licenses-harness';

let h: LicensePortal;
let owner: string;

beforeEach(async () => {
	h = await startLicensePortal();
	owner = await h.signIn();
});
afterEach(async () => {
	await h.close();
});

const importFile = (cookie: string, name: string) =>
	h.request(cookie, `/api/licenses/import?name=${name}`, {
		body: fixtureText(name),
		type: name.endsWith('.csv') ? 'text/csv' : 'application/json'
	});

async function imported(name: string) {
	const response = await importFile(owner, name);
	expect(response.status).toBe(200);
	return importResultSchema.parse(await response.json());
}

async function refused(name: string, code: string) {
	const before = await h.stateVector();
	const appends = h.appends();
	const response = await importFile(owner, name);
	expect(response.status).toBe(422);
	const body = importErrorSchema.parse(await response.json());
	expect(body.error.code).toBe(code);
	// Nothing imported: the document is exactly as it was, and nothing was stored.
	expect(await h.stateVector()).toEqual(before);
	expect(h.appends()).toBe(appends);
	expect(await h.store.listLicenseConnectors(TENANT)).toEqual([]);
	return body.error;
}

describe('POST /api/licenses/import', () => {
	it('L1, L3, L6: the JSON export of an MSP account is imported: tagged licenses, a company without licenses in the tree only', async () => {
		expect(await imported('msp-account.json')).toEqual({
			accountId: 'acc-7710',
			added: 5,
			changed: 0,
			removed: 0,
			companiesAdded: 5
		});
		const { names, pools, tags, accounts } = await h.tenant((repo) => ({
			names: [...repo.view().nodes.values()].map((node) => node.name).sort(),
			pools: repo
				.pools()
				.map((pool) => pool.name)
				.sort(),
			tags: Object.fromEntries(repo.licenses().map((l) => [l.publicId, l.tag])),
			accounts: repo.accounts()
		}));
		expect(names).toEqual([
			'Adatum S.r.l.',
			'Contoso GmbH',
			'Fabrikam S.A.',
			'Northwind IT Services',
			'Tailspin Sp. z o.o.'
		]);
		expect(pools).toEqual(['Adatum S.r.l.', 'Contoso GmbH', 'Fabrikam S.A.']);
		expect(tags['3AB-XQ4-77K']).toBe('Contoso GmbH');
		expect(accounts).toEqual([
			{
				id: 'acc-7710',
				kind: 'msp',
				name: 'Northwind IT Services',
				login: 'licenses@northwind.example',
				connector: 'file'
			}
		]);
		const list = (await (await h.request(owner, '/api/licenses/accounts')).json()) as { accounts: unknown[] };
		expect(list.accounts).toEqual([
			{
				accountId: 'acc-7710',
				connector: 'file',
				url: null,
				lastSync: {
					at: h.clock.now().toISOString(),
					status: 'ok',
					added: 5,
					changed: 0,
					removed: 0,
					companiesAdded: 5
				},
				nextSyncAt: null
			}
		]);
		const [entry] = await h.store.listAudit({ tenantId: TENANT, action: 'licensesImported' });
		expect(entry).toMatchObject({
			item: 'acc-7710',
			description: 'file import: added 5, changed 0, removed 0, companies added 5'
		});
	});

	it('S47, L1: the CSV form imports the same account; importing the JSON after it changes nothing and stores nothing', async () => {
		expect(await imported('msp-account.csv')).toEqual({
			accountId: 'acc-7710',
			added: 5,
			changed: 0,
			removed: 0,
			companiesAdded: 5
		});
		const appends = h.appends();
		const before = await h.stateVector();
		expect(await imported('msp-account.json')).toEqual({
			accountId: 'acc-7710',
			added: 0,
			changed: 0,
			removed: 0,
			companiesAdded: 0
		});
		expect(h.appends()).toBe(appends);
		expect(await h.stateVector()).toEqual(before);
	});

	it('S45: broken.json is refused with one detail per bad entry, and nothing is imported', async () => {
		const error = await refused('broken.json', 'invalid_import');
		expect(error.details).toEqual([
			{ where: 'broken.json: licenses[0].expiresOn', message: expect.stringContaining('date') },
			{ where: 'broken.json: licenses[1].unitsOrdered', message: 'at least one unit is ordered' },
			{ where: 'broken.json: licenses[2].companyId', message: 'no company "co-999" in this account' }
		]);
		const [entry] = await h.store.listAudit({ tenantId: TENANT, action: 'licenseImportRefused' });
		expect(entry?.description).toBe('file import: invalid_import, 3 problem(s)');
	});

	it('L1: a distributor account is refused with distributor_account', async () => {
		const error = await refused('distributor-account.json', 'distributor_account');
		expect(error.message).toContain('distributor');
	});

	it('L2: an account that can read no company is refused with no_readable_company', async () => {
		const error = await refused('no-access-account.json', 'no_readable_company');
		expect(error.message).toContain('read access');
	});

	it('L10: a business account goes into one pool per site', async () => {
		const result = await imported('business-account.json');
		expect(result.added).toBeGreaterThan(0);
		const pools = await h.tenant((repo) => repo.pools().map((pool) => pool.vendorRef));
		expect(pools.every((ref) => ref?.startsWith('site:'))).toBe(true);
	});

	it('refuses other content types (415), a query name with a slash (400) and a file above 40 MB (413) before reading it', async () => {
		expect((await h.request(owner, '/api/licenses/import', { body: 'x', type: 'text/plain' })).status).toBe(415);
		expect(
			(await h.request(owner, '/api/licenses/import?name=a%2Fb.json', { body: fixtureText('msp-account.json') })).status
		).toBe(400);
		const status = await new Promise<number>((resolve, reject) => {
			const req = httpRequest(
				{
					host: '127.0.0.1',
					port: h.portal.port,
					path: '/api/licenses/import',
					method: 'POST',
					headers: { cookie: owner, 'content-type': 'application/json', 'content-length': String(41 * 1024 * 1024) }
				},
				(res) => {
					res.resume();
					resolve(res.statusCode ?? 0);
				}
			);
			req.on('error', reject);
			req.write('{');
		});
		expect(status).toBe(413);
		expect(h.appends()).toBe(0);
	});
});

describe('GET /api/licenses/export', () => {
	it('L13, L14: every license with its state on the tenant day, as JSON and as CSV with a BOM and RFC 4180 quoting', async () => {
		await imported('msp-account.json');
		const response = await h.request(owner, '/api/licenses/export');
		expect(response.status).toBe(200);
		const body = (await response.json()) as {
			day: string;
			timeZone: string;
			licenses: Array<{ publicId: string; state: string; owner: string; pool: string; account: string; tag: string }>;
		};
		expect(body.day).toBe('2026-11-20');
		expect(body.timeZone).toBe('UTC');
		const states = Object.fromEntries(body.licenses.map((l) => [l.publicId, l.state]));
		expect(states).toEqual({
			'3AB-XQ4-77K': 'warning',
			'3AB-XQ4-81M': 'overused',
			'4CD-PL2-09A': 'expiringSoon',
			'5EF-RT7-13Q': 'expired',
			'5EF-RT7-14R': 'suspended'
		});
		expect(body.licenses.find((l) => l.publicId === '3AB-XQ4-77K')).toMatchObject({
			owner: 'Contoso GmbH',
			pool: 'Contoso GmbH',
			account: 'Northwind IT Services',
			tag: 'Contoso GmbH'
		});

		const csv = await h.request(owner, '/api/licenses/export?format=csv');
		expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(csv.headers.get('content-disposition')).toBe('attachment; filename="licenses-2026-11-20.csv"');
		const bytes = Buffer.from(await csv.arrayBuffer());
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const lines = bytes.subarray(3).toString('utf8').split('\r\n');
		expect(lines[0]).toBe(
			'public_id,type,product,units_ordered,units_activated,expires_on,state,days_left,owner,tag,pool,account,license_id'
		);
		expect(lines.find((line) => line.startsWith('5EF-RT7-14R,'))).toMatch(
			/^5EF-RT7-14R,msp,Endpoint Security,30,12,2027-06-30,suspended,222,Adatum S\.r\.l\.,Adatum S\.r\.l\.,Adatum S\.r\.l\.,Northwind IT Services,/
		);
		expect(lines).toHaveLength(1 + 5 + 1);
		expect((await h.request(owner, '/api/licenses/export?format=xml')).status).toBe(400);
	});
});

describe('GET /api/licenses/<licenseId>/history', () => {
	it('L16, L7, L4: daily usage and events of a license across imports, as JSON and CSV', async () => {
		await imported('msp-account.json');
		h.clock.advance(24 * 60 * 60 * 1000);
		const again = await h.signIn();
		const next = await h.request(again, '/api/licenses/import?name=msp-account-next-day.json', {
			body: fixtureText('msp-account-next-day.json')
		});
		// L7: Wingtip appears; L4: Fabrikam's rename does not rename its tag.
		expect(await next.json()).toEqual({ accountId: 'acc-7710', added: 2, changed: 0, removed: 0, companiesAdded: 1 });
		const { id, fabrikamTag } = await h.tenant((repo) => ({
			id: repo.licenses().find((l) => l.publicId === '3AB-XQ4-77K')!.id,
			fabrikamTag: repo.licenses().find((l) => l.publicId === '4CD-PL2-09A')!.tag
		}));
		expect(fabrikamTag).toBe('Fabrikam S.A.');

		const response = await h.request(again, `/api/licenses/${id}/history`);
		expect(response.status).toBe(200);
		const history = licenseHistoryResponseSchema.parse(await response.json());
		expect(history).toEqual({
			licenseId: id,
			publicId: '3AB-XQ4-77K',
			usage: [
				{ day: '2026-11-20', unitsActivated: 48, unitsOrdered: 50 },
				{ day: '2026-11-21', unitsActivated: 48, unitsOrdered: 50 }
			],
			events: [
				{
					at: '2026-11-20T08:00:00.000Z',
					kind: 'added',
					detail: 'Endpoint Security (msp), units 48/50, expires 2027-03-31'
				}
			]
		});
		// One run of two equal days: one row.
		expect((await h.store.licenseHistory(TENANT, 'acc-7710', '3AB-XQ4-77K')).usage).toHaveLength(1);

		const csv = await h.request(again, `/api/licenses/${id}/history?format=csv`);
		expect(csv.headers.get('content-disposition')).toBe('attachment; filename="license-3AB-XQ4-77K-history.csv"');
		expect((await csv.text()).split('\r\n')).toEqual([
			'public_id,time,record,units_activated,units_ordered,event,detail',
			'3AB-XQ4-77K,2026-11-20,usage,48,50,,',
			'3AB-XQ4-77K,2026-11-20T08:00:00.000Z,event,,,added,"Endpoint Security (msp), units 48/50, expires 2027-03-31"',
			'3AB-XQ4-77K,2026-11-21,usage,48,50,,',
			''
		]);
		expect((await h.request(again, '/api/licenses/no-such-license/history')).status).toBe(404);
	});

	it('L16: an event recorded for a license (a server command) is in its history', async () => {
		await imported('msp-account.json');
		const id = await h.tenant((repo) => repo.licenses().find((l) => l.publicId === '4CD-PL2-09A')!.id);
		await h.portal.server.licenses.recordEvent(TENANT, {
			licenseId: id,
			kind: 'extended',
			detail: 'trial extended to 2026-12-28'
		});
		const history = licenseHistoryResponseSchema.parse(
			await (await h.request(owner, `/api/licenses/${id}/history`)).json()
		);
		expect(history.events.map((e) => e.kind)).toEqual(['added', 'extended']);
	});
});

describe('permissions', () => {
	it('L5, P16: importing needs licenses.sync on the whole tenant; reading every license needs a tenant-wide grant', async () => {
		await imported('msp-account.json');
		const id = await h.tenant((repo) => repo.licenses()[0]!.id);
		const readOnly = await h.signIn('readOnly');
		const scopedAdmin = await h.signIn('admin', [
			{ scope: 'node', id: await h.tenant((repo) => repo.view().children.get(null)![0]!) }
		]);
		const appends = h.appends();

		for (const cookie of [readOnly, scopedAdmin]) {
			expect((await importFile(cookie, 'msp-account-next-day.json')).status).toBe(403);
			expect(
				(
					await h.request(cookie, '/api/licenses/accounts', {
						body: JSON.stringify({ connector: 'http', url: 'http://127.0.0.1:9/api', token: 't' })
					})
				).status
			).toBe(403);
			expect(
				(await h.request(cookie, '/api/licenses/accounts/acc-7710/sync', { method: 'POST', body: '' })).status
			).toBe(403);
		}
		// A tenant-wide reader reads everything; a grant on a branch does not.
		expect((await h.request(readOnly, '/api/licenses/export')).status).toBe(200);
		expect((await h.request(readOnly, `/api/licenses/${id}/history`)).status).toBe(200);
		expect((await h.request(readOnly, '/api/licenses/accounts')).status).toBe(200);
		expect((await h.request(readOnly, '/api/licenses/sync-status')).status).toBe(200);
		for (const path of [
			'/api/licenses/export',
			`/api/licenses/${id}/history`,
			'/api/licenses/accounts',
			'/api/licenses/sync-status'
		])
			expect((await h.request(scopedAdmin, path)).status).toBe(403);
		expect((await h.request('', '/api/licenses/export')).status).toBe(401);
		expect(h.appends()).toBe(appends);
	});
});
