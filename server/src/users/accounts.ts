// P13, P16: the tenant's people: list, change role, grants and activity, delete, password resets, ownership, custom roles.
import { isTenantWide } from '../../../src/lib/domain/access';
import type { CustomRole, Grant, Role } from '../../../src/lib/schema/access';
import type { CustomRoleBody, TenantUser, UserPatch } from '../../../src/lib/schema/users';
import { deleteAccount, hashToken } from '../auth/auth';
import { DEFAULT_SCRYPT, hashPassword } from '../auth/passwords';
import { HttpError } from '../http/errors';
import { TENANT_WIDE } from '../store/grants';
import type { UserRecord } from '../store/types';
import {
	audit,
	byActor,
	checkAssignable,
	customRolesOf,
	mayHandle,
	newLinkToken,
	PASSWORD_RESET_TTL_MS,
	requireUsersManage,
	sendOrFail,
	type Actor,
	type UsersDeps
} from './context';
import { passwordResetMail } from './mails';
import { localeOrBase } from '../i18n/messages';

const sameGrants = (a: readonly Grant[], b: readonly Grant[]): boolean => JSON.stringify(a) === JSON.stringify(b);

export function createAccounts(deps: UsersDeps) {
	const { store, auth, relay, clock } = deps;

	/** A user of the actor's tenant, or 404 (another tenant's id answers the same). */
	async function userOf(actor: Actor, userId: string): Promise<UserRecord> {
		const user = await store.getUser(userId);
		if (!user || user.tenantId !== actor.principal.tenantId)
			throw new HttpError(404, 'user_not_found', 'there is no such user');
		return user;
	}

	async function ownerIdOf(tenantId: string): Promise<string | null> {
		return (await store.getTenant(tenantId))?.ownerId ?? null;
	}

	/** users.manage, and the target's role holds nothing the actor lacks (an Admin does not manage a Super Admin). */
	async function manageable(
		actor: Actor,
		userId: string
	): Promise<{ user: UserRecord; roles: Map<string, CustomRole> }> {
		requireUsersManage(actor.principal);
		const user = await userOf(actor, userId);
		const roles = await customRolesOf(store, actor.principal.tenantId);
		if (!mayHandle(actor.principal, user.role, roles))
			throw new HttpError(403, 'forbidden', 'you may not manage a person whose role has more permissions than yours');
		return { user, roles };
	}

	function view(user: UserRecord, ownerId: string | null): TenantUser {
		return {
			id: user.id,
			email: user.email,
			role: user.role,
			grants: [...(user.grants ?? TENANT_WIDE)],
			active: (user.disabledAt ?? null) === null,
			owner: user.id === ownerId,
			createdAt: user.createdAt
		};
	}

	return {
		async list(actor: Actor): Promise<TenantUser[]> {
			requireUsersManage(actor.principal);
			const ownerId = await ownerIdOf(actor.principal.tenantId);
			return (await store.listUsers(actor.principal.tenantId)).map((user) => view(user, ownerId));
		},

		async update(actor: Actor, userId: string, patch: UserPatch): Promise<TenantUser> {
			const { user, roles } = await manageable(actor, userId);
			const ownerId = await ownerIdOf(user.tenantId);
			const roleChange = patch.role !== undefined && patch.role !== user.role ? patch.role : undefined;
			const grantsChange =
				patch.grants !== undefined && !sameGrants(patch.grants, user.grants ?? TENANT_WIDE) ? patch.grants : undefined;
			const activeChange =
				patch.active !== undefined && patch.active !== ((user.disabledAt ?? null) === null) ? patch.active : undefined;
			if (user.id === actor.principal.userId && (roleChange || grantsChange || activeChange !== undefined))
				throw new HttpError(
					409,
					'own_account',
					'nobody changes their own role, grants or activity; ask another administrator'
				);
			if (user.id === ownerId && (roleChange || grantsChange || activeChange === false))
				throw new HttpError(
					409,
					'owner_protected',
					'the owner stays an active Super Admin of the whole organization; transfer the ownership first'
				);
			if (roleChange) checkAssignable(actor.principal, roleChange, roles);
			if (roleChange || grantsChange) {
				await store.updateUser(user.id, { role: roleChange, grants: grantsChange });
				const by = byActor(actor);
				if (roleChange)
					await audit(deps, by, user.tenantId, 'user', user.id, 'roleChanged', `role ${user.role} -> ${roleChange}`);
				if (grantsChange)
					await audit(deps, by, user.tenantId, 'user', user.id, 'grantsChanged', `${grantsChange.length} grant(s)`);
				// P16: their open sockets close (4409) and reconnect under the new access.
				await relay.recheckSessions(user.id);
			}
			if (activeChange === false) await auth.deactivateUser(user.id, byActor(actor));
			if (activeChange === true) await auth.reactivateUser(user.id, byActor(actor));
			return view((await store.getUser(user.id)) ?? user, ownerId);
		},

		async remove(actor: Actor, userId: string): Promise<void> {
			const { user } = await manageable(actor, userId);
			if (user.id === actor.principal.userId)
				throw new HttpError(409, 'own_account', 'you cannot delete your own account; ask another administrator');
			if (user.id === (await ownerIdOf(user.tenantId)))
				throw new HttpError(409, 'owner_protected', 'the owner cannot be deleted; transfer the ownership first');
			await deleteAccount(store, user, byActor(actor), clock.now());
			relay.disconnect({ userId: user.id }, 'account deleted');
		},

		async sendPasswordReset(actor: Actor, userId: string): Promise<void> {
			const { user } = await manageable(actor, userId);
			const { token, tokenHash } = newLinkToken();
			const now = clock.now();
			const expiresAt = new Date(now.getTime() + PASSWORD_RESET_TTL_MS);
			await store.createPasswordReset({
				tokenHash,
				userId: user.id,
				createdAt: now.toISOString(),
				expiresAt: expiresAt.toISOString()
			});
			await audit(
				deps,
				byActor(actor),
				user.tenantId,
				'user',
				user.id,
				'passwordResetSent',
				'a password reset link was sent'
			);
			const tenant = await store.getTenant(user.tenantId);
			const link = `${actor.baseUrl}/password-reset?token=${encodeURIComponent(token)}`;
			const { timeZone } = await store.getTenantSettings(user.tenantId);
			const mail = passwordResetMail({
				tenantName: tenant?.name ?? '',
				link,
				expiresAt,
				locale: localeOrBase(user.locale),
				timeZone
			});
			await sendOrFail(
				deps,
				{ to: user.email, ...mail },
				{ kind: 'passwordReset', id: user.id, retry: 'try again later' }
			);
		},

		/** Sets the password and ends every session (and socket) of the user. */
		async acceptPasswordReset(input: { token: string; password: string; ip: string }): Promise<void> {
			const reset = await store.takePasswordReset(hashToken(input.token));
			const user = reset ? await store.getUser(reset.userId) : null;
			if (!reset || !user)
				throw new HttpError(410, 'reset_invalid', 'this link is not valid or was already used; ask for a new one');
			if (Date.parse(reset.expiresAt) <= clock.now().getTime())
				throw new HttpError(410, 'reset_expired', 'this link has expired; ask for a new one');
			await store.updateUser(user.id, {
				passwordHash: await hashPassword(input.password, deps.scrypt ?? DEFAULT_SCRYPT)
			});
			const ended = await store.deleteSessionsOfUser(user.id);
			relay.disconnect({ userId: user.id }, 'password changed');
			await audit(
				deps,
				{ userId: user.id, ip: input.ip },
				user.tenantId,
				'user',
				user.id,
				'passwordReset',
				`the password was set from a reset link; ${ended} session(s) ended`
			);
		},

		/** P13: only the owner hands the tenant over; the new owner becomes a Super Admin of the whole tenant. */
		async transferOwnership(actor: Actor, userId: string): Promise<void> {
			const { tenantId } = actor.principal;
			if ((await ownerIdOf(tenantId)) !== actor.principal.userId)
				throw new HttpError(403, 'not_owner', 'only the owner may transfer the ownership');
			const user = await userOf(actor, userId);
			if (user.id === actor.principal.userId) throw new HttpError(409, 'already_owner', 'you are the owner already');
			if ((user.disabledAt ?? null) !== null)
				throw new HttpError(409, 'user_inactive', 'reactivate this person before making them the owner');
			const promoted = user.role !== 'superAdmin' || !sameGrants(user.grants ?? TENANT_WIDE, TENANT_WIDE);
			if (promoted) await store.updateUser(user.id, { role: 'superAdmin', grants: TENANT_WIDE });
			await store.setTenantOwner(tenantId, user.id);
			await audit(
				deps,
				byActor(actor),
				tenantId,
				'tenant',
				tenantId,
				'ownershipTransferred',
				`owner ${actor.principal.userId} -> ${user.id}`
			);
			if (promoted) await relay.recheckSessions(user.id);
		},

		async listRoles(actor: Actor): Promise<CustomRole[]> {
			requireUsersManage(actor.principal);
			return store.listCustomRoles(actor.principal.tenantId);
		},

		async putRole(actor: Actor, roleId: string, body: CustomRoleBody): Promise<CustomRole> {
			requireSuperAdmin(actor);
			const role: CustomRole = { id: roleId, name: body.name, permissions: [...new Set(body.permissions)] };
			await store.putCustomRole(actor.principal.tenantId, role);
			await audit(
				deps,
				byActor(actor),
				actor.principal.tenantId,
				'role',
				roleId,
				'roleSaved',
				role.permissions.join(', ')
			);
			// Whoever holds it now may do more or less: their sockets are checked again (4409 when it changed).
			const holders = (await store.listUsers(actor.principal.tenantId)).filter((u) => u.role === `custom:${roleId}`);
			await Promise.all(holders.map((holder) => relay.recheckSessions(holder.id)));
			return role;
		},

		async deleteRole(actor: Actor, roleId: string): Promise<void> {
			requireSuperAdmin(actor);
			const { tenantId } = actor.principal;
			const name: Role = `custom:${roleId}`;
			const users = await store.listUsers(tenantId);
			const invitations = await store.listPendingInvitations(tenantId);
			if (users.some((u) => u.role === name) || invitations.some((i) => i.role === name))
				throw new HttpError(
					409,
					'role_in_use',
					'this role is still given to people or invitations; change theirs first'
				);
			if (!(await customRolesOf(store, tenantId)).has(roleId))
				throw new HttpError(404, 'role_not_found', 'there is no such custom role');
			await store.deleteCustomRole(tenantId, roleId);
			await audit(deps, byActor(actor), tenantId, 'role', roleId, 'roleDeleted', 'deleted');
		}
	};
}

/** P16: custom roles are built by a Super Admin of the whole tenant. */
function requireSuperAdmin(actor: Actor): void {
	const { principal } = actor;
	if (principal.role !== 'superAdmin' || !isTenantWide(principal.grants))
		throw new HttpError(403, 'forbidden', 'only a Super Admin builds custom roles');
}

export type Accounts = ReturnType<typeof createAccounts>;
