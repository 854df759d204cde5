// Words of the dashboard: country names in the person's language, the time window's choices.
import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime.js';
import { countryName } from '$lib/state/countries';
import type { WindowPreset } from '$lib/state/dashboard-window';

export const PRESET_LABELS: Readonly<Record<WindowPreset, () => string>> = {
	'24h': m.dashboard_window_24h,
	'7d': m.dashboard_window_7d,
	'30d': m.dashboard_window_30d
};

export const countryLabel = (code: string): string => countryName(code, getLocale());
