// P8: the reports the /reports index offers, in this order. Each report is its own route under /reports.
import { resolve } from '$app/paths';
import { m } from '$lib/paraglide/messages.js';
import type { IconName } from '$lib/components/icons';

export interface ReportEntry {
	/** A stable name (test ids). */
	readonly slug: string;
	/** The resolved path of the report's route (`resolve('/reports/storage')`). */
	readonly href: string;
	readonly title: () => string;
	readonly description: () => string;
	readonly icon: IconName;
}

export const REPORTS: readonly ReportEntry[] = [
	{
		slug: 'operations',
		href: resolve('/reports/operations'),
		title: m.rpt_ops_title,
		description: m.rpt_ops_description,
		icon: 'chart'
	},
	{
		slug: 'licenses',
		href: resolve('/reports/licenses'),
		title: m.rpt_lic_title,
		description: m.rpt_lic_description,
		icon: 'report'
	},
	{
		slug: 'storage',
		href: resolve('/reports/storage'),
		title: m.rpt_storage_title,
		description: m.rpt_storage_description,
		icon: 'chart'
	},
	{
		slug: 'activity',
		href: resolve('/reports/activity'),
		title: m.rpt_act_title,
		description: m.rpt_act_description,
		icon: 'report'
	}
];
