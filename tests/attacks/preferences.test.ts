// The attack suite, a person's preferences (P9, S115-S119): the language is the signed-in person's own; nobody sets another's,
// a bad value is refused and changes nothing, and /api/me carries it to every device.
import { afterEach, describe, expect, it } from 'vitest';
import { createUserAccount } from '../../server/src/auth/auth';
import { createMemoryStore } from '../../server/src/store/memory';
import type { Store } from '../../server/src/store/types';
import type { Role } from '../../src/lib/schema/access';
import { meSchema } from '../../src/lib/schema/api';
import { preferencesSchema } from '../../src/lib/schema/locale';
import { createFakeClock } from '../helpers/fake-clock';
import { addOwner, FAST_SCRYPT, OWNER_EMAIL, OWNER_PASSWORD, raw, startPortal, type Portal } from '../helpers/portal';

interface Running {
	readonly portal: Portal;
	readonly store: Store;
}

const running: Running[] = [];

afterEach(async () => {
	for (const { portal, store } of running.splice(0)) {
		await portal.server.close();
		await store.close();
	}
});

async function start(): Promise<Running & { now: () => Date }> {
	const store = createMemoryStore();
	const clock = createFakeClock(new Date());
	const portal = await startPortal({ store, clock });
	running.push({ portal, store });
	await addOwner(store, clock);
	return { portal, store, now: () => clock.now() };
}

async function signIn(port: number, email: string): Promise<string> {
	const response = await raw(port, '/api/session', { body: { email, password: OWNER_PASSWORD } });
	expect(response.status).toBe(204);
	return String(response.headers['set-cookie'] ?? '').split(';')[0] ?? '';
}

async function person(run: Running & { now: () => Date }, email: string, role: Role) {
	const userId = await createUserAccount(run.store, {
		tenantId: 'acme',
		email,
		password: OWNER_PASSWORD,
		role,
		now: run.now(),
		scrypt: FAST_SCRYPT
	});
	return { userId, cookie: await signIn(run.portal.port, email) };
}

const errorCode = (body: string): string => (JSON.parse(body) as { error: { code: string } }).error.code;

describe('preferences', () => {
	it("S115, S116, P9: a person's language is their own: PATCH /api/me/preferences changes only the caller's, whatever the body names", async () => {
		const run = await start();
		const owner = { cookie: await signIn(run.portal.port, OWNER_EMAIL) };
		const reader = await person(run, 'reader@acme.example', 'readOnly');
		const patch = (cookie: string, body: unknown) =>
			raw(run.portal.port, '/api/me/preferences', { method: 'PATCH', body, headers: { cookie } });
		const me = async (cookie: string) =>
			meSchema.parse(JSON.parse((await raw(run.portal.port, '/api/me', { headers: { cookie } })).body));

		expect((await me(reader.cookie)).locale).toBeNull();
		// A read-only person chooses their own language: no permission is needed for one's own preferences.
		const chosen = await patch(reader.cookie, { locale: 'pl' });
		expect(chosen.status).toBe(200);
		expect(preferencesSchema.parse(JSON.parse(chosen.body))).toEqual({ locale: 'pl' });
		expect((await me(reader.cookie)).locale).toBe('pl');
		expect((await me(owner.cookie)).locale).toBeNull();

		// Naming another user is not a way to change theirs: the body has no such field and is refused whole.
		const aimed = await patch(reader.cookie, { locale: 'de', userId: 'owner' });
		expect([aimed.status, errorCode(aimed.body)]).toEqual([400, 'invalid_body']);
		const ownerRecord = await run.store.getUserByEmail(OWNER_EMAIL);
		expect(ownerRecord?.locale).toBeUndefined();
		expect((await run.store.getUser(reader.userId))?.locale).toBe('pl');

		// Without a session nothing changes.
		const anonymous = await raw(run.portal.port, '/api/me/preferences', { method: 'PATCH', body: { locale: 'it' } });
		expect(anonymous.status).toBe(401);

		// null follows the browser again.
		expect((await patch(reader.cookie, { locale: null })).status).toBe(200);
		expect((await me(reader.cookie)).locale).toBeNull();
	});

	it('S117, P9: a language that is not one of the five, or a body that is not a preference, is a 400 that changes nothing', async () => {
		const run = await start();
		const reader = await person(run, 'reader@acme.example', 'readOnly');
		const patch = (body: unknown) =>
			raw(run.portal.port, '/api/me/preferences', { method: 'PATCH', body, headers: { cookie: reader.cookie } });
		expect((await patch({ locale: 'de' })).status).toBe(200);
		for (const bad of [
			{ locale: 'fr' },
			{ locale: 'DE' },
			{ locale: 'de-AT' },
			{ locale: '' },
			{ locale: 7 },
			{},
			[]
		]) {
			const refused = await patch(bad);
			expect([refused.status, errorCode(refused.body)]).toEqual([400, 'invalid_body']);
		}
		const unsupported = await patch({ locale: 'fr' });
		expect((JSON.parse(unsupported.body) as { error: { message: string } }).error.message).toBe(
			'locale: not a supported language (en, de, es, pl, it)'
		);
		expect((await run.store.getUser(reader.userId))?.locale).toBe('de');
	});

	it('S119: a stored language this version does not know reaches the app as none chosen, not as an error', () => {
		const base = { userId: 'u', email: 'a@b.c', tenantId: 'acme', tenantName: 'Acme', role: 'readOnly' };
		expect(meSchema.parse({ ...base, locale: 'tlh' }).locale).toBeNull();
		expect(meSchema.parse(base).locale).toBeNull();
		expect(meSchema.parse({ ...base, locale: 'it' }).locale).toBe('it');
	});
});
