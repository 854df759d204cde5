// P15: billing profiles (root map `billingProfiles` of the tenant document, one plain record per profile), which profile
// bills a customer (root map `billingAssignments`: customer id -> profile id), and the billing reports the server sent
// (`GET /api/billing/sends`). One description for the screen, the relay's validation and the server's run.
import { z } from 'zod';
import { entityIdSchema } from './ids';
import { serviceKindSchema, SERVICE_KINDS, type ServiceKind } from './customer';
import { localeSchema } from './locale';

/** ISO 4217 codes this runtime knows (Intl), computed once. */
let knownCurrencies: ReadonlySet<string> | null = null;

/** P15: an ISO 4217 currency code that Intl knows (`EUR`, `JPY`, `KWD`). */
export function isKnownCurrency(code: string): boolean {
	knownCurrencies ??= new Set(Intl.supportedValuesOf('currency'));
	return knownCurrencies.has(code);
}

export const currencySchema = z
	.string()
	.regex(/^[A-Z]{3}$/, 'a currency is a three-letter ISO 4217 code')
	.refine(isKnownCurrency, { error: 'not a known ISO 4217 currency' });

/** The largest unit price, in minor units: totals of every service stay far inside safe integers. */
export const MAX_PRICE_MINOR = 1_000_000_000_000;

/** A unit price in the currency's minor units (cents, yen, fils): a whole number above 0, never a float. */
export const priceMinorSchema = z
	.number()
	.int('a price is a whole number of minor units')
	.min(1, 'a price is above 0')
	.max(MAX_PRICE_MINOR, 'the price is too large');

/** Days per month in a leap year: the largest day a yearly date may name (29 February is allowed). */
const MAX_DAY_OF_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export const monthlyFrequencySchema = z.strictObject({
	kind: z.literal('monthly'),
	/** 1-31; in a shorter month the report goes on its last day. */
	day: z.number().int().min(1, 'a day is 1 to 31').max(31, 'a day is 1 to 31')
});

export const yearlyFrequencySchema = z
	.strictObject({
		kind: z.literal('yearly'),
		month: z.number().int().min(1, 'a month is 1 to 12').max(12, 'a month is 1 to 12'),
		/** A day the month has in a leap year; 29 February goes on 28 February in other years. */
		day: z.number().int().min(1, 'a day is 1 to 31').max(31, 'a day is 1 to 31')
	})
	.refine(({ month, day }) => day <= (MAX_DAY_OF_MONTH[month - 1] ?? 0), {
		error: 'the month has no such day',
		path: ['day']
	});

export const billingFrequencySchema = z.discriminatedUnion('kind', [monthlyFrequencySchema, yearlyFrequencySchema]);
export type BillingFrequency = z.infer<typeof billingFrequencySchema>;

/** Prices per service kind: the kinds a profile bills (at least one); a customer's other services are not billed. */
export const billingPricesSchema = z
	.partialRecord(serviceKindSchema, priceMinorSchema)
	.refine((prices) => Object.keys(prices).length > 0, { error: 'a profile needs a price for at least one service' });
export type BillingPrices = Partial<Record<ServiceKind, number>>;

export const billingProfileSchema = z.object({
	id: entityIdSchema,
	name: z.string().trim().min(1, 'a profile needs a name').max(120, 'a name holds at most 120 characters'),
	description: z.string().max(1000, 'a description holds at most 1000 characters'),
	/** Whole percent 1-100; null: no discount (0 is not a discount, it is refused like 101). */
	discountPercent: z
		.number()
		.int('a discount is a whole percent')
		.min(1, 'a discount is 1 to 100 percent')
		.max(100, 'a discount is 1 to 100 percent')
		.nullable(),
	currency: currencySchema,
	prices: billingPricesSchema,
	frequency: billingFrequencySchema,
	/** The language of the billing report mail (the customer node has none). */
	locale: localeSchema
});
export type BillingProfile = z.infer<typeof billingProfileSchema>;

/** A profile as the form sends it to the repository (the id is made there when absent). */
export type BillingProfileInput = Omit<BillingProfile, 'id'> & { readonly id?: string };

/** The value of `billingAssignments[customerId]`: the profile's id. */
export const billingAssignmentSchema = entityIdSchema;

/** Service kinds in the order screens and mails list them. */
export const BILLED_SERVICE_ORDER: readonly ServiceKind[] = SERVICE_KINDS;

/** What became of one customer's report for one period. */
export const BILLING_SEND_STATUSES = ['claimed', 'sent', 'skipped', 'failed'] as const;
export const billingSendStatusSchema = z.enum(BILLING_SEND_STATUSES);
export type BillingSendStatus = z.infer<typeof billingSendStatusSchema>;

/** Why a report was skipped or failed (codes; the screen says it in words). */
export const BILLING_SEND_REASONS = ['noEmail', 'noServices', 'mailFailed', 'interrupted', 'gaveUp'] as const;
export const billingSendReasonSchema = z.enum(BILLING_SEND_REASONS);
export type BillingSendReason = z.infer<typeof billingSendReasonSchema>;

/** One row of `GET /api/billing/sends`. */
export const billingSendSchema = z.object({
	profileId: entityIdSchema,
	customerId: entityIdSchema,
	/** The customer's name when the report was made. */
	customerName: z.string().max(200),
	/** `2026-11` (monthly) or `2026` (yearly). */
	period: z.string().regex(/^\d{4}(-\d{2})?$/),
	status: billingSendStatusSchema,
	reason: billingSendReasonSchema.nullable(),
	recipient: z.string().max(254).nullable(),
	/** When the report went out (sent), or when it was last tried. */
	at: z.iso.datetime(),
	sentAt: z.iso.datetime().nullable(),
	attempts: z.number().int().nonnegative(),
	currency: z.string().max(3).nullable(),
	/** The report's total in minor units. */
	totalMinor: z.number().int().nonnegative().nullable()
});
export type BillingSend = z.infer<typeof billingSendSchema>;

export const billingSendsResponseSchema = z.object({ sends: z.array(billingSendSchema) });
export type BillingSendsResponse = z.infer<typeof billingSendsResponseSchema>;

export const billingSendsQuerySchema = z.strictObject({
	profileId: entityIdSchema.optional(),
	limit: z.coerce.number().int().min(1).max(1000).default(200)
});
