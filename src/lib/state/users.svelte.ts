// P13, P16: the Users screen's state: the tenant's people, pending invitations and custom roles from the API, and the
// changes an administrator makes to them. These need the server: offline, the screen says so instead of guessing.
import { isTenantWide } from '$lib/domain/access';
import { fmt } from './locale.svelte';
import {
	setUpCustomer as apiSetUpCustomer,
	acceptInvitation as apiAcceptInvitation,
	acceptPasswordReset as apiAcceptPasswordReset,
	deleteRole as apiDeleteRole,
	deleteUser,
	fetchInvitations,
	fetchRoles,
	fetchUsers,
	patchUser,
	postInvitation,
	putRole,
	resendInvitation,
	revokeInvitation,
	sendPasswordReset,
	transferOwnership
} from '$lib/api/users';
import { ApiRequestError } from '$lib/api/client';
import type { CustomRole } from '$lib/schema/access';
import type { Me } from '$lib/schema/api';
import type {
	AcceptTokenRequest,
	CustomRoleBody,
	InviteRequest,
	PendingInvitation,
	TenantUser,
	UserPatch
} from '$lib/schema/users';

export type UsersStatus = 'idle' | 'loading' | 'ready' | 'offline' | 'failed';

export class UsersState {
	#users = $state<TenantUser[]>([]);
	#invitations = $state<PendingInvitation[]>([]);
	#roles = $state<CustomRole[]>([]);
	#status = $state<UsersStatus>('idle');
	#error = $state<unknown>(null);

	get users(): readonly TenantUser[] {
		return this.#users;
	}

	get invitations(): readonly PendingInvitation[] {
		return this.#invitations;
	}

	get customRoles(): readonly CustomRole[] {
		return this.#roles;
	}

	get status(): UsersStatus {
		return this.#status;
	}

	/** Why the last load failed (offline: `status` says so), for the screen to translate. */
	get error(): unknown {
		return this.#error;
	}

	async load(): Promise<void> {
		this.#status = 'loading';
		try {
			const [users, invitations, roles] = await Promise.all([fetchUsers(), fetchInvitations(), fetchRoles()]);
			this.#users = users;
			this.#invitations = invitations;
			this.#roles = roles;
			this.#status = 'ready';
			this.#error = null;
		} catch (error) {
			this.#error = error;
			this.#status = error instanceof ApiRequestError && error.isNetwork ? 'offline' : 'failed';
		}
	}

	/**
	 * Sends the invitation. When the mail fails (502 mail_failed) the invitation is kept on the server: the list is
	 * reloaded either way so that it shows with its resend action, and the error still reaches the caller.
	 */
	async invite(input: InviteRequest): Promise<void> {
		try {
			await postInvitation(input);
		} finally {
			await this.#reloadQuietly();
		}
	}

	async resend(invitationId: string): Promise<void> {
		await resendInvitation(invitationId);
		await this.#reloadQuietly();
	}

	async revoke(invitationId: string): Promise<void> {
		await revokeInvitation(invitationId);
		this.#invitations = this.#invitations.filter((invitation) => invitation.id !== invitationId);
	}

	async update(userId: string, patch: UserPatch): Promise<void> {
		const user = await patchUser(userId, patch);
		this.#users = this.#users.map((current) => (current.id === userId ? user : current));
	}

	async remove(userId: string): Promise<void> {
		await deleteUser(userId);
		this.#users = this.#users.filter((user) => user.id !== userId);
	}

	async resetPassword(userId: string): Promise<void> {
		await sendPasswordReset(userId);
	}

	async transferOwnership(userId: string): Promise<void> {
		await transferOwnership(userId);
		await this.#reloadQuietly();
	}

	/** P16: saves a custom role; without an id a new one is made (ids are the client's, like every entity's). */
	async saveRole(roleId: string | null, body: CustomRoleBody): Promise<CustomRole> {
		const role = await putRole(roleId ?? crypto.randomUUID(), body);
		const others = this.#roles.filter((current) => current.id !== role.id);
		this.#roles = [...others, role].sort((a, b) => fmt().compare(a.name, b.name));
		return role;
	}

	/** P16: deletes a custom role; the server refuses (409 role_in_use) while anyone or any invitation holds it. */
	async deleteRole(roleId: string): Promise<void> {
		await apiDeleteRole(roleId);
		this.#roles = this.#roles.filter((role) => role.id !== roleId);
	}

	async #reloadQuietly(): Promise<void> {
		try {
			const [users, invitations] = await Promise.all([fetchUsers(), fetchInvitations()]);
			this.#users = users;
			this.#invitations = invitations;
		} catch {
			// The change itself answered; a stale list is refreshed by the next load.
		}
	}
}

/**
 * H3, L5: the customer's setup: invites its own user (a Read-only role on that customer alone) when `email` is given, or
 * skips; the customer's status becomes normal on the server (and reaches this device through the tenant document).
 */
export function setUpCustomer(customerId: string, email: string | null): Promise<string | null> {
	return apiSetUpCustomer(customerId, email);
}

/** P16: custom roles are built by a Super Admin whose grant is the whole tenant (the API answers 403 otherwise). */
export function buildsRoles(me: Me): boolean {
	return me.role === 'superAdmin' && isTenantWide(me.grants);
}

/** The invitation link: sets the password and signs in (the caller then reloads the session). */
export function acceptInvitation(input: AcceptTokenRequest): Promise<void> {
	return apiAcceptInvitation(input);
}

/** The password reset link: sets the password; every session of the person ends, so they sign in again. */
export function acceptPasswordReset(input: AcceptTokenRequest): Promise<void> {
	return apiAcceptPasswordReset(input);
}
