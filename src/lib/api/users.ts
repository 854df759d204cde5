// P13, P16: the browser's client of the users API (people, invitations, password resets, ownership, custom roles).
import { z } from 'zod';
import { customRoleSchema, type CustomRole } from '$lib/schema/access';
import {
	customerSetupResponseSchema,
	invitationsResponseSchema,
	inviteResponseSchema,
	rolesResponseSchema,
	tenantUserSchema,
	usersResponseSchema,
	type AcceptTokenRequest,
	type CustomRoleBody,
	type InviteRequest,
	type PendingInvitation,
	type TenantUser,
	type UserPatch
} from '$lib/schema/users';
import { parseJson, request } from './client';

const path = (id: string): string => encodeURIComponent(id);

export async function fetchUsers(): Promise<TenantUser[]> {
	return (await parseJson(await request('GET', '/api/users'), usersResponseSchema)).users;
}

export async function fetchInvitations(): Promise<PendingInvitation[]> {
	return (await parseJson(await request('GET', '/api/users/invitations'), invitationsResponseSchema)).invitations;
}

export async function fetchRoles(): Promise<CustomRole[]> {
	return (await parseJson(await request('GET', '/api/roles'), rolesResponseSchema)).roles;
}

/** P16: creates or replaces a custom role (the id is the caller's; Super Admins only). */
export async function putRole(roleId: string, body: CustomRoleBody): Promise<CustomRole> {
	const answer = z.object({ role: customRoleSchema });
	return (await parseJson(await request('PUT', `/api/roles/${path(roleId)}`, body), answer)).role;
}

/** P16: deletes a custom role; 409 `role_in_use` while people or invitations still hold it. */
export async function deleteRole(roleId: string): Promise<void> {
	await request('DELETE', `/api/roles/${path(roleId)}`);
}

export async function postInvitation(input: InviteRequest): Promise<string> {
	return (await parseJson(await request('POST', '/api/users/invitations', input), inviteResponseSchema)).invitationId;
}

export async function resendInvitation(invitationId: string): Promise<void> {
	await request('POST', `/api/users/invitations/${path(invitationId)}/resend`);
}

export async function revokeInvitation(invitationId: string): Promise<void> {
	await request('DELETE', `/api/users/invitations/${path(invitationId)}`);
}

export async function patchUser(userId: string, patch: UserPatch): Promise<TenantUser> {
	const answer = z.object({ user: tenantUserSchema });
	return (await parseJson(await request('PATCH', `/api/users/${path(userId)}`, patch), answer)).user;
}

export async function deleteUser(userId: string): Promise<void> {
	await request('DELETE', `/api/users/${path(userId)}`);
}

export async function sendPasswordReset(userId: string): Promise<void> {
	await request('POST', `/api/users/${path(userId)}/password-reset`);
}

/** H3, L5: sets a customer up: invites its own user (`email`), or skips (null); its status becomes normal. */
export async function setUpCustomer(customerId: string, email: string | null): Promise<string | null> {
	const body = email === null ? {} : { email };
	const answer = await parseJson(
		await request('POST', `/api/customers/${path(customerId)}/setup`, body),
		customerSetupResponseSchema
	);
	return answer.invitationId;
}

export async function transferOwnership(userId: string): Promise<void> {
	await request('POST', '/api/tenant/owner', { userId });
}

/** Signs the new person in (the answer sets the session cookie). */
export async function acceptInvitation(input: AcceptTokenRequest): Promise<void> {
	await request('POST', '/api/invitations/accept', input);
}

export async function acceptPasswordReset(input: AcceptTokenRequest): Promise<void> {
	await request('POST', '/api/password-resets/accept', input);
}
