// P8: the report states: the CSV each exports (BOM, CRLF, headers from the messages), the sort and the license user
// filter, and the user activity month: fetched page by page, kept on the device, shown from there offline.
import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '$lib/api/client';
import { EMPTY_SUMMARY, toEpochMinutes, type CustomerSummary } from '$lib/schema/customer-summary';
import type { AuditPage, AuditQueryInput, AuditRow } from '$lib/schema/audit';
import type { TreeNode } from '$lib/schema/tree';
import { createActivityCache } from '$lib/data/device/activity-cache';
import type { LicenseEntry } from '../license-rows';
import { OperationsReportState } from './operations.svelte';
import { StorageReportState } from './storage.svelte';
import { LicenseUsageReportState } from './license-usage.svelte';
import { UserActivityState } from './user-activity.svelte';
import type { ReportSource } from './report-source';

const NOW = new Date('2026-11-20T12:00:30.000Z');
const GB = 1_000_000_000;
const placement = { parent: null, prev: null, ts: 0, client: 0 };
const node = (id: string, name: string): TreeNode => ({ id, kind: 'customer', name, placement });
const summary = (fields: Partial<CustomerSummary>): CustomerSummary => ({
	updatedAt: NOW.toISOString(),
	...EMPTY_SUMMARY,
	...fields
});

function entry(product: string, user: string, groupId: string, ordered: number, activated: number): LicenseEntry {
	return {
		license: { product, unitsOrdered: ordered, unitsActivated: activated },
		state: { state: activated > ordered ? 'overused' : 'ok', daysLeft: 100, activation: activated / ordered },
		pool: { id: `pool-${groupId}`, name: user, accountId: 'a1', groupId },
		accountId: 'a1',
		accountName: 'Distributor, DE',
		user: { companyId: groupId, company: user, site: null, label: user }
	} as unknown as LicenseEntry;
}

const SOURCE: ReportSource = {
	tenantName: 'Northwind IT Services',
	nodes: new Map([
		['c1', node('c1', 'Contoso GmbH')],
		['c2', node('c2', '=Fabrikam')]
	]),
	summaries: new Map([
		[
			'c1',
			summary({
				services: ['exchangeBackup'],
				failedJobEnds: [toEpochMinutes('2026-11-20T10:00:00Z'), toEpochMinutes('2026-11-10T10:00:00Z')],
				openRequests: 2,
				storageBytes: 3 * GB
			})
		],
		['c2', summary({ services: ['exchangeBackup', 'teamsBackup'], storageBytes: 5 * GB })]
	]),
	licenses: [
		entry('Endpoint Security', 'Contoso GmbH', 'c1', 10, 4),
		entry('Endpoint Security', 'Fabrikam SA', 'c2', 10, 12),
		entry('Mail Security', 'Contoso GmbH', 'c1', 5, 5)
	],
	timeZone: 'Europe/Berlin'
};

const lines = (csv: string): string[] => csv.replace(/^\uFEFF/, '').split('\r\n');

describe('report states', () => {
	it('P8: operations: the window moves the failed jobs; the CSV is the summary or the opened service with its customers', () => {
		const report = new OperationsReportState(SOURCE, () => NOW);
		expect(report.report.totals.failedJobs).toBe(1);
		report.choice = { kind: '30d' };
		expect(report.report.totals.failedJobs).toBe(2);
		const summaryCsv = report.csv();
		expect(summaryCsv.startsWith('\uFEFF')).toBe(true);
		expect(lines(summaryCsv)[0]).toBe('Service,Customers,Failed jobs,Open requests,Storage (bytes)');
		expect(lines(summaryCsv)[1]).toBe(`Exchange backup,2,2,2,${8 * GB}`);
		report.opened = 'exchangeBackup';
		// A name that would run as a formula is defused.
		expect(lines(report.csv()).slice(0, 3)).toEqual([
			'Service,Customer,Failed jobs,Open requests,Storage (bytes)',
			`Exchange backup,'=Fabrikam,0,0,${5 * GB}`,
			`Exchange backup,Contoso GmbH,2,2,${3 * GB}`
		]);
		expect(report.period).toMatch(/–/);
	});

	it('P8: storage: largest first; the table sorts by name or volume either way; the CSV has the share in percent', () => {
		const report = new StorageReportState(SOURCE);
		expect(report.rows.map((r) => r.name)).toEqual(['=Fabrikam', 'Contoso GmbH']);
		// By name: the collator puts the punctuation first.
		report.sort.toggle('name');
		expect(report.sort.ariaSort('name')).toBe('ascending');
		expect(report.rows.map((r) => r.name)).toEqual(['=Fabrikam', 'Contoso GmbH']);
		report.sort.toggle('name');
		expect(report.sort.ariaSort('name')).toBe('descending');
		expect(report.rows.map((r) => r.name)).toEqual(['Contoso GmbH', '=Fabrikam']);
		report.sort.toggle('storage', true);
		expect(report.rows.map((r) => r.name)).toEqual(['=Fabrikam', 'Contoso GmbH']);
		expect(lines(report.csv())[0]).toBe('Rank,Customer,Storage (bytes),Share (%)');
		expect(lines(report.csv())[1]).toBe(`1,'=Fabrikam,${5 * GB},62.5`);
	});

	it('P8: a long storage table draws its first 100 rows until all are asked for; the CSV has every row', () => {
		const many = Array.from({ length: 150 }, (_, i) => node(`m${i}`, `Customer ${i}`));
		const report = new StorageReportState({ ...SOURCE, nodes: new Map(many.map((n) => [n.id, n])) });
		expect(report.rows).toHaveLength(150);
		expect(report.shownRows).toHaveLength(100);
		expect(lines(report.csv())).toHaveLength(1 + 150 + 1);
		report.showAll = true;
		expect(report.shownRows).toHaveLength(150);
	});

	it('P8: L9: license usage grouped by product, account or license user, filtered by license user', () => {
		const report = new LicenseUsageReportState(SOURCE);
		expect(report.rows.map((g) => [g.label, g.unitsOrdered, g.unitsActivated])).toEqual([
			['Endpoint Security', 20, 16],
			['Mail Security', 5, 5]
		]);
		report.grouping = 'user';
		expect(report.rows.map((g) => [g.label, g.unitsActivated])).toEqual([
			['Contoso GmbH', 9],
			['Fabrikam SA', 12]
		]);
		report.userFilter = 'fabri';
		expect(report.rows.map((g) => g.label)).toEqual(['Fabrikam SA']);
		report.grouping = 'account';
		const csv = lines(report.csv());
		expect(csv[0]).toMatch(/^Account,Licenses,Units ordered,Units activated,Usage \(%\),/);
		// The account's name holds a comma: quoted.
		expect(csv[1]).toMatch(/^"Distributor, DE",1,10,12,120,/);
	});
});

describe('user activity state', () => {
	const row = (id: number, at: string, user: string | null, action = 'updated'): AuditRow => ({
		id,
		at,
		madeAt: null,
		userId: user,
		user,
		ip: '192.0.2.1',
		itemType: 'treeNode',
		item: `n${id}`,
		action,
		description: 'name'
	});
	const PAGES: Record<string, AuditPage> = {
		first: {
			entries: [row(3, '2026-11-20T09:00:00Z', 'ada@example.com'), row(2, '2026-11-20T08:00:00Z', 'ada@example.com')],
			nextCursor: '2'
		},
		'2': { entries: [row(1, '2026-11-02T08:00:00Z', 'bo@example.com', 'created')], nextCursor: null }
	};

	function memoryStorage() {
		const map = new Map<string, string>();
		return {
			getItem: (key: string) => map.get(key) ?? null,
			setItem: (key: string, value: string) => void map.set(key, value),
			removeItem: (key: string) => void map.delete(key)
		};
	}

	it('P8: a month is fetched page by page in the tenant time zone, counted, and kept on the device for offline use', async () => {
		const storage = memoryStorage();
		const asked: AuditQueryInput[] = [];
		const online = new UserActivityState({
			tenantId: 't1',
			canRead: true,
			cache: createActivityCache(storage, 't1', 'u1'),
			timeZone: () => 'Europe/Berlin',
			fetchPage: async (query) => {
				asked.push(query);
				return PAGES[query.cursor ?? 'first']!;
			},
			now: () => NOW
		});
		expect(online.month).toBe('2026-11');
		await online.open('2026-11');
		// November in Berlin: from 31 October 23:00 UTC to 30 November 23:00 UTC.
		expect(asked).toEqual([
			{ from: '2026-10-31T23:00:00.000Z', to: '2026-11-30T23:00:00.000Z', limit: 500 },
			{ from: '2026-10-31T23:00:00.000Z', to: '2026-11-30T23:00:00.000Z', limit: 500, cursor: '2' }
		]);
		expect(online.report.total).toBe(3);
		expect(online.report.users.map((u) => [u.user, u.total])).toEqual([
			['ada@example.com', 2],
			['bo@example.com', 1]
		]);
		expect(online.fetchedAt?.toISOString()).toBe(NOW.toISOString());
		expect(online.csv().split('\r\n')[0]).toBe('\uFEFFUser,Entries,Active days,Created,Changed');

		// Offline later: the month opens from the device, with when it was fetched and why it is not newer.
		const offline = new UserActivityState({
			tenantId: 't1',
			canRead: true,
			cache: createActivityCache(storage, 't1', 'u1'),
			timeZone: () => 'Europe/Berlin',
			fetchPage: async () => {
				throw new ApiRequestError(0, 'network', 'offline');
			},
			now: () => new Date('2026-11-21T08:00:00Z')
		});
		await offline.open('2026-11');
		expect(offline.error).toBe('offline');
		expect(offline.report.total).toBe(3);
		expect(offline.fetchedAt?.toISOString()).toBe(NOW.toISOString());
		// Nothing kept about the rows but counts: no addresses, no descriptions.
		const kept = storage.getItem('msp-portal:reports:activity:t1:u1:2026-11') ?? '';
		expect(kept).toContain('ada@example.com');
		expect(kept).not.toMatch(/192\.0\.2\.1|"description"/);
	});

	it('P8: without audit.read the report asks nothing of the server and says why; a bad month changes nothing', async () => {
		let calls = 0;
		const report = new UserActivityState({
			tenantId: 't1',
			canRead: false,
			cache: createActivityCache(null, 't1', 'u1'),
			timeZone: () => 'UTC',
			fetchPage: async () => {
				calls++;
				return { entries: [], nextCursor: null };
			},
			now: () => NOW
		});
		await report.open('2026-11');
		expect(report.error).toBe('forbidden');
		expect(calls).toBe(0);
		await report.open('2026-13');
		expect(report.month).toBe('2026-11');
	});
});
