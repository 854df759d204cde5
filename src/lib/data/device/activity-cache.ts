// P8: the months of the audit log this device fetched for the user activity report, as counts (no descriptions, no
// addresses), so that the report opens offline. Kept in localStorage per tenant and person; parsed with zod when read;
// removed at sign-out with the other per-tenant keys (sync/local-data.ts).
import { cachedActivityMonthSchema, type CachedActivityMonth } from '../../schema/report-activity';

/** The prefix sign-out clears (TENANT_KEY_PREFIXES in sync/local-data.ts). */
export const ACTIVITY_CACHE_PREFIX = 'msp-portal:reports:activity:';

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export const activityCacheKey = (tenantId: string, userId: string, month: string): string =>
	`${ACTIVITY_CACHE_PREFIX}${tenantId}:${userId}:${month}`;

export interface ActivityCache {
	/** The month as last fetched, or null (never fetched, or what is kept does not parse: then it is removed). */
	read(month: string): CachedActivityMonth | null;
	/** Keeps the month; false when the browser refused (storage full or blocked): the report still shows it. */
	write(entry: CachedActivityMonth): boolean;
}

export function createActivityCache(storage: KeyValueStorage | null, tenantId: string, userId: string): ActivityCache {
	return {
		read(month) {
			if (!storage) return null;
			const key = activityCacheKey(tenantId, userId, month);
			let text: string | null;
			try {
				text = storage.getItem(key);
			} catch {
				return null;
			}
			if (text === null) return null;
			let json: unknown;
			try {
				json = JSON.parse(text);
			} catch {
				json = null;
			}
			const parsed = cachedActivityMonthSchema.safeParse(json);
			if (!parsed.success || parsed.data.tenantId !== tenantId || parsed.data.month !== month) {
				storage.removeItem(key);
				return null;
			}
			return parsed.data;
		},
		write(entry) {
			if (!storage) return false;
			const checked = cachedActivityMonthSchema.parse(entry);
			try {
				storage.setItem(activityCacheKey(tenantId, userId, checked.month), JSON.stringify(checked));
				return true;
			} catch {
				return false;
			}
		}
	};
}
