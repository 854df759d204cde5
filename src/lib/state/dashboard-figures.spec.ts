// P1, P2: the dashboard's figures per organization, per country and in total, over a time window.
import { describe, expect, it } from 'vitest';
import { EMPTY_SUMMARY, toEpochMinutes, type CustomerSummary } from '$lib/schema/customer-summary';
import type { TreeNode } from '$lib/schema/tree';
import { attentionLegend, attentionStep, dashboardFigures, sortCountries, type LicenseFact } from './dashboard-figures';
import { windowBounds } from './dashboard-window';

const placement = { parent: null, prev: null, ts: 0, client: 0 };

function customer(id: string, name: string, fields: Partial<TreeNode> = {}): TreeNode {
	return { id, kind: 'customer', name, placement, ...fields };
}

function summary(fields: Partial<CustomerSummary> = {}): CustomerSummary {
	return { updatedAt: '2026-11-20T12:00:00.000Z', ...EMPTY_SUMMARY, ...fields };
}

const nodes = (...list: TreeNode[]): Map<string, TreeNode> => new Map(list.map((node) => [node.id, node]));
const at = (iso: string): number => toEpochMinutes(iso);
const NOW = new Date('2026-11-20T12:00:30.000Z');
const LAST_7_DAYS = windowBounds({ kind: '7d' }, NOW, 'UTC');

describe('dashboard figures', () => {
	it('P1: per organization: registered accounts (admin contact added once), failed jobs, requests, services, products', () => {
		const figures = dashboardFigures({
			nodes: nodes(
				customer('c1', 'Contoso GmbH', {
					country: 'DE',
					contact: { name: 'Ada', email: 'ada@contoso.example', phone: '' }
				}),
				customer('c2', 'Fabrikam SA', {
					country: 'FR',
					contact: { name: 'Bo', email: 'BO@fabrikam.example', phone: '' }
				})
			),
			summaries: new Map([
				[
					'c1',
					summary({
						accounts: ['it@contoso.example'],
						failedJobEnds: [at('2026-11-20T10:00:00Z'), at('2026-11-19T10:00:00Z')],
						requestSubmissions: [at('2026-11-18T09:00:00Z')],
						openRequests: 1,
						services: ['exchangeBackup', 'endpointProtection']
					})
				],
				['c2', summary({ accounts: ['bo@fabrikam.example', 'cy@fabrikam.example'] })]
			]),
			licenses: [
				{ companyId: 'c1', product: 'Mail Security', state: 'ok' },
				{ companyId: 'c1', product: 'Endpoint Security', state: 'warning' },
				{ companyId: 'c1', product: 'Endpoint Security', state: 'ok' },
				{ companyId: 'c1', product: 'Old Product', state: 'removed' }
			],
			window: LAST_7_DAYS
		});
		const [contoso, fabrikam] = figures.organizations;
		expect(contoso).toMatchObject({
			id: 'c1',
			country: 'DE',
			accounts: ['ada@contoso.example', 'it@contoso.example'],
			failedJobs: 2,
			requests: 1,
			openRequests: 1,
			services: ['exchangeBackup', 'endpointProtection'],
			products: ['Endpoint Security', 'Mail Security'],
			licensesInTrouble: 0,
			needsAttention: true
		});
		// The admin contact's email is already among the summary's accounts (case aside): counted once.
		expect(fabrikam).toMatchObject({ accounts: ['BO@fabrikam.example', 'cy@fabrikam.example'], needsAttention: false });
	});

	it('P1: a customer without a summary has zero figures and its admin contact as its one registered account', () => {
		const figures = dashboardFigures({
			nodes: nodes(customer('c1', 'New AG', { contact: { name: '', email: 'new@new.example', phone: '' } })),
			summaries: new Map(),
			licenses: [],
			window: LAST_7_DAYS
		});
		expect(figures.organizations[0]).toMatchObject({
			accounts: ['new@new.example'],
			failedJobs: 0,
			requests: 0,
			openRequests: 0,
			services: [],
			products: [],
			needsAttention: false
		});
	});

	it('P2: failed jobs count by end time and requests by submission time, window edges exactly', () => {
		const window = { from: new Date('2026-11-13T12:00:00Z'), to: new Date('2026-11-20T12:01:00Z') };
		const figures = dashboardFigures({
			nodes: nodes(customer('c1', 'Contoso')),
			summaries: new Map([
				[
					'c1',
					summary({
						// The first minute of the window counts, the minute before it does not; the window's end is exclusive.
						failedJobEnds: [
							at('2026-11-20T12:01:00Z'),
							at('2026-11-20T12:00:00Z'),
							at('2026-11-13T12:00:00Z'),
							at('2026-11-13T11:59:00Z')
						],
						requestSubmissions: [at('2026-11-20T12:00:59Z'), at('2026-11-13T11:59:59Z')]
					})
				]
			]),
			licenses: [],
			window
		});
		expect(figures.organizations[0]).toMatchObject({ failedJobs: 2, requests: 1 });
		expect(figures.totals.failedJobs).toBe(2);
	});

	it('P1: customers without a country are in the "unknown" bucket, not in any country', () => {
		const figures = dashboardFigures({
			nodes: nodes(
				customer('c1', 'Zeta', { country: 'DE' }),
				customer('c2', 'Alpha', { country: null }),
				customer('c3', 'Beta'),
				customer('c4', 'Gamma', { country: 'DE' })
			),
			summaries: new Map(),
			licenses: [],
			window: LAST_7_DAYS
		});
		expect(figures.unknown.map((o) => o.name)).toEqual(['Alpha', 'Beta']);
		expect(figures.countries.map((c) => [c.code, c.organizations.map((o) => o.name)])).toEqual([
			['DE', ['Gamma', 'Zeta']]
		]);
		expect(figures.totals.customers).toBe(4);
	});

	it('P1: needs attention = a failed job in the window, an open request, or a license expired, overused, trial-expired or suspended', () => {
		const trouble = (state: LicenseFact['state']): LicenseFact => ({ companyId: 'c1', product: 'P', state });
		const attentionWith = (fields: Partial<CustomerSummary>, licenses: LicenseFact[] = []): boolean =>
			dashboardFigures({
				nodes: nodes(customer('c1', 'Contoso', { country: 'DE' })),
				summaries: new Map([['c1', summary(fields)]]),
				licenses,
				window: LAST_7_DAYS
			}).organizations[0]!.needsAttention;
		expect(attentionWith({})).toBe(false);
		expect(attentionWith({ failedJobEnds: [at('2026-11-20T11:00:00Z')] })).toBe(true);
		// A failed job before the window does not count any more.
		expect(attentionWith({ failedJobEnds: [at('2026-11-01T11:00:00Z')] })).toBe(false);
		// An open request counts whenever it was submitted.
		expect(attentionWith({ openRequests: 1 })).toBe(true);
		for (const state of ['expired', 'overused', 'trialExpired', 'suspended'] as const)
			expect(attentionWith({}, [trouble(state)]), state).toBe(true);
		for (const state of ['ok', 'warning', 'expiringSoon', 'removed'] as const)
			expect(attentionWith({}, [trouble(state)]), state).toBe(false);
		// A license of another company does not make this one need attention.
		expect(attentionWith({}, [{ companyId: 'other', product: 'P', state: 'expired' }])).toBe(false);
	});

	it('P1: per country and in total: organizations needing attention, failed jobs, open requests, licenses in trouble', () => {
		const figures = dashboardFigures({
			nodes: nodes(
				customer('c1', 'A', { country: 'DE' }),
				customer('c2', 'B', { country: 'DE' }),
				customer('c3', 'C', { country: 'FR' }),
				customer('c4', 'Gone', { country: 'FR', status: 'unlinked' }),
				{ id: 'm1', kind: 'msp', name: 'MSP', placement, country: 'US' }
			),
			summaries: new Map([
				['c1', summary({ failedJobEnds: [at('2026-11-20T11:00:00Z'), at('2026-11-19T11:00:00Z')] })],
				['c2', summary({ openRequests: 3, requestSubmissions: [at('2026-11-19T11:00:00Z')] })],
				['c4', summary({ openRequests: 9 })]
			]),
			licenses: [
				{ companyId: 'c3', product: 'P', state: 'expired' },
				{ companyId: 'c3', product: 'P', state: 'suspended' }
			],
			window: LAST_7_DAYS
		});
		expect(
			figures.countries.map((c) => [c.code, c.organizations.length, c.needingAttention, c.failedJobs, c.requests])
		).toEqual([
			['DE', 2, 2, 2, 1],
			['FR', 1, 1, 0, 0]
		]);
		// Unlinked customers (C7) and nodes that are not customers are not organizations of the dashboard.
		expect(figures.totals).toEqual({
			customers: 3,
			needingAttention: 3,
			failedJobs: 2,
			openRequests: 3,
			licensesInTrouble: 2
		});
		expect(figures.maxNeedingAttention).toBe(2);
	});

	it('P2: the countries table sorts by each figure, ties by name, and by name', () => {
		const figures = dashboardFigures({
			nodes: nodes(
				customer('c1', 'A', { country: 'DE' }),
				customer('c2', 'B', { country: 'DE' }),
				customer('c3', 'C', { country: 'FR' }),
				customer('c4', 'D', { country: 'AT' })
			),
			summaries: new Map([['c3', summary({ failedJobEnds: [at('2026-11-20T11:00:00Z')] })]]),
			licenses: [],
			window: LAST_7_DAYS
		});
		const names: Record<string, string> = { DE: 'Germany', FR: 'France', AT: 'Austria' };
		const order = (column: 'name' | 'organizations' | 'failedJobs', descending: boolean) =>
			sortCountries(figures.countries, { column, descending }, (code) => names[code]!).map((c) => c.code);
		expect(order('name', false)).toEqual(['AT', 'FR', 'DE']);
		expect(order('name', true)).toEqual(['DE', 'FR', 'AT']);
		expect(order('organizations', true)).toEqual(['DE', 'AT', 'FR']);
		expect(order('failedJobs', true)).toEqual(['FR', 'AT', 'DE']);
		expect(order('failedJobs', false)).toEqual(['AT', 'DE', 'FR']);
	});

	it('the map scale: no attention is step 0, the most is the top step, the legend covers every count once', () => {
		expect(attentionStep(0, 7, 4)).toBe(0);
		expect(attentionStep(1, 7, 4)).toBe(1);
		expect(attentionStep(7, 7, 4)).toBe(4);
		expect(attentionStep(1, 1, 4)).toBe(4);
		expect(attentionLegend(7, 4)).toEqual([
			{ step: 1, from: 1, to: 1 },
			{ step: 2, from: 2, to: 3 },
			{ step: 3, from: 4, to: 5 },
			{ step: 4, from: 6, to: 7 }
		]);
		expect(attentionLegend(2, 4)).toEqual([
			{ step: 2, from: 1, to: 1 },
			{ step: 4, from: 2, to: 2 }
		]);
		expect(attentionLegend(0, 4)).toEqual([]);
	});
});
