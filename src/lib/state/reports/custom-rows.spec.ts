// P8: the rows custom reports run over, built from the tree, the license entries and the summaries as the screens see them.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TenantRepository } from '$lib/data/tenant-repository';
import { EMPTY_SUMMARY } from '$lib/schema/customer-summary';
import { licenseEntries } from '../license-rows';
import { subjectRows } from './custom-rows';
import { insightRows, findingsPerRule } from './insights';
import { BUILT_IN_INSIGHT_RULES } from '$lib/schema/insights';

function tenant() {
	const repo = new TenantRepository(new Y.Doc());
	const msp = repo.createNode({ kind: 'msp', name: 'Northwind MSP', parentId: null });
	const contoso = repo.createNode({ kind: 'customer', name: 'Contoso GmbH', parentId: msp, country: 'DE' });
	const site = repo.createNode({ kind: 'site', name: 'Berlin', parentId: contoso });
	const fabrikam = repo.createNode({ kind: 'customer', name: 'Fabrikam AG', parentId: msp });
	repo.putLicenseData({
		accounts: [{ id: 'acc', kind: 'msp', name: 'ESET', login: 'a@example.test' }],
		pools: [{ id: 'pool', name: 'Berlin pool', accountId: 'acc', groupId: site }],
		licenses: [
			{
				id: 'l1',
				publicId: 'AAA-111',
				poolId: 'pool',
				product: 'Endpoint Security',
				type: 'business',
				unitsOrdered: 10,
				unitsActivated: 12,
				expiresOn: '2027-05-31',
				suspended: false,
				ownerId: contoso,
				tag: 'Contoso'
			}
		]
	});
	repo.putSummary(contoso, {
		...EMPTY_SUMMARY,
		updatedAt: '2026-12-02T10:00:00.000Z',
		failedJobEnds: [29_400_000, 29_400_100],
		storageBytes: 5_000,
		services: ['exchangeBackup'],
		failedJobs: [
			{
				jobId: 'job-1',
				service: 'Exchange backup',
				module: 'Mailboxes',
				startedAt: '2026-12-02T08:00:00.000Z',
				endedAt: '2026-12-02T08:45:00.000Z'
			}
		],
		requests: [{ requestId: 'req-1', subject: 'Restore', status: 'open', submittedAt: '2026-12-01T09:00:00.000Z' }],
		insights: [{ ruleId: 'rule-gone', kind: 'noSuccess', since: '2026-12-01T00:00:00.000Z', value: 80, threshold: 72 }]
	});
	return { repo, contoso, fabrikam };
}

describe('custom report rows (P8)', () => {
	it('P8, L9: customers with their summary figures and licenses (pools on their sites count), licenses with L14 state and license user, jobs and requests with their window time', () => {
		const { repo } = tenant();
		const view = repo.view();
		const rows = subjectRows({
			nodes: view.nodes,
			summaries: repo.summaries(),
			licenses: licenseEntries(
				{
					licenses: repo.licenses(),
					pools: repo.pools(),
					accounts: repo.accounts(),
					nodes: view.nodes,
					parentOf: view.parentOf
				},
				'2026-12-02'
			),
			locale: 'en'
		});
		expect(rows.customers.map((row) => row.cells)).toEqual([
			expect.objectContaining({
				name: 'Contoso GmbH',
				country: 'Germany',
				failedJobs: 2,
				storage: 5_000,
				licenses: 1,
				insights: 1,
				services: 'Exchange backup'
			}),
			expect.objectContaining({
				name: 'Fabrikam AG',
				country: null,
				failedJobs: 0,
				storage: 0,
				licenses: 0,
				insights: 0,
				services: null
			})
		]);
		expect(rows.licenses[0]?.cells).toMatchObject({
			publicId: 'AAA-111',
			state: 'overused',
			licenseUser: 'Contoso GmbH › Berlin',
			account: 'ESET'
		});
		expect(rows.jobs).toEqual([
			{
				cells: expect.objectContaining({ customer: 'Contoso GmbH', jobId: 'job-1', durationMinutes: 45 }),
				at: Date.parse('2026-12-02T08:45:00.000Z')
			}
		]);
		expect(rows.requests[0]).toMatchObject({
			cells: { customer: 'Contoso GmbH', status: 'open' },
			at: Date.parse('2026-12-01T09:00:00.000Z')
		});
	});

	it('P11: the insight rows name the customer and the rule; a rule the device does not know counts under its id', () => {
		const { repo, contoso } = tenant();
		const rows = insightRows(repo.view().nodes, repo.summaries(), BUILT_IN_INSIGHT_RULES);
		expect(rows).toEqual([expect.objectContaining({ customerId: contoso, customer: 'Contoso GmbH', rule: null })]);
		expect(findingsPerRule(rows, BUILT_IN_INSIGHT_RULES).map((entry) => [entry.ruleId, entry.count])).toEqual([
			['builtin-failed-24h', 0],
			['builtin-no-success-3d', 0],
			['builtin-storage-growth-7d', 0],
			['rule-gone', 1]
		]);
	});
});
