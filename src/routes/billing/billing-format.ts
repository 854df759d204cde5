// P15: how the billing screen writes money, dates, currencies and languages: Intl in the UI's language and the tenant's
// time zone. Kept small and local until the shared formatting module (src/lib/state/format.ts) lands.
import { formatMoney } from '$lib/domain/billing';
import { getLocale } from '$lib/paraglide/runtime.js';
import type { BillingFrequency } from '$lib/schema/billing';

export const money = (minor: number, currency: string): string => formatMoney(minor, currency, getLocale());

/** A time of a send in the tenant's time zone: "30 Nov 2026, 07:01". */
export function sendTime(iso: string, timeZone: string): string {
	return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
		new Date(iso)
	);
}

/** `2026-11` as "November 2026", `2026` as itself. */
export function periodLabel(period: string): string {
	const [year, month] = period.split('-').map(Number) as [number, number | undefined];
	if (month === undefined) return String(year);
	return new Intl.DateTimeFormat(getLocale(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
		new Date(Date.UTC(year, month - 1, 1))
	);
}

/** A month's name (1-12). */
export function monthName(month: number): string {
	return new Intl.DateTimeFormat(getLocale(), { month: 'long', timeZone: 'UTC' }).format(
		new Date(Date.UTC(2024, month - 1, 1))
	);
}

/** A yearly date without a year: "29 February" (2024 is a leap year, so 29 February exists). */
export function monthDay(month: number, day: number): string {
	return new Intl.DateTimeFormat(getLocale(), { month: 'long', day: 'numeric', timeZone: 'UTC' }).format(
		new Date(Date.UTC(2024, month - 1, day))
	);
}

export const percent = (value: number): string =>
	new Intl.NumberFormat(getLocale(), { style: 'percent' }).format(value / 100);

export function currencyName(code: string): string {
	try {
		return new Intl.DisplayNames([getLocale()], { type: 'currency' }).of(code) ?? code;
	} catch {
		return code;
	}
}

export function languageName(code: string): string {
	try {
		return new Intl.DisplayNames([getLocale()], { type: 'language' }).of(code) ?? code;
	} catch {
		return code;
	}
}

/** Every currency Intl knows, "EUR · Euro", by code. */
export function currencyOptions(): { value: string; label: string }[] {
	return Intl.supportedValuesOf('currency').map((code) => ({ value: code, label: `${code} · ${currencyName(code)}` }));
}

export type FrequencyText = { kind: 'monthly'; day: number; lastDay: boolean } | { kind: 'yearly'; date: string };

export function frequencyText(frequency: BillingFrequency): FrequencyText {
	if (frequency.kind === 'monthly') return { kind: 'monthly', day: frequency.day, lastDay: frequency.day > 28 };
	return { kind: 'yearly', date: monthDay(frequency.month, frequency.day) };
}
