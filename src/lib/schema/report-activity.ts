// P8: the user activity report's month and the counts the device keeps of a month's audit log (for offline use).
import { z } from 'zod';

export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM');

/** How many audit entries one user made on one day with one action on one item type. */
export const activityCountSchema = z.object({
	day: z.iso.date(),
	/** The user's email (or id when gone); '' for the server itself. */
	user: z.string().max(254),
	action: z.string().max(40),
	itemType: z.string().max(40),
	count: z.number().int().positive()
});
export type ActivityCount = z.infer<typeof activityCountSchema>;

/** At most this many counts are kept per month (a month of a busy tenant is a few hundred). */
export const ACTIVITY_COUNTS_LIMIT = 20_000;

/** A month of the audit log as this device fetched it. */
export const cachedActivityMonthSchema = z.object({
	tenantId: z.string().min(1).max(200),
	month: monthSchema,
	/** The time zone the days were counted in (the tenant's at fetch time). */
	timeZone: z.string().min(1).max(100),
	fetchedAt: z.iso.datetime(),
	counts: z.array(activityCountSchema).max(ACTIVITY_COUNTS_LIMIT)
});
export type CachedActivityMonth = z.infer<typeof cachedActivityMonthSchema>;
