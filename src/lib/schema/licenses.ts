// License accounts, pools and licenses as stored in the tenant document (L13); managed in their own issue.
import { z } from 'zod';
import { entityIdSchema } from './ids';

export const LICENSE_TYPES = ['business', 'trial', 'msp', 'nfr'] as const;
export const licenseTypeSchema = z.enum(LICENSE_TYPES);
export type LicenseType = z.infer<typeof licenseTypeSchema>;

export const ACCOUNT_KINDS = ['msp', 'managedMsp', 'mspManager', 'distributor', 'business'] as const;
export const licenseAccountKindSchema = z.enum(ACCOUNT_KINDS);

export const licenseAccountSchema = z.object({
	id: entityIdSchema,
	kind: licenseAccountKindSchema,
	name: z.string().min(1).max(200),
	login: z.string().max(254)
});
export type LicenseAccount = z.infer<typeof licenseAccountSchema>;

/** A pool belongs to one account and sits in one access group (a tree node); licenses never leave it (L8). */
export const licensePoolSchema = z.object({
	id: entityIdSchema,
	name: z.string().min(1).max(200),
	accountId: entityIdSchema,
	groupId: entityIdSchema
});
export type LicensePool = z.infer<typeof licensePoolSchema>;

/** One license: a single plain record in the tenant document, so that 20,000 of them stay compact. */
export const licenseSchema = z.object({
	id: entityIdSchema,
	publicId: z.string().min(1).max(40),
	poolId: entityIdSchema,
	product: z.string().min(1).max(120),
	type: licenseTypeSchema,
	unitsOrdered: z.number().int().min(1),
	unitsActivated: z.number().int().min(0),
	expiresOn: z.iso.date(),
	suspended: z.boolean(),
	ownerId: entityIdSchema,
	tag: z.string().max(200)
});
export type License = z.infer<typeof licenseSchema>;
