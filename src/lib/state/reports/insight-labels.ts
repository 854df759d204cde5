// P8, P11: the insight report in words: rule names (the built-in ones translated), measured values and thresholds by the
// rule's kind, and its CSV export.
import { m } from '$lib/paraglide/messages.js';
import { csvBlob, toCsv } from '$lib/data/csv';
import { BUILT_IN_INSIGHT_RULES, type InsightRule, type InsightRuleKind } from '$lib/schema/insights';
import { csvCell } from './custom-labels';
import type { InsightRow } from './insights';

const BUILT_IN_NAMES: Readonly<Record<string, () => string>> = {
	'builtin-failed-24h': m.custrep_ins_rule_builtin_failed_24h,
	'builtin-no-success-3d': m.custrep_ins_rule_builtin_no_success_3d,
	'builtin-storage-growth-7d': m.custrep_ins_rule_builtin_storage_growth_7d
};

/** A built-in rule in the reader's language; the tenant's own by its name; an unknown rule by its id. */
export function ruleName(ruleId: string, rule: InsightRule | null): string {
	const builtIn = Object.hasOwn(BUILT_IN_NAMES, ruleId) ? BUILT_IN_NAMES[ruleId] : undefined;
	// A built-in rule keeps its translated name unless the tenant renamed it.
	if (builtIn && (!rule || rule.name === BUILT_IN_DEFAULT_NAMES.get(ruleId))) return builtIn();
	return rule?.name ?? ruleId;
}

const BUILT_IN_DEFAULT_NAMES = new Map(BUILT_IN_INSIGHT_RULES.map((rule) => [rule.id, rule.name]));

/** failedJobs: a count of jobs; noSuccess: hours; storageGrowth: whole percent. */
export function measureText(kind: InsightRuleKind, value: number, locale: string): string {
	switch (kind) {
		case 'failedJobs':
			return m.custrep_ins_failed_jobs({ count: value });
		case 'noSuccess':
			return new Intl.NumberFormat(locale, {
				style: 'unit',
				unit: 'hour',
				unitDisplay: 'short',
				maximumFractionDigits: 0
			}).format(value);
		case 'storageGrowth':
			return new Intl.NumberFormat(locale, { style: 'unit', unit: 'percent', maximumFractionDigits: 1 }).format(value);
	}
}

export function insightCsv(rows: readonly InsightRow[], timeZone: string): string {
	const header = [
		m.custrep_ins_col_customer(),
		m.custrep_ins_col_rule(),
		m.custrep_ins_col_since(),
		m.custrep_ins_col_value(),
		m.custrep_ins_col_threshold()
	];
	return toCsv(
		header,
		rows.map((row) => [
			row.customer,
			ruleName(row.finding.ruleId, row.rule),
			csvCell('jobs', 'endedAt', row.finding.since, timeZone),
			row.finding.value,
			row.finding.threshold
		])
	);
}

export function insightCsvBlob(rows: readonly InsightRow[], timeZone: string): Blob {
	return csvBlob(insightCsv(rows, timeZone));
}
