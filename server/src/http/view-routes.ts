// H6, L5: GET /api/view, the read-only part of the tenant (tree nodes, license pools and licenses) a person's grant covers.
import { tenantDocName } from '../../../src/lib/schema/ids';
import { buildScopedView } from '../../../src/lib/data/scoped-view';
import type { Auth } from '../auth/auth';
import type { Clock } from '../clock';
import type { Relay } from '../relay/types';
import { HttpError, sendJson } from './errors';
import type { Router } from './router';

export interface ViewRouteDeps {
	readonly auth: Auth;
	readonly relay: Relay;
	readonly clock: Clock;
}

export function addViewRoutes(router: Router, deps: ViewRouteDeps): void {
	router.add('GET', '/api/view', async ({ req, res }) => {
		const session = await deps.auth.resolve(req);
		if (!session) throw new HttpError(401, 'not_signed_in', 'sign in first');
		const { principal } = session;
		// Built from the server's copy of the tenant document; nothing outside the grant leaves the server.
		const view = await deps.relay.withDoc(tenantDocName(principal.tenantId), (doc) =>
			buildScopedView(doc, principal.grants, deps.clock.now())
		);
		sendJson(res, 200, view, {
			'cache-control': 'no-store',
			...(session.refreshedCookie ? { 'set-cookie': session.refreshedCookie } : {})
		});
	});
}
