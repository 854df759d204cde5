// P15: what the billing screen writes that the shared formatter (P9, `fmt()`) has no method for: a yearly period, month
// names without a year, currency and language names, in the UI's language from the same place.
import { fmt } from '$lib/state/locale.svelte';
import type { BillingFrequency } from '$lib/schema/billing';

const uiLanguage = (): string => fmt().settings.locale;

/** `2026-11` as "November 2026", a yearly period (`2026`) as itself. */
export function periodLabel(period: string): string {
	return /^\d{4}$/.test(period) ? period : fmt().month(period);
}

/** A month's name (1-12). */
export function monthName(month: number): string {
	return new Intl.DateTimeFormat(uiLanguage(), { month: 'long', timeZone: 'UTC' }).format(
		new Date(Date.UTC(2024, month - 1, 1))
	);
}

/** A yearly date without a year: "29 February" (2024 is a leap year, so 29 February exists). */
export function monthDay(month: number, day: number): string {
	return new Intl.DateTimeFormat(uiLanguage(), { month: 'long', day: 'numeric', timeZone: 'UTC' }).format(
		new Date(Date.UTC(2024, month - 1, day))
	);
}

export function currencyName(code: string): string {
	try {
		return new Intl.DisplayNames([uiLanguage()], { type: 'currency' }).of(code) ?? code;
	} catch {
		return code;
	}
}

export function languageName(code: string): string {
	try {
		return new Intl.DisplayNames([uiLanguage()], { type: 'language' }).of(code) ?? code;
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
