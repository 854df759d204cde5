// The attack suite, tenant settings (P9, P12, P18): trusted addresses hold at sign-in, on every API call and socket (a stolen
// cookie from elsewhere gets nothing), sessions end after the tenant's inactivity timeout, and the settings API guards itself.
import { afterEach, describe, expect, it } from 'vitest';
import { createUserAccount } from '../../server/src/auth/auth';
import { createMemoryStore } from '../../server/src/store/memory';
import type { Store } from '../../server/src/store/types';
import type { Role } from '../../src/lib/schema/access';
import { DEFAULT_TENANT_SETTINGS, settingsResponseSchema } from '../../src/lib/schema/settings';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock';
import { addOwner, FAST_SCRYPT, OWNER_EMAIL, OWNER_PASSWORD, raw, startPortal, type Portal } from '../helpers/portal';
import { rawClient, type RawClient } from '../helpers/sync-clients';
import { isSyncStep1 } from '../helpers/sync-frames';

const MINUTE = 60_000;
const TRUSTED_V4 = '192.0.2.10';
const TRUSTED_V6 = '2001:db8::5';
const OUTSIDE = '198.51.100.7';
const RANGES = ['192.0.2.0/24', '2001:db8::/32'];

interface Running {
	readonly portal: Portal;
	readonly store: Store;
	readonly clock: FakeClock;
}

const running: Running[] = [];
const sockets: RawClient[] = [];

afterEach(async () => {
	for (const socket of sockets.splice(0)) socket.socket.terminate();
	for (const { portal, store } of running.splice(0)) {
		await portal.server.close();
		await store.close();
	}
});

/** A portal behind a "proxy" on 127.0.0.1 (TRUSTED_PROXIES), so X-Forwarded-For picks the client's address. */
async function start(): Promise<Running> {
	const store = createMemoryStore();
	const clock = createFakeClock(new Date());
	// Time moves in minutes: a ping would see no pong within one jump and cut the socket.
	const portal = await startPortal({
		store,
		clock,
		config: { trustedProxies: ['127.0.0.1'] },
		relayLimits: { pingIntervalMs: 24 * 60 * MINUTE }
	});
	const run = { portal, store, clock };
	running.push(run);
	await addOwner(store, clock);
	return run;
}

const from = (address: string): Record<string, string> => ({ 'x-forwarded-for': address });

async function trustOnly(run: Running, ranges: string[]): Promise<void> {
	await run.store.putTenantSettings('acme', {
		...DEFAULT_TENANT_SETTINGS,
		trustedAddresses: { enabled: true, ranges }
	});
}

async function signIn(run: Running, address: string, email = OWNER_EMAIL, password = OWNER_PASSWORD) {
	const response = await raw(run.portal.port, '/api/session', { body: { email, password }, headers: from(address) });
	const cookie = String(response.headers['set-cookie'] ?? '').split(';')[0] ?? '';
	return { response, cookie };
}

async function user(run: Running, email: string, role: Role): Promise<{ userId: string; cookie: string }> {
	const userId = await createUserAccount(run.store, {
		tenantId: 'acme',
		email,
		password: OWNER_PASSWORD,
		role,
		now: run.clock.now(),
		scrypt: FAST_SCRYPT
	});
	const { response, cookie } = await signIn(run, TRUSTED_V4, email);
	expect(response.status).toBe(204);
	return { userId, cookie };
}

function openSocket(run: Running, cookie: string, address: string): RawClient {
	const client = rawClient(`ws://127.0.0.1:${run.portal.port}/sync/tenant:acme`, { cookie, ...from(address) });
	sockets.push(client);
	return client;
}

const errorCode = (body: string): string => (JSON.parse(body) as { error: { code: string } }).error.code;
const errorMessage = (body: string): string => (JSON.parse(body) as { error: { message: string } }).error.message;

describe('attacks: trusted addresses (P12)', () => {
	it('P12: sign-in from an untrusted address is refused whether the password is right or not, and audited', async () => {
		const run = await start();
		await trustOnly(run, RANGES);
		const right = await signIn(run, OUTSIDE);
		const wrong = await signIn(run, OUTSIDE, OWNER_EMAIL, 'not the password');
		// The same answer either way: from outside, a guess learns nothing about the password.
		expect([right.response.status, errorCode(right.response.body)]).toEqual([403, 'address_not_trusted']);
		expect(wrong.response.body).toBe(right.response.body);
		expect(right.response.headers['set-cookie']).toBeUndefined();
		const refused = (await run.store.listAudit({ tenantId: 'acme' })).filter((e) => e.action === 'signInRefused');
		expect(refused.map((e) => e.ip)).toEqual([OUTSIDE, OUTSIDE]);
		// From a listed network, IPv4 or IPv6, it works.
		expect((await signIn(run, TRUSTED_V4)).response.status).toBe(204);
		expect((await signIn(run, TRUSTED_V6)).response.status).toBe(204);
	});

	it('P12: a stolen cookie replayed from an untrusted address gets nothing: API 403, socket closed 4403', async () => {
		const run = await start();
		await trustOnly(run, RANGES);
		const { cookie } = await signIn(run, TRUSTED_V4);
		const me = (address: string) => raw(run.portal.port, '/api/me', { headers: { cookie, ...from(address) } });
		expect((await me(TRUSTED_V4)).status).toBe(200);
		const stolen = await me(OUTSIDE);
		expect([stolen.status, errorCode(stolen.body)]).toEqual([403, 'address_not_trusted']);
		const heads = await raw(run.portal.port, '/api/sync/heads', {
			body: { docs: ['tenant:acme'] },
			headers: { cookie, ...from(OUTSIDE) }
		});
		expect([heads.status, errorCode(heads.body)]).toEqual([403, 'address_not_trusted']);
		// The health check still answers, as to a stranger.
		const health = await raw(run.portal.port, '/api/health', { headers: { cookie, ...from(OUTSIDE) } });
		expect(JSON.parse(health.body)).not.toHaveProperty('store');

		const outside = openSocket(run, cookie, OUTSIDE);
		expect(await outside.closed).toEqual({ code: 4403, reason: 'address not trusted' });
		expect(outside.frames).toEqual([]);
		const inside = openSocket(run, cookie, TRUSTED_V6);
		await inside.nextFrame(isSyncStep1);
	});

	it("P12: enabling trusted addresses closes sockets from elsewhere at once, and refuses a list without the admin's own address", async () => {
		const run = await start();
		const { cookie } = await signIn(run, TRUSTED_V4);
		const elsewhere = openSocket(run, cookie, OUTSIDE);
		const office = openSocket(run, cookie, TRUSTED_V4);
		await elsewhere.nextFrame(isSyncStep1);
		await office.nextFrame(isSyncStep1);
		const patch = (body: unknown) =>
			raw(run.portal.port, '/api/settings', { method: 'PATCH', body, headers: { cookie, ...from(TRUSTED_V4) } });

		const lockout = await patch({ trustedAddresses: { enabled: true, ranges: ['198.51.100.0/24'] } });
		expect([lockout.status, errorCode(lockout.body)]).toEqual([400, 'would_lock_you_out']);
		expect((await run.store.getTenantSettings('acme')).trustedAddresses.enabled).toBe(false);

		expect((await patch({ trustedAddresses: { enabled: true, ranges: RANGES } })).status).toBe(200);
		expect(await elsewhere.closed).toEqual({ code: 4403, reason: 'address not trusted' });
		expect(office.socket.readyState).toBe(office.socket.OPEN);
	});
});

describe('attacks: inactivity timeout (P18)', () => {
	it("P18: a session unused for the tenant's timeout is refused and its socket closed; a used one slides", async () => {
		const run = await start();
		const idle = await user(run, 'idle@acme.example', 'admin');
		const busy = await user(run, 'busy@acme.example', 'admin');
		const idleSocket = openSocket(run, idle.cookie, TRUSTED_V4);
		const busySocket = openSocket(run, busy.cookie, TRUSTED_V4);
		await idleSocket.nextFrame(isSyncStep1);
		await busySocket.nextFrame(isSyncStep1);

		run.clock.advance(10 * MINUTE);
		// The app's keep-alive while its person works (any API call with the session would do).
		const kept = await raw(run.portal.port, '/api/session/keep-alive', {
			method: 'POST',
			headers: { cookie: busy.cookie }
		});
		expect(kept.status).toBe(204);
		expect(String(kept.headers['set-cookie'])).toMatch(/Max-Age=900/);
		run.clock.advance(5 * MINUTE + 1000);
		expect(await idleSocket.closed).toEqual({ code: 4401, reason: 'session ended' });
		expect((await raw(run.portal.port, '/api/me', { headers: { cookie: idle.cookie } })).status).toBe(401);
		// Pings keep sockets alive, not sessions: the busy one ends at its new end, 15 min after its last use.
		expect(busySocket.socket.readyState).toBe(busySocket.socket.OPEN);
		run.clock.advance(10 * MINUTE);
		expect(await busySocket.closed).toEqual({ code: 4401, reason: 'session ended' });
	});

	it('P18: the lock screen unlocks with the password: a live session slides, an ended one is renewed; guesses are slowed down', async () => {
		const run = await start();
		const person = await user(run, 'tech@acme.example', 'admin');
		const unlock = (password: string, cookie = person.cookie) =>
			raw(run.portal.port, '/api/session/unlock', {
				body: { userId: person.userId, password },
				headers: { cookie, ...from(TRUSTED_V4) }
			});
		const wrong = await unlock('not the password');
		expect([wrong.status, errorCode(wrong.body)]).toEqual([401, 'invalid_credentials']);
		const live = await unlock(OWNER_PASSWORD);
		expect([live.status, JSON.parse(live.body)]).toEqual([200, { renewed: false }]);
		expect(String(live.headers['set-cookie']).split(';')[0]).toBe(person.cookie);

		run.clock.advance(16 * MINUTE);
		const renewed = await unlock(OWNER_PASSWORD);
		expect([renewed.status, JSON.parse(renewed.body)]).toEqual([200, { renewed: true }]);
		const fresh = String(renewed.headers['set-cookie']).split(';')[0] ?? '';
		expect(fresh).not.toBe(person.cookie);
		expect((await raw(run.portal.port, '/api/me', { headers: { cookie: fresh } })).status).toBe(200);

		// S50: the same budget as signing in: three failures are free, the fourth locks the next try out.
		for (let i = 0; i < 4; i++) expect((await unlock('not the password', fresh)).status).toBe(401);
		const slowed = await unlock(OWNER_PASSWORD, fresh);
		expect(slowed.status).toBe(429);
		expect(slowed.headers['retry-after']).toBeDefined();
	});
});

describe('attacks: the settings API (P9)', () => {
	it('P9, C6: everyone reads the timeout, the time zone and the monthly-billing program; only settings.edit sees and changes the rest; bad input is a 400 that changes nothing', async () => {
		const run = await start();
		const reader = await user(run, 'reader@acme.example', 'readOnly');
		const admin = await user(run, 'admin@acme.example', 'admin');
		const get = (cookie: string) => raw(run.portal.port, '/api/settings', { headers: { cookie, ...from(TRUSTED_V4) } });
		const patch = (cookie: string, body: unknown) =>
			raw(run.portal.port, '/api/settings', { method: 'PATCH', body, headers: { cookie, ...from(TRUSTED_V4) } });

		expect((await raw(run.portal.port, '/api/settings')).status).toBe(401);
		const readerView = settingsResponseSchema.parse(JSON.parse((await get(reader.cookie)).body));
		expect(readerView).toEqual({
			sessionTimeoutMinutes: 15,
			auditRetentionDays: 180,
			timeZone: 'UTC',
			dateFormat: 'auto',
			timeFormat: 'auto',
			weekStart: 'auto',
			monthlyBillingProgram: false
		});
		const denied = await patch(reader.cookie, { sessionTimeoutMinutes: 30 });
		expect([denied.status, errorCode(denied.body)]).toEqual([403, 'forbidden']);

		for (const bad of [
			{ sessionTimeoutMinutes: 0 },
			{ sessionTimeoutMinutes: 2.5 },
			{ auditRetentionDays: 731 },
			{ timeZone: 'Mars/Olympus_Mons' },
			{ timeZone: '' },
			{ trustedAddresses: { enabled: false, ranges: ['10.0.0.0/33'] } },
			{ trustedAddresses: { enabled: false, ranges: ['not an address'] } },
			{ somethingElse: 1 }
		]) {
			const refused = await patch(admin.cookie, bad);
			expect([refused.status, errorCode(refused.body)]).toEqual([400, 'invalid_body']);
		}
		expect(await run.store.getTenantSettings('acme')).toEqual(DEFAULT_TENANT_SETTINGS);

		const changed = await patch(admin.cookie, {
			sessionTimeoutMinutes: 30,
			timeZone: 'Europe/Vienna',
			trustedAddresses: { enabled: false, ranges: ['10.0.0.0/8', '2001:db8::/32'] }
		});
		expect(changed.status).toBe(200);
		const adminView = settingsResponseSchema.parse(JSON.parse((await get(admin.cookie)).body));
		expect(adminView).toEqual({
			sessionTimeoutMinutes: 30,
			auditRetentionDays: 180,
			timeZone: 'Europe/Vienna',
			dateFormat: 'auto',
			timeFormat: 'auto',
			weekStart: 'auto',
			trustedAddresses: { enabled: false, ranges: ['10.0.0.0/8', '2001:db8::/32'] },
			currentAddress: TRUSTED_V4,
			monthlyBillingProgram: false
		});
		const audit = (await run.store.listAudit({ tenantId: 'acme' })).filter((e) => e.action === 'settingsChanged');
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ userId: admin.userId, ip: TRUSTED_V4, itemType: 'settings' });
		expect(audit[0]?.description).toBe(
			'session timeout 15 -> 30 min; time zone UTC -> Europe/Vienna; trusted address list changed (0 -> 2 entries)'
		);
		// L14: every signed-in person reads the tenant's time zone (license states follow its day).
		expect(settingsResponseSchema.parse(JSON.parse((await get(reader.cookie)).body)).timeZone).toBe('Europe/Vienna');
		expect(audit[0]?.description).not.toContain('10.0.0.0');
	});

	it('P9: the date format, the clock and the first day of the week are read by everyone, changed with settings.edit, audited; a bad value is a 400 that names the field and changes nothing', async () => {
		const run = await start();
		const reader = await user(run, 'reader@acme.example', 'readOnly');
		const admin = await user(run, 'admin@acme.example', 'admin');
		const get = (cookie: string) => raw(run.portal.port, '/api/settings', { headers: { cookie, ...from(TRUSTED_V4) } });
		const patch = (cookie: string, body: unknown) =>
			raw(run.portal.port, '/api/settings', { method: 'PATCH', body, headers: { cookie, ...from(TRUSTED_V4) } });

		for (const bad of [
			{ dateFormat: 'dd-mm-yy' },
			{ dateFormat: '' },
			{ dateFormat: null },
			{ timeFormat: '25h' },
			{ timeFormat: 12 },
			{ weekStart: 'friday' },
			{ weekStart: 1 },
			{ dateFormat: 'yyyy-mm-dd', weekStart: 'tuesday' }
		]) {
			const refused = await patch(admin.cookie, bad);
			expect([refused.status, errorCode(refused.body)]).toEqual([400, 'invalid_body']);
			expect(errorMessage(refused.body)).toMatch(/^(dateFormat|timeFormat|weekStart): not a known/);
		}
		expect(await run.store.getTenantSettings('acme')).toEqual(DEFAULT_TENANT_SETTINGS);
		const denied = await patch(reader.cookie, { dateFormat: 'dd.mm.yyyy' });
		expect([denied.status, errorCode(denied.body)]).toEqual([403, 'forbidden']);

		const changed = await patch(admin.cookie, { dateFormat: 'dd.mm.yyyy', timeFormat: '24h', weekStart: 'sunday' });
		expect(changed.status).toBe(200);
		expect(settingsResponseSchema.parse(JSON.parse((await get(reader.cookie)).body))).toMatchObject({
			dateFormat: 'dd.mm.yyyy',
			timeFormat: '24h',
			weekStart: 'sunday'
		});
		const audit = (await run.store.listAudit({ tenantId: 'acme' })).filter((e) => e.action === 'settingsChanged');
		expect(audit.map((entry) => entry.description)).toEqual([
			'date format auto -> dd.mm.yyyy; time format auto -> 24h; first day of the week auto -> sunday'
		]);
	});
});
