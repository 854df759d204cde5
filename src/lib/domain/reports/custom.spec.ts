import { describe, expect, it } from 'vitest';
import { runReport, type ReportRow } from './custom';
import {
	DEFAULT_DEFINITION,
	reportDefinitionSchema,
	savedReportSchema,
	type ReportDefinition
} from '../../schema/reports';

const NOW = new Date('2026-12-02T12:00:00Z');
const context = { now: NOW, timeZone: 'Europe/Vienna' };

const customers: ReportRow[] = [
	{
		cells: {
			name: 'Bäckerei Huber',
			status: 'normal',
			country: 'Austria',
			failedJobs: 3,
			storage: 1_000,
			licenses: 2,
			createdAt: '2026-01-10T08:00:00Z'
		}
	},
	{
		cells: {
			name: 'Ferretería López',
			status: 'normal',
			country: 'Spain',
			failedJobs: 0,
			storage: 5_000,
			licenses: 4,
			createdAt: '2026-03-01T23:30:00Z'
		}
	},
	{
		cells: {
			name: 'Piekarnia Nowak',
			status: 'notSetUp',
			country: 'Poland',
			failedJobs: 1,
			storage: 2_000,
			licenses: 0,
			createdAt: '2026-03-02T09:00:00Z'
		}
	},
	{
		cells: {
			name: 'Autohaus Berger',
			status: 'unlinked',
			country: 'Austria',
			failedJobs: 5,
			storage: 0,
			licenses: 1,
			createdAt: null
		}
	}
];

const licenses: ReportRow[] = [
	{ cells: { publicId: 'A-1', product: 'Endpoint Security', state: 'ok', unitsOrdered: 10, expiresOn: '2027-01-31' } },
	{
		cells: { publicId: 'A-2', product: 'Endpoint Security', state: 'expired', unitsOrdered: 5, expiresOn: '2026-11-30' }
	},
	{ cells: { publicId: 'B-1', product: 'Mail Security', state: 'ok', unitsOrdered: 25, expiresOn: '2027-06-30' } },
	{ cells: { publicId: 'C-1', product: 'Cloud Backup', state: 'overused', unitsOrdered: 3, expiresOn: '2026-12-10' } }
];

const job = (jobId: string, customer: string, service: string, endedAt: string, minutes: number): ReportRow => ({
	cells: { jobId, customer, service, module: 'Mail', startedAt: endedAt, endedAt, durationMinutes: minutes },
	at: Date.parse(endedAt)
});
const jobs: ReportRow[] = [
	job('j1', 'Bäckerei Huber', 'backup', '2026-12-02T06:00:00Z', 10),
	job('j2', 'Bäckerei Huber', 'backup', '2026-12-01T23:30:00Z', 20),
	job('j3', 'Ferretería López', 'archive', '2026-11-28T10:00:00Z', 30),
	job('j4', 'Piekarnia Nowak', 'backup', '2026-10-01T10:00:00Z', 40)
];

const requests: ReportRow[] = [
	{
		cells: {
			requestId: 'r1',
			customer: 'Bäckerei Huber',
			subject: 'Restore mailbox',
			status: 'open',
			submittedAt: '2026-12-01T09:00:00Z'
		},
		at: Date.parse('2026-12-01T09:00:00Z')
	},
	{
		cells: {
			requestId: 'r2',
			customer: 'Piekarnia Nowak',
			subject: 'New user',
			status: 'inProgress',
			submittedAt: '2026-11-01T09:00:00Z'
		},
		at: Date.parse('2026-11-01T09:00:00Z')
	}
];

function definition(patch: Partial<ReportDefinition>): ReportDefinition {
	return reportDefinitionSchema.parse({ ...DEFAULT_DEFINITION, sort: null, ...patch });
}

describe('custom report engine (P8)', () => {
	it('P8: customers with chosen columns, sorted by a number field descending (nulls last)', () => {
		const result = runReport(
			definition({ columns: ['name', 'failedJobs'], sort: { field: 'failedJobs', descending: true } }),
			customers,
			context
		);
		expect(result.columns).toEqual(['name', 'failedJobs']);
		expect(result.rows).toEqual([
			['Autohaus Berger', 5],
			['Bäckerei Huber', 3],
			['Piekarnia Nowak', 1],
			['Ferretería López', 0]
		]);
		expect(result.groups).toBeNull();
	});

	it('P8: text filters ignore case and accents: equals, contains, is one of; state equals is exact', () => {
		const names = (patch: Partial<ReportDefinition>) =>
			runReport(definition({ columns: ['name'], ...patch }), customers, context).rows.map((row) => row[0]);
		expect(names({ filters: [{ field: 'country', op: 'equals', value: 'austria' }] })).toEqual([
			'Bäckerei Huber',
			'Autohaus Berger'
		]);
		expect(names({ filters: [{ field: 'name', op: 'contains', value: 'ERIA' }] })).toEqual(['Ferretería López']);
		expect(names({ filters: [{ field: 'country', op: 'oneOf', values: ['Spain', 'poland'] }] })).toEqual([
			'Ferretería López',
			'Piekarnia Nowak'
		]);
		expect(names({ filters: [{ field: 'status', op: 'oneOf', values: ['notSetUp', 'unlinked'] }] })).toEqual([
			'Piekarnia Nowak',
			'Autohaus Berger'
		]);
		// Two filters: both must hold.
		expect(
			names({
				filters: [
					{ field: 'status', op: 'equals', value: 'normal' },
					{ field: 'failedJobs', op: 'greaterThan', value: 0 }
				]
			})
		).toEqual(['Bäckerei Huber']);
	});

	it('P8: number and date filters: greater than, less than, between days in the tenant time zone', () => {
		const names = (patch: Partial<ReportDefinition>) =>
			runReport(definition({ columns: ['name'], ...patch }), customers, context).rows.map((row) => row[0]);
		expect(names({ filters: [{ field: 'storage', op: 'lessThan', value: 2_000 }] })).toEqual([
			'Bäckerei Huber',
			'Autohaus Berger'
		]);
		// 2026-03-01T23:30Z is 2 March in Vienna: the day is the tenant's, not UTC's.
		expect(names({ filters: [{ field: 'createdAt', op: 'between', from: '2026-03-02', to: '2026-03-02' }] })).toEqual([
			'Ferretería López',
			'Piekarnia Nowak'
		]);
		expect(names({ filters: [{ field: 'createdAt', op: 'lessThan', value: '2026-03-02' }] })).toEqual([
			'Bäckerei Huber'
		]);
		expect(
			runReport(
				definition({
					subject: 'licenses',
					columns: ['publicId'],
					filters: [{ field: 'expiresOn', op: 'greaterThan', value: '2026-12-31' }]
				}),
				licenses,
				context
			).rows
		).toEqual([['A-1'], ['B-1']]);
	});

	it('P8: licenses grouped by product with the sum of ordered units, largest first', () => {
		const result = runReport(
			definition({
				subject: 'licenses',
				columns: ['publicId', 'product', 'unitsOrdered'],
				grouping: { field: 'product', aggregate: 'sum', measure: 'unitsOrdered' },
				chart: 'bar'
			}),
			licenses,
			context
		);
		expect(result.rows).toHaveLength(4);
		expect(result.groups).toEqual([
			{ key: 'Mail Security', count: 1, value: 25 },
			{ key: 'Endpoint Security', count: 2, value: 15 },
			{ key: 'Cloud Backup', count: 1, value: 3 }
		]);
	});

	it('P8: grouping counts and averages; rows without the measure do not count toward the average', () => {
		const count = runReport(
			definition({ columns: ['name'], grouping: { field: 'country', aggregate: 'count', measure: null } }),
			customers,
			context
		);
		expect(count.groups).toEqual([
			{ key: 'Austria', count: 2, value: 2 },
			{ key: 'Poland', count: 1, value: 1 },
			{ key: 'Spain', count: 1, value: 1 }
		]);
		const rows = [...customers, { cells: { name: 'Neu GmbH', country: 'Austria', storage: null } }];
		const average = runReport(
			definition({ columns: ['name'], grouping: { field: 'country', aggregate: 'average', measure: 'storage' } }),
			rows,
			context
		);
		expect(average.groups?.find((group) => group.key === 'Austria')).toEqual({ key: 'Austria', count: 3, value: 500 });
	});

	it('P8: failed jobs in the time window (by end time), grouped by day in the tenant time zone', () => {
		const result = runReport(
			definition({
				subject: 'jobs',
				columns: ['jobId', 'customer'],
				window: '7d',
				grouping: { field: 'endedAt', aggregate: 'sum', measure: 'durationMinutes' },
				chart: 'line'
			}),
			jobs,
			context
		);
		// j4 ended two months ago: outside the 7 days.
		expect(result.rows.map((row) => row[0])).toEqual(['j1', 'j2', 'j3']);
		// 2026-12-01T23:30Z is 2 December in Vienna, like j1; days come in time order.
		expect(result.groups).toEqual([
			{ key: '2026-11-28', count: 1, value: 30 },
			{ key: '2026-12-02', count: 2, value: 30 }
		]);
	});

	it('P8: service requests in a 30-day window, filtered by state', () => {
		const result = runReport(
			definition({
				subject: 'requests',
				columns: ['requestId', 'subject', 'status'],
				window: '30d',
				filters: [{ field: 'status', op: 'equals', value: 'open' }]
			}),
			requests,
			context
		);
		expect(result.rows).toEqual([['r1', 'Restore mailbox', 'open']]);
		const all = runReport(definition({ subject: 'requests', columns: ['requestId'], window: null }), requests, context);
		expect(all.rows).toEqual([['r1'], ['r2']]);
	});

	it('P8: an empty result has no rows and no groups, and an empty subject runs', () => {
		const none = runReport(
			definition({
				columns: ['name'],
				filters: [{ field: 'name', op: 'contains', value: 'nobody' }],
				grouping: { field: 'country', aggregate: 'count', measure: null }
			}),
			customers,
			context
		);
		expect(none.rows).toEqual([]);
		expect(none.groups).toEqual([]);
		expect(runReport(definition({ subject: 'jobs', columns: ['jobId'] }), [], context).rows).toEqual([]);
	});
});

describe('report definitions (P8)', () => {
	const issues = (value: unknown) => {
		const parsed = reportDefinitionSchema.safeParse(value);
		return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
	};

	it('P8: a definition referencing a field that no longer exists is refused with a clear message', () => {
		expect(issues({ ...DEFAULT_DEFINITION, columns: ['name', 'faxNumber'] })).toEqual([
			'columns.1: "faxNumber" is not a field of customers'
		]);
		expect(issues({ ...DEFAULT_DEFINITION, filters: [{ field: 'product', op: 'contains', value: 'Mail' }] })).toEqual([
			'filters.0.field: "product" is not a field of customers'
		]);
		expect(
			issues({ ...DEFAULT_DEFINITION, grouping: { field: 'country', aggregate: 'sum', measure: 'revenue' } })
		).toContain('grouping.measure: "revenue" is not a field of customers');
		// A saved report with such a definition is refused whole, so the relay undoes it and the list skips it.
		const saved = savedReportSchema.safeParse({
			id: 'r1',
			name: 'Old',
			description: '',
			definition: { ...DEFAULT_DEFINITION, sort: { field: 'faxNumber', descending: false } },
			createdBy: 'a@example.test',
			updatedAt: NOW.toISOString()
		});
		expect(saved.success).toBe(false);
	});

	it('P8: operators fit the field type; sums need a number field; windows only for jobs and requests', () => {
		expect(issues({ ...DEFAULT_DEFINITION, filters: [{ field: 'name', op: 'greaterThan', value: 3 }] })).toEqual([
			'filters.0.op: "greaterThan" does not apply to the text field "name"'
		]);
		expect(
			issues({ ...DEFAULT_DEFINITION, grouping: { field: 'country', aggregate: 'sum', measure: 'name' } })
		).toEqual(['grouping.measure: a sum needs a number field']);
		expect(issues({ ...DEFAULT_DEFINITION, window: '7d' })).toEqual(['window: customers have no time window']);
		expect(
			issues({
				...DEFAULT_DEFINITION,
				filters: [{ field: 'createdAt', op: 'between', from: '2026-05-01', to: '2026-04-01' }]
			})
		).toEqual(['filters.0: the first day comes before the last one']);
		expect(issues({ ...DEFAULT_DEFINITION, columns: [] })).toEqual(['columns: pick at least one column']);
		expect(issues({ ...DEFAULT_DEFINITION, chart: 'radar' })).toHaveLength(1);
		expect(issues({ ...DEFAULT_DEFINITION, extra: true })).toHaveLength(1);
	});
});
