// P8, L9: the license usage report as the screen reads it: the grouping (product, account, license user), the license
// user filter, the table's sort and the CSV, over the license entries the license screen computes once per change.
import { m } from '$lib/paraglide/messages.js';
import { toCsv } from '$lib/data/csv';
import { LICENSE_STATES } from '$lib/domain/license-state';
import {
	licenseUsageReport,
	type LicenseUsageFact,
	type LicenseUsageReport,
	type UsageGroup
} from '$lib/domain/reports/license-usage';
import type { LicenseEntry } from '../license-rows';
import { licenseStateLabel } from '../license-labels';
import { TableSort } from './table-sort.svelte';
import { REPORT_ROW_LIMIT } from './storage.svelte';
import type { ReportSource } from './report-source';

export const USAGE_GROUPINGS = ['product', 'account', 'user'] as const;
export type UsageGrouping = (typeof USAGE_GROUPINGS)[number];
export type UsageColumn = 'label' | 'licenses' | 'ordered' | 'activated' | 'usage';

/** L9: a license's license user is its pool's access group (company or site); no pool: no license user. */
export function usageFact(entry: LicenseEntry): LicenseUsageFact {
	return {
		product: entry.license.product,
		accountId: entry.accountId,
		accountName: entry.accountName,
		userKey: entry.pool?.groupId ?? '',
		userLabel: entry.user.label,
		unitsOrdered: entry.license.unitsOrdered,
		unitsActivated: entry.license.unitsActivated,
		state: entry.state.state
	};
}

export function groupingLabel(grouping: UsageGrouping): string {
	switch (grouping) {
		case 'product':
			return m.rpt_lic_by_product();
		case 'account':
			return m.rpt_lic_by_account();
		case 'user':
			return m.rpt_lic_by_user();
	}
}

export class LicenseUsageReportState {
	readonly #source: ReportSource;
	grouping = $state<UsageGrouping>('product');
	/** L9: part of a license user's name (company or site), case-insensitive; '' for all. */
	userFilter = $state('');
	readonly sort = new TableSort<UsageColumn>('label');
	/** Every group drawn, not only the first REPORT_ROW_LIMIT (a license user per customer can be thousands). */
	showAll = $state(false);

	#facts = $derived.by(() => this.#source.licenses.map(usageFact));
	#report = $derived.by(() => {
		const needle = this.userFilter.trim().toLocaleLowerCase();
		const facts =
			needle === '' ? this.#facts : this.#facts.filter((f) => f.userLabel.toLocaleLowerCase().includes(needle));
		return licenseUsageReport(facts);
	});
	#rows = $derived.by(() => {
		const groups =
			this.grouping === 'product'
				? this.#report.products
				: this.grouping === 'account'
					? this.#report.accounts
					: this.#report.users;
		return this.sort.apply(groups, (group, column) => {
			switch (column) {
				case 'label':
					return group.label;
				case 'licenses':
					return group.licenses;
				case 'ordered':
					return group.unitsOrdered;
				case 'activated':
					return group.unitsActivated;
				case 'usage':
					return group.usage;
			}
		});
	});

	constructor(source: ReportSource) {
		this.#source = source;
	}

	get report(): LicenseUsageReport {
		return this.#report;
	}

	/** The groups of the chosen grouping in the table's sort. */
	get rows(): readonly UsageGroup[] {
		return this.#rows;
	}

	/** The groups drawn: the first REPORT_ROW_LIMIT until every one is asked for (the CSV has all of them). */
	get shownRows(): readonly UsageGroup[] {
		return this.showAll ? this.#rows : this.#rows.slice(0, REPORT_ROW_LIMIT);
	}

	/** What a group is called in the table ('' license user: none). */
	label(group: UsageGroup): string {
		if (this.grouping === 'user' && group.label === '') return m.rpt_lic_no_user();
		return group.label;
	}

	csv(): string {
		const states = LICENSE_STATES.filter((state) => state !== 'removed');
		return toCsv(
			[
				groupingLabel(this.grouping),
				m.rpt_col_licenses(),
				m.rpt_col_units_ordered(),
				m.rpt_col_units_activated(),
				m.rpt_col_usage_percent(),
				...states.map(licenseStateLabel)
			],
			this.#rows.map((group) => [
				this.label(group),
				group.licenses,
				group.unitsOrdered,
				group.unitsActivated,
				Math.round(group.usage * 100),
				...states.map((state) => group.states[state])
			])
		);
	}
}
