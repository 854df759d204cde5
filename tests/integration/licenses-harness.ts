// What the License management tests share: a real portal on 127.0.0.1:0 with a fake clock, a temp DATA_DIR, a tenant named
// like the MSP of the fixtures, its owner signed in, every log line kept, and every stored update of the tenant document
// counted.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect } from 'vitest';
import * as Y from 'yjs';
import { createUserAccount } from '../../server/src/auth/auth';
import { createLogger } from '../../server/src/log';
import { createMemoryStore } from '../../server/src/store/memory';
import type { Store } from '../../server/src/store/types';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import type { Grant, Role } from '../../src/lib/schema/access';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock';
import { FAST_SCRYPT, startPortal, type Portal } from '../helpers/portal';

export const TENANT = 'acme';
export const TENANT_DOC = `tenant:${TENANT}`;
export const PASSWORD = 'license password 1';
/** The day after the fixtures' export (2026-11-20), in the morning. */
export const START = new Date('2026-11-20T08:00:00Z');

export function fixtureText(name: string): string {
	return readFileSync(new URL(`../fixtures/licenses/${name}`, import.meta.url), 'utf8');
}

export interface LicensePortal {
	readonly store: Store;
	readonly clock: FakeClock;
	readonly portal: Portal;
	readonly dataDir: string;
	/** Every log line the server wrote. */
	readonly logs: string[];
	/** Stored updates of the tenant document so far. */
	appends(): number;
	/** The tenant document's state vector as the relay holds it. */
	stateVector(): Promise<Uint8Array>;
	/** The tenant document as the relay holds it. */
	tenant<T>(read: (repo: TenantRepository) => T): Promise<T>;
	/** Signs a new person in (default: a tenant-wide Super Admin); answers the Cookie header. */
	signIn(role?: Role, grants?: Grant[]): Promise<string>;
	request(cookie: string, path: string, init?: { method?: string; body?: string; type?: string }): Promise<Response>;
	/** Waits for everything License management started (requests, scheduled runs), then for the scheduler to plan again. */
	settle(): Promise<void>;
	close(): Promise<void>;
}

export async function startLicensePortal(): Promise<LicensePortal> {
	const store = createMemoryStore();
	let appends = 0;
	const append = store.append.bind(store);
	store.append = async (docName, update) => {
		if (docName === TENANT_DOC) appends++;
		return append(docName, update);
	};
	const clock = createFakeClock(START);
	const dataDir = mkdtempSync(join(tmpdir(), 'msp-licenses-'));
	const logs: string[] = [];
	const sink = new Writable({
		write(chunk: Buffer, _encoding, done) {
			logs.push(chunk.toString('utf8'));
			done();
		}
	});
	const portal = await startPortal({ store, clock, config: { dataDir }, log: createLogger('debug', sink) });
	await store.createTenant({ id: TENANT, name: 'Northwind IT Services', createdAt: clock.now().toISOString() });
	await portal.server.relay.change(TENANT_DOC, (doc) =>
		new TenantRepository(doc).setTenantName('Northwind IT Services')
	);
	appends = 0;
	let people = 0;

	const harness: LicensePortal = {
		store,
		clock,
		portal,
		dataDir,
		logs,
		appends: () => appends,
		stateVector: () => portal.server.relay.withDoc(TENANT_DOC, (doc) => Y.encodeStateVector(doc)),
		tenant: (read) => portal.server.relay.withDoc(TENANT_DOC, (doc) => read(new TenantRepository(doc))),
		async signIn(role = 'superAdmin', grants = [{ scope: 'tenant' }]) {
			const email = `person${++people}@northwind.example`;
			await createUserAccount(store, {
				tenantId: TENANT,
				email,
				password: PASSWORD,
				role,
				grants,
				now: clock.now(),
				scrypt: FAST_SCRYPT
			});
			const response = await fetch(`${portal.base}/api/session`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ email, password: PASSWORD })
			});
			expect(response.status).toBe(204);
			return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
		},
		request(cookie, path, init = {}) {
			return fetch(`${portal.base}${path}`, {
				method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
				headers: { cookie, ...(init.body !== undefined ? { 'content-type': init.type ?? 'application/json' } : {}) },
				...(init.body !== undefined ? { body: init.body } : {})
			});
		},
		async settle() {
			await portal.server.licenses.settled();
			// The scheduler plans its next run once the last one's promise has settled: let those callbacks run.
			await new Promise((resolve) => setImmediate(resolve));
		},
		async close() {
			await portal.server.close();
			await store.close();
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
	return harness;
}
