// The HTTP side over a real server on 127.0.0.1:0: setup, sessions, /api/me, error shapes, limits, origins, static headers.
import { permissionsOf } from '../../src/lib/domain/access';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { WebSocket } from 'ws';
import {
	apiErrorSchema,
	healthSchema,
	meSchema,
	setupResponseSchema,
	syncHeadsResponseSchema
} from '../../src/lib/schema/api';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { createServer, type PortalServer } from './app';
import { systemClock } from './clock';
import { testConfig, type ServerConfig } from './config';
import { createLogger } from './log';
import { createMemoryStore } from './store/memory';
import type { Store } from './store/types';

const FAST = { N: 2 ** 10, r: 8, p: 1 };

describe('HTTP API', () => {
	let store: Store;
	let server: PortalServer;
	let base: string;
	let buildDir: string;

	async function start(config: Partial<ServerConfig> = {}): Promise<void> {
		server = createServer({
			store,
			clock: systemClock,
			log: createLogger('silent'),
			config: testConfig({ buildDir, ...config }),
			authOptions: { scrypt: FAST }
		});
		base = (await server.listen()).url;
	}

	beforeEach(async () => {
		store = createMemoryStore();
		buildDir = mkdtempSync(join(tmpdir(), 'msp-build-'));
		await start();
	});
	afterEach(async () => {
		await server.close();
		await store.close();
		rmSync(buildDir, { recursive: true, force: true });
	});

	const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
		fetch(`${base}${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...headers },
			body: JSON.stringify(body)
		});

	async function expectError(response: Response, status: number, code: string): Promise<string> {
		expect(response.status).toBe(status);
		const body = apiErrorSchema.parse(await response.json());
		expect(body.error.code).toBe(code);
		return body.error.message;
	}

	async function setUp(): Promise<{ tenantId: string; cookie: string }> {
		const token = await server.auth.setupToken();
		const response = await post('/api/setup', {
			token,
			email: 'Owner@Example.com',
			password: 'owner password 1',
			tenantName: 'Acme IT'
		});
		expect(response.status).toBe(201);
		const cookie = response.headers.get('set-cookie') ?? '';
		return { tenantId: setupResponseSchema.parse(await response.json()).tenantId, cookie: cookie.split(';')[0] ?? '' };
	}

	it('GET /api/health answers the version, and the store state to a session', async () => {
		const response = await fetch(`${base}/api/health`);
		expect(response.status).toBe(200);
		const health = healthSchema.parse(await response.json());
		expect(health).toEqual({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		const { cookie } = await setUp();
		expect(healthSchema.parse(await (await fetch(`${base}/api/health`, { headers: { cookie } })).json())).toEqual({
			status: 'ok',
			version: expect.stringMatching(/^\d+\.\d+\.\d+/),
			store: { kind: 'memory', ok: true, documents: 1 }
		});
	});

	it('setup creates the tenant, its owner and the tenant name in the document, and signs the owner in', async () => {
		expect(await (await fetch(`${base}/api/setup`)).json()).toEqual({ needsSetup: true });
		const { tenantId, cookie } = await setUp();
		expect(cookie).toMatch(/^msp_session=/);
		expect(await (await fetch(`${base}/api/setup`)).json()).toEqual({ needsSetup: false });

		const me = await fetch(`${base}/api/me`, { headers: { cookie } });
		expect(me.status).toBe(200);
		expect(meSchema.parse(await me.json())).toEqual({
			userId: expect.any(String),
			email: 'owner@example.com',
			tenantId,
			tenantName: 'Acme IT',
			role: 'superAdmin',
			owner: true,
			permissions: expect.arrayContaining(['users.manage', 'groups.manage']),
			grants: [{ scope: 'tenant' }],
			// S115: no language chosen yet (the browser's is used).
			locale: null
		});

		const stored = await store.load(`tenant:${tenantId}`);
		const doc = new Y.Doc();
		for (const update of stored.updates) Y.applyUpdate(doc, update);
		expect(new TenantRepository(doc).tenantName).toBe('Acme IT');
	});

	it('setup refuses a wrong token, then a used one', async () => {
		await server.auth.setupToken();
		await expectError(
			await post('/api/setup', {
				token: 'w'.repeat(32),
				email: 'a@example.com',
				password: 'a password 123',
				tenantName: 'A'
			}),
			403,
			'invalid_setup_token'
		);
		expect(await store.countUsers()).toBe(0);
		const token = await server.auth.setupToken();
		await setUp();
		await expectError(
			await post('/api/setup', { token, email: 'b@example.com', password: 'b password 123', tenantName: 'B' }),
			409,
			'setup_done'
		);
	});

	it('sign-in sets the cookie, sign-out clears it, and /api/me follows', async () => {
		await setUp();
		await expectError(await fetch(`${base}/api/me`), 401, 'not_signed_in');
		const signIn = await post('/api/session', { email: 'owner@example.com', password: 'owner password 1' });
		expect(signIn.status).toBe(204);
		const setCookie = signIn.headers.get('set-cookie') ?? '';
		expect(setCookie).toMatch(/HttpOnly/);
		expect(setCookie).toMatch(/SameSite=Lax/);
		const cookie = setCookie.split(';')[0] ?? '';
		expect((await fetch(`${base}/api/me`, { headers: { cookie } })).status).toBe(200);

		const signOut = await fetch(`${base}/api/session`, { method: 'DELETE', headers: { cookie } });
		expect(signOut.status).toBe(204);
		expect(signOut.headers.get('set-cookie')).toMatch(/Max-Age=0/);
		await expectError(await fetch(`${base}/api/me`, { headers: { cookie } }), 401, 'not_signed_in');
	});

	it('unknown email and wrong password get the same 401; repeated failures get 429 with Retry-After', async () => {
		await setUp();
		const unknown = await expectError(
			await post('/api/session', { email: 'nobody@example.com', password: 'whatever 123' }),
			401,
			'invalid_credentials'
		);
		const wrong = await expectError(
			await post('/api/session', { email: 'owner@example.com', password: 'wrong password' }),
			401,
			'invalid_credentials'
		);
		expect(unknown).toBe(wrong);
		await post('/api/session', { email: 'owner@example.com', password: 'wrong password' });
		await post('/api/session', { email: 'owner@example.com', password: 'wrong password' });
		await post('/api/session', { email: 'owner@example.com', password: 'wrong password' });
		const locked = await post('/api/session', { email: 'owner@example.com', password: 'owner password 1' });
		await expectError(locked, 429, 'too_many_attempts');
		expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
	});

	it('bad bodies: invalid JSON, schema errors, wrong type, too large', async () => {
		const invalidJson = await fetch(`${base}/api/session`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"email":'
		});
		await expectError(invalidJson, 400, 'invalid_json');
		const message = await expectError(
			await post('/api/session', { email: 'not-an-email', password: 'x' }),
			400,
			'invalid_body'
		);
		expect(message).toContain('email');
		const form = await fetch(`${base}/api/session`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'email=a'
		});
		await expectError(form, 415, 'unsupported_media_type');
		await expectError(
			await post('/api/session', { email: 'a@example.com', password: 'x'.repeat(70 * 1024) }),
			413,
			'payload_too_large'
		);
		// The server is still answering.
		expect((await fetch(`${base}/api/health`)).status).toBe(200);
	});

	it('a body over the cap without Content-Length (chunked) is refused too', async () => {
		const status = await new Promise<number>((resolve, reject) => {
			const req = request(
				`${base}/api/session`,
				{ method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
				(res) => {
					res.resume();
					resolve(res.statusCode ?? 0);
				}
			);
			req.on('error', reject);
			req.write(`{"email":"a@example.com","password":"${'y'.repeat(65 * 1024)}`);
			req.end('"}');
		});
		expect(status).toBe(413);
	});

	it('S32: POST /api/sync/heads answers the heads of readable documents only, and needs a session', async () => {
		const { tenantId, cookie } = await setUp();
		let mine = '';
		await server.relay.change(`tenant:${tenantId}`, (doc) => {
			const tree = new TenantRepository(doc);
			const msp = tree.createNode({ kind: 'msp', name: 'Acme IT', parentId: null });
			mine = tree.createNode({ kind: 'customer', name: 'Bäckerei Müller GmbH', parentId: msp });
		});
		await store.append(`${tenantId}/customer:${mine}`, new Uint8Array([0, 0]));
		await store.append(`${tenantId}/customer:${mine}`, new Uint8Array([0, 0]));
		// A customer of another tenant, with stored data: its head must not leak.
		await store.createTenant({ id: 'other', name: 'Other IT', createdAt: new Date().toISOString() });
		await store.append('other/customer:theirs', new Uint8Array([0, 0]));

		const docs = [`customer:${mine}`, 'customer:theirs', 'customer:not-in-tree', `tenant:${tenantId}`, 'tenant:other'];
		const response = await post('/api/sync/heads', { docs }, { cookie });
		expect(response.status).toBe(200);
		const { heads } = syncHeadsResponseSchema.parse(await response.json());
		expect(Object.keys(heads).sort()).toEqual([`customer:${mine}`, `tenant:${tenantId}`].sort());
		expect(heads[`customer:${mine}`]).toBe(2);
		expect(heads[`tenant:${tenantId}`]).toBeGreaterThan(0);

		await expectError(await post('/api/sync/heads', { docs }), 401, 'not_signed_in');
		await expectError(await post('/api/sync/heads', { docs: ['../etc'] }, { cookie }), 400, 'invalid_body');
	});

	it('unknown routes and methods answer in the error shape', async () => {
		await expectError(await fetch(`${base}/api/nothing`), 404, 'not_found');
		await expectError(await fetch(`${base}/api/me`, { method: 'POST' }), 405, 'method_not_allowed');
		await expectError(await fetch(`${base}/sync/tenant:x`), 426, 'upgrade_required');
		await expectError(await fetch(`${base}/`), 404, 'app_not_built');
	});

	it('mutating calls from a foreign Origin are refused; own origin and no Origin pass', async () => {
		await setUp();
		const body = { email: 'owner@example.com', password: 'owner password 1' };
		await expectError(await post('/api/session', body, { origin: 'https://evil.example' }), 403, 'forbidden_origin');
		await expectError(await post('/api/session', body, { origin: 'null' }), 403, 'forbidden_origin');
		expect((await post('/api/session', body, { origin: base })).status).toBe(204);
		expect((await post('/api/session', body)).status).toBe(204);
	});

	it('ALLOWED_ORIGINS adds exact origins', async () => {
		await server.close();
		await start({ allowedOrigins: ['https://portal.example.com'] });
		await setUp();
		const body = { email: 'owner@example.com', password: 'owner password 1' };
		expect((await post('/api/session', body, { origin: 'https://portal.example.com' })).status).toBe(204);
		await expectError(
			await post('/api/session', body, { origin: 'https://portal.example.com.evil.example' }),
			403,
			'forbidden_origin'
		);
	});

	it('serves the built app: immutable assets cached for a year, the shell never, SPA fallback, CSP with the inline script hash', async () => {
		await server.close();
		mkdirSync(join(buildDir, '_app', 'immutable'), { recursive: true });
		writeFileSync(
			join(buildDir, 'index.html'),
			'<!doctype html><html><body><script>console.log("boot")</script></body></html>'
		);
		writeFileSync(join(buildDir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
		writeFileSync(join(buildDir, '_app', 'immutable', 'app.abc123.js'), 'export {};');
		await start();

		const asset = await fetch(`${base}/_app/immutable/app.abc123.js`);
		expect(asset.status).toBe(200);
		expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
		const sw = await fetch(`${base}/sw.js`);
		expect(sw.headers.get('cache-control')).toBe('no-cache');
		const deep = await fetch(`${base}/customers/123`);
		expect(deep.status).toBe(200);
		expect(await deep.text()).toContain('console.log("boot")');
		expect(deep.headers.get('cache-control')).toBe('no-cache');
		const csp = deep.headers.get('content-security-policy') ?? '';
		expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
		expect(csp).toContain("connect-src 'self';");
		expect(deep.headers.get('referrer-policy')).toBe('same-origin');
		// The API never falls back to the app.
		await expectError(await fetch(`${base}/api/missing`), 404, 'not_found');
	});

	describe('websocket upgrade', () => {
		const connect = (path: string, headers: Record<string, string>) =>
			new Promise<{ opened: boolean; status: number | null }>((resolve) => {
				const socket = new WebSocket(`${base.replace('http', 'ws')}${path}`, { headers });
				socket.once('open', () => {
					socket.close();
					resolve({ opened: true, status: null });
				});
				socket.once('unexpected-response', (_req, res) => {
					res.resume();
					resolve({ opened: false, status: res.statusCode ?? null });
					socket.terminate();
				});
				socket.once('error', () => resolve({ opened: false, status: null }));
			});

		it('a foreign Origin is refused with 403 before the relay sees it; the own origin opens', async () => {
			const { tenantId, cookie } = await setUp();
			expect(await connect(`/sync/tenant:${tenantId}`, { cookie, origin: 'https://evil.example' })).toEqual({
				opened: false,
				status: 403
			});
			expect(await connect(`/sync/tenant:${tenantId}`, { cookie, origin: base })).toEqual({
				opened: true,
				status: null
			});
			expect(await connect('/elsewhere', { cookie, origin: base })).toEqual({ opened: false, status: 404 });
		});

		it('a customer document opens for the tenant whose tree holds the customer, through the relay', async () => {
			const { tenantId } = await setUp();
			let customerId = '';
			await server.relay.change(`tenant:${tenantId}`, (doc) => {
				const tree = new TenantRepository(doc);
				const msp = tree.createNode({ kind: 'msp', name: 'Acme IT', parentId: null });
				customerId = tree.createNode({ kind: 'customer', name: 'Bäckerei Müller GmbH', parentId: msp });
			});
			const owner = await store.getUserByEmail('owner@example.com');
			if (!owner) throw new Error('no owner');
			const principal = {
				userId: owner.id,
				tenantId,
				role: owner.role,
				email: owner.email,
				sessionId: 'a-session',
				validUntil: Date.now() + 60_000,
				grants: owner.grants ?? [{ scope: 'tenant' as const }],
				permissions: [...permissionsOf(owner.role)]
			};
			expect(await server.auth.authorize(principal, `customer:${customerId}`)).toBe('write');
			expect(await server.auth.authorize(principal, 'customer:not-in-tree')).toBe('unknown');
		});
	});
});
