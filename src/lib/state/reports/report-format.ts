// P8: numbers, shares, bytes, days and times of the reports in the UI's language and the tenant's time zone. A small
// local helper until the tenant's formatting settings (src/lib/state/format.ts) land: then these delegate to it.
import { getLocale } from '$lib/paraglide/runtime.js';
import { formatBytes } from '../bytes';

export function formatCount(value: number): string {
	return new Intl.NumberFormat(getLocale()).format(value);
}

/** 0.8 → "80 %" (the locale's way), whole percent. */
export function formatShare(share: number): string {
	return new Intl.NumberFormat(getLocale(), { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

export function formatStorage(bytes: number): string {
	return formatBytes(bytes, getLocale());
}

/** An instant as date and time in the tenant's time zone ("20 Nov 2026, 12:00"). */
export function formatInstant(instant: Date, timeZone: string): string {
	return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(instant);
}

/** A calendar day (`YYYY-MM-DD`) as people read it; the day is the tenant's already, so it is shown in UTC. */
export function formatDay(day: string, style: 'medium' | 'short' = 'medium'): string {
	const date = new Date(`${day}T00:00:00Z`);
	if (style === 'short') return new Intl.DateTimeFormat(getLocale(), { day: 'numeric', timeZone: 'UTC' }).format(date);
	return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** A month (`YYYY-MM`) as "November 2026". */
export function formatMonth(month: string): string {
	return new Intl.DateTimeFormat(getLocale(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
		new Date(`${month}-01T00:00:00Z`)
	);
}
