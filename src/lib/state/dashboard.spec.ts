// P1, P2: the dashboard state over a real tenant document: customers from the tree, the server's summaries, the license
// states of the customer's pools, and the chosen window.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TenantRepository } from '$lib/data/tenant-repository';
import { EMPTY_SUMMARY, toEpochMinutes } from '$lib/schema/customer-summary';
import { DashboardState } from './dashboard.svelte';
import { LicensesState } from './licenses.svelte';
import { TenantDay } from './tenant-day.svelte';
import { TreeState } from './tree.svelte';

const NOW = new Date('2026-11-20T12:00:00.000Z');

function dashboardOver(repo: TenantRepository): DashboardState {
	const day = new TenantDay(() => NOW);
	const tree = new TreeState(repo);
	const licenses = new LicensesState({
		repo,
		tree,
		commands: null,
		scoped: false,
		canEdit: false,
		canSync: false,
		day
	});
	return new DashboardState({ repo, tree, licenses, day, now: () => NOW });
}

describe('DashboardState', () => {
	it("P1, P2: reads the replica's customers, summaries and license states; a new summary and another window change the figures", () => {
		const repo = new TenantRepository(new Y.Doc());
		const msp = repo.createNode({ kind: 'msp', name: 'MSP', parentId: null });
		const contoso = repo.createNode({ kind: 'customer', name: 'Contoso', parentId: msp, country: 'DE' });
		const site = repo.createNode({ kind: 'site', name: 'Berlin', parentId: contoso });
		repo.createNode({ kind: 'customer', name: 'Fabrikam', parentId: msp, country: 'FR' });
		// An expired license in a pool on Contoso's site: Contoso's license is in trouble (L14 on the tenant's day).
		repo.putLicenseData({
			accounts: [{ id: 'acc', kind: 'msp', name: 'Account', login: 'a@example.test' }],
			pools: [{ id: 'pool', name: 'Berlin pool', accountId: 'acc', groupId: site }],
			licenses: [
				{
					id: 'l1',
					publicId: 'AAA-111',
					poolId: 'pool',
					product: 'Endpoint Security',
					type: 'msp',
					unitsOrdered: 10,
					unitsActivated: 2,
					expiresOn: '2026-11-19',
					suspended: false,
					ownerId: contoso,
					tag: 'Contoso'
				}
			]
		});
		const dashboard = dashboardOver(repo);
		expect(dashboard.figures.totals).toMatchObject({ customers: 2, needingAttention: 1, licensesInTrouble: 1 });
		expect(dashboard.figures.organizations.find((o) => o.id === contoso)?.products).toEqual(['Endpoint Security']);

		// The server writes Fabrikam's summary: a job failed ten days ago.
		const fabrikam = repo.customerIds().find((id) => id !== contoso)!;
		repo.putSummary(fabrikam, {
			updatedAt: NOW.toISOString(),
			...EMPTY_SUMMARY,
			failedJobEnds: [toEpochMinutes('2026-11-10T12:00:00Z')]
		});
		expect(dashboard.figures.totals.failedJobs).toBe(0);
		dashboard.choice = { kind: '30d' };
		expect(dashboard.figures.totals).toMatchObject({ failedJobs: 1, needingAttention: 2 });
		expect(dashboard.figures.countries.map((c) => [c.code, c.needingAttention])).toEqual([
			['DE', 1],
			['FR', 1]
		]);
		dashboard.choice = { kind: 'custom', from: '2026-11-11', to: '2026-11-20' };
		expect(dashboard.figures.totals.failedJobs).toBe(0);
		dashboard.choice = { kind: 'custom', from: '2026-11-10', to: '2026-11-10' };
		expect(dashboard.figures.totals.failedJobs).toBe(1);
	});

	it('P1: figures read without a watching screen follow the document: a summary written, a customer added or moved country', () => {
		const repo = new TenantRepository(new Y.Doc());
		const msp = repo.createNode({ kind: 'msp', name: 'MSP', parentId: null });
		const contoso = repo.createNode({ kind: 'customer', name: 'Contoso', parentId: msp });
		const dashboard = dashboardOver(repo);
		const shown = (): string => {
			const { totals, countries, unknown } = dashboard.figures;
			return `${totals.customers}/${totals.failedJobs}/${countries.map((c) => c.code).join()}/${unknown.length}`;
		};
		expect(shown()).toBe('1/0//1');
		repo.putSummary(contoso, {
			updatedAt: NOW.toISOString(),
			...EMPTY_SUMMARY,
			failedJobEnds: [toEpochMinutes('2026-11-20T11:00:00Z')]
		});
		expect(shown()).toBe('1/1//1');
		repo.updateProfile(contoso, { country: 'AT' });
		repo.createNode({ kind: 'customer', name: 'Fabrikam', parentId: msp, country: 'FR' });
		expect(shown()).toBe('2/1/AT,FR/0');
	});
});
