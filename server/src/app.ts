// The server as a factory: one http server for the SPA, the JSON API and the websocket relay; no module-level state.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type pino from 'pino';
import { tenantDocName } from '../../src/lib/schema/ids';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { accessTreeOf } from '../../src/lib/data/access-tree';
import { coverage, isTenantWide } from '../../src/lib/domain/access';
import type { Grant } from '../../src/lib/schema/access';
import { ADDRESS_NOT_TRUSTED, AuthError, createAuth, type Auth, type AuthOptions } from './auth/auth';
import type { Clock } from './clock';
import { DEFAULT_BILLING_CHECK_MS, type ServerConfig } from './config';
import { createApi } from './http/api';
import { clientAddressResolver } from './http/client-address';
import { HttpError, sendError } from './http/errors';
import { createHostPolicy } from './http/host';
import { isOriginAllowed, type OriginPolicy } from './http/origin';
import { contentSecurityPolicy, createStaticHandler, inlineScriptHashes, securityHeaders } from './http/static';
import type { RelayLimits } from './relay/limits';
import { createRelay } from './relay/relay';
import { SocketRefusedError, type Relay, type RelayHooks } from './relay/types';
import { CLOSE } from '../../src/lib/data/sync/protocol';
import { createTenantSettingsCache } from './settings/settings-cache';
import type { Store } from './store/types';
import { readVersion } from './version';
import { createScheduler } from './scheduler';
import { createMailer, type Mailer } from './mail/mailer';
import { createAudit, DAY_MS, purgeExpiredAudit } from './audit/audit';
import { createLicenseService, type LicenseServer, type LicenseServiceDeps } from './licenses/service';
import { createIntegrationsService, type IntegrationsService } from './integrations/service';
import { createBillingService, type BillingService } from './billing/service';

/** S41: how often the server looks whether another process (the operators' CLI) changed accounts or sessions. */
export const EXTERNAL_CHANGES_INTERVAL_MS = 1000;
/** Expired sessions are refused on use anyway; removing them only keeps the table small. */
export const SESSION_SWEEP_INTERVAL_MS = 60 * 60 * 1000;
/** P17: audit entries older than their tenant's retention go once a day. */
export const AUDIT_PURGE_INTERVAL_MS = DAY_MS;
/** L12: how often the scheduler looks for license accounts whose daily sync is due, and for files in the watched folder. */
export const LICENSE_CHECK_INTERVAL_MS = 60 * 1000;
/** P1, P2: how often the summaries of customers whose documents people changed are recomputed. */
export const SUMMARY_REFRESH_INTERVAL_MS = 5 * 1000;
/** P4: jobs older than the 90-day window are folded into days once a day. */
export const JOB_WINDOW_FOLD_INTERVAL_MS = DAY_MS;
/** P11: the insight rules are evaluated again this often ("no successful job for 3 days" fires by time passing). */
export const INSIGHTS_INTERVAL_MS = 60 * 60 * 1000;
/** P15: how often the scheduler looks for billing reports due on the tenants' days (BILLING_CHECK_SECONDS). */
export const BILLING_CHECK_INTERVAL_MS = DEFAULT_BILLING_CHECK_MS;

export interface RelayDeps {
	readonly store: Store;
	readonly hooks: RelayHooks;
	readonly clock: Clock;
	readonly log: pino.Logger;
	readonly limits?: Partial<RelayLimits>;
	/** P17, S23: where the relay records the client changes it kept and undid. */
	readonly audit?: Pick<Store, 'appendAuditBatch'>;
	/** Told the storage name of a document after a client's change to it was stored (the summaries follow, P1). */
	readonly onClientChange?: (docName: string) => void;
}

export interface ServerOptions {
	readonly store: Store;
	/** Defaults to an Auth on the store whose customer lookup reads the tenant document through the relay. */
	readonly auth?: Auth;
	/** Tuning of the default Auth (tests use cheap scrypt parameters). */
	readonly authOptions?: Pick<AuthOptions, 'scrypt' | 'pairThrottle' | 'ipThrottle'>;
	readonly clock: Clock;
	readonly log: pino.Logger;
	readonly config: ServerConfig;
	readonly relayLimits?: Partial<RelayLimits>;
	/** Replaces the relay (tests of the HTTP side only). */
	readonly relayFactory?: (deps: RelayDeps) => Relay;
	/** P13: where invitations and password resets go; by default SMTP_URL, else DATA_DIR/outbox (tests pass their own). */
	readonly mailer?: Mailer;
	/** License management: the key that seals vendor tokens (default DATA_DIR/secret.key) and the HTTP connector's fetch. */
	readonly licenses?: Pick<LicenseServiceDeps, 'secretKey' | 'http'>;
}

export interface PortalServer {
	listen(): Promise<{ url: string; port: number }>;
	close(): Promise<void>;
	readonly relay: Relay;
	readonly auth: Auth;
	/** License management (L1-L16): the routes, the scheduler and server commands use this one. */
	readonly licenses: LicenseServer;
	/** P4, P5, P7: ingest, summaries, the 90-day window and the backup queue. */
	readonly integrations: IntegrationsService;
	/** P15: the billing reports' run (the scheduler calls it every minute). */
	readonly billing: BillingService;
}

/**
 * S40, H6: the auth callback that says which customer ids are customer nodes of the tenant's tree and covered by the
 * person's grants (one look at the tree; its resolved form is cached until the document changes).
 */
export function customersInTenantVia(
	relay: Relay
): (tenantId: string, customerIds: readonly string[], grants: readonly Grant[]) => Promise<ReadonlySet<string>> {
	return (tenantId, customerIds, grants) =>
		relay.withDoc(tenantDocName(tenantId), (doc) => {
			const repo = new TenantRepository(doc);
			const inTree = customerIds.filter((id) => repo.node(id)?.kind === 'customer');
			if (isTenantWide(grants)) return new Set(inTree);
			const covered = coverage(grants, accessTreeOf(doc));
			return new Set(inTree.filter((id) => covered.covers(id)));
		});
}

/** C7: the auth callback that says which of these customers of the tenant's tree are unlinked. */
export function unlinkedCustomersVia(
	relay: Relay
): (tenantId: string, customerIds: readonly string[]) => Promise<ReadonlySet<string>> {
	return (tenantId, customerIds) =>
		relay.withDoc(tenantDocName(tenantId), (doc) => {
			const repo = new TenantRepository(doc);
			return new Set(customerIds.filter((id) => repo.node(id)?.status === 'unlinked'));
		});
}

/** The URL to print and to build links with: loopback when bound to every interface. */
export function localUrl(host: string, port: number): string {
	if (host === '0.0.0.0' || host === '::' || host === '') return `http://127.0.0.1:${port}`;
	return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

/** P12: auth's refusal of an address becomes the socket's close 4403 `address not trusted` (docs/sync.md S9). */
async function asSocketRefusal<T>(run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (error) {
		if (error instanceof AuthError && error.code === ADDRESS_NOT_TRUSTED)
			throw new SocketRefusedError(CLOSE.forbidden, 'address not trusted');
		throw error;
	}
}

function refuseUpgrade(socket: Duplex, status: 400 | 403 | 404 | 421, reason: string): void {
	const text = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 421: 'Misdirected Request' }[status];
	socket.end(
		`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`
	);
	socket.destroy();
}

export function createServer(options: ServerOptions): PortalServer {
	const { store, clock, log, config } = options;
	const origins: OriginPolicy = { allowedOrigins: config.allowedOrigins };
	const hostAllowed = createHostPolicy({ publicUrl: config.publicUrl, allowedOrigins: config.allowedOrigins });
	const https = config.publicUrl?.startsWith('https:') === true;
	// The relay and auth need each other (auth asks the relay about tenant trees); the hooks close over `auth` lazily.
	let auth: Auth | null = options.auth ?? null;
	// The relay tells the integrations service about people's changes; the service writes through the relay.
	let integrations: IntegrationsService | null = null;
	const hooks: RelayHooks = {
		authenticate: (req) => asSocketRefusal(() => (auth ?? fail()).authenticate(req)),
		authorize: (principal, docName) => (auth ?? fail()).authorize(principal, docName),
		revalidate: (principal) => asSocketRefusal(() => (auth ?? fail()).revalidate(principal))
	};
	const settings = createTenantSettingsCache(store, clock);
	const clientAddress = clientAddressResolver(config.trustedProxies);
	const relayDeps: RelayDeps = {
		store,
		hooks,
		clock,
		log: log.child({ module: 'relay' }),
		limits: options.relayLimits,
		audit: store,
		onClientChange: (docName) => integrations?.documentChanged(docName)
	};
	const relay = options.relayFactory ? options.relayFactory(relayDeps) : createRelay(relayDeps);
	const theAuth: Auth =
		auth ??
		createAuth({
			...options.authOptions,
			store,
			clock,
			secureCookies: https,
			settings,
			clientAddress,
			customersInTenant: customersInTenantVia(relay),
			unlinkedCustomers: unlinkedCustomersVia(relay),
			onSessionsEnded: (owner, reason) => relay.disconnect(owner, reason)
		});
	auth = theAuth;

	const scheduler = createScheduler(clock, log.child({ module: 'scheduler' }));
	let storeVersion: number | null = null;
	// S41: the CLI may deactivate a user or revoke sessions while the server runs; their sockets end within a second.
	scheduler.every('external changes', EXTERNAL_CHANGES_INTERVAL_MS, async () => {
		const version = await store.externalChanges();
		// The first look has nothing to compare with: whatever changed before it is checked too.
		if (version !== storeVersion) await relay.recheckSessions();
		storeVersion = version;
	});
	scheduler.every('session sweep', SESSION_SWEEP_INTERVAL_MS, async () => {
		await store.deleteExpiredSessions(clock.now().toISOString());
	});
	scheduler.every('audit retention', AUDIT_PURGE_INTERVAL_MS, async () => {
		const removed = await purgeExpiredAudit(store, clock.now());
		const total = [...removed.values()].reduce((sum, n) => sum + n, 0);
		if (total > 0) log.info({ removed: total, tenants: removed.size }, 'purged audit entries past their retention');
	});

	const audit = createAudit(store, clock, log.child({ module: 'audit' }));
	const licenses = createLicenseService({
		...options.licenses,
		store,
		docs: relay,
		clock,
		log: log.child({ module: 'licenses' }),
		audit,
		dataDir: config.dataDir
	});
	// L12: each connected account syncs once a day (next = last + 24 h); files dropped into the watched folder are imported.
	scheduler.every('license sync', LICENSE_CHECK_INTERVAL_MS, () => licenses.syncDue());
	scheduler.every('license imports', LICENSE_CHECK_INTERVAL_MS, () => licenses.scanImports());

	const theIntegrations = createIntegrationsService({
		store,
		docs: relay,
		clock,
		log: log.child({ module: 'integrations' }),
		audit
	});
	integrations = theIntegrations;
	scheduler.every('customer summaries', SUMMARY_REFRESH_INTERVAL_MS, async () => {
		await theIntegrations.refreshDirty();
	});
	scheduler.every('job window', JOB_WINDOW_FOLD_INTERVAL_MS, async () => {
		await theIntegrations.foldWindow();
	});
	scheduler.every('insights', INSIGHTS_INTERVAL_MS, async () => {
		await theIntegrations.evaluateInsights();
	});

	const mailer = options.mailer ?? createMailer(config, clock);
	const billing = createBillingService({
		store,
		docs: relay,
		clock,
		log: log.child({ module: 'billing' }),
		audit,
		mailer,
		messageIdHost: config.publicUrl ? new URL(config.publicUrl).hostname : 'msp-portal.invalid'
	});
	scheduler.every('billing', config.billingCheckMs, async () => {
		await billing.run();
	});

	const api = createApi({
		store,
		auth: theAuth,
		relay,
		log: log.child({ module: 'api' }),
		version: readVersion(),
		origins,
		clientAddress,
		settings,
		clock,
		mailer,
		publicUrl: config.publicUrl,
		scrypt: options.authOptions?.scrypt,
		audit,
		licenses,
		integrations: theIntegrations
	});
	const staticHandler = createStaticHandler(config.buildDir);
	const headers = securityHeaders(contentSecurityPolicy(inlineScriptHashes(config.buildDir), config.allowedOrigins), {
		hsts: https
	});

	async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
		for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
		if (!hostAllowed(req.headers.host)) {
			sendError(res, new HttpError(421, 'misdirected_request', misdirected));
			return;
		}
		let url: URL;
		try {
			url = new URL(req.url ?? '/', 'http://portal.invalid');
		} catch {
			sendError(res, new HttpError(400, 'bad_request', 'the request URL is not valid'));
			return;
		}
		if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return api.handle(req, res, url);
		if (url.pathname.startsWith('/sync/')) {
			sendError(
				res,
				new HttpError(426, 'upgrade_required', 'documents sync over a websocket', { upgrade: 'websocket' })
			);
			return;
		}
		if (req.method !== 'GET' && req.method !== 'HEAD') {
			sendError(
				res,
				new HttpError(405, 'method_not_allowed', 'only GET and HEAD are served here', { allow: 'GET, HEAD' })
			);
			return;
		}
		if (!staticHandler) {
			sendError(res, new HttpError(404, 'app_not_built', 'the app is not built; run npm run build'));
			return;
		}
		staticHandler(req, res);
	}

	const server = createHttpServer((req, res) => {
		onRequest(req, res).catch((error: unknown) => {
			log.error({ err: { type: error instanceof Error ? error.name : typeof error } }, 'request failed');
			sendError(res, new HttpError(500, 'internal', 'something went wrong on the server'));
		});
	});

	server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
		socket.on('error', () => socket.destroy());
		if (!hostAllowed(req.headers.host)) return refuseUpgrade(socket, 421, misdirected);
		const path = (req.url ?? '').split('?')[0] ?? '';
		if (!path.startsWith('/sync/')) return refuseUpgrade(socket, 404, 'websockets live under /sync/<docName>');
		if (!isOriginAllowed(req, origins)) {
			log.warn({ module: 'relay' }, 'websocket refused: foreign origin');
			return refuseUpgrade(socket, 403, 'origin not allowed');
		}
		relay.handleUpgrade(req, socket, head);
	});
	server.on('clientError', (_error, socket) => {
		if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
		socket.destroy();
	});

	let closing: Promise<void> | null = null;
	return {
		relay,
		auth: theAuth,
		licenses,
		integrations: theIntegrations,
		billing,
		listen() {
			return new Promise((resolve, reject) => {
				const onError = (error: Error): void => reject(error);
				server.once('error', onError);
				server.listen(config.port, config.host, () => {
					server.off('error', onError);
					const { port } = server.address() as AddressInfo;
					resolve({ url: localUrl(config.host, port), port });
				});
			});
		},
		close() {
			closing ??= (async () => {
				await scheduler.stop();
				// Vendor reads in flight end now; a sync already writing finishes before the relay stops taking changes.
				await licenses.stop();
				await relay.close();
				await new Promise<void>((resolve) => {
					server.close(() => resolve());
					server.closeAllConnections();
				});
			})();
			return closing;
		}
	};
}

const misdirected =
	'this server does not answer to this host name; set PUBLIC_URL or ALLOWED_ORIGINS to the name people use';

function fail(): never {
	throw new Error('auth is not ready');
}
