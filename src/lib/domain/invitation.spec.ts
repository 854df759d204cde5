import { describe, expect, it } from 'vitest';
import {
	contactIssues,
	invitationIssues,
	latestExpiry,
	licenseIssues,
	organizationIssues,
	serviceIssues,
	type InvitationLicense
} from './invitation';

const context = { bookingDate: '2026-03-10', monthlyBillingProgram: false };
const trial = (units: number, expiresOn = '2026-04-10'): InvitationLicense => ({
	billingType: 'trial',
	product: 'Backup for Office 365',
	units,
	expiresOn
});
const codes = (issues: readonly { field: string; code: string }[]) =>
	issues.map((issue) => `${issue.field}:${issue.code}`);

describe('P6: the invitation wizard’s rules', () => {
	it('P6: a trial covers 5 users; 6 is refused at the purchased capacity', () => {
		expect(licenseIssues(trial(5), context)).toEqual([]);
		expect(codes(licenseIssues(trial(6), context))).toEqual(['units:trialTooManyUsers']);
		// A paid license is not held to the trial's limit.
		expect(licenseIssues({ ...trial(6), billingType: 'term' }, context)).toEqual([]);
	});

	it('P6: the expiry may be exactly one year after the first booking date, one day more is refused', () => {
		expect(licenseIssues(trial(1, '2027-03-10'), context)).toEqual([]);
		expect(codes(licenseIssues(trial(1, '2027-03-11'), context))).toEqual(['expiresOn:expiryTooLate']);
	});

	it('P6: the expiry is not before the booking date (the booking day itself passes)', () => {
		expect(licenseIssues(trial(1, '2026-03-10'), context)).toEqual([]);
		expect(codes(licenseIssues(trial(1, '2026-03-09'), context))).toEqual(['expiresOn:expiryBeforeBooking']);
	});

	it('P6: the booking date is the tenant’s day: the same expiry passes a day later in a zone already a day ahead', () => {
		expect(codes(licenseIssues(trial(1, '2027-03-11'), context))).toEqual(['expiresOn:expiryTooLate']);
		expect(licenseIssues(trial(1, '2027-03-11'), { ...context, bookingDate: '2026-03-11' })).toEqual([]);
	});

	it('P6: a booking on 29 February runs to 1 March of the next year', () => {
		expect(latestExpiry('2028-02-29')).toBe('2029-03-01');
		expect(licenseIssues(trial(1, '2029-03-01'), { ...context, bookingDate: '2028-02-29' })).toEqual([]);
		expect(codes(licenseIssues(trial(1, '2029-03-02'), { ...context, bookingDate: '2028-02-29' }))).toEqual([
			'expiresOn:expiryTooLate'
		]);
	});

	it('P6: a date that is no calendar day, no product and no whole capacity are refused at their fields', () => {
		expect(
			codes(licenseIssues({ billingType: 'term', product: ' ', units: 2.5, expiresOn: '2026-02-30' }, context))
		).toEqual(['product:productRequired', 'units:unitsInvalid', 'expiresOn:expiryInvalid']);
		expect(codes(licenseIssues({ ...trial(0) }, context))).toEqual(['units:unitsInvalid']);
	});

	it('C6: monthly is offered only in the monthly-billing program', () => {
		const monthly = { ...trial(50), billingType: 'monthly' };
		expect(codes(licenseIssues(monthly, context))).toEqual(['billingType:monthlyNotInProgram']);
		expect(licenseIssues(monthly, { ...context, monthlyBillingProgram: true })).toEqual([]);
		expect(codes(licenseIssues({ ...monthly, billingType: 'annual' }, context))).toEqual([
			'billingType:billingTypeUnknown'
		]);
	});

	it('P6: the organization needs a name and the admin contact a name and a valid email', () => {
		expect(codes(organizationIssues({ organization: '  ' }))).toEqual(['organization:organizationRequired']);
		expect(organizationIssues({ organization: 'Contoso' })).toEqual([]);
		expect(codes(contactIssues({ contactName: '', contactEmail: 'not-an-email' }))).toEqual([
			'contactName:contactNameRequired',
			'contactEmail:contactEmailInvalid'
		]);
		expect(contactIssues({ contactName: 'Ana', contactEmail: 'ana@contoso.example' })).toEqual([]);
	});

	it('P6: services are optional, known kinds, each once', () => {
		expect(serviceIssues([])).toEqual([]);
		expect(serviceIssues(['exchangeBackup', 'teamsBackup'])).toEqual([]);
		expect(codes(serviceIssues(['faxBackup']))).toEqual(['services:serviceUnknown']);
		expect(codes(serviceIssues(['teamsBackup', 'teamsBackup']))).toEqual(['services:serviceTwice']);
	});

	it('P6: a whole invitation lists every refusal in the wizard’s order, and a good one none', () => {
		const good = {
			organization: 'Contoso',
			contactName: 'Ana',
			contactEmail: 'ana@contoso.example',
			services: ['exchangeBackup'],
			license: trial(5)
		};
		expect(invitationIssues(good, context)).toEqual([]);
		expect(
			codes(
				invitationIssues({ ...good, organization: '', contactEmail: 'x', license: trial(6, '2028-01-01') }, context)
			)
		).toEqual([
			'organization:organizationRequired',
			'contactEmail:contactEmailInvalid',
			'units:trialTooManyUsers',
			'expiresOn:expiryTooLate'
		]);
	});
});
