// P8: the built-in reports' figures on a small data set whose answers are worked out by hand in the comments.
import { describe, expect, it } from 'vitest';
import { EMPTY_SUMMARY, toEpochMinutes, type CustomerSummary } from '../../schema/customer-summary';
import type { TreeNode } from '../../schema/tree';
import { customersByName, operationsReport } from './operations';
import { storageReport } from './storage';
import { licenseUsageReport, type LicenseUsageFact } from './license-usage';
import { activityReport, countActivity, monthDays, type ActivityRow } from './user-activity';

const placement = { parent: null, prev: null, ts: 0, client: 0 };
const node = (id: string, name: string, fields: Partial<TreeNode> = {}): TreeNode => ({
	id,
	kind: 'customer',
	name,
	placement,
	...fields
});
const summary = (fields: Partial<CustomerSummary> = {}): CustomerSummary => ({
	updatedAt: '2026-11-20T12:00:00.000Z',
	...EMPTY_SUMMARY,
	...fields
});
const at = (iso: string): number => toEpochMinutes(iso);
const GB = 1024 ** 3;

// Four customers (one unlinked, left out), an MSP node (not a customer) and one customer without a summary.
const NODES = new Map<string, TreeNode>(
	[
		node('msp', 'Northwind MSP', { kind: 'msp' }),
		node('c1', 'Contoso GmbH'),
		node('c2', 'Fabrikam SA'),
		node('c3', 'Adatum sp. z o.o.'),
		node('c4', 'Gone Ltd', { status: 'unlinked' }),
		node('c5', 'Bellows Srl')
	].map((n) => [n.id, n])
);
const SUMMARIES = new Map<string, CustomerSummary>([
	[
		'c1',
		summary({
			services: ['exchangeBackup', 'oneDriveBackup'],
			// Two failures in the window (19 and 20 Nov), one before it (10 Nov).
			failedJobEnds: [at('2026-11-20T08:00:00Z'), at('2026-11-19T08:00:00Z'), at('2026-11-10T08:00:00Z')],
			openRequests: 1,
			storageBytes: 30 * GB
		})
	],
	[
		'c2',
		summary({
			services: ['exchangeBackup'],
			failedJobEnds: [at('2026-11-18T00:00:00Z')],
			openRequests: 2,
			storageBytes: 50 * GB
		})
	],
	['c3', summary({ services: [], openRequests: 0, storageBytes: 30 * GB })],
	['c4', summary({ services: ['exchangeBackup'], storageBytes: 999 * GB, openRequests: 9 })]
]);
// [13 Nov 12:00, 20 Nov 12:00)
const WINDOW = { from: new Date('2026-11-13T12:00:00Z'), to: new Date('2026-11-20T12:00:00Z') };

describe('P8 customer operations', () => {
	const report = operationsReport({ nodes: NODES, summaries: SUMMARIES, window: WINDOW });

	it('P8: each service counts the customers that have it, their failed jobs in the window, open requests and storage', () => {
		const exchange = report.services.find((s) => s.service === 'exchangeBackup')!;
		// c1 (2 failures in the window, 1 request, 30 GB) + c2 (1, 2, 50 GB); c4 is unlinked.
		expect(exchange.customers.map((c) => c.id).sort()).toEqual(['c1', 'c2']);
		expect([exchange.failedJobs, exchange.openRequests, exchange.storageBytes]).toEqual([3, 3, 80 * GB]);
		const oneDrive = report.services.find((s) => s.service === 'oneDriveBackup')!;
		expect(oneDrive.customers.map((c) => c.id)).toEqual(['c1']);
		expect([oneDrive.failedJobs, oneDrive.openRequests, oneDrive.storageBytes]).toEqual([2, 1, 30 * GB]);
		const teams = report.services.find((s) => s.service === 'teamsBackup')!;
		expect([teams.customers.length, teams.failedJobs]).toEqual([0, 0]);
	});

	it('P8: every service kind has a card, in order; customers without a service (or a summary) form their own', () => {
		expect(report.services.map((s) => s.service)).toEqual([
			'exchangeBackup',
			'oneDriveBackup',
			'sharePointBackup',
			'teamsBackup',
			'serverBackup',
			'endpointProtection'
		]);
		expect(report.withoutService.customers.map((c) => c.id).sort()).toEqual(['c3', 'c5']);
		expect(report.withoutService.storageBytes).toBe(30 * GB);
	});

	it("P8: the drill-down lists a service's customers by name", () => {
		const reversed = [...report.services[0]!.customers].reverse();
		expect(customersByName(reversed).map((c) => c.name)).toEqual(['Contoso GmbH', 'Fabrikam SA']);
		expect(customersByName(report.withoutService.customers).map((c) => c.name)).toEqual([
			'Adatum sp. z o.o.',
			'Bellows Srl'
		]);
	});

	it('P8: the totals count each customer once, whatever its number of services', () => {
		// c1, c2, c3, c5: 2 + 1 failures, 1 + 2 requests, 30 + 50 + 30 GB.
		expect(report.totals).toEqual({ customers: 4, failedJobs: 3, openRequests: 3, storageBytes: 110 * GB });
	});

	it('P8: a narrower window counts fewer failed jobs', () => {
		const day = operationsReport({
			nodes: NODES,
			summaries: SUMMARIES,
			window: { from: new Date('2026-11-19T12:00:00Z'), to: WINDOW.to }
		});
		expect(day.totals.failedJobs).toBe(1);
	});
});

describe('P8 storage consumption', () => {
	const report = storageReport({ nodes: NODES, summaries: SUMMARIES });

	it('P8: customers sorted by data volume, largest first, equal volumes by name, with their share of the total', () => {
		// Fabrikam 50, then Adatum and Contoso with 30 each (by name), Bellows 0; unlinked Gone Ltd left out.
		expect(report.rows.map((r) => [r.rank, r.name, r.storageBytes / GB])).toEqual([
			[1, 'Fabrikam SA', 50],
			[2, 'Adatum sp. z o.o.', 30],
			[3, 'Contoso GmbH', 30],
			[4, 'Bellows Srl', 0]
		]);
		expect(report.totalBytes).toBe(110 * GB);
		expect(report.withData).toBe(3);
		expect(report.rows[0]!.share).toBeCloseTo(50 / 110, 10);
		expect(report.rows[3]!.share).toBe(0);
	});

	it('P8: an empty tenant has no rows and a zero total (no division by zero)', () => {
		expect(storageReport({ nodes: new Map(), summaries: new Map() })).toEqual({ rows: [], totalBytes: 0, withData: 0 });
	});
});

describe('P8 license usage (L9)', () => {
	const fact = (fields: Partial<LicenseUsageFact>): LicenseUsageFact => ({
		product: 'Backup Cloud',
		accountId: 'a1',
		accountName: 'Distributor DE',
		userKey: 'c1',
		userLabel: 'Contoso GmbH',
		unitsOrdered: 10,
		unitsActivated: 5,
		state: 'ok',
		...fields
	});
	const report = licenseUsageReport([
		fact({}),
		fact({ unitsOrdered: 20, unitsActivated: 19, state: 'warning' }),
		fact({
			product: 'Endpoint',
			userKey: 's1',
			userLabel: 'Contoso GmbH › Berlin',
			unitsOrdered: 5,
			unitsActivated: 7,
			state: 'overused'
		}),
		fact({
			product: 'Endpoint',
			accountId: 'a2',
			accountName: 'Distribuidor ES',
			userKey: 'c2',
			userLabel: 'Fabrikam SA',
			unitsOrdered: 10,
			unitsActivated: 0,
			state: 'expired'
		}),
		// The vendor no longer lists it: not current usage.
		fact({ product: 'Old', unitsOrdered: 100, unitsActivated: 100, state: 'removed' })
	]);

	it('P8: L9: per product, units ordered and activated, usage and licenses per state', () => {
		expect(report.products.map((p) => [p.label, p.licenses, p.unitsOrdered, p.unitsActivated])).toEqual([
			['Backup Cloud', 2, 30, 24],
			['Endpoint', 2, 15, 7]
		]);
		expect(report.products[0]!.usage).toBeCloseTo(0.8, 10);
		expect(report.products[0]!.states).toMatchObject({ ok: 1, warning: 1, overused: 0 });
		expect(report.products[1]!.states).toMatchObject({ overused: 1, expired: 1 });
	});

	it('P8: L9: per account and per license user (company, or company › site)', () => {
		expect(report.accounts.map((a) => [a.label, a.licenses, a.unitsOrdered, a.unitsActivated])).toEqual([
			['Distribuidor ES', 1, 10, 0],
			['Distributor DE', 3, 35, 31]
		]);
		expect(report.users.map((u) => [u.label, u.unitsOrdered, u.unitsActivated])).toEqual([
			['Contoso GmbH', 30, 24],
			['Contoso GmbH › Berlin', 5, 7],
			['Fabrikam SA', 10, 0]
		]);
		// Overused: more activated than ordered reads above 100 %.
		expect(report.users[1]!.usage).toBeCloseTo(1.4, 10);
		expect(report.users[2]!.usage).toBe(0);
	});

	it('P8: the total leaves removed licenses out', () => {
		expect([report.total.licenses, report.total.unitsOrdered, report.total.unitsActivated]).toEqual([4, 45, 31]);
		expect(report.total.states.removed).toBe(0);
	});
});

describe('P8 user activity', () => {
	const row = (at: string, user: string | null, action = 'updated', itemType = 'treeNode'): ActivityRow => ({
		at,
		user,
		action,
		itemType
	});
	const ROWS = [
		row('2026-11-01T09:00:00Z', 'ada@northwind.example'),
		row('2026-11-01T10:00:00Z', 'ada@northwind.example'),
		row('2026-11-01T11:00:00Z', 'ada@northwind.example', 'created', 'contact'),
		row('2026-11-15T08:00:00Z', 'bo@northwind.example', 'deleted', 'note'),
		// 30 Nov 23:30 UTC is 1 Dec 00:30 in Berlin: November in UTC, December in Berlin.
		row('2026-11-30T23:30:00Z', 'bo@northwind.example'),
		// 31 Oct 23:30 UTC is 1 Nov 00:30 in Berlin.
		row('2026-10-31T23:30:00Z', null, 'signedIn', 'user'),
		row('not a time', 'ada@northwind.example')
	];

	it('P8: a month has its days, December into January too', () => {
		expect(monthDays('2026-11').days).toHaveLength(30);
		expect(monthDays('2026-12').next).toBe('2027-01-01');
		expect(monthDays('2028-02').days).toHaveLength(29);
	});

	it('P8: rows are counted per day in the tenant time zone, user, action and item type', () => {
		const counts = countActivity(ROWS, '2026-11', 'Europe/Berlin');
		expect(counts).toEqual([
			{ day: '2026-11-01', user: '', action: 'signedIn', itemType: 'user', count: 1 },
			{ day: '2026-11-01', user: 'ada@northwind.example', action: 'created', itemType: 'contact', count: 1 },
			{ day: '2026-11-01', user: 'ada@northwind.example', action: 'updated', itemType: 'treeNode', count: 2 },
			{ day: '2026-11-15', user: 'bo@northwind.example', action: 'deleted', itemType: 'note', count: 1 }
		]);
		// In UTC the last row is in November and the night one in October.
		expect(countActivity(ROWS, '2026-11', 'UTC').map((c) => c.day)).toEqual([
			'2026-11-01',
			'2026-11-01',
			'2026-11-15',
			'2026-11-30'
		]);
	});

	it('P8: per user (most active first) by action and item type, and per day', () => {
		const report = activityReport('2026-11', countActivity(ROWS, '2026-11', 'Europe/Berlin'));
		expect(report.total).toBe(5);
		expect(report.users.map((u) => [u.user, u.total, u.activeDays])).toEqual([
			['ada@northwind.example', 3, 1],
			['', 1, 1],
			['bo@northwind.example', 1, 1]
		]);
		expect(Object.fromEntries(report.users[0]!.byAction)).toEqual({ created: 1, updated: 2 });
		expect(Object.fromEntries(report.users[0]!.byItemType)).toEqual({ contact: 1, treeNode: 2 });
		expect(report.days).toHaveLength(30);
		expect(report.days[0]).toEqual({ day: '2026-11-01', count: 4 });
		expect(report.days[14]).toEqual({ day: '2026-11-15', count: 1 });
		expect(report.days.reduce((sum, d) => sum + d.count, 0)).toBe(5);
		expect(report.actions).toEqual(['created', 'deleted', 'signedIn', 'updated']);
		expect(report.itemTypes).toEqual(['contact', 'note', 'treeNode', 'user']);
	});
});
