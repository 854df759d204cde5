import { describe, expect, it } from 'vitest';
import { billingFormOf, emptyBillingForm, readBillingForm } from './billing-form';

describe('the billing profile form', () => {
	it('P15: prices typed in German are read exactly into minor units, and shown back the same way', () => {
		const form = { ...emptyBillingForm('de'), name: ' Standard ', discount: '15', day: '31' };
		form.prices.exchangeBackup = '12,50';
		form.prices.teamsBackup = '1.234,05';
		const read = readBillingForm(form, 'de');
		expect(read).toEqual({
			ok: true,
			profile: {
				id: undefined,
				name: 'Standard',
				description: '',
				discountPercent: 15,
				currency: 'EUR',
				prices: { exchangeBackup: 1250, teamsBackup: 123405 },
				frequency: { kind: 'monthly', day: 31 },
				locale: 'de'
			}
		});
		if (!read.ok) return;
		const again = billingFormOf({ ...read.profile, id: 'p1' }, 'de');
		expect(again.prices.exchangeBackup).toBe('12,50');
		expect(again.prices.teamsBackup).toBe('1234,05');
		expect(billingFormOf({ ...read.profile, id: 'p1', currency: 'KWD' }, 'en').prices.exchangeBackup).toBe('1.250');
	});

	it('P15: every issue is reported per field: discount 0 or 101, price 0, no price, day 32, 30 February', () => {
		const form = { ...emptyBillingForm('en'), name: '', discount: '0', day: '32' };
		form.prices.exchangeBackup = '0.00';
		const fields = (f: typeof form) => {
			const read = readBillingForm(f, 'en');
			return read.ok ? [] : read.issues.map((issue) => `${issue.field}:${issue.code}`);
		};
		expect(fields(form)).toEqual(['name:required', 'discount:range', 'exchangeBackup:notPositive', 'day:range']);
		expect(
			fields({ ...form, name: 'A', discount: '101', day: '1', prices: { ...form.prices, exchangeBackup: '' } })
		).toEqual(['discount:range', 'prices:none']);
		const yearly = { ...form, name: 'A', discount: '', frequency: 'yearly' as const, month: '2', day: '30' };
		yearly.prices = { ...form.prices, exchangeBackup: '5' };
		expect(fields(yearly)).toEqual(['day:noSuchDay']);
		expect(fields({ ...yearly, day: '29' })).toEqual([]);
		expect(fields({ ...yearly, day: '29', currency: 'XYZ' })).toEqual(['currency:unknown']);
		expect(
			fields({ ...yearly, day: '29', currency: 'JPY', prices: { ...yearly.prices, exchangeBackup: '5.5' } })
		).toEqual(['exchangeBackup:tooManyDecimals']);
	});
});
