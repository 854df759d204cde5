// The JSON API under /api: health, first-run setup, sign-in/out and the signed-in person.
import { createHmac, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type pino from 'pino';
import {
	setupRequestSchema,
	signInRequestSchema,
	syncHeadsRequestSchema,
	type Health,
	type Me,
	type SyncHeadsResponse
} from '../../../src/lib/schema/api';
import { tenantDocName } from '../../../src/lib/schema/ids';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import { AuthError, type Auth } from '../auth/auth';
import type { Relay } from '../relay/types';
import type { Store } from '../store/types';
import { readJsonBody } from './body';
import { asHttpError, HttpError, sendJson } from './errors';
import type { ClientAddress } from './client-address';
import { isOriginAllowed, type OriginPolicy } from './origin';
import { createRouter, type Router } from './router';
import { storageName } from '../store/doc-keys';
import { addViewRoutes } from './view-routes';
import type { ScryptParams } from '../auth/passwords';
import type { Clock } from '../clock';
import type { Mailer } from '../mail/mailer';
import { addUsersRoutes } from './users-routes';
import type { Audit } from '../audit/audit';
import { addAuditRoutes } from './audit-routes';
import type { TenantSettingsCache } from '../settings/settings-cache';
import { addSettingsRoutes } from './settings-routes';
import { addSessionLockRoutes } from './session-lock-routes';
import { addPreferencesRoutes } from './preferences-routes';
import { addCommandsRoutes } from './commands-routes';
import { createCommandRunner } from '../commands/commands';
import { createInvitations } from '../users/invitations';
import type { LicenseServer } from '../licenses/service';
import { addLicenseRoutes } from './license-routes';
import type { IntegrationsService } from '../integrations/service';
import { addIntegrationsRoutes } from './integrations-routes';
import { addTemplateRoutes } from './template-routes';
import { addBillingRoutes } from './billing-routes';
import { addSyncBatchRoute } from './sync-batch';

/** S32: up to MAX_HEADS_PER_REQUEST document names of at most 80 characters, quoted, with commas. */
const HEADS_BODY_LIMIT = 2 * 1024 * 1024;

export interface ApiDeps {
	readonly store: Store;
	readonly auth: Auth;
	readonly relay: Relay;
	readonly log: pino.Logger;
	readonly version: string;
	readonly origins: OriginPolicy;
	/** S52: the client's address (TRUSTED_PROXIES); the socket's peer when absent. */
	readonly clientAddress?: ClientAddress;
	/** P13: the users API (invitations and password resets are mailed; links point to PUBLIC_URL or the request's origin). */
	readonly clock: Clock;
	readonly mailer: Mailer;
	readonly publicUrl: string | null;
	readonly scrypt?: ScryptParams;
	/** P17: records an administrative action (settings, accounts) with the server's time; routes call it after the change. */
	readonly audit: Audit;
	/** P12, P18: the tenants' settings as auth reads them; the settings routes forget what they change. */
	readonly settings: TenantSettingsCache;
	/** L1-L16: License management (imports, accounts, syncs, exports, history); server commands call it too (S66, S69). */
	readonly licenses: LicenseServer;
	/** P4, P5, P7: the integrations API and its tokens; its BackupQueue is what `customer.startBackup` calls. */
	readonly integrations: IntegrationsService;
}

/** A handler of a mutating request (POST, PATCH, DELETE). */
export type Mutating = (handler: Parameters<Router['add']>[2]) => Parameters<Router['add']>[2];

/** Wraps mutating handlers: the Origin check first, and auth's refusals answered as API errors. */
export function mutatingFor(origins: OriginPolicy): Mutating {
	return (handler) => async (ctx) => {
		if (!isOriginAllowed(ctx.req, origins))
			throw new HttpError(403, 'forbidden_origin', 'requests from this origin are not accepted');
		try {
			await handler(ctx);
		} catch (error) {
			throw asHttpError(error);
		}
	};
}

function noContent(res: ServerResponse, cookie: string): void {
	res.writeHead(204, { 'set-cookie': cookie, 'cache-control': 'no-store' });
	res.end();
}

export function createApi(deps: ApiDeps): Router {
	const { store, auth, relay, log } = deps;
	const router = createRouter(log, deps.clientAddress);
	// S53: failed sign-ins are logged with a tag of the email keyed for this process only: the lines of one attack can be
	// told apart, yet the log (kept, shipped, read by many) cannot be matched against a list of emails.
	const logKey = randomBytes(32);
	const accountTag = (email: string): string =>
		createHmac('sha256', logKey).update(email.toLowerCase()).digest('hex').slice(0, 12);

	const mutating = mutatingFor(deps.origins);

	// S57: a stranger learns that the portal answers and its version; the store's details (how many documents across all
	// tenants) only with a session.
	router.add('GET', '/api/health', async ({ req, res }) => {
		const state = await store.health();
		// P12: from an address the tenant does not trust, a session counts for nothing here either.
		const session = await auth.resolve(req).catch((error: unknown) => {
			if (error instanceof AuthError) return null;
			throw error;
		});
		const body: Health = {
			status: state.ok ? 'ok' : 'degraded',
			version: deps.version,
			...(session ? { store: { kind: store.kind, ok: state.ok, documents: state.documents } } : {})
		};
		sendJson(res, state.ok ? 200 : 503, body);
	});

	router.add('GET', '/api/setup', async ({ res }) => {
		sendJson(res, 200, { needsSetup: await auth.needsSetup() });
	});

	router.add(
		'POST',
		'/api/setup',
		mutating(async ({ req, res }) => {
			const body = await readJsonBody(req, setupRequestSchema);
			const result = await auth.setup(body);
			log.info({ tenantId: result.tenantId }, 'tenant set up');
			try {
				await relay.change(tenantDocName(result.tenantId), (doc) =>
					new TenantRepository(doc).setTenantName(body.tenantName)
				);
			} catch (error) {
				// The accounts exist; the name in the document can be set again from the app.
				log.error(
					{ err: { type: error instanceof Error ? error.name : typeof error }, tenantId: result.tenantId },
					'could not write the tenant name to its document'
				);
			}
			sendJson(res, 201, { tenantId: result.tenantId }, { 'set-cookie': result.session.cookie });
		})
	);

	router.add(
		'POST',
		'/api/session',
		mutating(async ({ req, res, ip }) => {
			const body = await readJsonBody(req, signInRequestSchema);
			let session;
			try {
				session = await auth.signIn(body.email, body.password, ip);
			} catch (error) {
				if (error instanceof AuthError && error.code === 'invalid_credentials')
					log.warn({ ip, account: accountTag(body.email) }, 'sign-in failed');
				throw error;
			}
			log.info({ userId: session.userId }, 'signed in');
			noContent(res, session.cookie);
		})
	);

	router.add(
		'DELETE',
		'/api/session',
		mutating(async ({ req, res }) => {
			noContent(res, await auth.signOut(req));
		})
	);

	router.add('GET', '/api/me', async ({ req, res }) => {
		const session = await auth.resolve(req);
		if (!session) throw new HttpError(401, 'not_signed_in', 'sign in first');
		const { principal } = session;
		const [tenant, user] = await Promise.all([store.getTenant(principal.tenantId), store.getUser(principal.userId)]);
		const body: Me = {
			userId: principal.userId,
			email: principal.email,
			tenantId: principal.tenantId,
			tenantName: tenant?.name ?? '',
			role: principal.role,
			owner: tenant?.ownerId === principal.userId,
			permissions: [...principal.permissions],
			grants: [...principal.grants],
			// S115: on any device the person's own choice wins over the browser's once they are signed in.
			locale: user?.locale ?? null
		};
		sendJson(res, 200, body, session.refreshedCookie ? { 'set-cookie': session.refreshedCookie } : {});
	});

	// S32: the catch-up asks which documents changed before it opens any; only documents the person may read answer.
	router.add(
		'POST',
		'/api/sync/heads',
		mutating(async ({ req, res }) => {
			const session = await auth.resolve(req);
			if (!session) throw new HttpError(401, 'not_signed_in', 'sign in first');
			const { docs } = await readJsonBody(req, syncHeadsRequestSchema, HEADS_BODY_LIMIT);
			// S40: one look at the tenant's tree for all of them; documents of other tenants and unknown ones are left out
			// alike, and nothing is recorded.
			const { tenantId } = session.principal;
			const readable = await auth.readableDocs(session.principal, [...new Set(docs)]);
			const heads = await store.heads(readable.map((docName) => storageName(tenantId, docName)));
			const body: SyncHeadsResponse = {
				heads: Object.fromEntries(readable.map((docName) => [docName, heads.get(storageName(tenantId, docName)) ?? 0]))
			};
			sendJson(res, 200, body, session.refreshedCookie ? { 'set-cookie': session.refreshedCookie } : {});
		})
	);

	addSyncBatchRoute(router, { auth, relay, mutating });

	addViewRoutes(router, { auth, relay, clock: deps.clock });

	addUsersRoutes(router, {
		store,
		auth,
		relay,
		log,
		clock: deps.clock,
		mailer: deps.mailer,
		publicUrl: deps.publicUrl,
		scrypt: deps.scrypt,
		mutating
	});

	addAuditRoutes(router, { store, auth });
	addBillingRoutes(router, { store, auth, clock: deps.clock });

	addSettingsRoutes(router, { store, auth, relay, settings: deps.settings, clock: deps.clock, log, mutating });
	addSessionLockRoutes(router, { auth, log, mutating });
	addPreferencesRoutes(router, { store, auth, log, mutating });
	addCommandsRoutes(router, {
		auth,
		mutating,
		publicUrl: deps.publicUrl,
		commands: createCommandRunner({
			store,
			relay,
			audit: deps.audit,
			clock: deps.clock,
			log,
			licenses: deps.licenses,
			// P6: customer.invite invites the new customer's admin contact through the users module's invitations.
			invitations: createInvitations({
				store,
				auth,
				relay,
				log,
				clock: deps.clock,
				mailer: deps.mailer,
				scrypt: deps.scrypt
			}),
			// P7: customer.startBackup queues the backup for the integration to pick up.
			backups: deps.integrations
		})
	});
	addLicenseRoutes(router, { auth, licenses: deps.licenses, mutating });
	addTemplateRoutes(router, { store, auth, clock: deps.clock, audit: deps.audit, mutating });
	addIntegrationsRoutes(router, {
		store,
		auth,
		clock: deps.clock,
		audit: deps.audit,
		integrations: deps.integrations,
		mutating
	});
	return router;
}
