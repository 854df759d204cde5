// P11: the dashboard's view of the findings: per rule in force, the customers it currently fires for (pure).
import type { CustomerSummary } from '$lib/schema/customer-summary';
import { fmt } from './locale.svelte';
import type { InsightFinding, InsightRule, InsightRuleKind } from '$lib/schema/insights';
import type { TreeNode } from '$lib/schema/tree';

export interface InsightCustomer {
	readonly id: string;
	readonly name: string;
	readonly finding: InsightFinding;
}

export interface InsightRuleFigure {
	readonly ruleId: string;
	readonly kind: InsightRuleKind;
	/** The rule in force, or null for findings of a rule this device does not know (a scoped view's custom rules). */
	readonly rule: InsightRule | null;
	/** By name. */
	readonly customers: readonly InsightCustomer[];
}

/**
 * Every enabled rule (firing or not, in the rules' order), then findings of rules not known here. Customers not in the
 * tree and unlinked ones (C7, as on the dashboard) are left out.
 */
export function insightOverview(
	rules: readonly InsightRule[],
	summaries: ReadonlyMap<string, CustomerSummary>,
	nodes: ReadonlyMap<string, TreeNode>
): InsightRuleFigure[] {
	const byRule = new Map<string, { kind: InsightRuleKind; customers: InsightCustomer[] }>();
	for (const rule of rules) if (rule.enabled) byRule.set(rule.id, { kind: rule.kind, customers: [] });
	for (const [id, summary] of summaries) {
		const node = nodes.get(id);
		if (node?.kind !== 'customer' || node.status === 'unlinked') continue;
		for (const finding of summary.insights) {
			let entry = byRule.get(finding.ruleId);
			if (!entry) {
				entry = { kind: finding.kind, customers: [] };
				byRule.set(finding.ruleId, entry);
			}
			entry.customers.push({ id, name: node.name, finding });
		}
	}
	const known = new Map(rules.map((rule) => [rule.id, rule]));
	return [...byRule].map(([ruleId, { kind, customers }]) => ({
		ruleId,
		kind,
		rule: known.get(ruleId) ?? null,
		customers: customers.sort((a, b) => fmt().compare(a.name, b.name) || a.id.localeCompare(b.id))
	}));
}

/** How many customers any rule fires for. */
export function customersWithFindings(figures: readonly InsightRuleFigure[]): number {
	const ids = new Set<string>();
	for (const figure of figures) for (const customer of figure.customers) ids.add(customer.id);
	return ids.size;
}
