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

/**
 * How a license is stored in the tenant document: a positional tuple keyed by license id, without field names,
 * which keeps 20,000 licenses at about a third of the size of one Y.Map per license (see `npm run bench`).
 * The first element is the record version so that the layout can change later.
 */
export const licenseRecordSchema = z.tuple([
	z.literal(1),
	licenseSchema.shape.publicId,
	licenseSchema.shape.poolId,
	licenseSchema.shape.product,
	licenseSchema.shape.type,
	licenseSchema.shape.unitsOrdered,
	licenseSchema.shape.unitsActivated,
	licenseSchema.shape.expiresOn,
	licenseSchema.shape.suspended,
	licenseSchema.shape.ownerId,
	licenseSchema.shape.tag
]);
export type LicenseRecord = z.infer<typeof licenseRecordSchema>;

export function toLicenseRecord(license: License): LicenseRecord {
	const l = licenseSchema.parse(license);
	return [
		1,
		l.publicId,
		l.poolId,
		l.product,
		l.type,
		l.unitsOrdered,
		l.unitsActivated,
		l.expiresOn,
		l.suspended,
		l.ownerId,
		l.tag
	];
}

export function fromLicenseRecord(id: string, record: LicenseRecord): License {
	const [, publicId, poolId, product, type, unitsOrdered, unitsActivated, expiresOn, suspended, ownerId, tag] = record;
	return { id, publicId, poolId, product, type, unitsOrdered, unitsActivated, expiresOn, suspended, ownerId, tag };
}
