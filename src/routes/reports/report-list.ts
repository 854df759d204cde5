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
	},
	// P11: what the insight rules found, per customer and per rule.
	{
		slug: 'insights',
		href: resolve('/reports/insights'),
		title: m.custrep_insights_title,
		description: m.custrep_insights_description,
		icon: 'alert'
	},
	// P8: reports a person builds and saves in the tenant.
	{
		slug: 'custom',
		href: resolve('/reports/custom'),
		title: m.custrep_title,
		description: m.custrep_description,
		icon: 'sliders'
	}
];
