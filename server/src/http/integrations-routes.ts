// P4, P5, P7: the integrations API (`/api/v1/*`, bearer tokens) and the management of its tokens (`/api/integrations/tokens`,
// people with settings.edit on the whole tenant).
import type { IncomingMessage } from 'node:http';
import { hasTenantPermission } from '../../../src/lib/domain/access';
import {
	MAX_INGEST_BODY_BYTES,
	backupStatusUpdateSchema,
	createTokenRequestSchema,
	ingestBodySchema,
	type IngestResponse
} from '../../../src/lib/schema/integrations';
import type { Auth } from '../auth/auth';
import type { Audit } from '../audit/audit';
import type { Clock } from '../clock';
import type { IntegrationsService, Sender } from '../integrations/service';
import { createIntegrationToken, publicToken, tokenOfRequest } from '../integrations/tokens';
import type { Principal } from '../relay/types';
import type { Store } from '../store/types';
import type { Mutating } from './api';
import { readJsonBody } from './body';
import { HttpError, sendJson } from './errors';
import type { Router } from './router';

export interface IntegrationsRoutesDeps {
	readonly store: Store;
	readonly auth: Auth;
	readonly clock: Clock;
	readonly audit: Audit;
	readonly integrations: IntegrationsService;
	readonly mutating: Mutating;
}

const UNAUTHORIZED: Record<string, string> = {
	missing: 'send an integration token: Authorization: Bearer <token>',
	malformed: 'the Authorization header does not hold an integration token (Bearer mspi_…)',
	unknown: 'the integration token is not valid',
	revoked: 'the integration token was revoked'
};

export function addIntegrationsRoutes(router: Router, deps: IntegrationsRoutesDeps): void {
	const { store, auth, clock, audit, integrations, mutating } = deps;

	/** The token behind a request, or 401 (the same code for every reason; the message says which). */
	async function sender(req: IncomingMessage): Promise<Sender> {
		const found = await tokenOfRequest(store, req);
		if (!found.ok)
			throw new HttpError(401, 'invalid_token', UNAUTHORIZED[found.reason] ?? 'not authorized', {
				'www-authenticate': 'Bearer realm="integrations"'
			});
		return found.token;
	}

	async function ingest(
		req: IncomingMessage,
		run: (sender: Sender, items: readonly unknown[]) => Promise<IngestResponse>
	): Promise<IngestResponse> {
		const from = await sender(req);
		const { items } = await readJsonBody(req, ingestBodySchema, MAX_INGEST_BODY_BYTES);
		return run(from, items);
	}

	router.add('POST', '/api/v1/jobs', async ({ req, res }) => {
		sendJson(res, 200, await ingest(req, (from, items) => integrations.ingestJobs(from, items)));
	});
	router.add('POST', '/api/v1/service-requests', async ({ req, res }) => {
		sendJson(res, 200, await ingest(req, (from, items) => integrations.ingestServiceRequests(from, items)));
	});
	router.add('GET', '/api/v1/backup-requests', async ({ req, res }) => {
		const from = await sender(req);
		sendJson(res, 200, { items: await integrations.takeBackupRequests(from) });
	});
	router.add('POST', '/api/v1/backup-requests/:id', async ({ req, res, params }) => {
		const from = await sender(req);
		const { status } = await readJsonBody(req, backupStatusUpdateSchema);
		const record = await integrations.updateBackupRequest(from, params.id ?? '', status);
		if (!record) throw new HttpError(404, 'not_found', 'no such backup request');
		sendJson(res, 200, { id: record.id, status: record.status, updatedAt: record.updatedAt });
	});

	/** The signed-in person who may manage the tenant's tokens. */
	async function manager(req: IncomingMessage): Promise<Principal> {
		const session = await auth.resolve(req);
		if (!session) throw new HttpError(401, 'not_signed_in', 'sign in first');
		if (!hasTenantPermission(session.principal, 'settings.edit'))
			throw new HttpError(403, 'forbidden', 'your role may not manage integration tokens');
		return session.principal;
	}

	router.add('GET', '/api/integrations/tokens', async ({ req, res }) => {
		const principal = await manager(req);
		const tokens = await store.listIntegrationTokens(principal.tenantId);
		sendJson(res, 200, { tokens: tokens.map(publicToken) });
	});

	router.add(
		'POST',
		'/api/integrations/tokens',
		mutating(async ({ req, res, ip }) => {
			const principal = await manager(req);
			const { name } = await readJsonBody(req, createTokenRequestSchema);
			const { record, secret } = await createIntegrationToken(store, {
				tenantId: principal.tenantId,
				name,
				createdBy: principal.email,
				now: clock.now()
			});
			// P17: the token's id, never its secret.
			await audit({
				tenantId: principal.tenantId,
				userId: principal.userId,
				ip,
				itemType: 'integrationToken',
				item: record.id,
				action: 'created',
				description: 'integration token created'
			});
			sendJson(res, 201, { token: publicToken(record), secret });
		})
	);

	router.add(
		'DELETE',
		'/api/integrations/tokens/:id',
		mutating(async ({ req, res, ip, params }) => {
			const principal = await manager(req);
			const id = params.id ?? '';
			const record = await store.getIntegrationToken(id);
			// Another tenant's token answers like one that does not exist.
			if (!record || record.tenantId !== principal.tenantId)
				throw new HttpError(404, 'not_found', 'no such integration token');
			if (await store.revokeIntegrationToken(id, clock.now().toISOString()))
				await audit({
					tenantId: principal.tenantId,
					userId: principal.userId,
					ip,
					itemType: 'integrationToken',
					item: id,
					action: 'revoked',
					description: 'integration token revoked'
				});
			res.writeHead(204, { 'cache-control': 'no-store' });
			res.end();
		})
	);
}
