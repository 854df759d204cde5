// P2: the dashboard's time window: presets, custom days in the tenant's time zone, and the URL query that keeps it.
import { describe, expect, it } from 'vitest';
import { startOfDayIn } from '$lib/domain/activity';
import { customRangeProblem, parseWindowQuery, windowBounds, windowQuery } from './dashboard-window';

const NOW = new Date('2026-11-20T12:34:56.789Z');

describe('dashboard window', () => {
	it('P2: the last 24 hours, 7 and 30 days end after the current minute and start exactly that long before', () => {
		const end = new Date('2026-11-20T12:35:00.000Z');
		expect(windowBounds({ kind: '24h' }, NOW, 'UTC')).toEqual({ from: new Date('2026-11-19T12:35:00.000Z'), to: end });
		expect(windowBounds({ kind: '7d' }, NOW, 'UTC')).toEqual({ from: new Date('2026-11-13T12:35:00.000Z'), to: end });
		expect(windowBounds({ kind: '30d' }, NOW, 'Europe/Berlin')).toEqual({
			from: new Date('2026-10-21T12:35:00.000Z'),
			to: end
		});
	});

	it("P2: custom days run from the first day's midnight to the midnight after the last day, in the tenant's time zone", () => {
		expect(windowBounds({ kind: 'custom', from: '2026-11-01', to: '2026-11-03' }, NOW, 'UTC')).toEqual({
			from: new Date('2026-11-01T00:00:00.000Z'),
			to: new Date('2026-11-04T00:00:00.000Z')
		});
		expect(windowBounds({ kind: 'custom', from: '2026-11-01', to: '2026-11-01' }, NOW, 'Europe/Berlin')).toEqual({
			from: new Date('2026-10-31T23:00:00.000Z'),
			to: new Date('2026-11-01T23:00:00.000Z')
		});
		// Across a daylight-saving change (Berlin: 25 October 2026, 03:00 -> 02:00): the day has 25 hours.
		expect(windowBounds({ kind: 'custom', from: '2026-10-25', to: '2026-10-25' }, NOW, 'Europe/Berlin')).toEqual({
			from: new Date('2026-10-24T22:00:00.000Z'),
			to: new Date('2026-10-25T23:00:00.000Z')
		});
		expect(startOfDayIn('2026-11-20', 'America/Los_Angeles')).toEqual(new Date('2026-11-20T08:00:00.000Z'));
		expect(startOfDayIn('2026-11-20', 'Pacific/Kiritimati')).toEqual(new Date('2026-11-19T10:00:00.000Z'));
		expect(startOfDayIn('2026-11-20', 'Mars/Olympus_Mons')).toEqual(new Date('2026-11-20T00:00:00.000Z'));
	});

	it('P2: the URL query keeps the window; a query that does not parse is the default (7 days)', () => {
		const parse = (query: string) => parseWindowQuery(new URLSearchParams(query));
		expect(parse('')).toEqual({ kind: '7d' });
		expect(parse('window=24h')).toEqual({ kind: '24h' });
		expect(parse('window=30d')).toEqual({ kind: '30d' });
		expect(parse('window=1y')).toEqual({ kind: '7d' });
		expect(parse('from=2026-11-01&to=2026-11-03')).toEqual({ kind: 'custom', from: '2026-11-01', to: '2026-11-03' });
		expect(parse('from=2026-11-03&to=2026-11-01')).toEqual({ kind: '7d' });
		expect(parse('from=2026-02-30&to=2026-03-01')).toEqual({ kind: '7d' });
		expect(parse('from=2026-11-01')).toEqual({ kind: '7d' });
		for (const choice of [
			{ kind: '24h' },
			{ kind: '7d' },
			{ kind: 'custom', from: '2026-11-01', to: '2026-11-01' }
		] as const)
			expect(parse(new URLSearchParams(windowQuery(choice)).toString())).toEqual(choice);
		expect(windowQuery({ kind: '7d' })).toEqual({});
	});

	it('P2: a custom range needs two real days, the first not after the last', () => {
		expect(customRangeProblem('2026-11-01', '2026-11-01')).toBeNull();
		expect(customRangeProblem('2026-11-02', '2026-11-01')).toBe('order');
		expect(customRangeProblem('', '2026-11-01')).toBe('invalid');
		expect(customRangeProblem('2026-13-01', '2026-11-01')).toBe('invalid');
	});
});
