// S60-S63: POST /api/commands, the server commands a device queued (its outbox), applied in order with one result each.
import { hasTenantPermission } from '../../../src/lib/domain/access';
import { commandsRequestSchema, MAX_IMPORT_TEXT, type CommandsResponse } from '../../../src/lib/schema/commands';
import type { Auth } from '../auth/auth';
import type { CommandRunner } from '../commands/commands';
import type { Mutating } from './api';
import { readJsonBody } from './body';
import { HttpError, sendJson } from './errors';
import type { Router } from './router';
import { baseUrlOf } from './users-routes';

/** 100 commands of the largest kind (a full profile) fit with room to spare. */
export const COMMANDS_BODY_LIMIT = 256 * 1024;
/**
 * S66: a `licenses.import` carries a whole file (at most MAX_IMPORT_TEXT characters); as JSON a character takes at most
 * 3 bytes (UTF-8 of the BMP, or an escaped quote or newline). The device sends an import in a request of its own (S64).
 * Only people who may import (licenses.sync on the whole tenant) get this much.
 */
export const IMPORT_BODY_LIMIT = 3 * MAX_IMPORT_TEXT + COMMANDS_BODY_LIMIT;

export interface CommandsRouteDeps {
	readonly auth: Auth;
	readonly commands: CommandRunner;
	readonly mutating: Mutating;
	/** PUBLIC_URL: links in mails (P6's invitation) point there; without it, to the origin the request came from. */
	readonly publicUrl?: string | null;
}

export function addCommandsRoutes(router: Router, deps: CommandsRouteDeps): void {
	const { auth, commands, mutating } = deps;
	router.add(
		'POST',
		'/api/commands',
		mutating(async ({ req, res, ip }) => {
			const session = await auth.resolve(req);
			if (!session) throw new HttpError(401, 'not_signed_in', 'sign in first');
			// Bad input (an unknown type, a bad id, more than 100) is refused whole with 400 before anything runs.
			const limit = hasTenantPermission(session.principal, 'licenses.sync') ? IMPORT_BODY_LIMIT : COMMANDS_BODY_LIMIT;
			const body = await readJsonBody(req, commandsRequestSchema, limit);
			const baseUrl = baseUrlOf(req, deps.publicUrl ?? null);
			const response: CommandsResponse = {
				results: await commands.run(session.principal, ip, body.commands, baseUrl)
			};
			sendJson(res, 200, response, session.refreshedCookie ? { 'set-cookie': session.refreshedCookie } : {});
		})
	);
}
