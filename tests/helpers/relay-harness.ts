// A node:http server on 127.0.0.1:0 with only the relay behind it, cookie sessions of the test's choosing, and any DocStore.
import { permissionsOf } from '../../src/lib/domain/access';
import { accessFor } from '../../server/src/auth/auth';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { parseCookie } from 'cookie';
import pino from 'pino';
import { createRelay, type RelayEvent } from '../../server/src/relay/relay';
import type { RelayLimits } from '../../server/src/relay/limits';
import type { DocAccess, Principal, Relay, RelayHooks } from '../../server/src/relay/types';
import type { AccountStore, DocStore } from '../../server/src/store/types';
import type { DocValidators } from '../../server/src/validation/index';
import { systemClock, type Clock } from '../../server/src/clock';
import { createMemoryStore } from '../../server/src/store/memory';
import { parseDocName } from '../../src/lib/schema/ids';
import { memoryWebSocketClass, type MemorySocketOptions } from '../../server/src/relay/memory-socket';
import { socketWithHeaders } from './sync-clients';
import type { Role } from '../../src/lib/schema/api';
import type { Permission } from '../../src/lib/schema/access';

export const SESSION_COOKIE = 'msp_test_session';

export interface RelayHarness {
	readonly relay: Relay;
	readonly store: DocStore;
	/** `ws://127.0.0.1:<port>/sync`, what y-websocket takes as serverUrl. */
	readonly syncUrl: string;
	/**
	 * Signs a person in and answers the Cookie header value for their socket. `permissions` replaces the role's (a custom
	 * role's choice, which the harness cannot look up).
	 */
	signIn(tenantId: string, role?: Role, email?: string, permissions?: readonly Permission[]): string;
	/** The principal behind a Cookie header value that `signIn` answered. */
	principalOf(cookie: string): Principal;
	/** Ends the session behind `cookie` in the harness's session table only (as another process would), not in the relay. */
	endSession(cookie: string): void;
	/** Tells the relay which tenant a customer document belongs to (unknown customers answer 1013). */
	registerCustomer(customerDocName: string, tenantId: string): void;
	/** Every relay event so far. */
	readonly events: RelayEvent[];
	/**
	 * S140, S141: the WebSocket class a replica of this test uses: `ws` over 127.0.0.1 (the harness's `transport: 'ws'`,
	 * the default) or the in-memory pair connected to the same relay (`'memory'`); the cookie goes with the upgrade.
	 */
	webSocketClass(cookie: string | null, memory?: Omit<MemorySocketOptions, 'headers'>): typeof WebSocket;
	/** Resolves with the first event (already seen or later) that satisfies `predicate`. */
	event(predicate: (event: RelayEvent) => boolean): Promise<RelayEvent>;
	close(): Promise<void>;
}

export interface RelayHarnessOptions {
	store?: DocStore;
	clock?: Clock;
	limits?: Partial<RelayLimits>;
	/** The relay's validators (S21); default: the relay's own default; null: the relay does not look into documents. */
	validators?: DocValidators | null;
	/** Receives the relay's audit entries (P17, S23), one call per stored batch. */
	audit?: Pick<AccountStore, 'appendAuditBatch'>;
	/** What `webSocketClass` answers: real sockets (default) or the in-memory pair (S141). Raw `ws` clients work either way. */
	transport?: 'ws' | 'memory';
}

export async function startRelayHarness(options: RelayHarnessOptions = {}): Promise<RelayHarness> {
	const store = options.store ?? createMemoryStore();
	const sessions = new Map<string, Principal>();
	const customers = new Map<string, string>();
	let users = 0;
	const events: RelayEvent[] = [];
	const waiters: Array<{ predicate: (event: RelayEvent) => boolean; resolve: (event: RelayEvent) => void }> = [];

	const hooks: RelayHooks = {
		async authenticate(req) {
			const token = parseCookie(req.headers.cookie ?? '')[SESSION_COOKIE];
			return token === undefined ? null : (sessions.get(token) ?? null);
		},
		async revalidate(principal) {
			return sessions.get(principal.sessionId) ?? null;
		},
		async authorize(principal, docName): Promise<DocAccess> {
			const parsed = parseDocName(docName);
			if (!parsed) return 'none';
			const tenantId = parsed.kind === 'tenant' ? parsed.id : customers.get(docName);
			if (tenantId === undefined) return 'unknown';
			if (tenantId !== principal.tenantId) return 'none';
			return accessFor(principal, parsed.kind);
		}
	};

	const relay = createRelay({
		store,
		hooks,
		clock: options.clock ?? systemClock,
		log: pino({ level: 'silent' }),
		onEvent(event) {
			events.push(event);
			for (const waiter of [...waiters]) {
				if (!waiter.predicate(event)) continue;
				waiters.splice(waiters.indexOf(waiter), 1);
				waiter.resolve(event);
			}
		},
		...(options.limits ? { limits: options.limits } : {}),
		...(options.validators !== undefined ? { validators: options.validators } : {}),
		...(options.audit ? { audit: options.audit } : {})
	});
	const server: Server = createServer((_req, res) => {
		res.statusCode = 404;
		res.end();
	});
	server.on('upgrade', (req, socket, head) => relay.handleUpgrade(req, socket, head));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;

	return {
		relay,
		store,
		syncUrl: `ws://127.0.0.1:${port}/sync`,
		signIn(tenantId, role = 'superAdmin', email, permissions) {
			const token = randomBytes(16).toString('hex');
			users += 1;
			sessions.set(token, {
				userId: `user-${users}`,
				tenantId,
				role,
				grants: [{ scope: 'tenant' }],
				permissions: permissions ? [...permissions] : [...permissionsOf(role)],
				email: email ?? `user-${users}@example.test`,
				sessionId: token,
				validUntil: (options.clock ?? systemClock).now().getTime() + 8 * 60 * 60 * 1000
			});
			return `${SESSION_COOKIE}=${token}`;
		},
		principalOf(cookie) {
			const principal = sessions.get(parseCookie(cookie)[SESSION_COOKIE] ?? '');
			if (!principal) throw new Error('no such session');
			return principal;
		},
		endSession(cookie) {
			sessions.delete(parseCookie(cookie)[SESSION_COOKIE] ?? '');
		},
		registerCustomer(customerDocName, tenantId) {
			customers.set(customerDocName, tenantId);
		},
		events,
		webSocketClass(cookie, memory = {}) {
			const headers: Record<string, string> = cookie === null ? {} : { cookie };
			if (options.transport === 'memory') return memoryWebSocketClass(relay, { ...memory, headers });
			return socketWithHeaders(headers);
		},
		event(predicate) {
			const seen = events.find(predicate);
			if (seen) return Promise.resolve(seen);
			return new Promise((resolve) => waiters.push({ predicate, resolve }));
		},
		async close() {
			await relay.close();
			server.closeAllConnections();
			await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
		}
	};
}
