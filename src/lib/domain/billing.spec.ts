import { describe, expect, it } from 'vitest';
import {
	billingAmounts,
	currentPeriod,
	discountOf,
	duePeriod,
	formatMoney,
	formatMoneyInput,
	minorDigits,
	parseMoney
} from './billing';
import { dayIn } from './license-state';
import { billingFrequencySchema, billingProfileSchema } from '../schema/billing';

const monthly = (day: number) => ({ kind: 'monthly' as const, day });
const yearly = (month: number, day: number) => ({ kind: 'yearly' as const, month, day });

describe('the schedule', () => {
	it('P15: monthly on day 31 sends on the 30th of a 30-day month, not before', () => {
		expect(duePeriod(monthly(31), '2026-11-29')).toBeNull();
		expect(duePeriod(monthly(31), '2026-11-30')).toEqual({ key: '2026-11', sendOn: '2026-11-30' });
		expect(duePeriod(monthly(31), '2026-12-30')).toBeNull();
		expect(duePeriod(monthly(31), '2026-12-31')).toEqual({ key: '2026-12', sendOn: '2026-12-31' });
	});

	it('P15: monthly on day 31 sends on 28 February in a non-leap year and on 29 February in a leap year', () => {
		expect(duePeriod(monthly(31), '2027-02-27')).toBeNull();
		expect(duePeriod(monthly(31), '2027-02-28')).toEqual({ key: '2027-02', sendOn: '2027-02-28' });
		expect(duePeriod(monthly(31), '2028-02-28')).toBeNull();
		expect(duePeriod(monthly(31), '2028-02-29')).toEqual({ key: '2028-02', sendOn: '2028-02-29' });
		expect(currentPeriod(monthly(29), '2100-02-01').sendOn).toBe('2100-02-28');
		expect(currentPeriod(monthly(29), '2000-02-01').sendOn).toBe('2000-02-29');
	});

	it('P15: yearly on 29 February sends on 28 February in a non-leap year and on the 29th in a leap year', () => {
		expect(duePeriod(yearly(2, 29), '2027-02-27')).toBeNull();
		expect(duePeriod(yearly(2, 29), '2027-02-28')).toEqual({ key: '2027', sendOn: '2027-02-28' });
		expect(duePeriod(yearly(2, 29), '2028-02-28')).toBeNull();
		expect(duePeriod(yearly(2, 29), '2028-02-29')).toEqual({ key: '2028', sendOn: '2028-02-29' });
	});

	it('P15: a missed day catches up later in the same period, never for a period that has ended', () => {
		// Monthly on the 5th, the server down from the 4th to the 20th: the run on the 20th still sends November's.
		expect(duePeriod(monthly(5), '2026-11-20')?.key).toBe('2026-11');
		// Down until 2 December: November is gone, December's is not due before the 5th.
		expect(duePeriod(monthly(5), '2026-12-02')).toBeNull();
		// Yearly on 15 March: due any day from then until 31 December, and not in January of the next year.
		expect(duePeriod(yearly(3, 15), '2026-12-31')?.key).toBe('2026');
		expect(duePeriod(yearly(3, 15), '2027-01-10')).toBeNull();
	});

	it("P15: the day is the tenant's day in its time zone, near midnight", () => {
		// 30 Nov 23:30 UTC is already 1 December in Berlin (UTC+1) and still 30 November in New York.
		const instant = new Date('2026-11-30T23:30:00Z');
		expect(duePeriod(monthly(1), dayIn(instant, 'Europe/Berlin'))).toEqual({ key: '2026-12', sendOn: '2026-12-01' });
		expect(duePeriod(monthly(1), dayIn(instant, 'America/New_York'))?.key).toBe('2026-11');
		// Monthly on day 31: Auckland (UTC+13) reaches 1 December at 11:00 UTC on 30 November, and November's report is
		// then over for it (a minute earlier it was due there); in UTC it is still the 30th, the day it is due.
		expect(duePeriod(monthly(31), dayIn(new Date('2026-11-30T10:59:00Z'), 'Pacific/Auckland'))?.key).toBe('2026-11');
		expect(duePeriod(monthly(31), dayIn(new Date('2026-11-30T11:00:00Z'), 'Pacific/Auckland'))).toBeNull();
		expect(duePeriod(monthly(31), dayIn(new Date('2026-11-30T11:00:00Z'), 'UTC'))?.key).toBe('2026-11');
	});
});

describe('the amounts', () => {
	it('P15: the discount rounds half up to the minor unit, in integers', () => {
		expect(discountOf(1050, 5)).toBe(53); // 52.5 -> 53
		expect(discountOf(1049, 5)).toBe(52); // 52.45 -> 52
		expect(discountOf(1, 50)).toBe(1); // 0.5 -> 1
		expect(discountOf(999, 100)).toBe(999);
		expect(discountOf(1234, null)).toBe(0);
	});

	it('P15: lines, subtotal, discount and total in JPY (0 digits), EUR (2) and KWD (3)', () => {
		expect([minorDigits('JPY'), minorDigits('EUR'), minorDigits('KWD')]).toEqual([0, 2, 3]);
		const prices = { exchangeBackup: 1999, teamsBackup: 501, serverBackup: 7000 };
		// Teams and Exchange active, endpoint protection has no price in the profile: two lines.
		const amounts = billingAmounts({ discountPercent: 15, prices }, [
			'teamsBackup',
			'exchangeBackup',
			'endpointProtection'
		]);
		expect(amounts.lines).toEqual([
			{ service: 'exchangeBackup', quantity: 1, unitPriceMinor: 1999, totalMinor: 1999 },
			{ service: 'teamsBackup', quantity: 1, unitPriceMinor: 501, totalMinor: 501 }
		]);
		expect(amounts.subtotalMinor).toBe(2500);
		expect(amounts.discountMinor).toBe(375);
		expect(amounts.totalMinor).toBe(2125);
		expect(formatMoney(amounts.totalMinor, 'JPY', 'en')).toBe('¥2,125');
		expect(formatMoney(amounts.totalMinor, 'EUR', 'en')).toBe('€21.25');
		expect(formatMoney(amounts.totalMinor, 'EUR', 'de')).toBe('21,25\u00a0€');
		expect(formatMoney(amounts.totalMinor, 'KWD', 'en')).toBe('KWD\u00a02.125');
		// 7 % of 2,501 fils is 175.07: 175; of 2,500 it is 175 exactly; 10 % of 2,505 is 250.5: 251.
		expect(
			billingAmounts({ discountPercent: 10, prices: { exchangeBackup: 2505 } }, ['exchangeBackup']).totalMinor
		).toBe(2254);
		// Large amounts stay exact: 9,007,199,254,740 minor units is beyond float cents' precision in a division.
		expect(formatMoney(900_719_925_474, 'EUR', 'en')).toBe('€9,007,199,254.74');
	});

	it('P15: a price typed in the UI language is read exactly, never through floating point', () => {
		expect(parseMoney('12,50', 'de', 2)).toEqual({ ok: true, minor: 1250 });
		expect(parseMoney('12.50', 'en', 2)).toEqual({ ok: true, minor: 1250 });
		expect(parseMoney('1.234,5', 'de', 2)).toEqual({ ok: true, minor: 123450 });
		expect(parseMoney('1,234.56', 'en', 2)).toEqual({ ok: true, minor: 123456 });
		expect(parseMoney('0.29', 'en', 2)).toEqual({ ok: true, minor: 29 }); // 0.29 * 100 is 28.999999999999996 in floats
		expect(parseMoney('1 234,5', 'pl', 2)).toEqual({ ok: true, minor: 123450 });
		expect(parseMoney('1.234', 'en', 3)).toEqual({ ok: true, minor: 1234 });
		expect(parseMoney('500', 'en', 0)).toEqual({ ok: true, minor: 500 });
		// "12.50" in German would be 1250 euros by its grouping: refused instead of guessed.
		expect(parseMoney('12.50', 'de', 2)).toEqual({ ok: false, code: 'invalid' });
		expect(parseMoney('12,505', 'de', 2)).toEqual({ ok: false, code: 'tooManyDecimals' });
		expect(parseMoney('5.5', 'en', 0)).toEqual({ ok: false, code: 'tooManyDecimals' });
		expect(parseMoney('0,00', 'de', 2)).toEqual({ ok: false, code: 'notPositive' });
		expect(parseMoney('-3', 'en', 2)).toEqual({ ok: false, code: 'invalid' });
		expect(parseMoney('1e3', 'en', 2)).toEqual({ ok: false, code: 'invalid' });
		expect(parseMoney('  ', 'en', 2)).toEqual({ ok: false, code: 'empty' });
		expect(parseMoney('99999999999999999', 'en', 2)).toEqual({ ok: false, code: 'tooLarge' });
		expect(formatMoneyInput(1250, 'EUR', 'de')).toBe('12,50');
		expect(formatMoneyInput(5, 'KWD', 'en')).toBe('0.005');
		expect(formatMoneyInput(700, 'JPY', 'it')).toBe('700');
	});
});

describe('validation by the schema', () => {
	const valid = {
		id: 'p1',
		name: 'Standard',
		description: '',
		discountPercent: 10,
		currency: 'EUR',
		prices: { exchangeBackup: 1250 },
		frequency: { kind: 'monthly', day: 31 },
		locale: 'de'
	};
	const refused = (patch: Record<string, unknown>) => billingProfileSchema.safeParse({ ...valid, ...patch }).success;

	it('P15: discount 0 or 101 refused, no discount (null) and 1-100 accepted', () => {
		expect(refused({ discountPercent: 0 })).toBe(false);
		expect(refused({ discountPercent: 101 })).toBe(false);
		expect(refused({ discountPercent: 12.5 })).toBe(false);
		expect(refused({ discountPercent: null })).toBe(true);
		expect(refused({ discountPercent: 1 })).toBe(true);
		expect(refused({ discountPercent: 100 })).toBe(true);
	});

	it('P15: price 0, a fractional price and an unknown service refused; at least one price', () => {
		expect(refused({ prices: { exchangeBackup: 0 } })).toBe(false);
		expect(refused({ prices: { exchangeBackup: 12.5 } })).toBe(false);
		expect(refused({ prices: { faxBackup: 100 } })).toBe(false);
		expect(refused({ prices: {} })).toBe(false);
	});

	it('P15: an unknown currency refused, ISO codes Intl knows accepted', () => {
		expect(refused({ currency: 'XYZ' })).toBe(false);
		expect(refused({ currency: 'eur' })).toBe(false);
		expect(refused({ currency: 'EURO' })).toBe(false);
		for (const currency of ['JPY', 'KWD', 'PLN', 'CHF']) expect(refused({ currency })).toBe(true);
	});

	it('P15: day 32 refused; yearly 29 February accepted, 30 February and 31 April refused', () => {
		expect(billingFrequencySchema.safeParse(monthly(32)).success).toBe(false);
		expect(billingFrequencySchema.safeParse(monthly(0)).success).toBe(false);
		expect(billingFrequencySchema.safeParse(monthly(31)).success).toBe(true);
		expect(billingFrequencySchema.safeParse(yearly(2, 29)).success).toBe(true);
		expect(billingFrequencySchema.safeParse(yearly(2, 30)).success).toBe(false);
		expect(billingFrequencySchema.safeParse(yearly(4, 31)).success).toBe(false);
		expect(billingFrequencySchema.safeParse(yearly(13, 1)).success).toBe(false);
		expect(refused({ frequency: { kind: 'weekly', day: 1 } })).toBe(false);
	});
});
