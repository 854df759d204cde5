// Bodies and answers of the JSON API under /api; the server parses requests and the app parses answers with these.
import { z } from 'zod';
import { docNameSchema, tenantIdSchema } from './ids';
import { localeSchema } from './locale';
import { grantsSchema, LEGACY_ROLE_NAMES, permissionSchema, roleSchema } from './access';

export { roleSchema, type Role } from './access';

/** A role as an older app cached it (owner, admin, readOnly) read as today's role (P16). */
const roleReadSchema = z.preprocess(
	(value) => (typeof value === 'string' ? (LEGACY_ROLE_NAMES[value] ?? value) : value),
	roleSchema
);

export const emailSchema = z
	.email('enter a valid email address')
	.max(254)
	.transform((e) => e.toLowerCase());
export const passwordSchema = z
	.string()
	.min(10, 'a password needs at least 10 characters')
	.max(200, 'a password holds at most 200 characters');

export const setupRequestSchema = z.object({
	token: z.string().min(16).max(200),
	email: emailSchema,
	password: passwordSchema,
	tenantName: z.string().trim().min(1, 'the organization needs a name').max(120)
});
export type SetupRequest = z.infer<typeof setupRequestSchema>;

export const setupResponseSchema = z.object({ tenantId: tenantIdSchema });

export const signInRequestSchema = z.object({
	email: emailSchema,
	password: z.string().min(1).max(200)
});
export type SignInRequest = z.infer<typeof signInRequestSchema>;

export const meSchema = z.object({
	userId: z.string(),
	email: z.string(),
	tenantId: tenantIdSchema,
	tenantName: z.string(),
	role: roleReadSchema,
	/** P13: this person is the tenant's owner (a Super Admin; exactly one per tenant). */
	owner: z.boolean().default(false),
	/** What the role may change (P16), resolved by the server (custom roles included). */
	permissions: z.array(permissionSchema).default([]),
	/** Where the role applies (H6). */
	grants: grantsSchema.default([{ scope: 'tenant' }]),
	/** P9, S115: the language this person chose (null: none yet, the browser's applies). Unknown or absent: null (S119). */
	locale: localeSchema.nullable().default(null).catch(null)
});
export type Me = z.infer<typeof meSchema>;

/** S32: `POST /api/sync/heads`: which of these documents changed on the server since this device last synced them. */
export const MAX_HEADS_PER_REQUEST = 20_000;
export const syncHeadsRequestSchema = z.object({ docs: z.array(docNameSchema).max(MAX_HEADS_PER_REQUEST) });
export type SyncHeadsRequest = z.infer<typeof syncHeadsRequestSchema>;
/** The last committed sequence number of each requested document the person may read (others are left out). */
export const syncHeadsResponseSchema = z.object({
	heads: z.record(docNameSchema, z.number().int().nonnegative())
});
export type SyncHeadsResponse = z.infer<typeof syncHeadsResponseSchema>;

export const setupStateSchema = z.object({ needsSetup: z.boolean() });

export const healthSchema = z.object({
	status: z.enum(['ok', 'degraded']),
	version: z.string(),
	/** Only with a session (S57). */
	store: z.object({ kind: z.string(), ok: z.boolean(), documents: z.number().int().nonnegative() }).optional()
});
export type Health = z.infer<typeof healthSchema>;

/** Every error answer of the API. `code` is stable and is what the app translates. */
export const apiErrorSchema = z.object({
	error: z.object({ code: z.string(), message: z.string() })
});
export type ApiError = z.infer<typeof apiErrorSchema>;
