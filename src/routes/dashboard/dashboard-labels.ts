// Words of the dashboard: service kinds, country names in the person's language, the time window's choices.
import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime.js';
import type { ServiceKind } from '$lib/schema/customer';
import { countryName } from '$lib/state/countries';
import type { WindowPreset } from '$lib/state/dashboard-window';

const SERVICE_LABELS: Readonly<Record<ServiceKind, () => string>> = {
	exchangeBackup: m.dashboard_service_exchangeBackup,
	oneDriveBackup: m.dashboard_service_oneDriveBackup,
	sharePointBackup: m.dashboard_service_sharePointBackup,
	teamsBackup: m.dashboard_service_teamsBackup,
	serverBackup: m.dashboard_service_serverBackup,
	endpointProtection: m.dashboard_service_endpointProtection
};

export const serviceLabel = (kind: ServiceKind): string => SERVICE_LABELS[kind]();

export const PRESET_LABELS: Readonly<Record<WindowPreset, () => string>> = {
	'24h': m.dashboard_window_24h,
	'7d': m.dashboard_window_7d,
	'30d': m.dashboard_window_30d
};

export const countryLabel = (code: string): string => countryName(code, getLocale());
