// The license service on the store-backed documents (as the CLI runs it) with a vendor in memory: one sync per tenant at
// a time, tokens that can no longer be opened, and files that cannot be synchronized.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import { createLogger } from '../log';
import { createMemoryStore } from '../store/memory';
import type { Store } from '../store/types';
import type { Clock } from '../clock';
import { storeDocs } from './docs';
import { createLicenseService, type LicenseServer } from './service';

const fixture = JSON.parse(
	readFileSync(new URL('../../../tests/fixtures/licenses/msp-account.json', import.meta.url), 'utf8')
) as { account: unknown; companies: unknown[]; licenses: unknown[] };

const clock: Clock = { now: () => new Date('2026-11-20T08:00:00Z'), setTimeout: () => ({ cancel: () => undefined }) };
const actor = { tenantId: 'acme', userId: 'u1', ip: '127.0.0.1' };

/** A vendor in memory: every request is answered at once, except those a test holds. */
function memoryVendor() {
	const calls: string[] = [];
	const held: Array<{ path: string; release: () => void }> = [];
	let holdPath: string | null = null;
	const fetch = (async (input: URL | RequestInfo) => {
		const url = new URL(String(input));
		const path = url.pathname.replace('/api', '');
		calls.push(path);
		if (holdPath !== null && path === holdPath) {
			holdPath = null;
			await new Promise<void>((release) => held.push({ path, release }));
		}
		const body =
			path === '/v1/account'
				? fixture.account
				: { items: path === '/v1/companies' ? fixture.companies : fixture.licenses, next: null };
		return new Response(JSON.stringify(body), { status: 200 });
	}) as typeof globalThis.fetch;
	return {
		fetch,
		calls,
		hold(path: string) {
			holdPath = path;
		},
		releaseAll() {
			for (const h of held.splice(0)) h.release();
		}
	};
}

const turns = async (n = 20) => {
	for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

let store: Store;
let vendor: ReturnType<typeof memoryVendor>;
let service: LicenseServer;

function build(key = Buffer.alloc(32, 1)): LicenseServer {
	return createLicenseService({
		store,
		docs: storeDocs(store),
		clock,
		log: createLogger('silent'),
		audit: async () => undefined,
		dataDir: null,
		secretKey: key,
		http: { fetch: vendor.fetch }
	});
}

beforeEach(async () => {
	store = createMemoryStore();
	const doc = new Y.Doc();
	new TenantRepository(doc).setTenantName('Northwind IT Services');
	await store.append('tenant:acme', Y.encodeStateAsUpdate(doc));
	vendor = memoryVendor();
	service = build();
});
afterEach(async () => {
	await store.close();
});

describe('license service', () => {
	it('S48: one sync per tenant at a time: a second sync asks the vendor nothing until the first has ended', async () => {
		expect((await service.addHttpAccount(actor, { url: 'https://vendor.example/api', token: 'secret' })).ok).toBe(true);
		vendor.calls.length = 0;
		vendor.hold('/v1/licenses');
		const first = service.syncAccount(actor, 'acc-7710');
		await turns();
		expect(vendor.calls).toEqual(['/v1/account', '/v1/companies', '/v1/licenses']);
		expect(service.progress('acme')).toMatchObject({
			accountId: 'acc-7710',
			phase: 'reading',
			companies: 5,
			licenses: 0
		});
		const second = service.syncAccount(actor, 'acc-7710');
		await turns();
		expect(vendor.calls).toHaveLength(3);
		vendor.releaseAll();
		expect((await first).ok).toBe(true);
		expect((await second).ok).toBe(true);
		expect(vendor.calls).toEqual([
			'/v1/account',
			'/v1/companies',
			'/v1/licenses',
			'/v1/account',
			'/v1/companies',
			'/v1/licenses'
		]);
		expect(service.progress('acme')).toBeNull();
	});

	it('S49: a token sealed under another key is not used: the sync fails clearly and asks the vendor nothing', async () => {
		expect((await service.addHttpAccount(actor, { url: 'https://vendor.example/api', token: 'secret' })).ok).toBe(true);
		vendor.calls.length = 0;
		const other = build(Buffer.alloc(32, 2));
		const outcome = await other.syncAccount(actor, 'acc-7710');
		expect(outcome).toMatchObject({
			ok: false,
			code: 'sync_failed',
			message: expect.stringContaining('connect the account again')
		});
		expect(vendor.calls).toEqual([]);
		const [connector] = await store.listLicenseConnectors('acme');
		expect(JSON.parse(connector?.lastSync ?? 'null')).toMatchObject({ status: 'failed' });
	});

	it('an account imported from a file cannot be synchronized from a vendor; an unknown one is not found', async () => {
		const text = readFileSync(new URL('../../../tests/fixtures/licenses/msp-account.json', import.meta.url), 'utf8');
		expect((await service.importText(actor, text, { format: 'json' })).ok).toBe(true);
		expect(await service.syncAccount(actor, 'acc-7710')).toMatchObject({ ok: false, code: 'sync_failed' });
		expect(await service.syncAccount(actor, 'acc-nope')).toMatchObject({ ok: false, code: 'not_found' });
		expect(await service.listAccounts('acme')).toMatchObject([{ accountId: 'acc-7710', connector: 'file', url: null }]);
	});
});
