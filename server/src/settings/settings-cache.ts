// P12, P18: a tenant's settings as sign-in, every API call and every socket read them, held briefly so that a request costs no store read.
import type { TenantSettings } from '../../../src/lib/schema/settings';
import type { Clock } from '../clock';
import type { AccountStore } from '../store/types';

/** How long a read is reused. A change made through the API is seen at once (`forget`); this bounds other writers. */
export const SETTINGS_CACHE_MS = 10_000;

export interface TenantSettingsCache {
	get(tenantId: string): Promise<TenantSettings>;
	/** The settings were changed: the next `get` reads the store. */
	forget(tenantId: string): void;
}

export function createTenantSettingsCache(
	store: Pick<AccountStore, 'getTenantSettings'>,
	clock: Clock,
	maxAgeMs = SETTINGS_CACHE_MS
): TenantSettingsCache {
	const entries = new Map<string, { readonly at: number; readonly settings: Promise<TenantSettings> }>();
	return {
		get(tenantId) {
			const now = clock.now().getTime();
			const entry = entries.get(tenantId);
			if (entry && now - entry.at < maxAgeMs) return entry.settings;
			const settings = store.getTenantSettings(tenantId);
			entries.set(tenantId, { at: now, settings });
			// A failed read is not kept: the next request asks the store again.
			settings.catch(() => {
				if (entries.get(tenantId)?.settings === settings) entries.delete(tenantId);
			});
			return settings;
		},
		forget(tenantId) {
			entries.delete(tenantId);
		}
	};
}
