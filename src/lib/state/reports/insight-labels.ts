// P8, P11: the insight report in words: rule names (as the rules screen and the dashboard name them), measured values
// and thresholds by the rule's kind, and its CSV export.
import { m } from '$lib/paraglide/messages.js';
import { csvBlob, toCsv } from '$lib/data/csv';
import type { InsightRuleKind } from '$lib/schema/insights';
import { findingName, formatHours, formatPercent, kindLabel, ruleName } from '../insight-labels';
import { csvCell } from './custom-labels';
import type { InsightRow, RuleCount } from './insights';

/** A rule in the report's chart and filter: named as everywhere (`ruleName`); one this device has no record of by its kind. */
export function ruleCountName(entry: RuleCount): string {
	return entry.rule ? ruleName(entry.rule) : kindLabel(entry.kind);
}

/** A finding's rule, named as everywhere (`findingName` over the rule the row was matched with). */
export function rowRuleName(row: InsightRow): string {
	return findingName(row.finding, row.rule ? [row.rule] : []);
}

/** failedJobs: a count of jobs; noSuccess: hours; storageGrowth: percent. */
export function measureText(kind: InsightRuleKind, value: number): string {
	switch (kind) {
		case 'failedJobs':
			return m.custrep_ins_failed_jobs({ count: value });
		case 'noSuccess':
			return formatHours(value);
		case 'storageGrowth':
			return formatPercent(value);
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
			rowRuleName(row),
			csvCell('jobs', 'endedAt', row.finding.since, timeZone),
			row.finding.value,
			row.finding.threshold
		])
	);
}

export function insightCsvBlob(rows: readonly InsightRow[], timeZone: string): Blob {
	return csvBlob(insightCsv(rows, timeZone));
}
