// License accounts, pools and licenses as stored in the tenant document (L1-L16).
import { z } from 'zod';
import { entityIdSchema, vendorRefSchema } from './ids';

export const LICENSE_TYPES = ['business', 'trial', 'msp', 'nfr'] as const;
export const licenseTypeSchema = z.enum(LICENSE_TYPES);
export type LicenseType = z.infer<typeof licenseTypeSchema>;

export const ACCOUNT_KINDS = ['msp', 'managedMsp', 'mspManager', 'distributor', 'business'] as const;
export const licenseAccountKindSchema = z.enum(ACCOUNT_KINDS);
export type LicenseAccountKind = z.infer<typeof licenseAccountKindSchema>;

/** L1: the account kinds License management imports (a distributor account is refused). */
export const IMPORTABLE_ACCOUNT_KINDS: readonly LicenseAccountKind[] = ['msp', 'managedMsp', 'mspManager', 'business'];

/** Where an account's licenses come from: a file (dropped into the app or a watched folder) or the vendor's HTTP API. */
export const connectorKindSchema = z.enum(['file', 'http']);
export type ConnectorKind = z.infer<typeof connectorKindSchema>;

/** An account's id is the vendor's account id (an import of the same account twice is the same account). */
export const licenseAccountSchema = z.object({
	id: entityIdSchema,
	kind: licenseAccountKindSchema,
	name: z.string().min(1).max(200),
	login: z.string().max(254),
	/** How the account is synchronized (its credentials live on the server only). */
	connector: connectorKindSchema.optional()
});
export type LicenseAccount = z.infer<typeof licenseAccountSchema>;

/** A pool belongs to one account and sits in one access group (a tree node); licenses never leave it (L8). */
export const licensePoolSchema = z.object({
	id: entityIdSchema,
	name: z.string().min(1).max(200),
	accountId: entityIdSchema,
	groupId: entityIdSchema,
	/** L10: the vendor company (MSP accounts) or site (business accounts) whose licenses the pool holds. */
	vendorRef: vendorRefSchema.optional()
});
export type LicensePool = z.infer<typeof licensePoolSchema>;

/** L15: a trial can be extended this many times, by TRIAL_EXTENSION_DAYS each. */
export const MAX_TRIAL_EXTENSIONS = 2;
export const TRIAL_EXTENSION_DAYS = 30;

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
	/** As the vendor says. */
	suspended: z.boolean(),
	ownerId: entityIdSchema,
	/** L3: the company name when the license was first imported from an MSP-type account; never renamed by a sync (L4). */
	tag: z.string().max(200),
	/** The vendor no longer lists it (kept, shown as removed, rather than silently deleted). */
	removed: z.boolean().default(false),
	/** L14: suspended in the portal (a suspended company); a sync keeps it. */
	held: z.boolean().default(false),
	/** L15: how often the trial was extended in the portal. */
	extensions: z.number().int().min(0).max(MAX_TRIAL_EXTENSIONS).default(0),
	/** L15: units of this trial converted to paid licenses (the trial's own units are never reduced, L14). */
	convertedUnits: z.number().int().min(0).default(0),
	/** `portal`: made in the portal (a converted trial); a sync never marks it removed. */
	origin: z.enum(['vendor', 'portal']).default('vendor')
});
export type License = z.infer<typeof licenseSchema>;
export type LicenseInput = z.input<typeof licenseSchema>;

/** The portal's own facts about a license, in version 2 records only (absent keys: the defaults). */
const licenseExtrasSchema = z.strictObject({
	removed: z.literal(true).optional(),
	held: z.literal(true).optional(),
	extensions: z.number().int().min(1).max(MAX_TRIAL_EXTENSIONS).optional(),
	convertedUnits: z.number().int().min(1).optional(),
	origin: z.literal('portal').optional()
});

const recordFields = [
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
] as const;

/**
 * How a license is stored in the tenant document: a positional tuple keyed by license id, without field names,
 * which keeps 20,000 licenses at about a third of the size of one Y.Map per license (see `npm run bench`).
 * The first element is the record version: 1 for a license as the vendor has it, 2 when the portal's own facts
 * (removed, held, extensions, converted units, origin) follow as a twelfth element.
 */
export const licenseRecordV1Schema = z.tuple([z.literal(1), ...recordFields]);
export const licenseRecordV2Schema = z.tuple([z.literal(2), ...recordFields, licenseExtrasSchema]);
export const licenseRecordSchema = z.union([licenseRecordV1Schema, licenseRecordV2Schema]);
export type LicenseRecord = z.infer<typeof licenseRecordSchema>;

export function toLicenseRecord(input: LicenseInput): LicenseRecord {
	const l = licenseSchema.parse(input);
	const fields = [
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
	] as const;
	const extras: z.infer<typeof licenseExtrasSchema> = {};
	if (l.removed) extras.removed = true;
	if (l.held) extras.held = true;
	if (l.extensions > 0) extras.extensions = l.extensions;
	if (l.convertedUnits > 0) extras.convertedUnits = l.convertedUnits;
	if (l.origin === 'portal') extras.origin = 'portal';
	return Object.keys(extras).length === 0 ? [1, ...fields] : [2, ...fields, extras];
}

export function fromLicenseRecord(id: string, record: LicenseRecord): License {
	const [, publicId, poolId, product, type, unitsOrdered, unitsActivated, expiresOn, suspended, ownerId, tag] = record;
	const extras = record[0] === 2 ? record[11] : {};
	return {
		id,
		publicId,
		poolId,
		product,
		type,
		unitsOrdered,
		unitsActivated,
		expiresOn,
		suspended,
		ownerId,
		tag,
		removed: extras.removed ?? false,
		held: extras.held ?? false,
		extensions: extras.extensions ?? 0,
		convertedUnits: extras.convertedUnits ?? 0,
		origin: extras.origin ?? 'vendor'
	};
}

/** L4: a tag edited by hand, kept beside the license record (root `licenseTags`) so that it merges with a sync's writes. */
export const licenseTagSchema = z.string().trim().max(200, 'a tag holds at most 200 characters');
