// P13, P16: bodies and answers of the users API (users, invitations, password resets, ownership, custom roles).
import { z } from 'zod';
import { customRoleSchema, grantsSchema, permissionSchema, PERMISSIONS, roleSchema } from './access';
import { emailSchema, passwordSchema } from './api';
import { entityIdSchema } from './ids';
import { localeSchema } from './locale';

/** P13: `POST /api/users/invitations`; P14: `locale` is the recipient's language (their mail's template), English when absent. */
export const inviteRequestSchema = z.strictObject({
	email: emailSchema,
	role: roleSchema,
	grants: grantsSchema,
	locale: localeSchema.optional()
});
export type InviteRequest = z.infer<typeof inviteRequestSchema>;
export const inviteResponseSchema = z.object({ invitationId: entityIdSchema });

/** H3, L5: `POST /api/customers/<id>/setup`: invite the customer's own user (`email`), or skip the setup (no email). */
export const customerSetupRequestSchema = z.strictObject({ email: emailSchema.optional() });
export type CustomerSetupRequest = z.infer<typeof customerSetupRequestSchema>;
export const customerSetupResponseSchema = z.object({ invitationId: entityIdSchema.nullable() });

/** An invitation not yet accepted nor revoked; `expired` ones can be sent again. */
export const pendingInvitationSchema = z.object({
	id: entityIdSchema,
	email: z.string(),
	role: roleSchema,
	grants: grantsSchema,
	createdAt: z.string(),
	expiresAt: z.string(),
	expired: z.boolean()
});
export type PendingInvitation = z.infer<typeof pendingInvitationSchema>;
export const invitationsResponseSchema = z.object({ invitations: z.array(pendingInvitationSchema) });

/** A person of the tenant as `GET /api/users` lists them. */
export const tenantUserSchema = z.object({
	id: entityIdSchema,
	email: z.string(),
	role: roleSchema,
	grants: z.array(grantsSchema.element),
	active: z.boolean(),
	owner: z.boolean(),
	createdAt: z.string()
});
export type TenantUser = z.infer<typeof tenantUserSchema>;
export const usersResponseSchema = z.object({ users: z.array(tenantUserSchema) });

/** `PATCH /api/users/<userId>`: any of role, grants and active; at least one. */
export const userPatchSchema = z
	.strictObject({ role: roleSchema.optional(), grants: grantsSchema.optional(), active: z.boolean().optional() })
	.refine((patch) => patch.role !== undefined || patch.grants !== undefined || patch.active !== undefined, {
		message: 'change at least one of role, grants and active'
	});
export type UserPatch = z.infer<typeof userPatchSchema>;

/** The token of a mailed link: 32 random bytes, base64url (43 characters). */
export const linkTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'this link is not valid');

/** `POST /api/invitations/accept` and `POST /api/password-resets/accept`. */
export const acceptTokenRequestSchema = z.strictObject({ token: linkTokenSchema, password: passwordSchema });
export type AcceptTokenRequest = z.infer<typeof acceptTokenRequestSchema>;

/** `POST /api/tenant/owner`. */
export const ownerTransferRequestSchema = z.strictObject({ userId: entityIdSchema });

/** `PUT /api/roles/<roleId>`. */
export const customRoleBodySchema = z.strictObject({
	name: customRoleSchema.shape.name,
	permissions: z.array(permissionSchema).max(PERMISSIONS.length)
});
export type CustomRoleBody = z.infer<typeof customRoleBodySchema>;
export const rolesResponseSchema = z.object({ roles: z.array(customRoleSchema) });
