import { describe, expect, it } from 'vitest';
import { addDays, dayIn, daysBetween, EXPIRING_SOON_DAYS, licenseState, type LicenseStateInput } from './license-state';

const today = '2026-12-01';
const base: LicenseStateInput = {
	type: 'msp',
	unitsOrdered: 100,
	unitsActivated: 10,
	expiresOn: '2027-06-30',
	suspended: false,
	held: false,
	removed: false
};
const state = (patch: Partial<LicenseStateInput>) => licenseState({ ...base, ...patch }, today).state;

describe('license state', () => {
	it('L14: a license well within its units and time is ok', () => {
		expect(state({})).toBe('ok');
	});

	it('L14: warning from 90 % of the ordered units activated, up to all of them; overused beyond', () => {
		expect(state({ unitsActivated: 89 })).toBe('ok');
		expect(state({ unitsActivated: 90 })).toBe('warning');
		expect(licenseState({ ...base, unitsActivated: 96 }, today).activation).toBeCloseTo(0.96);
		expect(state({ unitsActivated: 100 })).toBe('warning');
		expect(state({ unitsActivated: 101 })).toBe('overused');
		// 90 % of an odd count: 9 of 10 is a warning, 8 of 10 is not.
		expect(state({ unitsOrdered: 10, unitsActivated: 9 })).toBe('warning');
		expect(state({ unitsOrdered: 10, unitsActivated: 8 })).toBe('ok');
	});

	it('L14: expiring soon with fewer than 14 days left; exactly 14 days left is not', () => {
		expect(EXPIRING_SOON_DAYS).toBe(14);
		expect(state({ expiresOn: addDays(today, 14) })).toBe('ok');
		expect(state({ expiresOn: addDays(today, 13) })).toBe('expiringSoon');
		expect(state({ expiresOn: today })).toBe('expiringSoon');
		expect(licenseState({ ...base, expiresOn: today }, today).daysLeft).toBe(0);
	});

	it('L14: expired the day after the expiry date; a trial is trialExpired', () => {
		expect(state({ expiresOn: addDays(today, -1) })).toBe('expired');
		expect(state({ expiresOn: addDays(today, -1), type: 'trial' })).toBe('trialExpired');
		expect(state({ expiresOn: addDays(today, 5), type: 'trial' })).toBe('expiringSoon');
	});

	it('L14: suspended by the vendor or in the portal (a suspended company) wins over the rest', () => {
		expect(state({ suspended: true, unitsActivated: 200, expiresOn: addDays(today, -3) })).toBe('suspended');
		expect(state({ held: true })).toBe('suspended');
	});

	it('L14: one state when several apply, in the documented precedence', () => {
		// overused and expiring soon: overused
		expect(state({ unitsActivated: 120, expiresOn: addDays(today, 3) })).toBe('overused');
		// expired and overused: expired
		expect(state({ unitsActivated: 120, expiresOn: addDays(today, -3) })).toBe('expired');
		// warning and expiring soon: expiringSoon
		expect(state({ unitsActivated: 95, expiresOn: addDays(today, 3) })).toBe('expiringSoon');
		// a license the vendor no longer lists is removed, whatever else
		expect(state({ removed: true, suspended: true })).toBe('removed');
	});

	it("L14: today is the tenant's day, in its time zone", () => {
		const instant = new Date('2026-12-01T23:30:00Z');
		expect(dayIn(instant, 'UTC')).toBe('2026-12-01');
		expect(dayIn(instant, 'Europe/Berlin')).toBe('2026-12-02');
		expect(dayIn(instant, 'America/Los_Angeles')).toBe('2026-12-01');
		expect(dayIn(instant, 'Not/AZone')).toBe('2026-12-01');
		// Expiring on 2026-12-15: 14 days left in UTC (ok), 13 in Berlin already (expiring soon).
		const license = { ...base, expiresOn: '2026-12-15' };
		expect(licenseState(license, dayIn(instant, 'UTC')).state).toBe('ok');
		expect(licenseState(license, dayIn(instant, 'Europe/Berlin')).state).toBe('expiringSoon');
	});

	it('counts days across month and year ends and daylight saving changes', () => {
		expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
		expect(daysBetween('2027-03-27', '2027-03-29')).toBe(2);
		expect(addDays('2027-02-27', 2)).toBe('2027-03-01');
	});
});
