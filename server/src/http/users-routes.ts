// P13, P16: the users API: invitations, the tenant's people, password resets, ownership and custom roles.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { entityIdSchema } from '../../../src/lib/schema/ids';
import {
	acceptTokenRequestSchema,
	customRoleBodySchema,
	customerSetupRequestSchema,
	inviteRequestSchema,
	ownerTransferRequestSchema,
	userPatchSchema
} from '../../../src/lib/schema/users';
import { createAccounts } from '../users/accounts';
import type { Actor, UsersDeps } from '../users/context';
import { createInvitations } from '../users/invitations';
import { createCustomerSetup } from '../users/customer-setup';
import { readJsonBody } from './body';
import { HttpError, sendJson } from './errors';
import type { Handler, RouteContext, Router } from './router';

export interface UsersRoutesDeps extends UsersDeps {
	/** PUBLIC_URL: links in mails point there; without it, to the origin the request came from. */
	readonly publicUrl: string | null;
	/** api.ts's wrapper of changing requests (the Origin check, AuthError mapping). */
	readonly mutating: (handler: Handler) => Handler;
}

function noContent(res: ServerResponse, headers: Record<string, string> = {}): void {
	res.writeHead(204, { 'cache-control': 'no-store', ...headers });
	res.end();
}

/** The origin for links: PUBLIC_URL, else the Origin the browser sent (checked by `mutating`), else the Host. */
export function baseUrlOf(req: IncomingMessage, publicUrl: string | null): string {
	if (publicUrl) return publicUrl;
	const origin = req.headers.origin;
	if (typeof origin === 'string' && /^https?:\/\/[^/\s]+$/.test(origin)) return origin;
	return `http://${req.headers.host ?? 'localhost'}`;
}

export function addUsersRoutes(router: Router, deps: UsersRoutesDeps): void {
	const { auth, mutating } = deps;
	const invitations = createInvitations(deps);
	const accounts = createAccounts(deps);
	const customerSetup = createCustomerSetup(deps, invitations);

	/** The signed-in person behind the request, with where they act from; 401 without a session. */
	async function actorOf(ctx: RouteContext): Promise<Actor> {
		const session = await auth.resolve(ctx.req);
		if (!session) throw new HttpError(401, 'not_signed_in', 'sign in first');
		return { principal: session.principal, ip: ctx.ip, baseUrl: baseUrlOf(ctx.req, deps.publicUrl) };
	}

	const param = (ctx: RouteContext, name: string): string => {
		const parsed = entityIdSchema.safeParse(ctx.params[name]);
		if (!parsed.success) throw new HttpError(404, 'not_found', 'there is no such item');
		return parsed.data;
	};

	router.add('GET', '/api/users', async (ctx) => {
		sendJson(ctx.res, 200, { users: await accounts.list(await actorOf(ctx)) });
	});

	router.add(
		'POST',
		'/api/users/invitations',
		mutating(async (ctx) => {
			const actor = await actorOf(ctx);
			const body = await readJsonBody(ctx.req, inviteRequestSchema);
			sendJson(ctx.res, 201, { invitationId: await invitations.invite(actor, body) });
		})
	);

	router.add('GET', '/api/users/invitations', async (ctx) => {
		sendJson(ctx.res, 200, { invitations: await invitations.list(await actorOf(ctx)) });
	});

	router.add(
		'DELETE',
		'/api/users/invitations/:invitationId',
		mutating(async (ctx) => {
			await invitations.revoke(await actorOf(ctx), param(ctx, 'invitationId'));
			noContent(ctx.res);
		})
	);

	router.add(
		'POST',
		'/api/users/invitations/:invitationId/resend',
		mutating(async (ctx) => {
			await invitations.resend(await actorOf(ctx), param(ctx, 'invitationId'));
			noContent(ctx.res);
		})
	);

	router.add(
		'POST',
		'/api/invitations/accept',
		mutating(async (ctx) => {
			const body = await readJsonBody(ctx.req, acceptTokenRequestSchema);
			const session = await invitations.accept({ ...body, ip: ctx.ip });
			noContent(ctx.res, { 'set-cookie': session.cookie });
		})
	);

	// H3, L5: the customer's setup: its own user invited (granted that customer alone), or skipped.
	router.add(
		'POST',
		'/api/customers/:customerId/setup',
		mutating(async (ctx) => {
			const actor = await actorOf(ctx);
			const body = await readJsonBody(ctx.req, customerSetupRequestSchema);
			const invitationId = await customerSetup.setUp(actor, param(ctx, 'customerId'), body);
			sendJson(ctx.res, 201, { invitationId });
		})
	);

	router.add(
		'PATCH',
		'/api/users/:userId',
		mutating(async (ctx) => {
			const actor = await actorOf(ctx);
			const patch = await readJsonBody(ctx.req, userPatchSchema);
			sendJson(ctx.res, 200, { user: await accounts.update(actor, param(ctx, 'userId'), patch) });
		})
	);

	router.add(
		'DELETE',
		'/api/users/:userId',
		mutating(async (ctx) => {
			await accounts.remove(await actorOf(ctx), param(ctx, 'userId'));
			noContent(ctx.res);
		})
	);

	router.add(
		'POST',
		'/api/users/:userId/password-reset',
		mutating(async (ctx) => {
			await accounts.sendPasswordReset(await actorOf(ctx), param(ctx, 'userId'));
			noContent(ctx.res);
		})
	);

	router.add(
		'POST',
		'/api/password-resets/accept',
		mutating(async (ctx) => {
			const body = await readJsonBody(ctx.req, acceptTokenRequestSchema);
			await accounts.acceptPasswordReset({ ...body, ip: ctx.ip });
			noContent(ctx.res);
		})
	);

	router.add(
		'POST',
		'/api/tenant/owner',
		mutating(async (ctx) => {
			const actor = await actorOf(ctx);
			const { userId } = await readJsonBody(ctx.req, ownerTransferRequestSchema);
			await accounts.transferOwnership(actor, userId);
			noContent(ctx.res);
		})
	);

	router.add('GET', '/api/roles', async (ctx) => {
		sendJson(ctx.res, 200, { roles: await accounts.listRoles(await actorOf(ctx)) });
	});

	router.add(
		'PUT',
		'/api/roles/:roleId',
		mutating(async (ctx) => {
			const actor = await actorOf(ctx);
			const body = await readJsonBody(ctx.req, customRoleBodySchema);
			sendJson(ctx.res, 200, { role: await accounts.putRole(actor, param(ctx, 'roleId'), body) });
		})
	);

	router.add(
		'DELETE',
		'/api/roles/:roleId',
		mutating(async (ctx) => {
			await accounts.deleteRole(await actorOf(ctx), param(ctx, 'roleId'));
			noContent(ctx.res);
		})
	);
}
