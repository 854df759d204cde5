// The license API (L1-L4, L6-L8, L10-L12, L16) as the app and scripts see it: bodies and answers, parsed with zod on both sides.
import { z } from 'zod';
import { entityIdSchema } from './ids';
import { connectorKindSchema } from './licenses';
import { IMPORT_ERROR_CODES, importIssueSchema } from './license-export';

/** `POST /api/licenses/accounts`: connect a vendor account through the HTTP connector; a first sync runs at once. */
export const addAccountRequestSchema = z.object({
	connector: z.literal('http'),
	url: z
		.url({ protocol: /^https?$/, error: 'enter the vendor API address (http or https)' })
		.max(500, 'the address holds at most 500 characters'),
	token: z.string().trim().min(1, 'enter the API token').max(2000)
});
export type AddAccountRequest = z.infer<typeof addAccountRequestSchema>;

/** The 422 of an import, an account or a sync: what is wrong, one detail per bad entry (`where`: file, line or path). */
export const importErrorSchema = z.object({
	error: z.object({
		code: z.enum([...IMPORT_ERROR_CODES, 'sync_failed']),
		message: z.string(),
		details: z.array(importIssueSchema).default([])
	})
});
export type ImportError = z.infer<typeof importErrorSchema>;

/** What a sync (or an import) did, as remembered on the server. */
export const syncRecordSchema = z.object({
	at: z.iso.datetime(),
	status: z.enum(['ok', 'failed']),
	added: z.number().int().min(0),
	changed: z.number().int().min(0),
	removed: z.number().int().min(0),
	companiesAdded: z.number().int().min(0),
	/** Why a failed sync failed (it changed nothing). */
	message: z.string().max(1000).optional()
});
export type SyncRecord = z.infer<typeof syncRecordSchema>;

/** `GET /api/licenses/accounts`: each account's connector and syncs (never its credentials). */
export const licenseAccountInfoSchema = z.object({
	accountId: entityIdSchema,
	connector: connectorKindSchema,
	/** The vendor API's address (http), without credentials; null for files. */
	url: z.string().max(500).nullable(),
	lastSync: syncRecordSchema.nullable(),
	/** When the daily sync runs next (L12); null when the account has nothing to sync from. */
	nextSyncAt: z.iso.datetime().nullable()
});
export type LicenseAccountInfo = z.infer<typeof licenseAccountInfoSchema>;
export const licenseAccountsResponseSchema = z.object({ accounts: z.array(licenseAccountInfoSchema) });

/** `GET /api/licenses/sync-status`: the sync running for this tenant now, if any (progress while it runs). */
export const syncProgressSchema = z.object({
	accountId: entityIdSchema.nullable(),
	phase: z.enum(['reading', 'applying']),
	/** Companies and licenses read so far. */
	companies: z.number().int().min(0),
	licenses: z.number().int().min(0),
	startedAt: z.iso.datetime()
});
export type SyncProgress = z.infer<typeof syncProgressSchema>;
export const syncStatusResponseSchema = z.object({ running: syncProgressSchema.nullable() });

/** `POST /api/licenses/import` and the syncs answer this (200). */
export { importResultSchema, type ImportResult } from './license-export';

/** L16: one day of a license's usage (at most one per license and day). */
export const usageDaySchema = z.object({
	day: z.iso.date(),
	unitsActivated: z.number().int().min(0),
	unitsOrdered: z.number().int().min(1)
});
export type UsageDay = z.infer<typeof usageDaySchema>;

export const LICENSE_EVENT_KINDS = [
	'added',
	'changed',
	'removed',
	'restored',
	'suspended',
	'resumed',
	'extended',
	'converted',
	'poolMoved',
	'tagEdited'
] as const;

/** L16: one thing that happened to a license (an import, a sync, a command). */
export const licenseEventSchema = z.object({
	at: z.iso.datetime(),
	kind: z.enum(LICENSE_EVENT_KINDS),
	/** What changed, in words without personal data ("units 48/50 → 49/50"). */
	detail: z.string().max(500)
});
export type LicenseEvent = z.infer<typeof licenseEventSchema>;

/** `GET /api/licenses/<licenseId>/history` (`?format=csv`: the same as CSV). */
export const licenseHistoryResponseSchema = z.object({
	licenseId: entityIdSchema,
	publicId: z.string(),
	usage: z.array(usageDaySchema),
	events: z.array(licenseEventSchema)
});
export type LicenseHistoryResponse = z.infer<typeof licenseHistoryResponseSchema>;
