// P9, S115-S119: a person's own preferences (the UI's and their mails' language), changed by that person only.
import type pino from 'pino';
import { preferencesPatchSchema, type Preferences } from '../../../src/lib/schema/locale';
import type { Auth } from '../auth/auth';
import type { Store } from '../store/types';
import type { Mutating } from './api';
import { readJsonBody } from './body';
import { HttpError, sendJson } from './errors';
import type { Router } from './router';

export interface PreferencesRoutesDeps {
	readonly store: Store;
	readonly auth: Auth;
	readonly log: pino.Logger;
	readonly mutating: Mutating;
}

export function addPreferencesRoutes(router: Router, deps: PreferencesRoutesDeps): void {
	const { store, auth, log, mutating } = deps;

	// S115: the body names no user: whoever the session is changes their own language, nobody else's (S116). No
	// permission is needed (a read-only person chooses their language too), and nothing here is audited: it is not the
	// tenant's data.
	router.add(
		'PATCH',
		'/api/me/preferences',
		mutating(async ({ req, res }) => {
			const session = await auth.resolve(req);
			if (!session) throw new HttpError(401, 'not_signed_in', 'sign in first');
			const { locale } = await readJsonBody(req, preferencesPatchSchema);
			const { userId } = session.principal;
			await store.setUserLocale(userId, locale);
			log.info({ userId, locale }, 'preferences changed');
			const body: Preferences = { locale };
			sendJson(res, 200, body, session.refreshedCookie ? { 'set-cookie': session.refreshedCookie } : {});
		})
	);
}
