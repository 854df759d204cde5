// C1, C3, C4, P2, P3, P7, P10: the customer directory as pure functions: each customer with what the directory shows of it
// (license status, active products, tags, groups, figures, registered accounts, search text), computed once per document
// change; then searched, filtered and sorted cheaply per keystroke (one sorted order per column, reused by every filter).
import { addDays, LICENSE_STATES, licenseState, type LicenseState } from '$lib/domain/license-state';
import { countBetween, startOfDayIn } from '$lib/domain/activity';
import type { CustomerSummary } from '$lib/schema/customer-summary';
import type { License, LicensePool } from '$lib/schema/licenses';
import {
	BILLING_TYPES,
	type BillingType,
	type CustomerGroup,
	type CustomerStatus,
	type TreeNode
} from '$lib/schema/tree';
import { z } from 'zod';

/** What the directory is built from: the tenant document (or a scoped person's view) as the repositories read it. */
export interface DirectorySource {
	readonly nodes: ReadonlyMap<string, TreeNode>;
	readonly parentOf: ReadonlyMap<string, string | null>;
	readonly pools: readonly LicensePool[];
	readonly licenses: readonly License[];
	readonly groups: readonly CustomerGroup[];
	readonly summaries: ReadonlyMap<string, CustomerSummary>;
}

/** C1: a customer's license status: the worst L14 state of its licenses, or `none` when it has none. */
export type CustomerLicenseStatus = LicenseState | 'none';
export const CUSTOMER_LICENSE_STATUSES: readonly CustomerLicenseStatus[] = [
	...LICENSE_STATES.filter((state) => state !== 'removed'),
	'none'
];

/** C3: license states in which the license still protects (its category is active). */
const ACTIVE_STATES: ReadonlySet<LicenseState> = new Set(['ok', 'warning', 'expiringSoon', 'overused']);

export interface DirectoryEntry {
	readonly id: string;
	readonly node: TreeNode;
	readonly name: string;
	readonly status: CustomerStatus;
	readonly country: string;
	readonly licenseStatus: CustomerLicenseStatus;
	/** Licenses in pools on the customer or its sites (the vendor's removed ones left out). */
	readonly licenseCount: number;
	/** C3: products (license categories) with at least one active license, sorted. */
	readonly activeProducts: readonly string[];
	/** Every product of its licenses, sorted. */
	readonly products: readonly string[];
	/** P10 */
	readonly tags: readonly string[];
	/** C5: the names of its groups, sorted. */
	readonly groups: readonly string[];
	readonly groupIds: readonly string[];
	readonly billingType: BillingType | null;
	/** P2: end times of failed jobs (epoch minutes) from the server's summary; counted per window. */
	readonly failedJobEnds: readonly number[];
	readonly openRequests: number;
	/** P11: how many insight rules fire for it now (the server's summary). */
	readonly insights: number;
	/** P3: registered accounts: the admin contact's email and the summary's accounts, each once. */
	readonly accounts: readonly string[];
	/** Folded (lower case, no accents) name, tags and accounts: what the keyword search looks in. */
	readonly haystack: string;
}

/** P2: the window of job end times the figures count. Custom: whole days in the browser's time zone, both included. */
export const WINDOWS = ['24h', '7d', '30d', 'custom'] as const;
export type WindowKind = (typeof WINDOWS)[number];
export interface FigureWindow {
	readonly kind: WindowKind;
	/** `YYYY-MM-DD`, only for `custom`. */
	readonly from: string;
	readonly to: string;
}

export const SORT_COLUMNS = ['name', 'failedJobs', 'openRequests'] as const;
export type DirectorySortColumn = (typeof SORT_COLUMNS)[number];
export interface DirectorySort {
	readonly column: DirectorySortColumn;
	readonly descending: boolean;
}

export interface DirectoryFilters {
	/** C4, P3: keywords (every word must occur in the name, a tag or a registered account). */
	readonly query: string;
	/** P10: '' for any tag. */
	readonly tag: string;
	/** C5: a group id; '' for any. */
	readonly groupId: string;
	readonly licenseStatus: CustomerLicenseStatus | '';
	/** C6: 'none' for customers without a billing type. */
	readonly billingType: BillingType | 'none' | '';
	/** C3: "Show only my protection". */
	readonly myProtection: boolean;
	/** F5: only the customers kept on this device (pinned). */
	readonly onDevice: boolean;
}

export const NO_FILTERS: DirectoryFilters = {
	query: '',
	tag: '',
	groupId: '',
	licenseStatus: '',
	billingType: '',
	myProtection: false,
	onDevice: false
};
export const DEFAULT_SORT: DirectorySort = { column: 'name', descending: false };
export const DEFAULT_WINDOW: FigureWindow = { kind: '7d', from: '', to: '' };

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Lower case without accents ("Müller" → "muller"), so that a search matches however it is typed. */
export function fold(text: string): string {
	return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

const STATE_RANK = new Map<LicenseState, number>(LICENSE_STATES.map((state, index) => [state, index]));

/** The customers of the source with their derived fields, on `today` (the tenant's day, L14). Linear in nodes and licenses. */
export function directoryEntries(source: DirectorySource, today: string): DirectoryEntry[] {
	// The customer each license pool counts for: its group, or the customer of the site it sits on.
	const customerOfGroup = (groupId: string): string | null => {
		const node = source.nodes.get(groupId);
		if (!node) return null;
		if (node.kind === 'customer') return node.id;
		if (node.kind !== 'site') return null;
		const parentId = source.parentOf.get(groupId) ?? null;
		return parentId !== null && source.nodes.get(parentId)?.kind === 'customer' ? parentId : null;
	};
	const customerOfPool = new Map<string, string>();
	for (const pool of source.pools) {
		const customerId = customerOfGroup(pool.groupId);
		if (customerId !== null) customerOfPool.set(pool.id, customerId);
	}
	const licensed = new Map<string, { worst: number; count: number; active: Set<string>; all: Set<string> }>();
	for (const license of source.licenses) {
		const customerId = customerOfPool.get(license.poolId);
		if (customerId === undefined || license.removed) continue;
		const state = licenseState(license, today).state;
		let facts = licensed.get(customerId);
		if (!facts) licensed.set(customerId, (facts = { worst: Infinity, count: 0, active: new Set(), all: new Set() }));
		facts.worst = Math.min(facts.worst, STATE_RANK.get(state)!);
		facts.count++;
		facts.all.add(license.product);
		if (ACTIVE_STATES.has(state)) facts.active.add(license.product);
	}
	const groupNames = new Map(source.groups.map((group) => [group.id, group.name]));
	const sorted = (values: Iterable<string>) => [...values].sort(collator.compare);

	const out: DirectoryEntry[] = [];
	for (const node of source.nodes.values()) {
		if (node.kind !== 'customer') continue;
		const facts = licensed.get(node.id);
		const summary = source.summaries.get(node.id);
		const groupIds = (node.groups ?? []).filter((id) => groupNames.has(id));
		const tags = node.tags ?? [];
		const accounts: string[] = [];
		const seen = new Set<string>();
		for (const email of [node.contact?.email ?? '', ...(summary?.accounts ?? [])]) {
			const key = email.trim().toLocaleLowerCase();
			if (key === '' || seen.has(key)) continue;
			seen.add(key);
			accounts.push(email.trim());
		}
		out.push({
			id: node.id,
			node,
			name: node.name,
			status: node.status ?? 'notSetUp',
			country: node.country ?? '',
			licenseStatus: facts ? LICENSE_STATES[facts.worst]! : 'none',
			licenseCount: facts?.count ?? 0,
			activeProducts: facts ? sorted(facts.active) : [],
			products: facts ? sorted(facts.all) : [],
			tags,
			groups: sorted(groupIds.map((id) => groupNames.get(id)!)),
			groupIds,
			billingType: node.billingType ?? null,
			failedJobEnds: summary?.failedJobEnds ?? [],
			openRequests: summary?.openRequests ?? 0,
			insights: summary?.insights.length ?? 0,
			accounts,
			haystack: fold([node.name, ...tags, ...accounts].join('\n'))
		});
	}
	return out;
}

const HOUR_MS = 3_600_000;

/** P2: the window as instants [from, to) at `now`; custom days are whole days of the tenant's time zone, `to` included. */
export function windowBounds(window: FigureWindow, now: Date, timeZone: string): { from: Date; to: Date } {
	switch (window.kind) {
		case '24h':
			return { from: new Date(now.getTime() - 24 * HOUR_MS), to: now };
		case '7d':
			return { from: new Date(now.getTime() - 7 * 24 * HOUR_MS), to: now };
		case '30d':
			return { from: new Date(now.getTime() - 30 * 24 * HOUR_MS), to: now };
		case 'custom': {
			const from = isDay(window.from)
				? startOfDayIn(window.from, timeZone)
				: new Date(now.getTime() - 30 * 24 * HOUR_MS);
			const to = isDay(window.to) ? startOfDayIn(addDays(window.to, 1), timeZone) : now;
			return { from, to };
		}
	}
}

const isDay = (day: string): boolean => z.iso.date().safeParse(day).success;

/** P2: failed jobs per entry in the window. */
export function failedJobCounts(entries: readonly DirectoryEntry[], from: Date, to: Date): Uint32Array {
	return Uint32Array.from(entries, (entry) => countBetween(entry.failedJobEnds, from, to));
}

/**
 * The entries of one document state (and one figure window) with what filtering needs again and again: the order of each
 * sort, computed the first time it is asked for (names ranked once by the collator), and the values the filters offer.
 */
export class DirectoryIndex {
	readonly entries: readonly DirectoryEntry[];
	/** P2: failed jobs per entry, in the figure window. */
	readonly failedJobs: Uint32Array;
	readonly #orders = new Map<string, Uint32Array>();
	#nameRank: Float64Array | null = null;
	#tags: string[] | null = null;

	constructor(entries: readonly DirectoryEntry[], failedJobs: Uint32Array = new Uint32Array(entries.length)) {
		this.entries = entries;
		this.failedJobs = failedJobs;
	}

	get tags(): readonly string[] {
		if (!this.#tags) {
			const all = new Set<string>();
			for (const entry of this.entries) for (const tag of entry.tags) all.add(tag);
			this.#tags = [...all].sort(collator.compare);
		}
		return this.#tags;
	}

	/** Each entry's place by name (the collator's order; equal names share a rank). */
	get nameRank(): Float64Array {
		if (!this.#nameRank) {
			const order = Array.from({ length: this.entries.length }, (_, i) => i).sort(
				(a, b) => collator.compare(this.entries[a]!.name, this.entries[b]!.name) || a - b
			);
			const rank = new Float64Array(this.entries.length);
			order.forEach((i, place) => {
				const previous = place > 0 ? order[place - 1]! : -1;
				rank[i] =
					previous >= 0 && collator.compare(this.entries[previous]!.name, this.entries[i]!.name) === 0
						? rank[previous]!
						: place;
			});
			this.#nameRank = rank;
		}
		return this.#nameRank;
	}

	/** P2, P7: indexes in the sort's order; ties always by name (ascending), then by id. */
	order(sort: DirectorySort): Uint32Array {
		const key = `${sort.column}:${sort.descending ? 'desc' : 'asc'}`;
		let order = this.#orders.get(key);
		if (order) return order;
		const name = this.nameRank;
		const sign = sort.descending ? -1 : 1;
		const primary =
			sort.column === 'name'
				? name
				: sort.column === 'failedJobs'
					? this.failedJobs
					: Uint32Array.from(this.entries, (entry) => entry.openRequests);
		const byId = (i: number, j: number) => (this.entries[i]!.id < this.entries[j]!.id ? -1 : 1);
		const indexes = Array.from({ length: this.entries.length }, (_, i) => i);
		indexes.sort(
			(i, j) =>
				sign * (primary[i]! - primary[j]!) ||
				(sort.column === 'name' ? 0 : name[i]! - name[j]!) ||
				(i === j ? 0 : byId(i, j))
		);
		order = Uint32Array.from(indexes);
		this.#orders.set(key, order);
		return order;
	}
}

/** The filters as one predicate; the cheap checks first. */
export function directoryMatcher(
	filters: DirectoryFilters,
	pinned: ReadonlySet<string> = new Set()
): (entry: DirectoryEntry) => boolean {
	const words = fold(filters.query)
		.split(/\s+/)
		.filter((word) => word !== '');
	const { tag, groupId, licenseStatus, billingType, myProtection, onDevice } = filters;
	return (entry) =>
		(!onDevice || pinned.has(entry.id)) &&
		(licenseStatus === '' || entry.licenseStatus === licenseStatus) &&
		(billingType === '' || (entry.billingType ?? 'none') === billingType) &&
		(!myProtection || entry.activeProducts.length > 0) &&
		(tag === '' || entry.tags.includes(tag)) &&
		(groupId === '' || entry.groupIds.includes(groupId)) &&
		words.every((word) => entry.haystack.includes(word));
}

/** The entries the filters let through, in the sort's order. */
export function directoryRows(
	index: DirectoryIndex,
	filters: DirectoryFilters,
	sort: DirectorySort,
	pinned?: ReadonlySet<string>
): number[] {
	const matches = directoryMatcher(filters, pinned);
	const out: number[] = [];
	for (const i of index.order(sort)) if (matches(index.entries[i]!)) out.push(i);
	return out;
}

/** True when any filter narrows the list. */
export function isFiltered(filters: DirectoryFilters): boolean {
	return (
		filters.query.trim() !== '' ||
		filters.tag !== '' ||
		filters.groupId !== '' ||
		filters.licenseStatus !== '' ||
		filters.billingType !== '' ||
		filters.myProtection ||
		filters.onDevice
	);
}

/** C3: what the products column shows: only the active categories under "Show only my protection". */
export function shownProducts(entry: DirectoryEntry, myProtection: boolean): readonly string[] {
	return myProtection ? entry.activeProducts : entry.products;
}

// The view in the URL, so that a link reproduces it. Read with zod: a hand-edited link falls back field by field.

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const queryFields = {
	q: z.string().max(200),
	tag: z.string().max(40),
	group: z.string().max(100),
	license: z.enum(CUSTOMER_LICENSE_STATUSES as [CustomerLicenseStatus, ...CustomerLicenseStatus[]]),
	billing: z.enum([...BILLING_TYPES, 'none']),
	mine: z.literal('1'),
	device: z.literal('1'),
	sort: z.enum(SORT_COLUMNS),
	desc: z.literal('1'),
	window: z.enum(WINDOWS),
	from: day,
	to: day
};

export interface DirectoryView {
	readonly filters: DirectoryFilters;
	readonly sort: DirectorySort;
	readonly window: FigureWindow;
}

export function viewFromQuery(params: URLSearchParams): DirectoryView {
	const read = <K extends keyof typeof queryFields>(key: K): z.infer<(typeof queryFields)[K]> | undefined => {
		const value = params.get(key);
		if (value === null) return undefined;
		const parsed = queryFields[key].safeParse(value);
		return parsed.success ? (parsed.data as z.infer<(typeof queryFields)[K]>) : undefined;
	};
	const window = read('window') ?? DEFAULT_WINDOW.kind;
	return {
		filters: {
			query: read('q') ?? '',
			tag: read('tag') ?? '',
			groupId: read('group') ?? '',
			licenseStatus: read('license') ?? '',
			billingType: read('billing') ?? '',
			myProtection: read('mine') === '1',
			onDevice: read('device') === '1'
		},
		sort: { column: read('sort') ?? DEFAULT_SORT.column, descending: read('desc') === '1' },
		window: {
			kind: window,
			from: window === 'custom' ? (read('from') ?? '') : '',
			to: window === 'custom' ? (read('to') ?? '') : ''
		}
	};
}

/** The URL query of a view; what is at its default is left out. */
export function queryFromView(view: DirectoryView): URLSearchParams {
	const params = new URLSearchParams();
	const { filters, sort, window } = view;
	if (filters.query.trim() !== '') params.set('q', filters.query);
	if (filters.tag) params.set('tag', filters.tag);
	if (filters.groupId) params.set('group', filters.groupId);
	if (filters.licenseStatus) params.set('license', filters.licenseStatus);
	if (filters.billingType) params.set('billing', filters.billingType);
	if (filters.myProtection) params.set('mine', '1');
	if (filters.onDevice) params.set('device', '1');
	if (sort.column !== DEFAULT_SORT.column) params.set('sort', sort.column);
	if (sort.descending) params.set('desc', '1');
	if (window.kind !== DEFAULT_WINDOW.kind) params.set('window', window.kind);
	if (window.kind === 'custom') {
		if (window.from) params.set('from', window.from);
		if (window.to) params.set('to', window.to);
	}
	return params;
}
