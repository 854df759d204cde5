// P8: what the built-in reports read: the local replica (the tenant document, or a scoped person's view, which holds only
// what the grant covers), so they work offline and a scoped person's reports cover only their customers.
import type { CustomerSummary } from '$lib/schema/customer-summary';
import type { TreeNode } from '$lib/schema/tree';
import type { LicenseEntry } from '../license-rows';
import type { Workspace } from '../workspace.svelte';
import { tenantDay } from '../tenant-day.svelte';

export interface ReportSource {
	readonly tenantName: string | null;
	readonly nodes: ReadonlyMap<string, TreeNode>;
	/** The server's summaries in the replica (absent for a customer: zeros). */
	readonly summaries: ReadonlyMap<string, CustomerSummary>;
	/** L9, L14: every license with its state on the tenant's day and its license user, as the license screen has them. */
	readonly licenses: readonly LicenseEntry[];
	readonly timeZone: string;
}

/** The workspace's replicas, read through the states the other screens use (each computed once per document change). */
export function workspaceReportSource(workspace: Workspace): ReportSource {
	return {
		get tenantName() {
			return workspace.tree.tenantName;
		},
		get nodes() {
			return workspace.tree.view.nodes;
		},
		get summaries() {
			return workspace.dashboard.summaries;
		},
		get licenses() {
			return workspace.licenses.entries;
		},
		get timeZone() {
			return tenantDay.timeZone;
		}
	};
}
