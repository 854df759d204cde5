// P13, P16: roles, grants and users-API errors as text a person reads.
import { m } from '$lib/paraglide/messages.js';
import { ApiRequestError } from '$lib/api/client';
import type { BuiltInRole, CustomRole, Grant, Role } from '$lib/schema/access';
import { BUILT_IN_ROLES } from '$lib/schema/access';
import { errorMessage } from './labels';

const BUILT_IN_LABELS: Record<BuiltInRole, () => string> = {
	superAdmin: m.users_role_superAdmin,
	admin: m.users_role_admin,
	helpDesk: m.users_role_helpDesk,
	readOnly: m.users_role_readOnly,
	businessAdmin: m.users_role_businessAdmin
};

export function roleLabel(role: Role, customRoles: readonly CustomRole[]): string {
	if (role.startsWith('custom:')) {
		const id = role.slice('custom:'.length);
		return customRoles.find((custom) => custom.id === id)?.name ?? m.users_role_missing();
	}
	return BUILT_IN_LABELS[role as BuiltInRole]();
}

/** Every role a person may be given, built-in first, as select options. */
export function roleOptions(customRoles: readonly CustomRole[]): { value: Role; label: string }[] {
	return [
		...BUILT_IN_ROLES.map((role) => ({ value: role as Role, label: BUILT_IN_LABELS[role]() })),
		...customRoles.map((custom) => ({ value: `custom:${custom.id}` as Role, label: custom.name }))
	];
}

/** A short text of where the role applies: "Whole organization" or the first names of the chosen items. */
export function grantsSummary(grants: readonly Grant[], nameOf: (id: string) => string | null): string {
	if (grants.some((grant) => grant.scope === 'tenant')) return m.users_grants_tenant();
	const names = grants.map((grant) => ('id' in grant ? (nameOf(grant.id) ?? m.users_grants_unknown()) : ''));
	const shown = names.slice(0, 3).join(', ');
	return names.length > 3
		? m.users_grants_more({ names: shown, count: names.length - 3 })
		: m.users_grants_list({ names: shown });
}

/** The users API's own refusals in words; anything else as the app says it elsewhere. */
export function usersErrorMessage(error: unknown): string {
	if (error instanceof ApiRequestError) {
		switch (error.code) {
			case 'mail_failed':
				return m.users_error_mail_failed();
			case 'role_not_assignable':
				return m.users_error_role_not_assignable();
			case 'owner_protected':
				return m.users_error_owner_protected();
			case 'own_account':
				return m.users_error_own_account();
			case 'already_invited':
				return m.users_error_already_invited();
			case 'forbidden':
			case 'not_owner':
				return m.users_error_forbidden();
			case 'user_not_found':
			case 'invitation_not_found':
				return m.users_error_not_found();
			case 'invitation_expired':
				return m.users_error_invitation_expired();
			case 'invitation_used':
				return m.users_error_invitation_used();
			case 'invitation_revoked':
				return m.users_error_invitation_revoked();
			case 'invitation_invalid':
				return m.users_error_invitation_invalid();
			case 'reset_expired':
				return m.users_error_reset_expired();
			case 'reset_invalid':
				return m.users_error_reset_invalid();
		}
	}
	return errorMessage(error);
}
