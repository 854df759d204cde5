// P11: the dashboard's insights per rule, and how rules and findings read in the person's language (Polish plurals too).
import { afterEach, describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages.js';
import { EMPTY_SUMMARY, type CustomerSummary } from '$lib/schema/customer-summary';
import { BUILT_IN_INSIGHT_RULES, type InsightFinding, type InsightRule } from '$lib/schema/insights';
import type { TreeNode } from '$lib/schema/tree';
import { customersWithFindings, insightOverview } from './insight-overview';
import { describeMeasure, describeRule, findingName, ruleName } from './insight-labels';
import { uiLocale } from './locale.svelte';

const [FAILED, NO_SUCCESS, GROWTH] = BUILT_IN_INSIGHT_RULES as [InsightRule, InsightRule, InsightRule];
const SINCE = '2026-11-20T08:00:00.000Z';

const node = (id: string, name: string, status: TreeNode['status'] = 'normal'): TreeNode =>
	({
		id,
		kind: 'customer',
		name,
		status,
		createdAt: SINCE,
		placement: { parent: null, prev: null, ts: 1, client: 1 }
	}) as TreeNode;
const finding = (rule: Pick<InsightRule, 'id' | 'kind'>, value: number, threshold: number): InsightFinding => ({
	ruleId: rule.id,
	kind: rule.kind,
	since: SINCE,
	value,
	threshold
});
const summary = (insights: InsightFinding[]): CustomerSummary => ({ ...EMPTY_SUMMARY, updatedAt: SINCE, insights });

// The UI language drives the messages (Paraglide's getLocale) and the formatter alike.
afterEach(() => uiLocale.choose(null));

describe('P11: the insights overview', () => {
	it('P11: every enabled rule with the customers it fires for (by name), unknown rules after, unlinked customers left out', () => {
		const custom: InsightRule = {
			id: 'r-x',
			kind: 'failedJobs',
			name: 'Any',
			threshold: 0,
			windowHours: 2,
			enabled: true
		};
		const rules = [FAILED, { ...NO_SUCCESS, enabled: false }, GROWTH, custom];
		const nodes = new Map([
			['a', node('a', 'Zeta')],
			['b', node('b', 'Alpha')],
			['c', node('c', 'Gone', 'unlinked')]
		]);
		const summaries = new Map([
			['a', summary([finding(FAILED, 3, 2), finding(custom, 3, 0)])],
			['b', summary([finding(FAILED, 4, 2), finding({ id: 'r-unknown', kind: 'storageGrowth' }, 30, 10)])],
			['c', summary([finding(FAILED, 9, 2)])],
			['deleted', summary([finding(FAILED, 9, 2)])]
		]);
		const figures = insightOverview(rules, summaries, nodes);
		expect(figures.map((f) => [f.ruleId, f.customers.map((c) => c.name)])).toEqual([
			[FAILED.id, ['Alpha', 'Zeta']],
			[GROWTH.id, []],
			['r-x', ['Zeta']],
			['r-unknown', ['Alpha']]
		]);
		expect(figures[3]?.rule).toBeNull();
		expect(customersWithFindings(figures)).toBe(2);
	});

	it('P11: a built-in is named by what it checks, following its threshold; a custom rule by its name', () => {
		expect(ruleName(FAILED)).toBe('More than 2 failed jobs within 1 day');
		expect(ruleName({ ...FAILED, threshold: 1, windowHours: 36 })).toBe('More than 1 failed job within 36 hours');
		expect(ruleName(NO_SUCCESS)).toBe('No successful job for more than 3 days');
		expect(ruleName(GROWTH)).toBe('Storage grew by more than 20% within 7 days');
		expect(ruleName({ ...GROWTH, id: 'r-1', name: 'Big growth' })).toBe('Big growth');
		expect(findingName(finding({ id: 'r-unknown', kind: 'noSuccess' }, 80, 72), [FAILED])).toBe('No successful job');
		expect(describeMeasure(finding(NO_SUCCESS, 80, 72))).toBe('Measured 80 hr, fires above 72 hr');
		expect(describeMeasure(finding(GROWTH, 25.5, 20))).toBe('Measured 25.5%, fires above 20%');
	});

	it('P11: Polish plural forms: 1 klient, 2 klienci, 5 klientów; rules by threshold', () => {
		void uiLocale.choose('pl');
		expect([1, 2, 5, 22].map((count) => m.insights_panel_count({ count }))).toEqual([
			'1 klient',
			'2 klienci',
			'5 klientów',
			'22 klienci'
		]);
		expect(describeRule({ kind: 'failedJobs', threshold: 5, windowHours: 24 })).toBe(
			'Więcej niż 5 nieudanych zadań w ciągu: 1 dzień'
		);
		expect(m.insights_badge({ count: 3 })).toBe('3 reguły analizy zgłaszają problem');
	});
});
