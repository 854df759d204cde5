// P11: insight rules and findings as people read them: names, what a rule watches, measured against its threshold. Hours,
// windows and percentages in the UI's language through the shared formatter (P9).
import { m } from '$lib/paraglide/messages.js';
import {
	BUILT_IN_INSIGHT_RULE_IDS,
	type InsightFinding,
	type InsightRule,
	type InsightRuleKind
} from '$lib/schema/insights';
import { fmt } from './locale.svelte';

/** A window in hours: whole days as days ("3 days"), anything else as hours ("36 hours"). */
export function formatWindow(hours: number): string {
	const days = hours % 24 === 0;
	return fmt().number(days ? hours / 24 : hours, { style: 'unit', unit: days ? 'day' : 'hour', unitDisplay: 'long' });
}

/** Hours as a measure ("80 hr", "80 Std."). */
export function formatHours(hours: number): string {
	return fmt().number(hours, { style: 'unit', unit: 'hour', unitDisplay: 'short', maximumFractionDigits: 0 });
}

/** A percentage that is already one (35 -> "35%"), not a fraction as `Formatter#percent` takes. */
export function formatPercent(percent: number): string {
	return fmt().number(percent, { style: 'unit', unit: 'percent', maximumFractionDigits: 1 });
}

export function kindLabel(kind: InsightRuleKind): string {
	switch (kind) {
		case 'failedJobs':
			return m.insights_kind_failedJobs();
		case 'noSuccess':
			return m.insights_kind_noSuccess();
		case 'storageGrowth':
			return m.insights_kind_storageGrowth();
	}
}

/** What a rule checks, with its threshold and window ("More than 2 failed jobs within 1 day"). */
export function describeRule(rule: Pick<InsightRule, 'kind' | 'threshold' | 'windowHours'>): string {
	const window = formatWindow(rule.windowHours);
	switch (rule.kind) {
		case 'failedJobs':
			return m.insights_describe_failedJobs({ count: rule.threshold, window });
		case 'noSuccess':
			return m.insights_describe_noSuccess({ window });
		case 'storageGrowth':
			return m.insights_describe_storageGrowth({ percent: formatPercent(rule.threshold), window });
	}
}

export const isBuiltIn = (id: string): boolean => BUILT_IN_INSIGHT_RULE_IDS.has(id);

/**
 * A rule's name: a built-in is named by what it checks (in the person's language, following a changed threshold); a
 * custom rule by the name people gave it.
 */
export function ruleName(rule: InsightRule): string {
	return isBuiltIn(rule.id) ? describeRule(rule) : rule.name;
}

/** A finding's rule name; a rule this device does not know (a scoped view holds no custom rules) by its kind. */
export function findingName(finding: InsightFinding, rules: readonly InsightRule[]): string {
	const rule = rules.find((r) => r.id === finding.ruleId);
	return rule ? ruleName(rule) : kindLabel(finding.kind);
}

/** Measured against the threshold, each in its unit ("3 (fires above 2)", "80 h (fires above 72 h)"). */
export function describeMeasure(finding: InsightFinding): string {
	const format = (n: number): string =>
		finding.kind === 'noSuccess'
			? formatHours(n)
			: finding.kind === 'storageGrowth'
				? formatPercent(n)
				: fmt().number(n);
	return m.insights_measured({ value: format(finding.value), threshold: format(finding.threshold) });
}
