// P17: the audit log as the API answers it and the filters it takes (GET /api/audit), shared by the server and the app.
import { z } from 'zod';

/** Item types and actions are short words; anything else is not a filter the log could match. */
const wordSchema = z
	.string()
	.min(1)
	.max(40)
	.regex(/^[A-Za-z]+$/, 'letters only');

/** A day (YYYY-MM-DD, UTC) or an instant (ISO 8601 with a zone). */
const timeSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const AUDIT_PAGE_DEFAULT = 100;
export const AUDIT_PAGE_MAX = 500;

/** The query string of GET /api/audit; every filter is optional, they combine with AND. */
export const auditQuerySchema = z.strictObject({
	/** From this time (inclusive); a day means its start (UTC). */
	from: timeSchema.optional(),
	/** Until this time (exclusive); a day means its end (UTC), so from=to=that day is the whole day. */
	to: timeSchema.optional(),
	/** A user's id or email. */
	user: z.string().trim().min(1).max(254).optional(),
	itemType: wordSchema.optional(),
	item: z.string().min(1).max(200).optional(),
	action: wordSchema.optional(),
	limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).default(AUDIT_PAGE_DEFAULT),
	/** The `nextCursor` of the previous page. */
	cursor: z
		.string()
		.regex(/^[1-9][0-9]{0,15}$/, 'not a cursor of this log')
		.optional(),
	format: z.enum(['json', 'csv']).default('json')
});
export type AuditQueryInput = z.input<typeof auditQuerySchema>;
export type AuditQueryParams = z.output<typeof auditQuerySchema>;

export const auditRowSchema = z.object({
	id: z.number().int(),
	/** When the server recorded it (for a client's change: when it arrived). */
	at: z.string(),
	/** When the change was made on the device, where the record says so. */
	madeAt: z.string().nullable(),
	userId: z.string().nullable(),
	/** The user's email at read time; the id when the user is gone; null for the server itself. */
	user: z.string().nullable(),
	ip: z.string().nullable(),
	itemType: z.string(),
	item: z.string(),
	action: z.string(),
	description: z.string()
});
export type AuditRow = z.infer<typeof auditRowSchema>;

export const auditPageSchema = z.object({
	entries: z.array(auditRowSchema),
	/** Pass as `cursor` for the next (older) page; null on the last page. */
	nextCursor: z.string().nullable()
});
export type AuditPage = z.infer<typeof auditPageSchema>;

/** Item types and actions the filters offer (the log may hold others; the API accepts any word). */
export const AUDIT_ITEM_TYPES = [
	'treeNode',
	'licensePool',
	'licenseAccount',
	'license',
	'contact',
	'note',
	'meta',
	'user',
	'tenant',
	'settings',
	// P15: profiles and assignments (client changes) and the billing reports the server sent, skipped or failed.
	'billingProfile',
	'billingAssignment',
	'billingReport'
] as const;
export const AUDIT_ACTIONS = [
	'created',
	'updated',
	'deleted',
	'rejected',
	'signedIn',
	'signInFailed',
	// P15: what became of a billing report.
	'sent',
	'skipped',
	'failed'
] as const;
