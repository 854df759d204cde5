// P9, P12, P17, P18: a tenant's security settings. Server-authoritative (SQLite, never in a CRDT): changed through the API.
import { z } from 'zod';

/** One address or a CIDR range, IPv4 or IPv6 (`192.0.2.10`, `10.0.0.0/8`, `2001:db8::/32`). */
export const addressRangeSchema = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], {
	error: 'not an IP address or CIDR range'
});

export const DEFAULT_SESSION_TIMEOUT_MINUTES = 15;
export const DEFAULT_AUDIT_RETENTION_DAYS = 180;
export const DEFAULT_TIME_ZONE = 'UTC';

/** An IANA time zone name this runtime knows (`Europe/Berlin`, `UTC`), as Intl checks it. */
export function isKnownTimeZone(name: string): boolean {
	try {
		new Intl.DateTimeFormat('en', { timeZone: name });
		return true;
	} catch {
		return false;
	}
}

/** P9, L14: the tenant's time zone; its "today" decides when a license expires or is expiring soon. */
export const timeZoneSchema = z
	.string()
	.min(1)
	.max(64)
	.refine(isKnownTimeZone, { error: 'not a known IANA time zone' });

/** P9: how dates read. `auto` is the UI language's own order and separators; the others are fixed patterns. */
export const DATE_FORMATS = ['auto', 'dd.mm.yyyy', 'dd/mm/yyyy', 'mm/dd/yyyy', 'yyyy-mm-dd'] as const;
export const dateFormatSchema = z.enum(DATE_FORMATS, { error: 'not a known date format' });
export type DateFormat = z.infer<typeof dateFormatSchema>;

/** P9: the clock. `auto` is the UI language's own (24 h in de/es/pl/it, 12 h in en). */
export const TIME_FORMATS = ['auto', '24h', '12h'] as const;
export const timeFormatSchema = z.enum(TIME_FORMATS, { error: 'not a known time format' });
export type TimeFormat = z.infer<typeof timeFormatSchema>;

/** P9: the first day of the week in calendars and week-based pickers. `auto` is the UI language's (Intl week info). */
export const WEEK_STARTS = ['auto', 'monday', 'sunday', 'saturday'] as const;
export const weekStartSchema = z.enum(WEEK_STARTS, { error: 'not a known first day of the week' });
export type WeekStart = z.infer<typeof weekStartSchema>;

export const tenantSettingsSchema = z.object({
	/** P18: minutes of inactivity after which the app locks and the server's session ends. */
	sessionTimeoutMinutes: z
		.number()
		.int()
		.min(1)
		.max(24 * 60)
		.default(DEFAULT_SESSION_TIMEOUT_MINUTES),
	/** P12: when enabled, sign-in, the API and websockets are accepted only from these addresses. */
	trustedAddresses: z
		.object({ enabled: z.boolean(), ranges: z.array(addressRangeSchema).max(200) })
		.default({ enabled: false, ranges: [] }),
	/** P17: audit entries older than this are purged daily. */
	auditRetentionDays: z.number().int().min(1).max(730).default(DEFAULT_AUDIT_RETENTION_DAYS),
	/** P9, L14: the tenant's time zone (IANA name). */
	timeZone: timeZoneSchema.default(DEFAULT_TIME_ZONE),
	/** P9: how dates, times and weeks read on every screen, in printed reports and (dates) in CSV exports. */
	dateFormat: dateFormatSchema.default('auto'),
	timeFormat: timeFormatSchema.default('auto'),
	weekStart: weekStartSchema.default('auto'),
	/** C6: the partner takes part in the monthly-billing program (monthly, usage-billed customer accounts). */
	monthlyBillingProgram: z.boolean().default(false)
});
export type TenantSettings = z.infer<typeof tenantSettingsSchema>;

export const DEFAULT_TENANT_SETTINGS: TenantSettings = tenantSettingsSchema.parse({});

const { shape } = tenantSettingsSchema;

/** `PATCH /api/settings`: any of the settings; what is left out stays as it is (no defaults filled in here). */
export const tenantSettingsPatchSchema = z.strictObject({
	sessionTimeoutMinutes: shape.sessionTimeoutMinutes.unwrap().optional(),
	trustedAddresses: shape.trustedAddresses.unwrap().optional(),
	auditRetentionDays: shape.auditRetentionDays.unwrap().optional(),
	timeZone: shape.timeZone.unwrap().optional(),
	dateFormat: dateFormatSchema.optional(),
	timeFormat: timeFormatSchema.optional(),
	weekStart: weekStartSchema.optional(),
	monthlyBillingProgram: shape.monthlyBillingProgram.unwrap().optional()
});
export type TenantSettingsPatch = z.infer<typeof tenantSettingsPatchSchema>;

/**
 * `GET /api/settings`: every signed-in person reads the session timeout (the app locks after it, P18), the time zone
 * (license states follow the tenant's day, L14), the date, time and week formats (P9) and the monthly-billing program (C6); the trusted addresses and the address the server sees for this request
 * only with `settings.edit`.
 */
export const settingsResponseSchema = z.object({
	sessionTimeoutMinutes: shape.sessionTimeoutMinutes.unwrap(),
	auditRetentionDays: shape.auditRetentionDays.unwrap(),
	/** Absent from servers before it existed: the app then keeps UTC. */
	timeZone: z.string().max(64).default(DEFAULT_TIME_ZONE),
	/** P9: everyone reads them (every screen formats with them); absent from older servers, unknown from newer ones: `auto`. */
	dateFormat: dateFormatSchema.catch('auto'),
	timeFormat: timeFormatSchema.catch('auto'),
	weekStart: weekStartSchema.catch('auto'),
	/** C6: everyone reads it (the invite wizard and the account section offer monthly billing only in the program). */
	monthlyBillingProgram: z.boolean().default(false),
	trustedAddresses: shape.trustedAddresses.unwrap().optional(),
	currentAddress: z.string().max(64).optional()
});
export type SettingsResponse = z.infer<typeof settingsResponseSchema>;

/** `POST /api/session/unlock` (P18): the person the app knows is signed in, and their password. */
export const unlockRequestSchema = z.object({
	userId: z.string().min(1).max(64),
	password: z.string().min(1).max(200)
});
export type UnlockRequest = z.infer<typeof unlockRequestSchema>;
/** `renewed`: the old session had ended and a new one was issued (the app reopens its sockets). */
export const unlockResponseSchema = z.object({ renewed: z.boolean() });
