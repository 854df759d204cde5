// P8, P11: the insight report as pure functions: every finding of the customers a person sees (their summaries'
// `insights`), with the rule's name, and the count per rule for the chart.
import type { CustomerSummary } from '$lib/schema/customer-summary';
import type { InsightFinding, InsightRule, InsightRuleKind } from '$lib/schema/insights';
import type { TreeNode } from '$lib/schema/tree';

export interface InsightRow {
	readonly customerId: string;
	readonly customer: string;
	readonly finding: InsightFinding;
	/** The rule as the tenant has it (null: a rule this device does not know, e.g. deleted since; shown by its id). */
	readonly rule: InsightRule | null;
}

export interface RuleCount {
	readonly ruleId: string;
	readonly rule: InsightRule | null;
	/** What the rule checks (an unknown rule is named by it, as `findingName` does). */
	readonly kind: InsightRuleKind;
	readonly count: number;
}

/** Rows by rule (the rules' order, unknown rules last), then the longest-standing finding first, then by customer. */
export function insightRows(
	nodes: ReadonlyMap<string, TreeNode>,
	summaries: ReadonlyMap<string, CustomerSummary>,
	rules: readonly InsightRule[]
): InsightRow[] {
	const order = new Map(rules.map((rule, index) => [rule.id, index]));
	const byId = new Map(rules.map((rule) => [rule.id, rule]));
	const rows: InsightRow[] = [];
	for (const [customerId, summary] of summaries) {
		const node = nodes.get(customerId);
		// Only customers in the tree (or the scoped view): a summary of a deleted customer is not reported.
		if (!node || node.kind !== 'customer') continue;
		for (const finding of summary.insights)
			rows.push({ customerId, customer: node.name, finding, rule: byId.get(finding.ruleId) ?? null });
	}
	const rank = (row: InsightRow) => order.get(row.finding.ruleId) ?? rules.length;
	return rows.sort(
		(a, b) =>
			rank(a) - rank(b) ||
			a.finding.ruleId.localeCompare(b.finding.ruleId) ||
			a.finding.since.localeCompare(b.finding.since) ||
			a.customer.localeCompare(b.customer)
	);
}

/** Findings per rule: every known rule (also those that find nothing), then unknown ones that have findings. */
export function findingsPerRule(rows: readonly InsightRow[], rules: readonly InsightRule[]): RuleCount[] {
	const counts = new Map<string, { count: number; kind: InsightRuleKind }>();
	for (const row of rows)
		counts.set(row.finding.ruleId, { count: (counts.get(row.finding.ruleId)?.count ?? 0) + 1, kind: row.finding.kind });
	const known = rules.filter((rule) => rule.enabled || counts.has(rule.id));
	const out: RuleCount[] = known.map((rule) => ({
		ruleId: rule.id,
		rule,
		kind: rule.kind,
		count: counts.get(rule.id)?.count ?? 0
	}));
	const knownIds = new Set(known.map((rule) => rule.id));
	for (const [ruleId, { count, kind }] of counts)
		if (!knownIds.has(ruleId)) out.push({ ruleId, rule: null, kind, count });
	return out;
}
