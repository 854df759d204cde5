// L14: the state of a license, one of them when several apply, from the license alone and the tenant's "today".
import type { License } from '../schema/licenses';

export const LICENSE_STATES = [
	'removed',
	'suspended',
	'trialExpired',
	'expired',
	'overused',
	'expiringSoon',
	'warning',
	'ok'
] as const;
export type LicenseState = (typeof LICENSE_STATES)[number];

/** `warning` from this share of the ordered units activated (90 %, inclusive) up to all of them. */
export const WARNING_ACTIVATION_RATIO = 0.9;
/** `expiringSoon` while fewer than this many days are left (exactly 14 days left is still `ok`). */
export const EXPIRING_SOON_DAYS = 14;

/**
 * L14 precedence, most urgent first (the order of LICENSE_STATES): a license the vendor no longer lists is `removed`;
 * then `suspended` (by the vendor or in the portal), `trialExpired` (a trial past its expiry) before `expired`, then
 * `overused` before `expiringSoon` (too many units is a problem today, an expiry soon one in days), then `warning`.
 */
export interface LicenseStateInfo {
	readonly state: LicenseState;
	/** Days from today to the expiry date (0: expires today, negative: expired). */
	readonly daysLeft: number;
	/** Activated units as a share of ordered units (1.0 = all of them). */
	readonly activation: number;
}

export type LicenseStateInput = Pick<
	License,
	'type' | 'unitsOrdered' | 'unitsActivated' | 'expiresOn' | 'suspended' | 'held' | 'removed'
>;

const DAY_MS = 86_400_000;

/** Whole days from `today` to `day` (both `YYYY-MM-DD`). */
export function daysBetween(today: string, day: string): number {
	return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

/** `YYYY-MM-DD` of `instant` in `timeZone` (an IANA name; UTC when the name is unknown). */
export function dayIn(instant: Date, timeZone: string): string {
	let parts: Intl.DateTimeFormatPart[];
	try {
		parts = new Intl.DateTimeFormat('en-CA', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit'
		}).formatToParts(instant);
	} catch {
		return instant.toISOString().slice(0, 10);
	}
	const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
	return `${get('year')}-${get('month')}-${get('day')}`;
}

/** `day` plus `days` (negative: minus), as `YYYY-MM-DD`. */
export function addDays(day: string, days: number): string {
	return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** L14: the license's state on `today` (the tenant's day, `dayIn(now, timeZone)`), with the facts behind it. */
export function licenseState(license: LicenseStateInput, today: string): LicenseStateInfo {
	const daysLeft = daysBetween(today, license.expiresOn);
	const activation = license.unitsActivated / license.unitsOrdered;
	const info = (state: LicenseState): LicenseStateInfo => ({ state, daysLeft, activation });
	if (license.removed) return info('removed');
	if (license.suspended || license.held) return info('suspended');
	if (daysLeft < 0) return info(license.type === 'trial' ? 'trialExpired' : 'expired');
	if (license.unitsActivated > license.unitsOrdered) return info('overused');
	if (daysLeft < EXPIRING_SOON_DAYS) return info('expiringSoon');
	if (license.unitsActivated >= license.unitsOrdered * WARNING_ACTIVATION_RATIO) return info('warning');
	return info('ok');
}

export interface LicenseStatePresentation {
	/** Name of the icon in $lib/components/icons. */
	readonly icon: string;
	/** Colour tone; never the only carrier of meaning (the label is always shown too). */
	readonly tone: 'ok' | 'attention' | 'danger' | 'muted';
}

export const LICENSE_STATE_PRESENTATION: Readonly<Record<LicenseState, LicenseStatePresentation>> = {
	ok: { icon: 'license-ok', tone: 'ok' },
	warning: { icon: 'license-warning', tone: 'attention' },
	overused: { icon: 'license-overused', tone: 'danger' },
	expiringSoon: { icon: 'license-expiring', tone: 'attention' },
	expired: { icon: 'license-expired', tone: 'danger' },
	suspended: { icon: 'license-suspended', tone: 'danger' },
	trialExpired: { icon: 'license-expired', tone: 'danger' },
	removed: { icon: 'license-removed', tone: 'muted' }
};
