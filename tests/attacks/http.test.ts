// Attacks on the HTTP side (docs/sync.md S56-S58): DNS rebinding through the Host header, what /api/health tells a
// stranger, where the page may connect, and the cookie and transport headers on https. Real server on 127.0.0.1:0.
import { afterEach, describe, expect, it } from 'vitest';
import { networkInterfaces } from 'node:os';
import { WebSocket } from 'ws';
import { createMemoryStore } from '../../server/src/store/memory';
import type { Store } from '../../server/src/store/types';
import type { ServerConfig } from '../../server/src/config';
import { createFakeClock } from '../helpers/fake-clock';
import { addOwner, OWNER_EMAIL, OWNER_PASSWORD, raw, signInFrom, startPortal, type Portal } from '../helpers/portal';

describe('HTTP attacks', () => {
	let store: Store;
	let portal: Portal;

	async function start(config: Partial<ServerConfig> = {}): Promise<Portal> {
		store = createMemoryStore();
		const clock = createFakeClock();
		await addOwner(store, clock);
		portal = await startPortal({ store, clock, config });
		return portal;
	}

	afterEach(async () => {
		await portal.server.close();
		await store.close();
	});

	async function cookieOf(port: number): Promise<string> {
		const signIn = await signInFrom(port, '127.0.0.1', OWNER_EMAIL, OWNER_PASSWORD);
		expect(signIn.status).toBe(204);
		return signIn.headers['set-cookie']?.[0]?.split(';')[0] ?? '';
	}

	/** Opens a websocket with the given headers; resolves with whether it opened or the HTTP status it got instead. */
	const upgrade = (port: number, path: string, headers: Record<string, string>) =>
		new Promise<{ opened: boolean; status: number | null }>((resolve) => {
			const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers });
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

	it('S56: a rebinding page (Host and Origin both the attacker name) gets 421 on the API, the app and the websocket', async () => {
		const { port } = await start();
		const rebound = { host: `rebind.attacker.example:${port}`, origin: `http://rebind.attacker.example:${port}` };
		const signIn = await signInFrom(port, '127.0.0.1', OWNER_EMAIL, OWNER_PASSWORD, rebound);
		expect(signIn.status).toBe(421);
		expect(signIn.headers['set-cookie']).toBeUndefined();
		expect(JSON.parse(signIn.body)).toMatchObject({ error: { code: 'misdirected_request' } });
		expect((await raw(port, '/api/health', { headers: rebound })).status).toBe(421);
		expect((await raw(port, '/', { headers: rebound })).status).toBe(421);
		const cookie = await cookieOf(port);
		expect(await upgrade(port, '/sync/tenant:acme', { ...rebound, cookie })).toEqual({ opened: false, status: 421 });
		// The names the server is reached by still work.
		for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'LOCALHOST']) {
			expect((await raw(port, '/api/health', { headers: { host } })).status).toBe(200);
		}
		expect(await upgrade(port, '/sync/tenant:acme', { cookie, origin: `http://127.0.0.1:${port}` })).toEqual({
			opened: true,
			status: null
		});
	});

	it('S56: with PUBLIC_URL and ALLOWED_ORIGINS only their hosts and loopback names are served', async () => {
		const { port } = await start({
			publicUrl: 'https://portal.example.com',
			allowedOrigins: ['https://portal.example.com', 'http://tablets.office.example:8080']
		});
		const hostStatus = async (host: string) => (await raw(port, '/api/health', { headers: { host } })).status;
		expect(await hostStatus('portal.example.com')).toBe(200);
		expect(await hostStatus('tablets.office.example:8080')).toBe(200);
		expect(await hostStatus(`localhost:${port}`)).toBe(200);
		expect(await hostStatus('portal.example.com.attacker.example')).toBe(421);
		expect(await hostStatus('attacker.example')).toBe(421);
	});

	it("S56: without PUBLIC_URL the machine's own LAN addresses are served (tablets), other names are not", async () => {
		const { port } = await start();
		const lan = Object.values(networkInterfaces())
			.flat()
			.find((info) => info && !info.internal && info.family === 'IPv4');
		if (lan) expect((await raw(port, '/api/health', { headers: { host: `${lan.address}:${port}` } })).status).toBe(200);
		expect((await raw(port, '/api/health', { headers: { host: `192.0.2.250:${port}` } })).status).toBe(421);
		expect((await raw(port, '/api/health', { headers: { host: `portal.lan:${port}` } })).status).toBe(421);
	});

	it('S57: /api/health tells a stranger only status and version; the store details need a session', async () => {
		const { port } = await start();
		const stranger = await raw(port, '/api/health');
		expect(stranger.status).toBe(200);
		expect(Object.keys(JSON.parse(stranger.body)).sort()).toEqual(['status', 'version']);
		const cookie = await cookieOf(port);
		const signedIn = JSON.parse((await raw(port, '/api/health', { headers: { cookie } })).body) as unknown;
		expect(signedIn).toMatchObject({ status: 'ok', store: { kind: 'memory', ok: true, documents: 0 } });
	});

	it('S58: the page may connect only to itself and the configured origins', async () => {
		const { port } = await start({
			publicUrl: 'https://portal.example.com',
			allowedOrigins: ['https://portal.example.com', 'http://tablets.office.example:8080']
		});
		const csp = String((await raw(port, '/api/health')).headers['content-security-policy']);
		const connect = /connect-src ([^;]+)/.exec(csp)?.[1]?.split(' ') ?? [];
		expect(connect.sort()).toEqual(
			[
				"'self'",
				'https://portal.example.com',
				'wss://portal.example.com',
				'http://tablets.office.example:8080',
				'ws://tablets.office.example:8080'
			].sort()
		);
	});

	it('S58: on https the session cookie is __Host- and Secure, and HSTS is sent; on plain http neither', async () => {
		const secure = await start({
			publicUrl: 'https://portal.example.com',
			allowedOrigins: ['https://portal.example.com']
		});
		const signIn = await signInFrom(secure.port, '127.0.0.1', OWNER_EMAIL, OWNER_PASSWORD);
		const cookie = signIn.headers['set-cookie']?.[0] ?? '';
		expect(cookie).toMatch(/^__Host-msp_session=[A-Za-z0-9_-]{43}; /);
		expect(cookie).toContain('Secure');
		expect(cookie).toContain('Path=/');
		expect(cookie).not.toContain('Domain');
		expect(signIn.headers['strict-transport-security']).toBe('max-age=31536000');
		const me = await raw(secure.port, '/api/me', { headers: { cookie: cookie.split(';')[0] ?? '' } });
		expect(me.status).toBe(200);
		// A plain msp_session cookie (set over http by a network attacker) is not a session here.
		const plain = await raw(secure.port, '/api/me', { headers: { cookie: `msp_session=${cookie.split('=')[1]}` } });
		expect(plain.status).toBe(401);
		await portal.server.close();
		await store.close();

		const lan = await start();
		const httpSignIn = await signInFrom(lan.port, '127.0.0.1', OWNER_EMAIL, OWNER_PASSWORD);
		expect(httpSignIn.headers['set-cookie']?.[0]).toMatch(/^msp_session=/);
		expect(httpSignIn.headers['strict-transport-security']).toBeUndefined();
	});
});
