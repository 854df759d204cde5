// P15: the billing profile form: what a person typed (prices as decimals in their language) turned into a profile, or
// the issues per field. Pure; the screen says each issue in words.
import { minorDigits, minorToDecimal, parseMoney, separatorsOf, type MoneyParse } from '$lib/domain/billing';
import {
	BILLED_SERVICE_ORDER,
	billingProfileSchema,
	isKnownCurrency,
	MAX_PRICE_MINOR,
	type BillingProfile,
	type BillingProfileInput
} from '$lib/schema/billing';
import type { ServiceKind } from '$lib/schema/customer';
import type { Locale } from '$lib/schema/locale';

export interface BillingForm {
	name: string;
	description: string;
	/** Whole percent, or '' for no discount. */
	discount: string;
	currency: string;
	/** Decimal prices as typed, '' for a service the profile does not bill. */
	prices: Record<ServiceKind, string>;
	frequency: 'monthly' | 'yearly';
	/** 1-31 as typed. */
	day: string;
	/** 1-12. */
	month: string;
	locale: Locale;
}

export type BillingFormField = 'name' | 'description' | 'discount' | 'currency' | 'prices' | 'day' | ServiceKind;

export type BillingFormIssue =
	| { readonly field: 'name'; readonly code: 'required' | 'tooLong' }
	| { readonly field: 'description'; readonly code: 'tooLong' }
	| { readonly field: 'discount'; readonly code: 'range' }
	| { readonly field: 'currency'; readonly code: 'unknown' }
	| { readonly field: 'prices'; readonly code: 'none' }
	| { readonly field: 'day'; readonly code: 'range' | 'noSuchDay' }
	| { readonly field: ServiceKind; readonly code: Exclude<MoneyParse, { ok: true }>['code']; readonly digits: number };

const emptyPrices = (): Record<ServiceKind, string> =>
	Object.fromEntries(BILLED_SERVICE_ORDER.map((kind) => [kind, ''])) as Record<ServiceKind, string>;

/** A new profile's form: monthly on the 1st, in the person's language, in euros. */
export function emptyBillingForm(locale: Locale, currency = 'EUR'): BillingForm {
	return {
		name: '',
		description: '',
		discount: '',
		currency,
		prices: emptyPrices(),
		frequency: 'monthly',
		day: '1',
		month: '1',
		locale
	};
}

/** A profile's form, prices written the way `uiLocale` writes decimals. */
export function billingFormOf(profile: BillingProfile, uiLocale: string): BillingForm {
	const digits = minorDigits(profile.currency);
	const decimal = separatorsOf(uiLocale).decimal;
	const prices = emptyPrices();
	for (const kind of BILLED_SERVICE_ORDER) {
		const price = profile.prices[kind];
		if (price !== undefined) prices[kind] = minorToDecimal(price, digits).replace('.', decimal);
	}
	return {
		name: profile.name,
		description: profile.description,
		discount: profile.discountPercent === null ? '' : String(profile.discountPercent),
		currency: profile.currency,
		prices,
		frequency: profile.frequency.kind,
		day: String(profile.frequency.day),
		month: String(profile.frequency.kind === 'yearly' ? profile.frequency.month : 1),
		locale: profile.locale
	};
}

const wholeNumber = (text: string): number | null => (/^\s*\d{1,3}\s*$/.test(text) ? Number(text.trim()) : null);

/** The profile the form describes (the same schema as the relay's check), or every issue found. */
export function readBillingForm(
	form: BillingForm,
	uiLocale: string,
	id?: string
): { ok: true; profile: BillingProfileInput } | { ok: false; issues: BillingFormIssue[] } {
	const issues: BillingFormIssue[] = [];
	const name = form.name.trim();
	if (name === '') issues.push({ field: 'name', code: 'required' });
	else if (name.length > 120) issues.push({ field: 'name', code: 'tooLong' });
	if (form.description.length > 1000) issues.push({ field: 'description', code: 'tooLong' });
	let discountPercent: number | null = null;
	if (form.discount.trim() !== '') {
		discountPercent = wholeNumber(form.discount);
		if (discountPercent === null || discountPercent < 1 || discountPercent > 100)
			issues.push({ field: 'discount', code: 'range' });
	}
	const currency = form.currency.trim().toUpperCase();
	const knownCurrency = /^[A-Z]{3}$/.test(currency) && isKnownCurrency(currency);
	if (!knownCurrency) issues.push({ field: 'currency', code: 'unknown' });
	const digits = knownCurrency ? minorDigits(currency) : 2;
	const prices: Partial<Record<ServiceKind, number>> = {};
	for (const kind of BILLED_SERVICE_ORDER) {
		const text = form.prices[kind] ?? '';
		if (text.trim() === '') continue;
		const parsed = parseMoney(text, uiLocale, digits, MAX_PRICE_MINOR);
		if (parsed.ok) prices[kind] = parsed.minor;
		else issues.push({ field: kind, code: parsed.code, digits });
	}
	if (
		Object.keys(prices).length === 0 &&
		!issues.some((issue) => BILLED_SERVICE_ORDER.includes(issue.field as ServiceKind))
	)
		issues.push({ field: 'prices', code: 'none' });
	const day = wholeNumber(form.day);
	const month = Number(form.month);
	if (day === null || day < 1 || day > 31) issues.push({ field: 'day', code: 'range' });
	const frequency =
		form.frequency === 'monthly'
			? { kind: 'monthly' as const, day: day ?? 0 }
			: { kind: 'yearly' as const, month, day: day ?? 0 };
	if (issues.length > 0) return { ok: false, issues };
	const profile = {
		id: id ?? 'new',
		name,
		description: form.description,
		discountPercent,
		currency,
		prices,
		frequency,
		locale: form.locale
	};
	const parsed = billingProfileSchema.safeParse(profile);
	if (!parsed.success) return { ok: false, issues: [{ field: 'day', code: 'noSuchDay' }] };
	return { ok: true, profile: id === undefined ? { ...parsed.data, id: undefined } : parsed.data };
}
