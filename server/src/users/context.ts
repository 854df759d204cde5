// P13, P16: what the users API shares: its dependencies, who may manage whom, single-use link tokens and audit rows.
import { randomBytes } from 'node:crypto';
import type pino from 'pino';
import { hasTenantPermission, permissionsOf } from '../../../src/lib/domain/access';
import type { CustomRole, Role } from '../../../src/lib/schema/access';
import { hashToken, type Auth } from '../auth/auth';
import type { ScryptParams } from '../auth/passwords';
import type { Clock } from '../clock';
import { HttpError } from '../http/errors';
import type { Mailer } from '../mail/mailer';
import type { Principal, Relay } from '../relay/types';
import type { Store } from '../store/types';

export interface UsersDeps {
	readonly store: Store;
	readonly auth: Auth;
	readonly relay: Relay;
	readonly log: pino.Logger;
	readonly clock: Clock;
	readonly mailer: Mailer;
	/** Test tuning of password hashing (the server's default otherwise). */
	readonly scrypt?: ScryptParams;
	readonly newId?: () => string;
}

/** Who acts, from where, and the origin links in mails point to (PUBLIC_URL, else the request's origin). */
export interface Actor {
	readonly principal: Principal;
	readonly ip: string;
	readonly baseUrl: string;
}

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;

/** A token for a mailed link (32 random bytes, base64url) and the hash that alone is stored. */
export function newLinkToken(): { token: string; tokenHash: string } {
	const token = randomBytes(32).toString('base64url');
	return { token, tokenHash: hashToken(token) };
}

/** P13: users.manage on the whole tenant (H6: a grant on part of the tree manages nobody). */
export function requireUsersManage(principal: Principal): void {
	if (!hasTenantPermission(principal, 'users.manage'))
		throw new HttpError(403, 'forbidden', 'managing users needs the users permission on the whole organization');
}

export async function customRolesOf(store: Store, tenantId: string): Promise<Map<string, CustomRole>> {
	return new Map((await store.listCustomRoles(tenantId)).map((role) => [role.id, role]));
}

/**
 * P16: a person may give (or manage someone holding) only a role whose permissions they hold themselves: an Admin
 * cannot make, change or remove a Super Admin, and nobody hands out more than they have.
 */
export function mayHandle(principal: Principal, role: Role, customRoles: ReadonlyMap<string, CustomRole>): boolean {
	const held = new Set(principal.permissions);
	return [...permissionsOf(role, customRoles)].every((permission) => held.has(permission));
}

/** A role a request names must exist (a custom one in this tenant) and be one the actor may give. */
export function checkAssignable(principal: Principal, role: Role, customRoles: ReadonlyMap<string, CustomRole>): void {
	if (role.startsWith('custom:') && !customRoles.has(role.slice('custom:'.length)))
		throw new HttpError(400, 'unknown_role', 'there is no such custom role');
	if (!mayHandle(principal, role, customRoles))
		throw new HttpError(
			403,
			'role_not_assignable',
			role === 'superAdmin'
				? 'only a Super Admin may make someone a Super Admin'
				: 'you may give only a role whose permissions you hold yourself'
		);
}

export interface AuditBy {
	readonly userId: string | null;
	readonly ip: string | null;
}

export const byActor = (actor: Actor): { userId: string; ip: string } => ({
	userId: actor.principal.userId,
	ip: actor.ip
});

/** One audit row of a change made through the users API (ids only: no emails, passwords or tokens). */
export async function audit(
	deps: Pick<UsersDeps, 'store' | 'clock'>,
	by: AuditBy,
	tenantId: string,
	itemType: string,
	item: string,
	action: string,
	description: string
): Promise<void> {
	await deps.store.appendAudit({
		at: deps.clock.now().toISOString(),
		tenantId,
		userId: by.userId,
		ip: by.ip,
		itemType,
		item,
		action,
		description
	});
}

/** Sends a mail; a failure is logged by kind (never the address) and answered 502 `mail_failed`. */
export async function sendOrFail(
	deps: Pick<UsersDeps, 'mailer' | 'log'>,
	message: Parameters<Mailer['send']>[0],
	what: { readonly kind: string; readonly id: string; readonly retry: string }
): Promise<void> {
	try {
		await deps.mailer.send(message);
	} catch (error) {
		const type = error instanceof Error ? ('kind' in error ? String(error.kind) : error.name) : typeof error;
		deps.log.warn({ mail: what.kind, id: what.id, err: { type } }, 'a mail could not be sent');
		throw new HttpError(502, 'mail_failed', `the mail could not be sent; ${what.retry}`);
	}
}
