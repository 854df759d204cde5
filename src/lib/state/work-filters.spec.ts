// P2, P4, P5: end-time and submission-time windows at their edges, and the cross-customer rows from summaries.
import { describe, expect, it } from 'vitest';
import { EMPTY_SUMMARY, type CustomerSummary } from '$lib/schema/customer-summary';
import { dayStartIn, failedJobRows, inBounds, requestRows, windowBounds, type JobSort } from './work-filters';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const BY_END: JobSort = { column: 'endedAt', descending: true };

function summary(patch: Partial<CustomerSummary>): CustomerSummary {
	return { ...EMPTY_SUMMARY, updatedAt: NOW.toISOString(), ...patch };
}

const failed = (jobId: string, endedAt: string, service = 'Exchange backup') => ({
	jobId,
	service,
	module: 'Mailboxes',
	startedAt: iso(Date.parse(endedAt) - 60_000),
	endedAt
});

describe('time windows', () => {
	it('P4: the last 24 hours include a job that ended exactly 24 h ago and not one a millisecond earlier', () => {
		const bounds = windowBounds({ kind: '24h' }, NOW, 'UTC');
		expect(inBounds(iso(NOW.getTime() - 24 * 3_600_000), bounds)).toBe(true);
		expect(inBounds(iso(NOW.getTime() - 24 * 3_600_000 - 1), bounds)).toBe(false);
		expect(inBounds(iso(NOW.getTime() + 5_000), bounds)).toBe(true);
	});

	it('P4: 7 and 30 days are counted back from now to the millisecond', () => {
		for (const [kind, days] of [
			['7d', 7],
			['30d', 30]
		] as const) {
			const bounds = windowBounds({ kind }, NOW, 'UTC');
			const edge = NOW.getTime() - days * 86_400_000;
			expect(inBounds(iso(edge), bounds)).toBe(true);
			expect(inBounds(iso(edge - 1), bounds)).toBe(false);
		}
	});

	it("P2: custom days run from the first day's midnight to the end of the last day in the tenant's time zone", () => {
		const bounds = windowBounds({ kind: 'custom', from: '2026-11-20', to: '2026-11-21' }, NOW, 'Europe/Vienna');
		// Vienna is UTC+1 in November: 2026-11-20 00:00 there is 2026-11-19 23:00 UTC.
		expect(inBounds('2026-11-19T23:00:00.000Z', bounds)).toBe(true);
		expect(inBounds('2026-11-19T22:59:59.999Z', bounds)).toBe(false);
		expect(inBounds('2026-11-21T22:59:59.999Z', bounds)).toBe(true);
		expect(inBounds('2026-11-21T23:00:00.000Z', bounds)).toBe(false);
	});

	it('P2: a custom window with one side empty is open on that side; a broken day is ignored', () => {
		expect(windowBounds({ kind: 'custom', from: '', to: '' }, NOW, 'UTC')).toEqual({ from: null, to: null });
		expect(windowBounds({ kind: 'custom', from: '2026-11-01', to: 'soon' }, NOW, 'UTC')).toEqual({
			from: Date.parse('2026-11-01T00:00:00Z'),
			to: null
		});
	});

	it('a day starts at the right instant across a DST change and in an unknown zone', () => {
		// New York leaves DST on 2026-11-01 at 02:00 local: that day still starts at 04:00 UTC (EDT), the next at 05:00.
		expect(iso(dayStartIn('2026-11-01', 'America/New_York'))).toBe('2026-11-01T04:00:00.000Z');
		expect(iso(dayStartIn('2026-11-02', 'America/New_York'))).toBe('2026-11-02T05:00:00.000Z');
		expect(iso(dayStartIn('2026-03-29', 'Europe/Vienna'))).toBe('2026-03-28T23:00:00.000Z');
		expect(iso(dayStartIn('2026-11-02', 'Mars/Olympus'))).toBe('2026-11-02T00:00:00.000Z');
		expect(dayStartIn('2026-13-40', 'UTC')).toBeNaN();
	});
});

describe('failed jobs across customers', () => {
	const summaries = new Map([
		[
			'c1',
			summary({
				failedJobs: [
					failed('J-10', '2026-11-22T11:00:00.000Z'),
					failed('J-2', '2026-11-20T11:00:00.000Z', 'Teams backup')
				]
			})
		],
		['c2', summary({ failedJobs: [failed('J-3', '2026-11-22T08:00:00.000Z', 'OneDrive backup')] })],
		['hidden', summary({ failedJobs: [failed('J-9', '2026-11-22T09:00:00.000Z')] })]
	]);
	const names = (id: string) => ({ c1: 'Bäckerei Huber', c2: 'Alpen Apotheke' })[id] ?? null;

	it('P4: lists the failed jobs of every visible customer whose end falls in the window, newest end first', () => {
		const rows = failedJobRows(summaries, names, {
			bounds: windowBounds({ kind: '24h' }, NOW, 'UTC'),
			customerId: '',
			sort: BY_END
		});
		expect(rows.map((row) => [row.jobId, row.customerName])).toEqual([
			['J-10', 'Bäckerei Huber'],
			['J-3', 'Alpen Apotheke']
		]);
	});

	it('P4: filters by customer and sorts by any column both ways (ids as people read them)', () => {
		const all = { bounds: windowBounds({ kind: '7d' }, NOW, 'UTC'), customerId: '' };
		const ids = (sort: JobSort, customerId = '') =>
			failedJobRows(summaries, names, { ...all, customerId, sort }).map((r) => r.jobId);
		expect(ids({ column: 'jobId', descending: false })).toEqual(['J-2', 'J-3', 'J-10']);
		expect(ids({ column: 'jobId', descending: true })).toEqual(['J-10', 'J-3', 'J-2']);
		expect(ids({ column: 'service', descending: false })).toEqual(['J-10', 'J-3', 'J-2']);
		expect(ids({ column: 'customerName', descending: false })).toEqual(['J-3', 'J-10', 'J-2']);
		expect(ids({ column: 'startedAt', descending: false })).toEqual(['J-2', 'J-3', 'J-10']);
		expect(ids(BY_END, 'c1')).toEqual(['J-10', 'J-2']);
	});
});

describe('open service requests across customers', () => {
	const request = (requestId: string, submittedAt: string, status: 'open' | 'waiting' = 'open') => ({
		requestId,
		subject: `Request ${requestId}`,
		status,
		submittedAt
	});
	const summaries = new Map([
		[
			'c1',
			summary({
				requests: [request('R1', '2026-11-22T10:00:00.000Z'), request('R2', '2026-11-10T10:00:00.000Z', 'waiting')]
			})
		],
		['c2', summary({ requests: [request('R3', '2026-11-21T12:00:00.000Z', 'waiting')] })]
	]);
	const names = (id: string) => ({ c1: 'Huber', c2: 'Apotheke' })[id] ?? null;

	it('P5: filters by submission time at the edge and by status, newest first', () => {
		const day = windowBounds({ kind: '24h' }, NOW, 'UTC');
		const all = new Set<never>();
		expect(
			requestRows(summaries, names, { bounds: day, statuses: all, customerId: '' }).map((r) => r.requestId)
		).toEqual(['R1', 'R3']);
		const month = windowBounds({ kind: '30d' }, NOW, 'UTC');
		const waiting = new Set(['waiting'] as const);
		expect(
			requestRows(summaries, names, { bounds: month, statuses: waiting, customerId: '' }).map((r) => r.requestId)
		).toEqual(['R3', 'R2']);
		expect(
			requestRows(summaries, names, { bounds: month, statuses: all, customerId: 'c2' }).map((r) => r.customerName)
		).toEqual(['Apotheke']);
	});
});
