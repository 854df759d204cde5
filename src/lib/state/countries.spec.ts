// P1: the map's country codes: ISO alpha-2 on customer nodes, ISO numeric as world-atlas ids, names from the browser.
import { describe, expect, it } from 'vitest';
import { alpha2OfNumeric, countryName, numericOfAlpha2 } from './countries';

describe('countries', () => {
	it('P1: alpha-2 and ISO numeric map both ways; a shape without an ISO code has no country', () => {
		expect(numericOfAlpha2('DE')).toBe('276');
		expect(alpha2OfNumeric('276')).toBe('DE');
		expect(alpha2OfNumeric('004')).toBe('AF');
		expect(alpha2OfNumeric(840)).toBe('US');
		expect(alpha2OfNumeric(undefined)).toBeNull();
		expect(alpha2OfNumeric('999')).toBeNull();
	});

	it('P1: names come in the locale asked for; an unknown code is shown as it is', () => {
		expect(countryName('DE', 'en')).toBe('Germany');
		expect(countryName('DE', 'de')).toBe('Deutschland');
		expect(countryName('QQ', 'en')).toBe('QQ');
	});
});
