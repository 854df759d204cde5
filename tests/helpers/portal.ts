// A real portal server for attack tests: createServer on 127.0.0.1:0 with cheap scrypt, plus raw HTTP that picks its source address and Host.
import { request } from 'node:http';
import type pino from 'pino';
import { createServer, type PortalServer } from '../../server/src/app';
import { createUserAccount } from '../../server/src/auth/auth';
import type { Clock } from '../../server/src/clock';
import { testConfig, type ServerConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/log';
import type { RelayLimits } from '../../server/src/relay/limits';
import type { Store } from '../../server/src/store/types';

export const FAST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };
export const OWNER_EMAIL = 'owner@acme.example';
export const OWNER_PASSWORD = 'owner password 1';

export interface Portal {
	readonly server: PortalServer;
	readonly base: string;
	readonly port: number;
}

export async function startPortal(options: {
	store: Store;
	clock: Clock;
	config?: Partial<ServerConfig>;
	log?: pino.Logger;
	relayLimits?: Partial<RelayLimits>;
}): Promise<Portal> {
	const server = createServer({
		store: options.store,
		clock: options.clock,
		log: options.log ?? createLogger('silent'),
		config: testConfig({ buildDir: '/nonexistent-build', ...options.config }),
		authOptions: { scrypt: FAST_SCRYPT },
		relayLimits: options.relayLimits
	});
	const { url, port } = await server.listen();
	return { server, base: url, port };
}

/** A tenant and its owner, written straight to the store. */
export async function addOwner(store: Store, clock: Clock, tenantId = 'acme'): Promise<string> {
	await store.createTenant({ id: tenantId, name: 'Acme IT', createdAt: clock.now().toISOString() });
	return createUserAccount(store, {
		tenantId,
		email: OWNER_EMAIL,
		password: OWNER_PASSWORD,
		role: 'superAdmin',
		now: clock.now(),
		scrypt: FAST_SCRYPT
	});
}

export interface RawResponse {
	readonly status: number;
	readonly headers: Record<string, string | string[] | undefined>;
	readonly body: string;
}

/** One HTTP request from a chosen local address (127.0.0.2 … are all loopback on Linux) with any headers, Host included. */
export function raw(
	port: number,
	path: string,
	options: { method?: string; headers?: Record<string, string>; body?: unknown; from?: string } = {}
): Promise<RawResponse> {
	const text = options.body === undefined ? undefined : JSON.stringify(options.body);
	return new Promise((resolve, reject) => {
		const req = request(
			{
				host: '127.0.0.1',
				port,
				path,
				method: options.method ?? (text === undefined ? 'GET' : 'POST'),
				localAddress: options.from,
				headers: {
					...(text === undefined ? {} : { 'content-type': 'application/json' }),
					...options.headers
				}
			},
			(res) => {
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => (body += chunk));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
			}
		);
		req.on('error', reject);
		req.end(text);
	});
}

/** POST /api/session from an address. */
export function signInFrom(
	port: number,
	from: string,
	email: string,
	password: string,
	headers: Record<string, string> = {}
): Promise<RawResponse> {
	return raw(port, '/api/session', { body: { email, password }, from, headers });
}
