// P9: the format module: dates, times, numbers and money in the UI's language, the tenant's zone and its format settings.
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages.js';
import * as registry from '$lib/paraglide/registry.js';
import { DATE_FORMATS, type DateFormat, type TimeFormat, type WeekStart } from '$lib/schema/settings';
import { csvDay, csvInstant } from '$lib/data/csv';
import { currencyDigits, firstDayOfWeek, Formatter, languageName, minorToDecimal, weekAround } from './format';

/** Intl separates with no-break and narrow no-break spaces; the expectations are written with plain ones. */
const plain = (text: string): string => text.replace(/[\u00a0\u202f]/g, ' ');

function formatter(
	locale: string,
	options: { timeZone?: string; dateFormat?: DateFormat; timeFormat?: TimeFormat; weekStart?: WeekStart } = {}
): Formatter {
	return new Formatter({
		locale,
		timeZone: options.timeZone ?? 'Europe/Berlin',
		dateFormat: options.dateFormat ?? 'auto',
		timeFormat: options.timeFormat ?? 'auto',
		weekStart: options.weekStart ?? 'auto'
	});
}

// 20 November 2026, 13:05 UTC: 14:05 in Berlin.
const NOV_20 = new Date('2026-11-20T13:05:00Z');

describe('format module', () => {
	it('P9: a date reads in each of the five languages as that language writes it (auto)', () => {
		const dates = ['en', 'de', 'es', 'pl', 'it'].map((locale) => plain(formatter(locale).date(NOV_20)));
		expect(dates).toEqual(['Nov 20, 2026', '20.11.2026', '20 nov 2026', '20 lis 2026', '20 nov 2026']);
		// A calendar day is not moved by any zone: 5 March stays 5 March on the far side of the date line too.
		expect(formatter('de', { timeZone: 'Pacific/Kiritimati' }).day('2026-03-05')).toBe('05.03.2026');
		expect(formatter('en', { timeZone: 'Pacific/Pago_Pago' }).day('2026-03-05')).toBe('Mar 5, 2026');
	});

	it('P9: each chosen date format applies in every language, to instants (in the tenant zone) and calendar days', () => {
		const expected: Record<Exclude<DateFormat, 'auto'>, string> = {
			'dd.mm.yyyy': '20.11.2026',
			'dd/mm/yyyy': '20/11/2026',
			'mm/dd/yyyy': '11/20/2026',
			'yyyy-mm-dd': '2026-11-20'
		};
		for (const locale of ['en', 'de', 'es', 'pl', 'it'])
			for (const dateFormat of DATE_FORMATS.filter((format) => format !== 'auto')) {
				expect(formatter(locale, { dateFormat }).date(NOV_20)).toBe(expected[dateFormat]);
				expect(formatter(locale, { dateFormat }).day('2026-11-20')).toBe(expected[dateFormat]);
			}
		// 23:30 UTC on the 20th is already the 21st in Berlin: the date is the tenant's.
		expect(formatter('de', { dateFormat: 'yyyy-mm-dd' }).date('2026-11-20T23:30:00Z')).toBe('2026-11-21');
		expect(formatter('de', { dateFormat: 'dd.mm.yyyy' }).dateTime(NOV_20)).toBe('20.11.2026 14:05');
		expect(plain(formatter('en', { dateFormat: 'mm/dd/yyyy' }).dateTime(NOV_20))).toBe('11/20/2026 2:05 PM');
	});

	it('P9: the clock is the language’s own, or the chosen 24-hour or 12-hour one', () => {
		expect(plain(formatter('en').time(NOV_20))).toBe('2:05 PM');
		expect(formatter('de').time(NOV_20)).toBe('14:05');
		expect(formatter('en', { timeFormat: '24h' }).time(NOV_20)).toBe('14:05');
		expect(plain(formatter('de', { timeFormat: '12h' }).time(NOV_20))).toMatch(/^0?2:05 PM$/);
		expect(plain(formatter('es', { timeFormat: '12h' }).time(NOV_20))).toBe('2:05 p. m.');
		// Past midnight on the 24-hour clock (Spanish writes the hour without a leading zero).
		expect(
			['en', 'de', 'es', 'pl', 'it'].map((locale) =>
				formatter(locale, { timeFormat: '24h' }).time('2026-11-20T23:05:00Z')
			)
		).toEqual(['00:05', '00:05', '0:05', '00:05', '00:05']);
		expect(plain(formatter('de').dateTime(NOV_20))).toBe('20.11.2026, 14:05');
		expect(plain(formatter('de').dateTime(NOV_20, { seconds: true }))).toBe('20.11.2026, 14:05:00');
	});

	it('P9: a time is the tenant’s wall clock across a daylight-saving change', () => {
		const berlin = formatter('de', { dateFormat: 'yyyy-mm-dd' });
		// 29 March 2026: Berlin moves from 02:00 CET to 03:00 CEST at 01:00 UTC.
		expect(berlin.dateTime('2026-03-29T00:30:00Z')).toBe('2026-03-29 01:30');
		expect(berlin.dateTime('2026-03-29T01:30:00Z')).toBe('2026-03-29 03:30');
		// 25 October 2026: back from 03:00 CEST to 02:00 CET at 01:00 UTC: 02:30 happens twice.
		expect(berlin.time('2026-10-25T00:30:00Z')).toBe('02:30');
		expect(berlin.time('2026-10-25T01:30:00Z')).toBe('02:30');
		const newYork = formatter('en', { timeZone: 'America/New_York', timeFormat: '24h', dateFormat: 'yyyy-mm-dd' });
		expect(newYork.dateTime('2026-03-08T06:59:00Z')).toBe('2026-03-08 01:59');
		expect(newYork.dateTime('2026-03-08T07:00:00Z')).toBe('2026-03-08 03:00');
		// A zone the runtime does not know reads as UTC rather than failing.
		expect(formatter('de', { timeZone: 'Mars/Olympus_Mons' }).time(NOV_20)).toBe('13:05');
	});

	it('P9: CSV dates are ISO 8601 with the tenant’s offset, or the chosen pattern with a 24-hour time in the tenant zone', () => {
		expect(csvInstant(new Date('2026-03-29T00:30:00Z'), 'Europe/Berlin', 'auto')).toBe('2026-03-29T01:30:00+01:00');
		expect(csvInstant(new Date('2026-03-29T01:30:00Z'), 'Europe/Berlin', 'auto')).toBe('2026-03-29T03:30:00+02:00');
		expect(csvInstant(new Date('2026-11-20T13:05:09Z'), 'America/St_Johns', 'auto')).toBe('2026-11-20T09:35:09-03:30');
		expect(csvInstant(NOV_20, 'UTC', 'auto')).toBe('2026-11-20T13:05:00+00:00');
		expect(csvInstant(NOV_20, 'Europe/Berlin', 'dd.mm.yyyy')).toBe('20.11.2026 14:05');
		expect(csvInstant(NOV_20, 'America/Los_Angeles', 'mm/dd/yyyy')).toBe('11/20/2026 05:05');
		expect(csvInstant(new Date('nonsense'), 'UTC', 'auto')).toBe('');
		expect(csvDay('2026-11-20', 'auto')).toBe('2026-11-20');
		expect(csvDay('2026-11-20', 'dd/mm/yyyy')).toBe('20/11/2026');
		// The language never reaches a CSV file: the same settings write the same cells in German and in English.
		expect(formatter('de').csvInstant(NOV_20)).toBe(formatter('en').csvInstant(NOV_20));
	});

	it('P9: the first day of the week is the setting, or the language’s (Intl week info), else Monday', () => {
		expect(firstDayOfWeek('auto', 'de')).toBe(1);
		expect(firstDayOfWeek('auto', 'pl')).toBe(1);
		expect(firstDayOfWeek('auto', 'en')).toBe(7);
		expect(firstDayOfWeek('auto', 'en-GB')).toBe(1);
		expect(firstDayOfWeek('monday', 'en')).toBe(1);
		expect(firstDayOfWeek('sunday', 'de')).toBe(7);
		expect(firstDayOfWeek('saturday', 'it')).toBe(6);
		expect(firstDayOfWeek('auto', 'not a tag!')).toBe(1);
		expect(formatter('de').weekdays('short')).toEqual(['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So']);
		expect(formatter('de', { weekStart: 'sunday' }).weekdays('short')[0]).toBe('So');
		expect(formatter('en', { weekStart: 'saturday' }).weekdays('long').slice(0, 2)).toEqual(['Saturday', 'Sunday']);
	});

	it('P9: "this week" and "last week" start on the tenant’s first day of the week', () => {
		// Wednesday 2 December 2026.
		expect(weekAround('2026-12-02', 1)).toEqual({ from: '2026-11-30', to: '2026-12-06' });
		expect(weekAround('2026-12-02', 7)).toEqual({ from: '2026-11-29', to: '2026-12-05' });
		expect(weekAround('2026-12-02', 6)).toEqual({ from: '2026-11-28', to: '2026-12-04' });
		expect(weekAround('2026-12-02', 1, -1)).toEqual({ from: '2026-11-23', to: '2026-11-29' });
		// On the first day itself, and across the end of a year and a daylight-saving change.
		expect(weekAround('2026-11-30', 1)).toEqual({ from: '2026-11-30', to: '2026-12-06' });
		expect(weekAround('2027-01-02', 7)).toEqual({ from: '2026-12-27', to: '2027-01-02' });
		expect(weekAround('2026-03-29', 1)).toEqual({ from: '2026-03-23', to: '2026-03-29' });
		expect(weekAround('2026-03-30', 7, -1)).toEqual({ from: '2026-03-22', to: '2026-03-28' });
	});

	it('P9, P15: money is formatted from integer minor units with the currency’s own digits (JPY 0, EUR 2, KWD 3)', () => {
		expect([currencyDigits('JPY'), currencyDigits('EUR'), currencyDigits('KWD'), currencyDigits('XYZ')]).toEqual([
			0, 2, 3, 2
		]);
		expect(plain(formatter('de').money(123456, 'EUR'))).toBe('1.234,56 €');
		expect(plain(formatter('en').money(123456, 'EUR'))).toBe('€1,234.56');
		expect(plain(formatter('de').money(123456, 'JPY'))).toBe('123.456 ¥');
		expect(plain(formatter('en').money(123456, 'KWD'))).toBe('KWD 123.456');
		expect(plain(formatter('pl').money(5, 'EUR'))).toBe('0,05 €');
		expect(plain(formatter('it').money(-1999, 'EUR'))).toBe('-19,99 €');
		// Past 2^53 / 100 a division would lose cents; the decimal string does not.
		expect(plain(formatter('en').money(9_007_199_254_740_991, 'EUR'))).toBe('€90,071,992,547,409.91');
		expect(minorToDecimal(7, 3)).toBe('0.007');
		expect(minorToDecimal(-120, 2)).toBe('-1.20');
		expect(minorToDecimal(42, 0)).toBe('42');
		expect(() => minorToDecimal(1.5, 2)).toThrow(RangeError);
	});

	it('P9: numbers, percentages, byte counts, months and relative times follow the language', () => {
		expect(formatter('de').number(12345.6)).toBe('12.345,6');
		expect(plain(formatter('pl').number(12345.6))).toBe('12 345,6');
		expect(formatter('en').number(12345.6)).toBe('12,345.6');
		expect(plain(formatter('de').percent(0.125, 1))).toBe('12,5 %');
		expect(formatter('en').percent(0.125)).toBe('13%');
		expect(plain(formatter('de').bytes(3_200_000))).toBe('3,2 MB');
		expect(formatter('es').month('2026-11')).toBe('noviembre de 2026');
		expect(formatter('de').month(NOV_20)).toBe('November 2026');
		expect(formatter('de').relative(new Date('2026-11-20T11:05:00Z'), NOV_20)).toBe('vor 2 Stunden');
		expect(formatter('it').relative(new Date('2026-11-19T13:05:00Z'), NOV_20)).toBe('ieri');
		expect(formatter('en').relative(new Date('2026-11-20T13:08:00Z'), NOV_20)).toBe('in 3 minutes');
		expect(formatter('de').dateTime('not a date')).toBe('not a date');
	});

	it('P9: each language is offered by its own name', () => {
		expect(['en', 'de', 'es', 'pl', 'it'].map(languageName)).toEqual([
			'English',
			'Deutsch',
			'Español',
			'Polski',
			'Italiano'
		]);
	});

	it('P9: Polish plurals pick one, few and many (1, 2, 5, 22, 25) as Paraglide’s messages select them', () => {
		const counts = [1, 2, 5, 22, 25];
		expect(counts.map((n) => new Intl.PluralRules('pl').select(n))).toEqual(['one', 'few', 'many', 'few', 'many']);
		// The selector every compiled plural message calls (registry.plural), for Polish and for English.
		expect(counts.map((n) => registry.plural('pl', n, {}))).toEqual(['one', 'few', 'many', 'few', 'many']);
		expect(counts.map((n) => registry.plural('en', n, {}))).toEqual(['one', 'other', 'other', 'other', 'other']);
		expect([1, 2].map((count) => m.dashboard_legend_step_one({ count }, { locale: 'en' }))).toEqual([
			'1 needs attention',
			'2 need attention'
		]);
	});
	it('P9: another zone keeps the language and formats (a report in its own zone); names sort as the language does', () => {
		const berlin = formatter('de', { dateFormat: 'dd.mm.yyyy' });
		expect(berlin.inTimeZone(berlin.settings.timeZone)).toBe(berlin);
		const tokyo = berlin.inTimeZone('Asia/Tokyo');
		expect(tokyo).toBe(berlin.inTimeZone('Asia/Tokyo'));
		expect(tokyo.dateTime(NOV_20)).toBe('20.11.2026 22:05');
		expect(['Kunde 10', 'kunde 2'].sort((a, b) => formatter('de').compare(a, b))).toEqual(['kunde 2', 'Kunde 10']);
		// Swedish sorts "ä" after "z", German beside "a".
		expect(['zeta', 'äpfel', 'alpha'].sort((a, b) => formatter('de').compare(a, b))).toEqual([
			'alpha',
			'äpfel',
			'zeta'
		]);
		expect(['zeta', 'äpfel', 'alpha'].sort((a, b) => formatter('sv').compare(a, b))).toEqual([
			'alpha',
			'zeta',
			'äpfel'
		]);
	});
});
