import { describe, expect, it } from 'vitest';
import {
	billingChangeIssue,
	canConvertToMonthly,
	canLaunchCustomer,
	earlyAccessAllowed,
	partnerAssistance
} from './customer-account';

const CONSOLE = 'https://console.contoso.example';

describe('C2: partner assistance', () => {
	it('C2: on by itself for a trial the partner created, a monthly account and a managed-customer order', () => {
		expect(partnerAssistance({ billingType: 'trial', origin: 'partner' })).toEqual({ on: true, automatic: true });
		// A customer made before C2 counts as made by the partner.
		expect(partnerAssistance({ billingType: 'trial' })).toEqual({ on: true, automatic: true });
		expect(partnerAssistance({ billingType: 'monthly', origin: 'vendor' })).toEqual({ on: true, automatic: true });
		expect(partnerAssistance({ billingType: 'term', origin: 'managedOrder' })).toEqual({ on: true, automatic: true });
	});

	it('C2: otherwise it is what the customer’s admin set; a trial the customer made itself is not automatic', () => {
		expect(partnerAssistance({ billingType: 'term', origin: 'partner' })).toEqual({ on: false, automatic: false });
		expect(partnerAssistance({ billingType: 'trial', origin: 'self' })).toEqual({ on: false, automatic: false });
		expect(partnerAssistance({ billingType: 'term', origin: 'self', partnerAssistance: true })).toEqual({
			on: true,
			automatic: false
		});
		// Automatic cases stay on even when the stored value says off.
		expect(partnerAssistance({ billingType: 'monthly', partnerAssistance: false }).on).toBe(true);
	});

	it('C2: "Launch customer" works only while partner assistance is on, with a console, and not when unlinked', () => {
		const term = {
			billingType: 'term' as const,
			origin: 'partner' as const,
			consoleUrl: CONSOLE,
			status: 'normal' as const
		};
		expect(canLaunchCustomer(term)).toBe(false);
		expect(canLaunchCustomer({ ...term, partnerAssistance: true })).toBe(true);
		expect(canLaunchCustomer({ ...term, billingType: 'trial' })).toBe(true);
		expect(canLaunchCustomer({ ...term, billingType: 'trial', consoleUrl: undefined })).toBe(false);
		expect(canLaunchCustomer({ ...term, billingType: 'trial', status: 'unlinked' })).toBe(false);
	});
});

describe('C6: billing type', () => {
	it('C6: monthly only in the monthly-billing program', () => {
		const next = { billingType: 'monthly' as const, earlyAccess: false };
		expect(billingChangeIssue({ billingType: 'term' }, next, false)).toBe('monthlyNotInProgram');
		expect(billingChangeIssue({ billingType: 'term' }, next, true)).toBeNull();
		// An account that is monthly already stays so when the tenant leaves the program.
		expect(billingChangeIssue({ billingType: 'monthly' }, next, false)).toBeNull();
	});

	it('C6: a free trial converts to monthly billing (in the program)', () => {
		expect(
			billingChangeIssue({ billingType: 'trial' }, { billingType: 'monthly', earlyAccess: false }, true)
		).toBeNull();
		expect(canConvertToMonthly({ billingType: 'trial' }, true)).toBe(true);
		expect(canConvertToMonthly({ billingType: 'trial' }, false)).toBe(false);
		expect(canConvertToMonthly({ billingType: 'term' }, true)).toBe(false);
	});

	it('C6: a monthly account cannot join early-access programs', () => {
		expect(billingChangeIssue({ billingType: 'monthly' }, { billingType: 'monthly', earlyAccess: true }, true)).toBe(
			'monthlyEarlyAccess'
		);
		expect(billingChangeIssue({ billingType: 'trial' }, { billingType: 'monthly', earlyAccess: true }, true)).toBe(
			'monthlyEarlyAccess'
		);
		expect(billingChangeIssue({ billingType: 'term' }, { billingType: 'term', earlyAccess: true }, false)).toBeNull();
		expect(earlyAccessAllowed({ billingType: 'monthly' })).toBe(false);
		expect(earlyAccessAllowed({ billingType: 'term' })).toBe(true);
	});

	it('C6: nothing converts back to a trial', () => {
		expect(billingChangeIssue({ billingType: 'term' }, { billingType: 'trial', earlyAccess: false }, true)).toBe(
			'backToTrial'
		);
		expect(billingChangeIssue({ billingType: 'trial' }, { billingType: 'trial', earlyAccess: true }, false)).toBeNull();
	});
});
