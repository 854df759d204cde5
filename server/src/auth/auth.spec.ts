// Auth against the memory store with a hand-driven clock: setup, sign-in slow-down, sessions, per-document access.
import { permissionsOf } from '../../../src/lib/domain/access';
import { beforeEach, describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import type { Clock } from '../clock';
import { createMemoryStore } from '../store/memory';
import { SETTINGS_CACHE_MS } from '../settings/settings-cache';
import { DEFAULT_TENANT_SETTINGS } from '../../../src/lib/schema/settings';
import type { Store } from '../store/types';
import {
	AuthError,
	createAuth,
	createUserAccount,
	SECURE_SESSION_COOKIE,
	SESSION_COOKIE,
	type Auth,
	type AuthOptions
} from './auth';

const FAST = { N: 2 ** 10, r: 8, p: 1 };
const MINUTE = 60_000;

class ManualClock implements Clock {
	#now: number;
	constructor(iso: string) {
		this.#now = Date.parse(iso);
	}
	now(): Date {
		return new Date(this.#now);
	}
	advance(ms: number): void {
		this.#now += ms;
	}
	setTimeout(): { cancel(): void } {
		return { cancel: () => undefined };
	}
}

/** Just enough of a request for auth: the Cookie header. */
function requestWith(setCookie: string | null): IncomingMessage {
	const pair = setCookie?.split(';')[0];
	return { headers: pair ? { cookie: pair } : {} } as IncomingMessage;
}

async function rejection(promise: Promise<unknown>): Promise<AuthError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof AuthError) return error;
		throw error;
	}
	throw new Error('expected a refusal');
}

describe('auth', () => {
	let store: Store;
	let clock: ManualClock;
	let auth: Auth;
	const make = (extra: Partial<AuthOptions> = {}): Auth => createAuth({ store, clock, scrypt: FAST, ...extra });

	beforeEach(() => {
		store = createMemoryStore();
		clock = new ManualClock('2025-03-01T09:00:00Z');
		auth = make();
	});

	async function setUp(): Promise<{ tenantId: string; cookie: string }> {
		const token = await auth.setupToken();
		if (!token) throw new Error('no setup token');
		const result = await auth.setup({
			token,
			email: 'owner@example.com',
			password: 'owner password 1',
			tenantName: 'Acme IT'
		});
		return { tenantId: result.tenantId, cookie: result.session.cookie };
	}

	describe('setup', () => {
		it('the setup token exists only while no user exists and works once', async () => {
			expect(await auth.needsSetup()).toBe(true);
			const url = await auth.setupUrl('http://127.0.0.1:3000/');
			expect(url).toMatch(/^http:\/\/127\.0\.0\.1:3000\/setup\?token=[A-Za-z0-9_-]{32}$/);
			const { tenantId, cookie } = await setUp();
			expect(await auth.needsSetup()).toBe(false);
			expect(await auth.setupToken()).toBeNull();
			expect((await store.getTenant(tenantId))?.name).toBe('Acme IT');
			expect(await auth.authenticate(requestWith(cookie))).toMatchObject({
				tenantId,
				role: 'superAdmin',
				email: 'owner@example.com'
			});
			const again = await rejection(
				auth.setup({ token: 'x'.repeat(32), email: 'b@example.com', password: 'another password', tenantName: 'B' })
			);
			expect([again.status, again.code]).toEqual([409, 'setup_done']);
		});

		it('a wrong setup token is refused and creates nothing', async () => {
			await auth.setupToken();
			const error = await rejection(
				auth.setup({ token: 'w'.repeat(32), email: 'a@example.com', password: 'a password 123', tenantName: 'A' })
			);
			expect([error.status, error.code]).toEqual([403, 'invalid_setup_token']);
			expect(await store.countUsers()).toBe(0);
			expect(await store.listTenants()).toEqual([]);
		});
	});

	describe('sign-in and sessions', () => {
		it('signs in, keeps only the token hash, and signs out', async () => {
			await setUp();
			const session = await auth.signIn('Owner@Example.com', 'owner password 1', '10.0.0.1');
			expect(session.cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; `));
			expect(session.cookie).toContain('HttpOnly');
			expect(session.cookie).toContain('SameSite=Lax');
			expect(session.cookie).not.toContain('Secure');
			const token = session.cookie.split(';')[0]!.split('=')[1]!;
			expect(await store.getSession(token)).toBeNull();
			const req = requestWith(session.cookie);
			expect((await auth.authenticate(req))?.email).toBe('owner@example.com');
			const cleared = await auth.signOut(req);
			expect(cleared).toContain('Max-Age=0');
			expect(await auth.authenticate(req)).toBeNull();
		});

		it('P17: a successful sign-in is audited with the user, tenant and address, never the email typed', async () => {
			const { tenantId } = await setUp();
			const session = await auth.signIn('Owner@Example.com', 'owner password 1', '10.0.0.5');
			const [row] = await store.listAudit({ tenantId, limit: 1 });
			expect(row).toMatchObject({
				tenantId,
				userId: session.userId,
				ip: '10.0.0.5',
				itemType: 'user',
				item: session.userId,
				action: 'signedIn'
			});
			expect(JSON.stringify(row)).not.toMatch(/example\.com/i);
		});

		it('S58: the cookie is Secure and named __Host-msp_session when the portal runs on https', async () => {
			auth = make({ secureCookies: true });
			const { cookie } = await setUp();
			expect(cookie).toMatch(new RegExp(`^${SECURE_SESSION_COOKIE}=`));
			expect(cookie).toContain('Secure');
			expect(await auth.authenticate(requestWith(cookie))).not.toBeNull();
			expect(await auth.signOut(requestWith(cookie))).toMatch(new RegExp(`^${SECURE_SESSION_COOKIE}=;`));
		});

		it('unknown email and wrong password answer the same', async () => {
			await setUp();
			const unknown = await rejection(auth.signIn('nobody@example.com', 'owner password 1', '10.0.0.1'));
			const wrong = await rejection(auth.signIn('owner@example.com', 'wrong password', '10.0.0.1'));
			expect([unknown.status, unknown.code, unknown.message]).toEqual([wrong.status, wrong.code, wrong.message]);
			expect(wrong.code).toBe('invalid_credentials');
		});

		it("P18: a session ends after the tenant's inactivity timeout (15 min by default) and slides while used", async () => {
			const { cookie } = await setUp();
			expect(cookie).toMatch(/Max-Age=900/);
			const req = requestWith(cookie);
			clock.advance(10 * MINUTE);
			const resolved = await auth.resolve(req);
			expect(resolved?.refreshedCookie).toMatch(/Max-Age=900/);
			// Used again before the step (a tenth of the timeout): nothing is written, the end stays.
			clock.advance(30_000);
			expect((await auth.resolve(req))?.refreshedCookie).toBeNull();
			clock.advance(14 * MINUTE);
			expect(await auth.authenticate(req)).not.toBeNull();
			clock.advance(15 * MINUTE + 1);
			expect(await auth.authenticate(req)).toBeNull();
		});

		it("P18: a changed timeout applies to a session's next refresh, a shorter one bringing its end closer", async () => {
			const { tenantId, cookie } = await setUp();
			const req = requestWith(cookie);
			await store.putTenantSettings(tenantId, { ...DEFAULT_TENANT_SETTINGS, sessionTimeoutMinutes: 60 });
			clock.advance(SETTINGS_CACHE_MS);
			expect((await auth.resolve(req))?.refreshedCookie).toMatch(/Max-Age=3600/);
			clock.advance(50 * MINUTE);
			expect(await auth.authenticate(req)).not.toBeNull();
			await store.putTenantSettings(tenantId, { ...DEFAULT_TENANT_SETTINGS, sessionTimeoutMinutes: 5 });
			clock.advance(SETTINGS_CACHE_MS);
			expect((await auth.resolve(req))?.refreshedCookie).toMatch(/Max-Age=300/);
			clock.advance(5 * MINUTE + 1);
			expect(await auth.authenticate(req)).toBeNull();
		});

		it('a session used all day long still ends 14 days after sign-in', async () => {
			const { tenantId } = await setUp();
			await store.putTenantSettings(tenantId, { ...DEFAULT_TENANT_SETTINGS, sessionTimeoutMinutes: 24 * 60 });
			clock.advance(SETTINGS_CACHE_MS);
			const req = requestWith((await auth.signIn('owner@example.com', 'owner password 1', '10.0.0.1')).cookie);
			for (let hour = 0; hour < 14 * 24 - 4; hour += 4) {
				clock.advance(4 * 3600_000);
				expect(await auth.authenticate(req)).not.toBeNull();
			}
			// 4 h before the end of its life: the refreshed cookie expires with the session, not a day later.
			const resolved = await auth.resolve(req);
			expect(resolved?.refreshedCookie ?? '').not.toMatch(/Max-Age=86400/);
			clock.advance(4 * 3600_000);
			expect(await auth.authenticate(req)).toBeNull();
		});

		it('garbage cookies are not sessions', async () => {
			await setUp();
			for (const value of ['', 'abc', 'x'.repeat(43), '%%%']) {
				expect(
					await auth.authenticate({ headers: { cookie: `${SESSION_COOKIE}=${value}` } } as IncomingMessage)
				).toBeNull();
			}
		});
	});

	describe('slow-down of failed sign-ins', () => {
		it('S50: after three failures per email and address each further failure locks that pair for twice as long', async () => {
			await setUp();
			for (let i = 0; i < 3; i++)
				expect((await rejection(auth.signIn('owner@example.com', 'bad', '10.0.0.1'))).status).toBe(401);
			expect((await rejection(auth.signIn('Owner@Example.com', 'bad', '10.0.0.1'))).status).toBe(401);
			// Locked for 1 s now: even the right password waits, from this address.
			const locked = await rejection(auth.signIn('owner@example.com', 'owner password 1', '10.0.0.1'));
			expect([locked.status, locked.code, locked.retryAfterSeconds]).toEqual([429, 'too_many_attempts', 1]);
			// Another address is not slowed down by this one's guesses.
			expect((await auth.signIn('owner@example.com', 'owner password 1', '10.0.0.2')).userId).toBeTruthy();
			clock.advance(1000);
			expect((await rejection(auth.signIn('owner@example.com', 'bad', '10.0.0.1'))).status).toBe(401);
			expect((await rejection(auth.signIn('owner@example.com', 'bad', '10.0.0.1'))).retryAfterSeconds).toBe(2);
			clock.advance(2000);
			const session = await auth.signIn('owner@example.com', 'owner password 1', '10.0.0.1');
			expect(session.userId).toBeTruthy();
			// Success starts the pair over.
			for (let i = 0; i < 3; i++)
				expect((await rejection(auth.signIn('owner@example.com', 'bad', '10.0.0.1'))).status).toBe(401);
		});

		it('S51: an address that fails across many emails is slowed down after 100 failures', async () => {
			await setUp();
			for (let i = 0; i < 100; i++)
				expect((await rejection(auth.signIn(`guess${i}@example.com`, 'bad', '192.0.2.7'))).status).toBe(401);
			expect((await rejection(auth.signIn('guess999@example.com', 'bad', '192.0.2.7'))).status).toBe(401);
			const locked = await rejection(auth.signIn('owner@example.com', 'owner password 1', '192.0.2.7'));
			expect(locked.status).toBe(429);
			// Another address is not affected.
			expect((await auth.signIn('owner@example.com', 'owner password 1', '192.0.2.8')).userId).toBeTruthy();
		});

		it('the lock is capped and failures are forgotten after an hour', async () => {
			auth = make({ pairThrottle: { maxLockMs: 4000 } });
			await setUp();
			for (let i = 0; i < 10; i++) {
				await rejection(auth.signIn('owner@example.com', 'bad', '10.9.0.1'));
				clock.advance(5000);
			}
			await rejection(auth.signIn('owner@example.com', 'bad', '10.9.0.1'));
			expect((await rejection(auth.signIn('owner@example.com', 'bad', '10.9.0.1'))).retryAfterSeconds).toBe(4);
			clock.advance(2 * 3600_000);
			expect((await rejection(auth.signIn('owner@example.com', 'bad', '10.9.0.1'))).status).toBe(401);
		});

		it('parallel guesses cannot all pass the check before the first one fails', async () => {
			await setUp();
			const outcomes = await Promise.all(
				Array.from({ length: 40 }, (_, i) => rejection(auth.signIn('owner@example.com', `bad ${i}`, '10.7.0.1')))
			);
			// Only the three free failures were checked; the rest waited their turn.
			expect(outcomes.filter((error) => error.status === 401)).toHaveLength(3);
			expect(outcomes.filter((error) => error.status === 429)).toHaveLength(37);
			// Once they are done, the lock is the normal one and the right password works after it.
			clock.advance(1000);
			expect((await auth.signIn('owner@example.com', 'owner password 1', '10.7.0.1')).userId).toBeTruthy();
		});

		it('parallel guesses from one address across many emails are bounded by the address allowance', async () => {
			await setUp();
			const outcomes = await Promise.all(
				Array.from({ length: 150 }, (_, i) => rejection(auth.signIn(`guess${i}@example.com`, 'bad', '192.0.2.9')))
			);
			expect(outcomes.filter((error) => error.status === 401)).toHaveLength(100);
		});

		it('S53: failures are audited with the user and tenant when the email exists, never the password', async () => {
			const { tenantId } = await setUp();
			const audit: Array<Record<string, unknown>> = [];
			const append = store.appendAudit.bind(store);
			store.appendAudit = async (entry) => {
				audit.push({ ...entry });
				await append(entry);
			};
			await rejection(auth.signIn('owner@example.com', 'wrong password 1', '10.0.0.1'));
			await rejection(auth.signIn('nobody@example.com', 'wrong password 2', '10.0.0.1'));
			const owner = await store.getUserByEmail('owner@example.com');
			expect(audit).toEqual([
				{
					at: clock.now().toISOString(),
					tenantId,
					userId: owner?.id,
					ip: '10.0.0.1',
					itemType: 'user',
					item: owner?.id,
					action: 'signInFailed',
					description: 'wrong password'
				},
				{
					at: clock.now().toISOString(),
					tenantId: null,
					userId: null,
					ip: '10.0.0.1',
					itemType: 'user',
					item: 'unknown',
					action: 'signInFailed',
					description: 'no account with this email'
				}
			]);
		});

		it('two auth instances do not share their counters', async () => {
			await setUp();
			for (let i = 0; i < 4; i++) await rejection(auth.signIn('owner@example.com', 'bad', '10.0.0.1'));
			expect((await rejection(auth.signIn('owner@example.com', 'bad', '10.0.0.1'))).status).toBe(429);
			expect((await make().signIn('owner@example.com', 'owner password 1', '10.0.0.1')).userId).toBeTruthy();
		});
	});

	describe('authorize', () => {
		let tenantId: string;
		const inTree = new Map<string, Set<string>>();
		beforeEach(async () => {
			inTree.clear();
			auth = make({
				customersInTenant: async (tenant, customers) =>
					new Set(customers.filter((customer) => inTree.get(tenant)?.has(customer) ?? false))
			});
			({ tenantId } = await setUp());
			await store.createTenant({ id: 'other', name: 'Other IT', createdAt: clock.now().toISOString() });
			await createUserAccount(store, {
				tenantId,
				email: 'reader@example.com',
				password: 'reader password',
				role: 'readOnly',
				now: clock.now(),
				id: 'reader',
				scrypt: FAST
			});
			await createUserAccount(store, {
				tenantId: 'other',
				email: 'intruder@example.com',
				password: 'other password',
				role: 'superAdmin',
				now: clock.now(),
				id: 'intruder',
				scrypt: FAST
			});
		});
		const principal = async (id: string) => {
			const user = await store.getUser(id);
			if (!user) throw new Error('no user');
			return {
				userId: user.id,
				tenantId: user.tenantId,
				role: user.role,
				email: user.email,
				sessionId: `session-of-${user.id}`,
				validUntil: clock.now().getTime() + 60_000,
				grants: user.grants ?? [{ scope: 'tenant' as const }],
				permissions: [...permissionsOf(user.role)]
			};
		};

		it('a tenant document is open to its own tenant only, by role', async () => {
			const owner = await principal((await store.getUserByEmail('owner@example.com'))!.id);
			expect(await auth.authorize(owner, `tenant:${tenantId}`)).toBe('write');
			expect(await auth.authorize(await principal('reader'), `tenant:${tenantId}`)).toBe('read');
			expect(await auth.authorize(await principal('intruder'), `tenant:${tenantId}`)).toBe('none');
		});

		it("S40: a customer document opens for the tenant whose tree holds it; another tenant's id answers like an unknown one", async () => {
			const owner = await principal((await store.getUserByEmail('owner@example.com'))!.id);
			expect(await auth.authorize(owner, 'customer:c1')).toBe('unknown');
			inTree.set(tenantId, new Set(['c1']));
			expect(await auth.authorize(owner, 'customer:c1')).toBe('write');
			expect(await auth.authorize(await principal('reader'), 'customer:c1')).toBe('read');
			// The intruder's tree does not hold c1: the same answer as for an id nobody has.
			expect(await auth.authorize(await principal('intruder'), 'customer:c1')).toBe('unknown');
			expect(await auth.authorize(await principal('intruder'), 'customer:nobody-has-this')).toBe('unknown');
			// A node with the same id in the intruder's tree opens the intruder's own document of that id (stored apart, S40).
			inTree.set('other', new Set(['c1']));
			expect(await auth.authorize(await principal('intruder'), 'customer:c1')).toBe('write');
			expect(
				await auth.readableDocs(await principal('intruder'), [
					`tenant:${tenantId}`,
					'tenant:other',
					'customer:c1',
					'customer:zz'
				])
			).toEqual(['tenant:other', 'customer:c1']);
		});

		it('malformed document names are refused', async () => {
			const owner = await principal((await store.getUserByEmail('owner@example.com'))!.id);
			for (const name of [
				'',
				'tenant:',
				'tenants:x',
				`tenant:${tenantId}/x`,
				'customer:a b',
				'user:1',
				`tenant:${'x'.repeat(65)}`
			]) {
				expect(await auth.authorize(owner, name)).toBe('none');
			}
		});
	});
});
