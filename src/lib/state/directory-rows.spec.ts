// The customer directory's rows: license status, products, figures, search, filters, sort and the URL (C1, C3, C4, P2,
// P3, P10).
import { dayIn } from '$lib/domain/license-state';
import { describe, expect, it } from 'vitest';
import type { CustomerSummary } from '$lib/schema/customer-summary';
import type { License, LicensePool } from '$lib/schema/licenses';
import type { TreeNode } from '$lib/schema/tree';
import {
	DEFAULT_WINDOW,
	DirectoryIndex,
	directoryEntries,
	directoryRows,
	failedJobCounts,
	fold,
	isFiltered,
	NO_FILTERS,
	queryFromView,
	shownProducts,
	viewFromQuery,
	windowBounds,
	type DirectoryFilters,
	type DirectorySort,
	type DirectorySource
} from './directory-rows';

const TODAY = '2026-11-20';
const NOW = new Date('2026-11-20T12:00:00Z');
const minutesAgo = (hours: number) => Math.floor(NOW.getTime() / 60_000) - hours * 60;

let nextId = 0;
const id = (name: string) => `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${++nextId}`;

function node(kind: TreeNode['kind'], name: string, extra: Partial<TreeNode> = {}): TreeNode {
	return { id: id(name), kind, name, placement: { parent: null, prev: null, ts: 0, client: 0 }, ...extra };
}

function license(poolId: string, product: string, patch: Partial<License> = {}): License {
	return {
		id: id('license'),
		publicId: id('PUB'),
		poolId,
		product,
		type: 'msp',
		unitsOrdered: 10,
		unitsActivated: 1,
		expiresOn: '2027-06-01',
		suspended: false,
		ownerId: 'owner',
		tag: '',
		removed: false,
		held: false,
		extensions: 0,
		convertedUnits: 0,
		...patch
	} as License;
}

function summary(patch: Partial<CustomerSummary>): CustomerSummary {
	return {
		updatedAt: NOW.toISOString(),
		failedJobEnds: [],
		requestSubmissions: [],
		openRequests: 0,
		storageBytes: 0,
		failedJobs: [],
		requests: [],
		services: [],
		accounts: [],
		insights: [],
		...patch
	};
}

/**
 * Müller & Söhne (a site with an expiring license, an OK one on itself; tags; group North), Acme (one expired, one
 * overused; no tags), Zeta (no licenses, monthly), alpha (lower case, a suspended license only), and a site and an MSP
 * that are not customers.
 */
function tenant() {
	const msp = node('msp', 'Northwind');
	const muller = node('customer', 'Müller & Söhne GmbH', {
		country: 'DE',
		status: 'normal',
		tags: ['gold', 'vip'],
		groups: ['g-north', 'g-gone'],
		billingType: 'term',
		contact: { name: 'Jörg', email: 'joerg@mueller.example', phone: '' }
	});
	const site = node('site', 'Müller Lager');
	const acme = node('customer', 'Acme, Inc.', { country: 'US', status: 'normal', tags: ['bronze'] });
	const zeta = node('customer', 'Zeta AG', { country: 'CH', billingType: 'monthly', tags: ['gold'] });
	const alpha = node('customer', 'alpha Ltd', { country: 'GB', billingType: 'trial' });
	const nodes = new Map([msp, muller, site, acme, zeta, alpha].map((n) => [n.id, n]));
	const parentOf = new Map<string, string | null>([
		[msp.id, null],
		[muller.id, msp.id],
		[site.id, muller.id],
		[acme.id, msp.id],
		[zeta.id, msp.id],
		[alpha.id, msp.id]
	]);
	const pool = (groupId: string): LicensePool => ({ id: id('pool'), name: 'p', accountId: 'acc', groupId });
	const pools = [pool(muller.id), pool(site.id), pool(acme.id), pool(alpha.id), pool(msp.id)];
	const [onMuller, onSite, onAcme, onAlpha, onMsp] = pools.map((p) => p.id) as [string, string, string, string, string];
	const licenses = [
		license(onMuller, 'Endpoint Security'),
		license(onSite, 'Mail Security', { expiresOn: '2026-11-25' }),
		license(onSite, 'Old Product', { removed: true, expiresOn: '2020-01-01' }),
		license(onAcme, 'Endpoint Security', { expiresOn: '2026-10-01' }),
		license(onAcme, 'Server Security', { unitsActivated: 12 }),
		license(onAlpha, 'Cloud Sandbox', { suspended: true }),
		license(onMsp, 'Endpoint Security', { expiresOn: '2020-01-01' })
	];
	const summaries = new Map<string, CustomerSummary>([
		[
			muller.id,
			summary({
				failedJobEnds: [minutesAgo(1), minutesAgo(20), minutesAgo(24 * 20)],
				openRequests: 1,
				accounts: ['JOERG@mueller.example', 'it@mueller.example']
			})
		],
		[acme.id, summary({ failedJobEnds: [minutesAgo(2), minutesAgo(3), minutesAgo(5)], openRequests: 4 })],
		[zeta.id, summary({ failedJobEnds: [minutesAgo(26)], openRequests: 1, accounts: ['ops@zeta.example'] })]
	]);
	const source: DirectorySource = {
		nodes,
		parentOf,
		pools,
		licenses,
		groups: [
			{ id: 'g-north', name: 'North' },
			{ id: 'g-key', name: 'Key accounts' }
		],
		summaries
	};
	return { source, muller, acme, zeta, alpha, site, msp };
}

const filters = (patch: Partial<DirectoryFilters>): DirectoryFilters => ({ ...NO_FILTERS, ...patch });

function names(source: DirectorySource, patch: Partial<DirectoryFilters> = {}, sort?: DirectorySort, hours = 24) {
	const entries = directoryEntries(source, TODAY);
	const counts = failedJobCounts(entries, new Date(NOW.getTime() - hours * 3_600_000), NOW);
	const index = new DirectoryIndex(entries, counts);
	return directoryRows(index, filters(patch), sort ?? { column: 'name', descending: false }).map(
		(i) => entries[i]!.name
	);
}

describe('directory rows', () => {
	it("C1: every customer (and only customers) is listed with the worst license state over its own and its sites' pools", () => {
		const { source, muller, acme, zeta, alpha } = tenant();
		const entries = directoryEntries(source, TODAY);
		const byId = new Map(entries.map((entry) => [entry.id, entry]));
		expect(entries.map((entry) => entry.name).sort()).toEqual(
			['Acme, Inc.', 'alpha Ltd', 'Müller & Söhne GmbH', 'Zeta AG'].sort()
		);
		// The site's license expires in 5 days (expiringSoon) and outranks the OK one; the removed one does not count.
		expect(byId.get(muller.id)?.licenseStatus).toBe('expiringSoon');
		expect(byId.get(muller.id)?.licenseCount).toBe(2);
		// expired outranks overused (L14 precedence).
		expect(byId.get(acme.id)?.licenseStatus).toBe('expired');
		expect(byId.get(alpha.id)?.licenseStatus).toBe('suspended');
		expect(byId.get(zeta.id)?.licenseStatus).toBe('none');
		// The day decides: ten days later the site's license has expired.
		const later = new Map(directoryEntries(source, '2026-11-30').map((entry) => [entry.id, entry]));
		expect(later.get(muller.id)?.licenseStatus).toBe('expired');
	});

	it('C3: active license categories are the products with a license in force; "Show only my protection" keeps only customers with one', () => {
		const { source, muller, acme, alpha } = tenant();
		const byId = new Map(directoryEntries(source, TODAY).map((entry) => [entry.id, entry]));
		expect(byId.get(muller.id)?.activeProducts).toEqual(['Endpoint Security', 'Mail Security']);
		// Expired Endpoint Security is not active; overused Server Security still protects.
		expect(byId.get(acme.id)?.activeProducts).toEqual(['Server Security']);
		expect(byId.get(acme.id)?.products).toEqual(['Endpoint Security', 'Server Security']);
		expect(shownProducts(byId.get(acme.id)!, true)).toEqual(['Server Security']);
		expect(shownProducts(byId.get(acme.id)!, false)).toEqual(['Endpoint Security', 'Server Security']);
		expect(byId.get(alpha.id)?.activeProducts).toEqual([]);
		expect(names(source, { myProtection: true })).toEqual(['Acme, Inc.', 'Müller & Söhne GmbH']);
	});

	it('P10, C5: tags and the names of existing groups (a deleted group is left out); registered accounts each once', () => {
		const { source, muller } = tenant();
		const entry = directoryEntries(source, TODAY).find((candidate) => candidate.id === muller.id)!;
		expect(entry.tags).toEqual(['gold', 'vip']);
		expect(entry.groups).toEqual(['North']);
		expect(entry.groupIds).toEqual(['g-north']);
		// The admin contact first; the summary's copy in other case is the same account.
		expect(entry.accounts).toEqual(['joerg@mueller.example', 'it@mueller.example']);
	});

	it('P10: the smart tag filter keeps the customers with that tag; the tag list offers every tag once', () => {
		const { source } = tenant();
		expect(names(source, { tag: 'gold' })).toEqual(['Müller & Söhne GmbH', 'Zeta AG']);
		expect(names(source, { tag: 'nobody' })).toEqual([]);
		const index = new DirectoryIndex(directoryEntries(source, TODAY));
		expect(index.tags).toEqual(['bronze', 'gold', 'vip']);
	});

	it('C5, C6, C1: filters by group, billing type (or none set) and license status, combined with AND', () => {
		const { source } = tenant();
		expect(names(source, { groupId: 'g-north' })).toEqual(['Müller & Söhne GmbH']);
		expect(names(source, { groupId: 'g-key' })).toEqual([]);
		expect(names(source, { billingType: 'monthly' })).toEqual(['Zeta AG']);
		expect(names(source, { billingType: 'none' })).toEqual(['Acme, Inc.']);
		expect(names(source, { licenseStatus: 'none' })).toEqual(['Zeta AG']);
		expect(names(source, { licenseStatus: 'expired' })).toEqual(['Acme, Inc.']);
		expect(names(source, { tag: 'gold', billingType: 'term' })).toEqual(['Müller & Söhne GmbH']);
		expect(isFiltered(filters({}))).toBe(false);
		expect(isFiltered(filters({ query: '   ' }))).toBe(false);
		expect(isFiltered(filters({ myProtection: true }))).toBe(true);
	});

	it('C4, P3: the keyword search looks in the organization name, tags and registered accounts, case- and accent-insensitively', () => {
		const { source } = tenant();
		expect(names(source, { query: 'muller' })).toEqual(['Müller & Söhne GmbH']);
		expect(names(source, { query: 'SÖHNE' })).toEqual(['Müller & Söhne GmbH']);
		// A registered account from the summary, and the admin contact's email.
		expect(names(source, { query: 'ops@zeta' })).toEqual(['Zeta AG']);
		expect(names(source, { query: 'joerg@' })).toEqual(['Müller & Söhne GmbH']);
		// A tag.
		expect(names(source, { query: 'bronze' })).toEqual(['Acme, Inc.']);
		// Every word must match, in any order.
		expect(names(source, { query: 'gmbh  müller' })).toEqual(['Müller & Söhne GmbH']);
		expect(names(source, { query: 'gmbh zeta' })).toEqual([]);
		expect(names(source, { query: 'no such customer' })).toEqual([]);
	});

	it('C4: clearing the search shows everyone again', () => {
		const { source } = tenant();
		const everyone = names(source);
		expect(everyone).toHaveLength(4);
		expect(names(source, { query: 'zeta' })).toEqual(['Zeta AG']);
		expect(names(source, { query: '' })).toEqual(everyone);
		expect(names(source, { query: '  ' })).toEqual(everyone);
	});

	it('P7: sorted by organization name with the collator (case and accents do not split the order), both ways', () => {
		const { source } = tenant();
		expect(names(source)).toEqual(['Acme, Inc.', 'alpha Ltd', 'Müller & Söhne GmbH', 'Zeta AG']);
		expect(names(source, {}, { column: 'name', descending: true })).toEqual([
			'Zeta AG',
			'Müller & Söhne GmbH',
			'alpha Ltd',
			'Acme, Inc.'
		]);
	});

	it('P2: sorted by failed jobs in the window and by open service requests, ties by name ascending either way', () => {
		const { source } = tenant();
		// Last 24 h: Acme 3, Müller 2, Zeta 0 (26 h ago), alpha 0 (no summary).
		expect(names(source, {}, { column: 'failedJobs', descending: true })).toEqual([
			'Acme, Inc.',
			'Müller & Söhne GmbH',
			'alpha Ltd',
			'Zeta AG'
		]);
		expect(names(source, {}, { column: 'failedJobs', descending: false })).toEqual([
			'alpha Ltd',
			'Zeta AG',
			'Müller & Söhne GmbH',
			'Acme, Inc.'
		]);
		// Last 30 days: Müller 3 ties with Acme 3; the tie goes by name.
		expect(names(source, {}, { column: 'failedJobs', descending: true }, 24 * 30)).toEqual([
			'Acme, Inc.',
			'Müller & Söhne GmbH',
			'Zeta AG',
			'alpha Ltd'
		]);
		// Requests: Acme 4, Müller 1 = Zeta 1 (by name), alpha 0.
		expect(names(source, {}, { column: 'openRequests', descending: true })).toEqual([
			'Acme, Inc.',
			'Müller & Söhne GmbH',
			'Zeta AG',
			'alpha Ltd'
		]);
		// Sorting and filtering together.
		expect(names(source, { tag: 'gold' }, { column: 'openRequests', descending: false })).toEqual([
			'Müller & Söhne GmbH',
			'Zeta AG'
		]);
	});

	it('P2: the figure windows count failed jobs that ended in the last 24 h, 7 days, 30 days or whole custom days', () => {
		const { source, muller, zeta } = tenant();
		const entries = directoryEntries(source, TODAY);
		const count = (entryId: string, kind: '24h' | '7d' | '30d' | 'custom', from = '', to = '') => {
			const bounds = windowBounds({ kind, from, to }, NOW, 'Europe/Vienna');
			return failedJobCounts(entries, bounds.from, bounds.to)[entries.findIndex((entry) => entry.id === entryId)];
		};
		expect(count(muller.id, '24h')).toBe(2);
		expect(count(zeta.id, '24h')).toBe(0);
		expect(count(zeta.id, '7d')).toBe(1);
		expect(count(muller.id, '7d')).toBe(2);
		expect(count(muller.id, '30d')).toBe(3);
		// 20 days ago only, as whole days of the tenant's time zone around it (both days included).
		const twentyDaysAgo = dayIn(new Date(NOW.getTime() - 20 * 24 * 3_600_000), 'Europe/Vienna');
		expect(count(muller.id, 'custom', twentyDaysAgo, twentyDaysAgo)).toBe(1);
		// A custom day runs from midnight to midnight in the tenant's zone (Vienna is UTC+1 in November).
		expect(windowBounds({ kind: 'custom', from: '2026-11-01', to: '2026-11-01' }, NOW, 'Europe/Vienna')).toEqual({
			from: new Date('2026-10-31T23:00:00.000Z'),
			to: new Date('2026-11-01T23:00:00.000Z')
		});
	});

	it('fold: lower case without accents', () => {
		expect(fold('Müller SÖHNE Ærø café')).toBe('muller sohne ærø cafe');
	});

	it('P2, P10, C4: the view goes into the URL and back; defaults are left out, bad values fall back one by one', () => {
		const view = {
			filters: filters({
				query: 'müller',
				tag: 'gold',
				groupId: 'g-north',
				licenseStatus: 'expired',
				myProtection: true
			}),
			sort: { column: 'failedJobs', descending: true } as const,
			window: { kind: 'custom', from: '2026-11-01', to: '2026-11-19' } as const
		};
		const params = queryFromView(view);
		expect(viewFromQuery(new URLSearchParams(params.toString()))).toEqual(view);
		expect(
			queryFromView({
				filters: NO_FILTERS,
				sort: { column: 'name', descending: false },
				window: DEFAULT_WINDOW
			}).toString()
		).toBe('');
		const bad = viewFromQuery(
			new URLSearchParams('sort=price&license=great&window=1y&mine=yes&billing=monthly&q=zeta')
		);
		expect(bad).toEqual({
			filters: filters({ billingType: 'monthly', query: 'zeta' }),
			sort: { column: 'name', descending: false },
			window: DEFAULT_WINDOW
		});
	});
});
