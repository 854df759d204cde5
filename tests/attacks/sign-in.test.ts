// Attacks on sign-in (docs/sync.md S50-S53): locking out someone else's account, an office behind one address, forged
// X-Forwarded-For, and the trail a failed sign-in leaves. Real server on 127.0.0.1:0; other source addresses are 127.0.0.x.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createLogger } from '../../server/src/log';
import { createMemoryStore } from '../../server/src/store/memory';
import { openSqliteStore } from '../../server/src/store/sqlite';
import type { Store } from '../../server/src/store/types';
import { createFakeClock } from '../helpers/fake-clock';
import {
	addOwner,
	OWNER_EMAIL,
	OWNER_PASSWORD,
	signInFrom,
	startPortal,
	type Portal,
	type RawResponse
} from '../helpers/portal';

const statuses = (responses: readonly RawResponse[]): number[] => responses.map((r) => r.status);

describe('sign-in attacks', () => {
	let store: Store;
	let portal: Portal | null = null;
	const cleanups: Array<() => void> = [];

	afterEach(async () => {
		await portal?.server.close();
		portal = null;
		await store.close();
		for (const cleanup of cleanups.splice(0)) cleanup();
	});

	async function start(config: Parameters<typeof startPortal>[0]['config'] = {}, log = createLogger('silent')) {
		const clock = createFakeClock();
		await addOwner(store, clock);
		// The clock never moves: a lock, once taken, holds for the whole test.
		portal = await startPortal({ store, clock, config, log });
		return portal;
	}

	it('S50: a right password signs in while another address hammers the same email', async () => {
		store = createMemoryStore();
		const { port } = await start();
		const attempts: RawResponse[] = [];
		for (let i = 0; i < 30; i++) attempts.push(await signInFrom(port, '127.0.0.2', OWNER_EMAIL, `wrong guess ${i}`));
		expect(statuses(attempts).slice(0, 3)).toEqual([401, 401, 401]);
		expect(statuses(attempts).at(-1)).toBe(429);
		// The guessing pair stays slowed down, even with the right password…
		expect((await signInFrom(port, '127.0.0.2', OWNER_EMAIL, OWNER_PASSWORD)).status).toBe(429);
		// …while the owner, signing in from an address that has not been guessing, gets in.
		const victim = await signInFrom(port, '127.0.0.3', OWNER_EMAIL, OWNER_PASSWORD);
		expect(victim.status).toBe(204);
		expect(victim.headers['set-cookie']?.[0]).toMatch(/^msp_session=/);
	});

	it('S50: parallel guesses from one address at one email: only the free failures are checked, the rest wait', async () => {
		store = createMemoryStore();
		const { port } = await start();
		const outcomes = await Promise.all(
			Array.from({ length: 20 }, (_, i) => signInFrom(port, '127.0.0.2', OWNER_EMAIL, `parallel guess ${i}`))
		);
		// The three free failures, and at most one more if it arrived after they had failed: that one takes the lock.
		expect(statuses(outcomes).filter((s) => s === 401).length).toBeLessThanOrEqual(4);
		expect(statuses(outcomes).filter((s) => s === 429).length).toBeGreaterThanOrEqual(16);
	});

	it('S51: an office behind one address keeps signing in after many typos across its people', async () => {
		store = createMemoryStore();
		const { port } = await start();
		for (let i = 0; i < 30; i++)
			expect((await signInFrom(port, '127.0.0.2', `colleague${i}@acme.example`, 'a typo password')).status).toBe(401);
		expect((await signInFrom(port, '127.0.0.2', OWNER_EMAIL, OWNER_PASSWORD)).status).toBe(204);
	});

	it('S51: an address that sprays guesses over many emails is slowed down beyond its budget', async () => {
		store = createMemoryStore();
		const { port } = await start();
		const sprayed: RawResponse[] = [];
		for (let i = 0; i < 110; i++)
			sprayed.push(await signInFrom(port, '127.0.0.4', `target${i}@acme.example`, 'Winter2025!'));
		expect(
			statuses(sprayed)
				.slice(0, 100)
				.every((s) => s === 401)
		).toBe(true);
		expect(statuses(sprayed).slice(101)).toEqual(Array.from({ length: 9 }, () => 429));
		expect((await signInFrom(port, '127.0.0.4', OWNER_EMAIL, OWNER_PASSWORD)).status).toBe(429);
		expect((await signInFrom(port, '127.0.0.5', OWNER_EMAIL, OWNER_PASSWORD)).status).toBe(204);
	});

	it('S52: without TRUSTED_PROXIES a forged X-Forwarded-For does not buy fresh addresses', async () => {
		store = createMemoryStore();
		const { port } = await start();
		for (let i = 0; i < 10; i++)
			await signInFrom(port, '127.0.0.2', OWNER_EMAIL, `wrong ${i}`, { 'x-forwarded-for': `198.51.100.${i}` });
		const forged = await signInFrom(port, '127.0.0.2', OWNER_EMAIL, OWNER_PASSWORD, {
			'x-forwarded-for': '203.0.113.99'
		});
		expect(forged.status).toBe(429);
	});

	it('S52: behind a trusted proxy the rightmost untrusted X-Forwarded-For hop is the client', async () => {
		store = createMemoryStore();
		const { port } = await start({ trustedProxies: ['127.0.0.0/8', '10.0.0.0/8'] });
		// Every request comes from the proxy (127.0.0.1); the attacker is 198.51.100.7 behind it.
		for (let i = 0; i < 10; i++)
			await signInFrom(port, '127.0.0.1', OWNER_EMAIL, `wrong ${i}`, { 'x-forwarded-for': '198.51.100.7' });
		// A hop the attacker writes on the left is not believed: the proxy appended the real address on the right.
		const spoofed = await signInFrom(port, '127.0.0.1', OWNER_EMAIL, OWNER_PASSWORD, {
			'x-forwarded-for': '203.0.113.5, 198.51.100.7'
		});
		expect(spoofed.status).toBe(429);
		// The owner, through the same proxy and a second trusted one, signs in.
		const owner = await signInFrom(port, '127.0.0.1', OWNER_EMAIL, OWNER_PASSWORD, {
			'x-forwarded-for': '203.0.113.5, 10.1.2.3'
		});
		expect(owner.status).toBe(204);
	});

	it('S53: a failed sign-in is audited (user, tenant, address) and logged without the email or the password', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'msp-attack-audit-'));
		cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
		store = openSqliteStore(join(dir, 'portal.db'));
		const lines: string[] = [];
		const { port } = await start({}, createLogger('info', { write: (line: string) => void lines.push(line) }));
		const ownerId = (await store.getUserByEmail(OWNER_EMAIL))?.id;
		expect((await signInFrom(port, '127.0.0.2', OWNER_EMAIL, 'Secret-Guess-1')).status).toBe(401);
		expect((await signInFrom(port, '127.0.0.3', 'nobody@acme.example', 'Secret-Guess-2')).status).toBe(401);

		const db = new Database(join(dir, 'portal.db'), { readonly: true });
		const rows = db
			.prepare(
				"SELECT tenant_id, user_id, ip, item_type, item, description FROM audit_log WHERE action = 'signInFailed'"
			)
			.all() as Array<Record<string, string | null>>;
		db.close();
		expect(rows).toHaveLength(2);
		expect(rows[0]).toMatchObject({ tenant_id: 'acme', user_id: ownerId, ip: '127.0.0.2' });
		expect(rows[1]).toMatchObject({ tenant_id: null, user_id: null, ip: '127.0.0.3' });
		const trail = JSON.stringify(rows) + lines.join('\n');
		for (const secret of ['Secret-Guess', OWNER_EMAIL, 'nobody@acme.example', 'nobody'])
			expect(trail).not.toContain(secret);
		const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
		expect(logged.filter((entry) => entry.msg === 'sign-in failed')).toHaveLength(2);
	});
});
