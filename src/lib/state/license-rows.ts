// L9, L13, L14: the license management list as pure functions: each license with what the screen derives from it (state,
// pool, account, owner, license user, search text), computed once per document change; then filtered, sorted and grouped
// by account and pool cheaply (a sorted order per column is computed once and reused by every filter).
import { LICENSE_STATES, licenseState, type LicenseState, type LicenseStateInfo } from '$lib/domain/license-state';
import type { License, LicenseAccount, LicensePool, LicenseType } from '$lib/schema/licenses';
import type { TreeNode } from '$lib/schema/tree';
import type { Command } from '$lib/schema/commands';

/** What the list is built from: the tenant document (or a scoped person's view) as the repositories read it. */
export interface LicenseSource {
	readonly licenses: readonly License[];
	readonly pools: readonly LicensePool[];
	readonly accounts: readonly LicenseAccount[];
	readonly nodes: ReadonlyMap<string, TreeNode>;
	readonly parentOf: ReadonlyMap<string, string | null>;
}

/** L9: who uses a license: the company of its pool's access group, and the site when the pool sits on a site (L10). */
export interface LicenseUser {
	readonly companyId: string | null;
	readonly company: string;
	readonly site: string | null;
	/** "Company › Site", or the company alone. */
	readonly label: string;
}

export interface LicenseEntry {
	readonly license: License;
	readonly state: LicenseStateInfo;
	readonly pool: LicensePool | null;
	readonly accountId: string;
	/** The account's name ('' when the account record is missing). */
	readonly accountName: string;
	readonly poolName: string;
	/** L13: the owner company's current name ('' when the node is not in the tree or view). */
	readonly ownerName: string;
	readonly user: LicenseUser;
	/** Lower-cased public ID, tag, owner and license-user company: what the search looks in. */
	readonly haystack: string;
}

export const SORT_COLUMNS = [
	'publicId',
	'product',
	'type',
	'units',
	'expiry',
	'state',
	'owner',
	'tag',
	'user',
	'pool',
	'account'
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export interface LicenseSort {
	readonly column: SortColumn;
	readonly descending: boolean;
}

export interface LicenseFilters {
	/** L14: the states shown; empty shows every state. */
	readonly states: ReadonlySet<LicenseState>;
	readonly product: string;
	readonly accountId: string;
	readonly type: LicenseType | '';
	/** L9: part of a license user's company or site name (case-insensitive). */
	readonly user: string;
	/** Part of a public ID, tag or company name (case-insensitive). */
	readonly query: string;
	/** P7 "manage licenses": only licenses whose pool sits on this customer or its sites ('' for all). */
	readonly customerId?: string;
}

export const NO_FILTERS: LicenseFilters = {
	states: new Set(),
	product: '',
	accountId: '',
	type: '',
	user: '',
	query: ''
};

export type LicenseListRow =
	| {
			readonly kind: 'account';
			readonly key: string;
			readonly accountId: string;
			readonly name: string;
			readonly count: number;
	  }
	| {
			readonly kind: 'pool';
			readonly key: string;
			readonly pool: LicensePool;
			readonly accountId: string;
			readonly user: LicenseUser;
			readonly count: number;
	  }
	| { readonly kind: 'license'; readonly key: string; readonly entry: LicenseEntry };

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** L9: the license user of a pool's access group. */
export function licenseUserOf(groupId: string | null, source: Pick<LicenseSource, 'nodes' | 'parentOf'>): LicenseUser {
	const node = groupId === null ? undefined : source.nodes.get(groupId);
	if (!node) return { companyId: null, company: '', site: null, label: '' };
	if (node.kind === 'site') {
		const parentId = source.parentOf.get(node.id) ?? null;
		const company = parentId === null ? undefined : source.nodes.get(parentId);
		const companyName = company?.name ?? '';
		return {
			companyId: company?.id ?? null,
			company: companyName,
			site: node.name,
			label: companyName === '' ? node.name : `${companyName} › ${node.name}`
		};
	}
	return { companyId: node.id, company: node.name, site: null, label: node.name };
}

/** Every license with its derived fields, on `today` (the tenant's day, L14). Linear in licenses, pools and accounts. */
export function licenseEntries(source: LicenseSource, today: string): LicenseEntry[] {
	const pools = new Map(source.pools.map((pool) => [pool.id, pool]));
	const accounts = new Map(source.accounts.map((account) => [account.id, account]));
	const users = new Map<string, LicenseUser>();
	const userOf = (groupId: string): LicenseUser => {
		let user = users.get(groupId);
		if (!user) users.set(groupId, (user = licenseUserOf(groupId, source)));
		return user;
	};
	return source.licenses.map((license) => {
		const pool = pools.get(license.poolId) ?? null;
		const accountId = pool?.accountId ?? '';
		const user = pool ? userOf(pool.groupId) : licenseUserOf(null, source);
		const ownerName = source.nodes.get(license.ownerId)?.name ?? '';
		return {
			license,
			state: licenseState(license, today),
			pool,
			accountId,
			accountName: accounts.get(accountId)?.name ?? '',
			poolName: pool?.name ?? '',
			ownerName,
			user,
			haystack: `${license.publicId}\n${license.tag}\n${ownerName}\n${user.company}`.toLocaleLowerCase()
		};
	});
}

/** L14: how many licenses are in each state. */
export function countByState(entries: readonly LicenseEntry[]): Record<LicenseState, number> {
	const counts = Object.fromEntries(LICENSE_STATES.map((state) => [state, 0])) as Record<LicenseState, number>;
	for (const entry of entries) counts[entry.state.state]++;
	return counts;
}

const STATE_RANK = new Map(LICENSE_STATES.map((state, index) => [state, index]));

/** Each value's place among the distinct values sorted by the collator (values it finds equal share a rank). */
function ranks(values: readonly string[]): Float64Array {
	const sorted = [...new Set(values)].sort(collator.compare);
	const rank = new Map<string, number>();
	sorted.forEach((value, index) => {
		const previous = index > 0 ? sorted[index - 1]! : null;
		rank.set(value, previous !== null && collator.compare(previous, value) === 0 ? rank.get(previous)! : index);
	});
	return Float64Array.from(values, (value) => rank.get(value)!);
}

/** A column's sort keys per entry: the first key, and a second for its ties (units: how full, then how many). */
function sortKeys(column: SortColumn, entries: readonly LicenseEntry[]): [Float64Array, Float64Array | null] {
	const strings = (pick: (entry: LicenseEntry) => string): [Float64Array, null] => [ranks(entries.map(pick)), null];
	switch (column) {
		case 'publicId':
			return strings((entry) => entry.license.publicId);
		case 'product':
			return strings((entry) => entry.license.product);
		case 'type':
			return strings((entry) => entry.license.type);
		case 'units':
			return [
				Float64Array.from(entries, (entry) => entry.state.activation),
				Float64Array.from(entries, (entry) => entry.license.unitsActivated)
			];
		case 'expiry':
			return strings((entry) => entry.license.expiresOn);
		case 'state':
			// Most urgent first (the precedence of L14).
			return [Float64Array.from(entries, (entry) => STATE_RANK.get(entry.state.state)!), null];
		case 'owner':
			return strings((entry) => entry.ownerName);
		case 'tag':
			return strings((entry) => entry.license.tag);
		case 'user':
			return strings((entry) => entry.user.label);
		case 'pool':
			return strings((entry) => entry.poolName);
		case 'account':
			return strings((entry) => entry.accountName);
	}
}

/**
 * The entries of one document state with what filtering needs again and again: the sorted order of each column, computed
 * the first time it is asked for on numeric keys (the collator runs over distinct values only), and the values the filter
 * menus offer.
 */
export class LicenseIndex {
	readonly entries: readonly LicenseEntry[];
	readonly #orders = new Map<`${SortColumn}:${'asc' | 'desc'}`, Uint32Array>();
	readonly #keys = new Map<SortColumn, [Float64Array, Float64Array | null]>();
	#products: string[] | null = null;
	#types: LicenseType[] | null = null;
	#users: string[] | null = null;

	#groups: LicenseGroups | null = null;

	constructor(entries: readonly LicenseEntry[]) {
		this.entries = entries;
	}

	/** The pools and accounts of these licenses in their order (once per index). */
	groups(source: Pick<LicenseSource, 'nodes' | 'parentOf'>): LicenseGroups {
		return (this.#groups ??= licenseGroups(this.entries, source));
	}

	/** Indexes of the entries in the order of `column` (descending: reversed), ties always by public ID, ascending. */
	order(column: SortColumn, descending = false): Uint32Array {
		const key = `${column}:${descending ? 'desc' : 'asc'}` as const;
		let order = this.#orders.get(key);
		if (order) return order;
		const [first, second] = this.#sortKeys(column);
		if (descending) {
			// The ascending order backwards, each run of equal keys turned back so that ties stay by public ID.
			const same = (i: number, j: number) => first[i] === first[j] && (second === null || second[i] === second[j]);
			const ascending = this.order(column, false);
			order = new Uint32Array(ascending.length);
			let written = 0;
			for (let end = ascending.length; end > 0;) {
				let start = end - 1;
				while (start > 0 && same(ascending[start - 1]!, ascending[end - 1]!)) start--;
				for (let k = start; k < end; k++) order[written++] = ascending[k]!;
				end = start;
			}
		} else {
			const [byId] = this.#sortKeys('publicId');
			const indexes = Array.from({ length: this.entries.length }, (_, i) => i);
			indexes.sort(
				(i, j) => first[i]! - first[j]! || (second ? second[i]! - second[j]! : 0) || byId[i]! - byId[j]! || i - j
			);
			order = Uint32Array.from(indexes);
		}
		this.#orders.set(key, order);
		return order;
	}

	#sortKeys(column: SortColumn): [Float64Array, Float64Array | null] {
		let keys = this.#keys.get(column);
		if (!keys) this.#keys.set(column, (keys = sortKeys(column, this.entries)));
		return keys;
	}

	get products(): readonly string[] {
		return (this.#products ??= distinct(this.entries.map((entry) => entry.license.product)));
	}

	get types(): readonly LicenseType[] {
		return (this.#types ??= distinct(this.entries.map((entry) => entry.license.type)) as LicenseType[]);
	}

	/** L9: every license user's label, for the filter's suggestions. */
	get users(): readonly string[] {
		return (this.#users ??= distinct(this.entries.map((entry) => entry.user.label).filter((label) => label !== '')));
	}
}

function distinct(values: readonly string[]): string[] {
	return [...new Set(values)].sort(collator.compare);
}

/** The filter as one predicate; the cheap checks first. */
export function licenseMatcher(filters: LicenseFilters): (entry: LicenseEntry) => boolean {
	const { states, product, accountId, type } = filters;
	const query = filters.query.trim().toLocaleLowerCase();
	const user = filters.user.trim().toLocaleLowerCase();
	const customerId = filters.customerId ?? '';
	return (entry) =>
		(customerId === '' || entry.user.companyId === customerId) &&
		(states.size === 0 || states.has(entry.state.state)) &&
		(product === '' || entry.license.product === product) &&
		(accountId === '' || entry.accountId === accountId) &&
		(type === '' || entry.license.type === type) &&
		(user === '' || entry.user.label.toLocaleLowerCase().includes(user)) &&
		(query === '' || entry.haystack.includes(query));
}

/** True when any filter narrows the list. */
export function isFiltered(filters: LicenseFilters): boolean {
	return (
		filters.states.size > 0 ||
		filters.product !== '' ||
		filters.accountId !== '' ||
		filters.type !== '' ||
		filters.user.trim() !== '' ||
		filters.query.trim() !== '' ||
		(filters.customerId ?? '') !== ''
	);
}

/** The matching entries in the sort's order. */
export function sortedMatches(index: LicenseIndex, filters: LicenseFilters, sort: LicenseSort): LicenseEntry[] {
	const order = index.order(sort.column, sort.descending);
	const matches = licenseMatcher(filters);
	const entries = index.entries;
	const out: LicenseEntry[] = [];
	for (const i of order) {
		const entry = entries[i]!;
		if (matches(entry)) out.push(entry);
	}
	return out;
}

/**
 * The rows of the list. Grouped: an account header, then per pool a pool header and its licenses in the sort's order;
 * accounts and pools by name (reversed when the list is sorted by that column, descending). Flat: the licenses alone.
 */
export function licenseListRows(
	index: LicenseIndex,
	filters: LicenseFilters,
	sort: LicenseSort,
	grouped: boolean,
	source: Pick<LicenseSource, 'nodes' | 'parentOf'>
): LicenseListRow[] {
	if (!grouped)
		return sortedMatches(index, filters, sort).map(
			(entry) => ({ kind: 'license', key: entry.license.id, entry }) satisfies LicenseListRow
		);
	// Per keystroke this is one pass over the licenses in the sort's order into their pool's bucket; which pools and
	// accounts exist, their order by name and their license user are computed once per document change (`index.groups`).
	const groups = index.groups(source);
	const order = index.order(sort.column, sort.descending);
	const matches = licenseMatcher(filters);
	const entries = index.entries;
	const buckets: (LicenseEntry[] | undefined)[] = new Array(groups.pools.length);
	for (const i of order) {
		const entry = entries[i]!;
		if (!matches(entry)) continue;
		const slot = groups.slotOf[i]!;
		(buckets[slot] ??= []).push(entry);
	}
	const accountsDescending = sort.column === 'account' && sort.descending;
	const poolsDescending = sort.column === 'pool' && sort.descending;
	const rows: LicenseListRow[] = [];
	const accounts = accountsDescending ? [...groups.accounts].reverse() : groups.accounts;
	for (const account of accounts) {
		let count = 0;
		for (const slot of account.slots) count += buckets[slot]?.length ?? 0;
		if (count === 0) continue;
		rows.push({
			kind: 'account',
			key: `account:${account.accountId}`,
			accountId: account.accountId,
			name: account.name,
			count
		});
		const slots = poolsDescending ? [...account.slots].reverse() : account.slots;
		for (const slot of slots) {
			const bucket = buckets[slot];
			if (!bucket) continue;
			const { pool, user } = groups.pools[slot]!;
			rows.push({
				kind: 'pool',
				key: `pool:${pool.id}`,
				pool,
				accountId: account.accountId,
				user,
				count: bucket.length
			});
			for (const entry of bucket) rows.push({ kind: 'license', key: entry.license.id, entry });
		}
	}
	return rows;
}

/** The pools and accounts of an index, each pool a slot: accounts by name, their pools by name (ties by id). */
export interface LicenseGroups {
	readonly slotOf: Uint32Array;
	readonly pools: readonly { readonly pool: LicensePool; readonly user: LicenseUser }[];
	readonly accounts: readonly {
		readonly accountId: string;
		readonly name: string;
		readonly slots: readonly number[];
	}[];
}

export function licenseGroups(
	entries: readonly LicenseEntry[],
	source: Pick<LicenseSource, 'nodes' | 'parentOf'>
): LicenseGroups {
	const slotOfPool = new Map<string, number>();
	const pools: { pool: LicensePool; user: LicenseUser; accountId: string; accountName: string }[] = [];
	const slotOf = new Uint32Array(entries.length);
	entries.forEach((entry, i) => {
		// A license whose pool is missing (a damaged document) still shows, under a pool of its own id.
		const pool = entry.pool ?? { id: entry.license.poolId, name: '', accountId: '', groupId: '' };
		let slot = slotOfPool.get(pool.id);
		if (slot === undefined) {
			slot = pools.length;
			slotOfPool.set(pool.id, slot);
			pools.push({
				pool,
				user: entry.pool ? entry.user : licenseUserOf(pool.groupId || null, source),
				accountId: entry.accountId,
				accountName: entry.accountName
			});
		}
		slotOf[i] = slot;
	});
	const byAccount = new Map<string, { accountId: string; name: string; slots: number[] }>();
	for (let slot = 0; slot < pools.length; slot++) {
		const { accountId, accountName } = pools[slot]!;
		let account = byAccount.get(accountId);
		if (!account) byAccount.set(accountId, (account = { accountId, name: accountName, slots: [] }));
		account.slots.push(slot);
	}
	const poolOrder = (a: number, b: number) =>
		collator.compare(pools[a]!.pool.name, pools[b]!.pool.name) || (pools[a]!.pool.id < pools[b]!.pool.id ? -1 : 1);
	const accounts = [...byAccount.values()].sort(
		(a, b) => collator.compare(a.name, b.name) || (a.accountId < b.accountId ? -1 : 1)
	);
	for (const account of accounts) account.slots.sort(poolOrder);
	return { slotOf, pools, accounts };
}

/** A pool of a customer page with its licenses (L9, L13). */
export interface PoolWithLicenses {
	readonly pool: LicensePool;
	readonly accountName: string;
	readonly user: LicenseUser;
	readonly licenses: readonly LicenseEntry[];
}

/** The pools whose access group is one of `groupIds` (a customer and its sites), by name, each with its licenses. */
export function poolsWithLicenses(
	entries: readonly LicenseEntry[],
	source: LicenseSource,
	groupIds: ReadonlySet<string>
): PoolWithLicenses[] {
	const byPool = new Map<string, LicenseEntry[]>();
	for (const entry of entries)
		if (entry.pool && groupIds.has(entry.pool.groupId)) {
			const list = byPool.get(entry.pool.id) ?? [];
			list.push(entry);
			byPool.set(entry.pool.id, list);
		}
	const accounts = new Map(source.accounts.map((account) => [account.id, account.name]));
	return source.pools
		.filter((pool) => groupIds.has(pool.groupId))
		.sort((a, b) => collator.compare(a.name, b.name))
		.map((pool) => ({
			pool,
			accountName: accounts.get(pool.accountId) ?? '',
			user: licenseUserOf(pool.groupId, source),
			licenses: (byPool.get(pool.id) ?? []).sort((a, b) => collator.compare(a.license.publicId, b.license.publicId))
		}));
}

/** L11: what deleting a license takes with it: every pool of its account (its own included) with their licenses. */
export interface DeletionPreview {
	readonly accountId: string;
	readonly accountName: string;
	readonly pools: readonly { readonly pool: LicensePool; readonly user: LicenseUser; readonly licenses: number }[];
	readonly licenses: number;
}

export function licenseDeletionPreview(source: LicenseSource, licenseId: string): DeletionPreview | null {
	const license = source.licenses.find((candidate) => candidate.id === licenseId);
	const pool = license ? source.pools.find((candidate) => candidate.id === license.poolId) : undefined;
	if (!license || !pool) return null;
	const pools = source.pools
		.filter((candidate) => candidate.accountId === pool.accountId)
		.sort((a, b) => collator.compare(a.name, b.name));
	const ids = new Set(pools.map((candidate) => candidate.id));
	const perPool = new Map<string, number>();
	let total = 0;
	for (const candidate of source.licenses)
		if (ids.has(candidate.poolId)) {
			perPool.set(candidate.poolId, (perPool.get(candidate.poolId) ?? 0) + 1);
			total++;
		}
	return {
		accountId: pool.accountId,
		accountName: source.accounts.find((account) => account.id === pool.accountId)?.name ?? '',
		pools: pools.map((candidate) => ({
			pool: candidate,
			user: licenseUserOf(candidate.groupId, source),
			licenses: perPool.get(candidate.id) ?? 0
		})),
		licenses: total
	};
}

/** A set with `value` added, or removed when it was there (a new set: state holds it immutably). */
export function toggled<T>(set: ReadonlySet<T>, value: T): ReadonlySet<T> {
	const next = new Set(set);
	if (next.has(value)) next.delete(value);
	else next.add(value);
	return next;
}

/** A change to a license that the outbox holds and the server has not answered yet (S60), as its row says it. */
export type PendingChange = 'delete' | 'extend' | 'convert' | 'tag' | 'move' | 'suspend' | 'resume';

/** Pending commands by what they touch, so that each row finds its own in constant time. */
export interface PendingIndex {
	readonly pools: ReadonlySet<string>;
	of(entry: LicenseEntry): readonly PendingChange[];
}

const NOTHING_PENDING: readonly PendingChange[] = [];

export function pendingIndex(commands: readonly Command[], source: LicenseSource): PendingIndex {
	const byLicense = new Map<string, PendingChange[]>();
	const byCompany = new Map<string, PendingChange>();
	const pools = new Set<string>();
	const accounts = new Set<string>();
	const add = (licenseId: string, change: PendingChange) => {
		const list = byLicense.get(licenseId) ?? [];
		if (!list.includes(change)) list.push(change);
		byLicense.set(licenseId, list);
	};
	for (const command of commands) {
		switch (command.type) {
			case 'license.delete': {
				// L11: the whole account goes, so every license of it shows the pending deletion.
				const license = source.licenses.find((candidate) => candidate.id === command.licenseId);
				const pool = license && source.pools.find((candidate) => candidate.id === license.poolId);
				if (pool) accounts.add(pool.accountId);
				add(command.licenseId, 'delete');
				break;
			}
			case 'license.extendTrial':
				add(command.licenseId, 'extend');
				break;
			case 'license.convertTrial':
				add(command.licenseId, 'convert');
				break;
			case 'license.setTag':
				add(command.licenseId, 'tag');
				break;
			case 'licensePool.move':
				pools.add(command.poolId);
				break;
			case 'licenses.suspendCompany':
				byCompany.set(command.companyId, command.suspended ? 'suspend' : 'resume');
				break;
		}
	}
	if (commands.length === 0) return { pools, of: () => NOTHING_PENDING };
	return {
		pools,
		of(entry) {
			const changes = [...(byLicense.get(entry.license.id) ?? [])];
			if (accounts.has(entry.accountId) && !changes.includes('delete')) changes.push('delete');
			if (pools.has(entry.license.poolId)) changes.push('move');
			const company = byCompany.get(entry.license.ownerId);
			if (company) changes.push(company);
			return changes.length === 0 ? NOTHING_PENDING : changes;
		}
	};
}
