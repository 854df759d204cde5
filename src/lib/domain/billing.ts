// P15: when a billing profile sends its report (the tenant's day, the last day of a shorter month), what the report
// holds (lines, subtotal, discount rounded half up, total: integers in the currency's minor units), and money typed by a
// person parsed exactly in their language ("12,50" in German, "12.50" in English), never through floating point.
import {
	BILLED_SERVICE_ORDER,
	type BillingFrequency,
	type BillingPrices,
	type BillingProfile
} from '../schema/billing';
import type { ServiceKind } from '../schema/customer';

/** Digits after the decimal separator of a currency's minor unit, as Intl knows it: JPY 0, EUR 2, KWD 3. */
export function minorDigits(currency: string): number {
	return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Days in `month` (1-12) of `year`. */
export function daysInMonth(year: number, month: number): number {
	if (month === 2) return isLeapYear(year) ? 29 : 28;
	return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** A billing period: `2026-11` for a monthly profile, `2026` for a yearly one, and the day its report is due. */
export interface BillingPeriod {
	readonly key: string;
	/** `YYYY-MM-DD` in the tenant's time zone. */
	readonly sendOn: string;
}

/**
 * The period that contains `today` (`YYYY-MM-DD`, the tenant's day) and the day its report is due: the profile's day, or
 * the last day of a month that is shorter (31 in a 30-day month -> the 30th; February -> the 28th or 29th; a yearly
 * 29 February -> 28 February in other years).
 */
export function currentPeriod(frequency: BillingFrequency, today: string): BillingPeriod {
	const [year, month] = today.split('-').map(Number) as [number, number];
	if (frequency.kind === 'monthly') {
		const day = Math.min(frequency.day, daysInMonth(year, month));
		return { key: `${pad(year, 4)}-${pad(month)}`, sendOn: `${pad(year, 4)}-${pad(month)}-${pad(day)}` };
	}
	const day = Math.min(frequency.day, daysInMonth(year, frequency.month));
	return { key: pad(year, 4), sendOn: `${pad(year, 4)}-${pad(frequency.month)}-${pad(day)}` };
}

/**
 * The period whose report is due on `today`, or null. A run missed on the day (the server was down) catches up on a
 * later day of the same period; a period that has ended is never sent (only the current one is looked at).
 */
export function duePeriod(frequency: BillingFrequency, today: string): BillingPeriod | null {
	const period = currentPeriod(frequency, today);
	return today >= period.sendOn ? period : null;
}

export interface BillingLine {
	readonly service: ServiceKind;
	/** Units billed: one per active service (the customer's summary lists each active kind once). */
	readonly quantity: number;
	readonly unitPriceMinor: number;
	readonly totalMinor: number;
}

export interface BillingAmounts {
	readonly lines: readonly BillingLine[];
	readonly subtotalMinor: number;
	readonly discountPercent: number | null;
	readonly discountMinor: number;
	readonly totalMinor: number;
}

/** `percent` of `amountMinor`, rounded half up to the minor unit, in integers only. */
export function discountOf(amountMinor: number, percent: number | null): number {
	if (percent === null) return 0;
	return Math.floor((amountMinor * percent + 50) / 100);
}

/** The report's figures: a line per active service the profile has a price for, in the order services are listed. */
export function billingAmounts(
	profile: Pick<BillingProfile, 'discountPercent'> & { readonly prices: BillingPrices },
	services: readonly ServiceKind[]
): BillingAmounts {
	const active = new Set(services);
	const lines: BillingLine[] = [];
	for (const service of BILLED_SERVICE_ORDER) {
		const price = profile.prices[service];
		if (!active.has(service) || price === undefined) continue;
		lines.push({ service, quantity: 1, unitPriceMinor: price, totalMinor: price });
	}
	const subtotalMinor = lines.reduce((sum, line) => sum + line.totalMinor, 0);
	const discountMinor = discountOf(subtotalMinor, profile.discountPercent);
	return {
		lines,
		subtotalMinor,
		discountPercent: profile.discountPercent,
		discountMinor,
		totalMinor: subtotalMinor - discountMinor
	};
}

/** An amount in minor units as an exact decimal string (`1250`, 2 digits -> `12.50`), for Intl and for form fields. */
export function minorToDecimal(minor: number, digits: number): string {
	const sign = minor < 0 ? '-' : '';
	const text = String(Math.abs(minor)).padStart(digits + 1, '0');
	return digits === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** An amount in minor units formatted in `locale` with its currency (Intl gets the exact decimal string, no float). */
export function formatMoney(minor: number, currency: string, locale: string): string {
	const digits = minorDigits(currency);
	const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
	// Intl formats a decimal string exactly (ES2023); the cast is for TypeScript's older signature.
	return format.format(minorToDecimal(minor, digits) as unknown as number);
}

/** The amount as a person would type it in `locale`, without the currency and without grouping (`12,50` in German). */
export function formatMoneyInput(minor: number, currency: string, locale: string): string {
	const digits = minorDigits(currency);
	const decimal = separatorsOf(locale).decimal;
	return minorToDecimal(minor, digits).replace('.', decimal);
}

/** The decimal and grouping separators of `locale` (`,` and `.` in German). */
export function separatorsOf(locale: string): { decimal: string; group: string } {
	const parts = new Intl.NumberFormat(locale, { useGrouping: true }).formatToParts(12345.6);
	return {
		decimal: parts.find((part) => part.type === 'decimal')?.value ?? '.',
		group: parts.find((part) => part.type === 'group')?.value ?? ','
	};
}

export type MoneyParse =
	| { readonly ok: true; readonly minor: number }
	| { readonly ok: false; readonly code: 'empty' | 'invalid' | 'tooManyDecimals' | 'notPositive' | 'tooLarge' };

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A price typed in `locale` as minor units of a currency with `digits` minor digits, exactly: "12,50" (de) and "12.50"
 * (en) are 1250 for EUR; grouping is accepted only where it belongs ("1.234,50" in German), so "12.50" typed in German
 * is refused rather than read as 1250 euros; more decimals than the currency has are refused, not rounded.
 */
export function parseMoney(text: string, locale: string, digits: number, max = Number.MAX_SAFE_INTEGER): MoneyParse {
	const value = text.trim().replace(/[\u00a0\u202f ]/g, ' ');
	if (value === '') return { ok: false, code: 'empty' };
	const { decimal, group } = separatorsOf(locale);
	const groupChar = group.replace(/[\u00a0\u202f]/g, ' ');
	const groupPattern = `(?:${escape(groupChar)}|${groupChar === ' ' ? "'" : ' '})`;
	const pattern = new RegExp(`^(\\d{1,3}(?:${groupPattern}\\d{3})+|\\d+)(?:${escape(decimal)}(\\d+))?$`);
	const match = pattern.exec(value);
	if (!match) return { ok: false, code: 'invalid' };
	const whole = match[1]!.replace(/\D/g, '');
	const fraction = match[2] ?? '';
	if (fraction.length > digits) return { ok: false, code: 'tooManyDecimals' };
	const digitsText = `${whole}${fraction.padEnd(digits, '0')}`.replace(/^0+(?=\d)/, '');
	if (digitsText.length > 15) return { ok: false, code: 'tooLarge' };
	const minor = Number(digitsText);
	if (minor > max) return { ok: false, code: 'tooLarge' };
	if (minor <= 0) return { ok: false, code: 'notPositive' };
	return { ok: true, minor };
}
