// P13, P16, H6: roles, named permissions and grants, as the API, the store and the access module (domain/access.ts) speak them.
import { z } from 'zod';
import { entityIdSchema } from './ids';

/**
 * What a role may change (reading is decided by the grant alone: a person reads everything their grant covers).
 * - `tree.edit`: create, rename, move and delete MSP tree nodes (distributors, MSPs, customers, sites).
 * - `customers.edit`: a customer's profile, contacts, notes and sites.
 * - `licenses.edit`: license accounts, pools and license units.
 * - `licenses.sync`: run the vendor license sync.
 * - `serviceRequests.edit`: open and work service requests.
 * - `billing.edit`: billing profiles and billing settings.
 * - `users.manage`: invite, change, deactivate and delete users.
 * - `audit.read`: the audit log.
 * - `settings.edit`: tenant settings (session timeout, trusted addresses, retention).
 * - `groups.manage`: customer groups (C5).
 * - `reports.edit`: save, change and delete custom reports in the tenant (P8); running reports needs no permission.
 */
export const PERMISSIONS = [
	'tree.edit',
	'customers.edit',
	'licenses.edit',
	'licenses.sync',
	'serviceRequests.edit',
	'billing.edit',
	'users.manage',
	'audit.read',
	'settings.edit',
	'groups.manage',
	'reports.edit'
] as const;
export const permissionSchema = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof permissionSchema>;

/** P16: the predefined partner roles. */
export const BUILT_IN_ROLES = ['superAdmin', 'admin', 'helpDesk', 'readOnly', 'businessAdmin'] as const;
export const builtInRoleSchema = z.enum(BUILT_IN_ROLES);
export type BuiltInRole = z.infer<typeof builtInRoleSchema>;

/** `custom:<roleId>`: a role a Super Admin built from named permissions. */
export const customRoleNameSchema = z.templateLiteral([z.literal('custom:'), entityIdSchema]);

/** A role as the API, the CLI and the store name it. */
export const roleSchema = z.union([builtInRoleSchema, customRoleNameSchema]);
export type Role = z.infer<typeof roleSchema>;

/** Roles written by the first versions (owner, admin, readOnly): `owner` is the tenant's owner, a Super Admin. */
export const LEGACY_ROLE_NAMES: Readonly<Record<string, BuiltInRole>> = {
	owner: 'superAdmin',
	admin: 'admin',
	readOnly: 'readOnly'
};

/** A custom role of a tenant: a name shown to people and the permissions it grants. */
export const customRoleSchema = z.object({
	id: entityIdSchema,
	name: z.string().trim().min(1).max(80),
	permissions: z.array(permissionSchema).max(PERMISSIONS.length)
});
export type CustomRole = z.infer<typeof customRoleSchema>;

/**
 * H6, P16: where a role applies. The whole tenant; a node of the MSP tree and its subtree; one customer; or every customer of
 * a customer group.
 */
export const grantSchema = z.discriminatedUnion('scope', [
	z.strictObject({ scope: z.literal('tenant') }),
	z.strictObject({ scope: z.literal('node'), id: entityIdSchema }),
	z.strictObject({ scope: z.literal('customer'), id: entityIdSchema }),
	z.strictObject({ scope: z.literal('group'), id: entityIdSchema })
]);
export type Grant = z.infer<typeof grantSchema>;

/** A person's grants; at least one, at most a few hundred (a technician's customers). */
export const grantsSchema = z.array(grantSchema).min(1).max(500);
