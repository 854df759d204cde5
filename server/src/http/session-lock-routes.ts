// P18: the app's inactivity lock over the API: the password unlocks (sliding or renewing the session); a keep-alive is a use.
import type pino from 'pino';
import { unlockRequestSchema } from '../../../src/lib/schema/settings';
import type { Auth } from '../auth/auth';
import type { Mutating } from './api';
import { readJsonBody } from './body';
import { HttpError, sendJson } from './errors';
import type { Router } from './router';

export interface SessionLockRoutesDeps {
	readonly auth: Auth;
	readonly log: pino.Logger;
	readonly mutating: Mutating;
}

export function addSessionLockRoutes(router: Router, deps: SessionLockRoutesDeps): void {
	const { auth, log, mutating } = deps;

	router.add(
		'POST',
		'/api/session/unlock',
		mutating(async ({ req, res, ip }) => {
			const body = await readJsonBody(req, unlockRequestSchema);
			const unlocked = await auth.unlock(req, body.userId, body.password, ip);
			log.info({ userId: body.userId, renewed: unlocked.renewed }, 'unlocked');
			sendJson(res, 200, { renewed: unlocked.renewed }, { 'set-cookie': unlocked.cookie });
		})
	);

	/**
	 * P18: the app calls this while the person is at work (pointer, keys, touch) but sends nothing else: reading the tree
	 * uses no API. Like any API call with the session, it slides it; websocket frames and pings do not.
	 */
	router.add(
		'POST',
		'/api/session/keep-alive',
		mutating(async ({ req, res }) => {
			const session = await auth.resolve(req);
			if (!session) throw new HttpError(401, 'not_signed_in', 'sign in first');
			res.writeHead(204, {
				'cache-control': 'no-store',
				...(session.refreshedCookie ? { 'set-cookie': session.refreshedCookie } : {})
			});
			res.end();
		})
	);
}
