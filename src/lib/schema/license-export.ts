// The vendor's license data as the file connector (`msp-license-export/1`, JSON or CSV) and the HTTP connector
// (`msp-license-api/1`) read it (../shared/fixtures/licenses/README.md). Parsed here before anything is imported.
import { z } from 'zod';
import { entityIdSchema } from './ids';
import { licenseAccountKindSchema, licenseTypeSchema } from './licenses';
import { countryCodeSchema, nodeNameSchema } from './tree';

export const LICENSE_EXPORT_FORMAT = 'msp-license-export/1';

/** Vendor ids of companies and sites: kept as references (`company:<id>`), so any short id without spaces. */
export const vendorIdSchema = z
	.string()
	.min(1, 'an id cannot be empty')
	.max(64, 'an id holds at most 64 characters')
	.regex(/^[^\s]+$/, 'an id holds no spaces');

export const vendorAccountSchema = z.object({
	/** Becomes the account's id in the portal, so it must be a portal id. */
	id: entityIdSchema,
	kind: licenseAccountKindSchema,
	name: z.string().trim().min(1, 'the account needs a name').max(200),
	login: z.string().trim().max(254)
});
export type VendorAccount = z.infer<typeof vendorAccountSchema>;

export const COMPANY_KINDS = ['distributor', 'mspManager', 'msp', 'managedMsp', 'customer'] as const;
export const COMPANY_ACCESS = ['write', 'read', 'none'] as const;

export const vendorSiteSchema = z.object({ id: vendorIdSchema, name: nodeNameSchema });

export const vendorCompanySchema = z.object({
	id: vendorIdSchema,
	name: nodeNameSchema,
	kind: z.enum(COMPANY_KINDS),
	parentId: vendorIdSchema.nullable(),
	access: z.enum(COMPANY_ACCESS),
	country: countryCodeSchema.nullable(),
	sites: z.array(vendorSiteSchema).default([])
});
export type VendorCompany = z.infer<typeof vendorCompanySchema>;

export const vendorLicenseSchema = z.object({
	publicId: z.string().trim().min(1, 'a license needs its public ID').max(40),
	product: z.string().trim().min(1, 'a license needs a product').max(120),
	type: licenseTypeSchema,
	companyId: vendorIdSchema,
	siteId: vendorIdSchema.nullable(),
	unitsOrdered: z.number().int('units are whole numbers').min(1, 'at least one unit is ordered'),
	unitsActivated: z.number().int('units are whole numbers').min(0, 'activated units cannot be negative'),
	expiresOn: z.iso.date('the expiry is a date (YYYY-MM-DD)'),
	suspended: z.boolean()
});
export type VendorLicense = z.infer<typeof vendorLicenseSchema>;

/** Everything one account holds, whichever connector read it. */
export interface LicenseExport {
	readonly account: VendorAccount;
	readonly companies: readonly VendorCompany[];
	readonly licenses: readonly VendorLicense[];
	readonly exportedAt: string | null;
}

export const licenseExportFileSchema = z.object({
	format: z.literal(LICENSE_EXPORT_FORMAT, { error: `the format must be "${LICENSE_EXPORT_FORMAT}"` }),
	exportedAt: z.iso.datetime({ offset: true }).optional(),
	account: vendorAccountSchema,
	companies: z.array(z.unknown()),
	licenses: z.array(z.unknown())
});

/** One thing wrong with an import: where (a file, line or JSON path) and what. */
export const importIssueSchema = z.object({ where: z.string().max(300), message: z.string().max(500) });
export type ImportIssue = z.infer<typeof importIssueSchema>;

/** At most this many issues are reported for one file (the rest are counted). */
export const MAX_IMPORT_ISSUES = 200;

/** `msp-license-api/1`: one page of companies or licenses. */
export const vendorPageSchema = z.object({
	items: z.array(z.unknown()),
	next: z.string().min(1).max(500).nullable()
});
export const VENDOR_PAGE_LIMIT = 100;

/** The refusals of an import or a sync (422 codes of the API). */
export const IMPORT_ERROR_CODES = ['invalid_import', 'distributor_account', 'no_readable_company'] as const;
export type ImportErrorCode = (typeof IMPORT_ERROR_CODES)[number];

/** What an import or a sync did (the API's 200 answer). */
export const importResultSchema = z.object({
	accountId: entityIdSchema,
	added: z.number().int().min(0),
	changed: z.number().int().min(0),
	removed: z.number().int().min(0),
	companiesAdded: z.number().int().min(0)
});
export type ImportResult = z.infer<typeof importResultSchema>;
