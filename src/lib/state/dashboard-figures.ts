// P1, P2: the dashboard's figures as pure functions: per customer organization (registered accounts, failed jobs and
// service requests in the window, purchased services, licenses in trouble, attention), per country, and in total.
import { countBetween } from '$lib/domain/activity';
import { isLicenseInTrouble, needsAttention, registeredAccounts } from '$lib/domain/attention';
import type { LicenseState } from '$lib/domain/license-state';
import type { CustomerSummary } from '$lib/schema/customer-summary';
import type { ServiceKind } from '$lib/schema/customer';
import type { TreeNode } from '$lib/schema/tree';
import type { TimeWindow } from './dashboard-window';

/** A license as far as the dashboard needs it: whose it is (L9: the company of its pool), what, and its state today. */
export interface LicenseFact {
	readonly companyId: string | null;
	readonly product: string;
	readonly state: LicenseState;
}

export interface DashboardInput {
	readonly nodes: ReadonlyMap<string, TreeNode>;
	readonly summaries: ReadonlyMap<string, CustomerSummary>;
	readonly licenses: readonly LicenseFact[];
	readonly window: TimeWindow;
}

export interface OrganizationFigures {
	readonly id: string;
	readonly name: string;
	/** ISO alpha-2, or null when the customer has no country. */
	readonly country: string | null;
	readonly accounts: readonly string[];
	/** Failed jobs that ended in the window. */
	readonly failedJobs: number;
	/** Service requests submitted in the window. */
	readonly requests: number;
	/** Service requests not closed, whenever submitted. */
	readonly openRequests: number;
	readonly services: readonly ServiceKind[];
	/** License products in the customer's pools (and its sites'), each once, sorted; removed licenses left out. */
	readonly products: readonly string[];
	readonly licensesInTrouble: number;
	readonly needsAttention: boolean;
}

export interface CountryFigures {
	readonly code: string;
	/** Sorted by name. */
	readonly organizations: readonly OrganizationFigures[];
	readonly needingAttention: number;
	readonly failedJobs: number;
	readonly requests: number;
}

export interface DashboardTotals {
	readonly customers: number;
	readonly needingAttention: number;
	readonly failedJobs: number;
	readonly openRequests: number;
	readonly licensesInTrouble: number;
}

export interface DashboardFigures {
	readonly organizations: readonly OrganizationFigures[];
	/** Countries with at least one organization, by code. */
	readonly countries: readonly CountryFigures[];
	/** Organizations without a country ("unknown"), by name. */
	readonly unknown: readonly OrganizationFigures[];
	readonly totals: DashboardTotals;
	/** The most organizations needing attention in one country (the top of the map's scale). */
	readonly maxNeedingAttention: number;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
const byName = (a: OrganizationFigures, b: OrganizationFigures): number =>
	collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The customers the dashboard shows: every customer node except unlinked ones (C7: removed, kept for history only). */
export function dashboardCustomers(nodes: ReadonlyMap<string, TreeNode>): TreeNode[] {
	const out: TreeNode[] = [];
	for (const node of nodes.values()) if (node.kind === 'customer' && node.status !== 'unlinked') out.push(node);
	return out;
}

export function dashboardFigures(input: DashboardInput): DashboardFigures {
	const { from, to } = input.window;
	const products = new Map<string, Set<string>>();
	const trouble = new Map<string, number>();
	for (const license of input.licenses) {
		if (license.companyId === null || license.state === 'removed') continue;
		let set = products.get(license.companyId);
		if (!set) products.set(license.companyId, (set = new Set()));
		set.add(license.product);
		if (isLicenseInTrouble(license.state)) trouble.set(license.companyId, (trouble.get(license.companyId) ?? 0) + 1);
	}

	// The collator runs once per distinct product, not once per comparison of every customer's list.
	const rank = new Map(
		[...new Set(input.licenses.map((license) => license.product))].sort(collator.compare).map((p, i) => [p, i])
	);
	const productsOf = (id: string): string[] =>
		[...(products.get(id) ?? [])].sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));

	const organizations: OrganizationFigures[] = dashboardCustomers(input.nodes).map((node) => {
		const summary = input.summaries.get(node.id);
		const facts = {
			failedJobs: summary ? countBetween(summary.failedJobEnds, from, to) : 0,
			openRequests: summary?.openRequests ?? 0,
			licensesInTrouble: trouble.get(node.id) ?? 0
		};
		return {
			id: node.id,
			name: node.name,
			country: node.country ?? null,
			accounts: registeredAccounts(node.contact?.email, summary?.accounts ?? []),
			requests: summary ? countBetween(summary.requestSubmissions, from, to) : 0,
			services: summary?.services ?? [],
			products: productsOf(node.id),
			...facts,
			needsAttention: needsAttention(facts)
		};
	});
	organizations.sort(byName);

	const byCountry = new Map<string, OrganizationFigures[]>();
	const unknown: OrganizationFigures[] = [];
	for (const organization of organizations) {
		if (organization.country === null) unknown.push(organization);
		else {
			const list = byCountry.get(organization.country);
			if (list) list.push(organization);
			else byCountry.set(organization.country, [organization]);
		}
	}
	const countries: CountryFigures[] = [...byCountry.entries()]
		.sort(([a], [b]) => (a < b ? -1 : 1))
		.map(([code, list]) => ({
			code,
			organizations: list,
			needingAttention: list.filter((o) => o.needsAttention).length,
			failedJobs: sum(list, (o) => o.failedJobs),
			requests: sum(list, (o) => o.requests)
		}));

	return {
		organizations,
		countries,
		unknown,
		totals: {
			customers: organizations.length,
			needingAttention: organizations.filter((o) => o.needsAttention).length,
			failedJobs: sum(organizations, (o) => o.failedJobs),
			openRequests: sum(organizations, (o) => o.openRequests),
			licensesInTrouble: sum(organizations, (o) => o.licensesInTrouble)
		},
		maxNeedingAttention: countries.reduce((max, c) => Math.max(max, c.needingAttention), 0)
	};
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
	let total = 0;
	for (const item of items) total += value(item);
	return total;
}

export const COUNTRY_SORT_COLUMNS = ['name', 'organizations', 'needingAttention', 'failedJobs', 'requests'] as const;
export type CountrySortColumn = (typeof COUNTRY_SORT_COLUMNS)[number];
export interface CountrySort {
	readonly column: CountrySortColumn;
	readonly descending: boolean;
}

/** P2: the countries table, sorted by a column (ties by name); `nameOf` gives the country's display name. */
export function sortCountries(
	countries: readonly CountryFigures[],
	sort: CountrySort,
	nameOf: (code: string) => string
): CountryFigures[] {
	const names = new Map(countries.map((c) => [c.code, nameOf(c.code)]));
	const key = (c: CountryFigures): number =>
		sort.column === 'organizations' ? c.organizations.length : sort.column === 'name' ? 0 : c[sort.column];
	const direction = sort.descending ? -1 : 1;
	return [...countries].sort((a, b) => {
		const primary = sort.column === 'name' ? 0 : key(a) - key(b);
		const byNameOrder = collator.compare(names.get(a.code) ?? a.code, names.get(b.code) ?? b.code);
		return primary !== 0 ? primary * direction : sort.column === 'name' ? byNameOrder * direction : byNameOrder;
	});
}

/**
 * The map's colour step of a country (0: no organization needs attention; 1 to `steps`: a sequential scale up to the
 * country with the most). Colour is never the only carrier: the labels and the table hold the counts.
 */
export function attentionStep(needingAttention: number, max: number, steps: number): number {
	if (needingAttention <= 0 || max <= 0) return 0;
	return Math.max(1, Math.min(steps, Math.ceil((needingAttention / max) * steps)));
}

/** The legend's ranges, one per step: [lowest, highest] count of organizations needing attention that gets that step. */
export function attentionLegend(max: number, steps: number): { step: number; from: number; to: number }[] {
	const out: { step: number; from: number; to: number }[] = [];
	for (let n = 1; n <= max; n++) {
		const step = attentionStep(n, max, steps);
		const last = out.at(-1);
		if (last && last.step === step) last.to = n;
		else out.push({ step, from: n, to: n });
	}
	return out;
}
