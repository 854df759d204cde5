// P8: the reports the /reports index offers, in this order. Each report is its own route under /reports.
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

export const REPORTS: readonly ReportEntry[] = [];
