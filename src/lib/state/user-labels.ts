// P13, P16: roles, grants and users-API errors as text a person reads.
import { isTenantWide } from '$lib/domain/access';
import { m } from '$lib/paraglide/messages.js';
import { ApiRequestError } from '$lib/api/client';
import type { BuiltInRole, CustomRole, Grant, Permission, Role } from '$lib/schema/access';
import { BUILT_IN_ROLES, PERMISSIONS } from '$lib/schema/access';
import { errorMessage } from './labels';

const BUILT_IN_LABELS: Record<BuiltInRole, () => string> = {
	superAdmin: m.users_role_superAdmin,
	admin: m.users_role_admin,
	helpDesk: m.users_role_helpDesk,
	readOnly: m.users_role_readOnly,
	businessAdmin: m.users_role_businessAdmin
};

/** P16: each named permission as a short label and a one-line explanation of what it allows. */
const PERMISSION_TEXT: Record<Permission, { label: () => string; hint: () => string }> = {
	'tree.edit': { label: m.users_perm_tree_edit, hint: m.users_perm_tree_edit_hint },
	'customers.edit': { label: m.users_perm_customers_edit, hint: m.users_perm_customers_edit_hint },
	'licenses.edit': { label: m.users_perm_licenses_edit, hint: m.users_perm_licenses_edit_hint },
	'licenses.sync': { label: m.users_perm_licenses_sync, hint: m.users_perm_licenses_sync_hint },
	'serviceRequests.edit': { label: m.users_perm_serviceRequests_edit, hint: m.users_perm_serviceRequests_edit_hint },
	'billing.edit': { label: m.users_perm_billing_edit, hint: m.users_perm_billing_edit_hint },
	'users.manage': { label: m.users_perm_users_manage, hint: m.users_perm_users_manage_hint },
	'audit.read': { label: m.users_perm_audit_read, hint: m.users_perm_audit_read_hint },
	'settings.edit': { label: m.users_perm_settings_edit, hint: m.users_perm_settings_edit_hint },
	'groups.manage': { label: m.users_perm_groups_manage, hint: m.users_perm_groups_manage_hint },
	'reports.edit': { label: m.users_perm_reports_edit, hint: m.users_perm_reports_edit_hint }
};

export function permissionLabel(permission: Permission): string {
	return PERMISSION_TEXT[permission].label();
}

/** Every permission in the schema's order, with its label and explanation, for the role editor. */
export function permissionOptions(): { value: Permission; label: string; hint: string }[] {
	return PERMISSIONS.map((value) => ({
		value,
		label: PERMISSION_TEXT[value].label(),
		hint: PERMISSION_TEXT[value].hint()
	}));
}

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
	if (isTenantWide(grants)) return m.users_grants_tenant();
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
			case 'role_in_use':
				return m.users_error_role_in_use();
			case 'role_not_found':
				return m.users_error_role_not_found();
		}
	}
	return errorMessage(error);
}
