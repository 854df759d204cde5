// P8, L9: the license usage report: units ordered and activated now, per product, per vendor account and per license
// user (the company, or "company › site", of the license's pool), with how many licenses are in each L14 state.
import { LICENSE_STATES, type LicenseState } from '../license-state';

/** One license as the report needs it (the license screen's entries give these, computed once per document change). */
export interface LicenseUsageFact {
	readonly product: string;
	readonly accountId: string;
	readonly accountName: string;
	/** L9: the license user's key (its company id, or the label when there is none) and label. */
	readonly userKey: string;
	readonly userLabel: string;
	readonly unitsOrdered: number;
	readonly unitsActivated: number;
	readonly state: LicenseState;
}

export interface UsageGroup {
	readonly key: string;
	readonly label: string;
	readonly licenses: number;
	readonly unitsOrdered: number;
	readonly unitsActivated: number;
	/** Activated as a share of ordered, 0..(above 1 when overused); 0 when nothing is ordered. */
	readonly usage: number;
	/** Licenses per L14 state (every state present, 0 when none). */
	readonly states: Readonly<Record<LicenseState, number>>;
}

export interface LicenseUsageReport {
	/** Each list sorted by label. */
	readonly products: readonly UsageGroup[];
	readonly accounts: readonly UsageGroup[];
	readonly users: readonly UsageGroup[];
	readonly total: UsageGroup;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

interface Accumulator {
	key: string;
	label: string;
	licenses: number;
	unitsOrdered: number;
	unitsActivated: number;
	states: Record<LicenseState, number>;
}

const emptyStates = (): Record<LicenseState, number> =>
	Object.fromEntries(LICENSE_STATES.map((state) => [state, 0])) as Record<LicenseState, number>;

function add(groups: Map<string, Accumulator>, key: string, label: string, fact: LicenseUsageFact): void {
	let group = groups.get(key);
	if (!group) {
		group = { key, label, licenses: 0, unitsOrdered: 0, unitsActivated: 0, states: emptyStates() };
		groups.set(key, group);
	}
	group.licenses++;
	group.unitsOrdered += fact.unitsOrdered;
	group.unitsActivated += fact.unitsActivated;
	group.states[fact.state]++;
}

function finish(group: Accumulator): UsageGroup {
	return { ...group, usage: group.unitsOrdered > 0 ? group.unitsActivated / group.unitsOrdered : 0 };
}

function sorted(groups: Map<string, Accumulator>): UsageGroup[] {
	return [...groups.values()]
		.map(finish)
		.sort((a, b) => collator.compare(a.label, b.label) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Current usage: licenses the vendor no longer lists (`removed`) are left out; every other state counts. */
export function licenseUsageReport(facts: readonly LicenseUsageFact[]): LicenseUsageReport {
	const products = new Map<string, Accumulator>();
	const accounts = new Map<string, Accumulator>();
	const users = new Map<string, Accumulator>();
	const total: Accumulator = {
		key: '',
		label: '',
		licenses: 0,
		unitsOrdered: 0,
		unitsActivated: 0,
		states: emptyStates()
	};
	for (const fact of facts) {
		if (fact.state === 'removed') continue;
		add(products, fact.product, fact.product, fact);
		add(accounts, fact.accountId, fact.accountName || fact.accountId, fact);
		add(users, fact.userKey, fact.userLabel, fact);
		total.licenses++;
		total.unitsOrdered += fact.unitsOrdered;
		total.unitsActivated += fact.unitsActivated;
		total.states[fact.state]++;
	}
	return { products: sorted(products), accounts: sorted(accounts), users: sorted(users), total: finish(total) };
}
