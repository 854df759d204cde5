// P11: the insight rules at their thresholds and window edges, `since` while a rule keeps firing, overrides.
import { describe, expect, it } from 'vitest';
import { BUILT_IN_INSIGHT_RULES, MAX_INSIGHT_RULES, type InsightFinding, type InsightRule } from '../schema/insights';
import { effectiveInsightRules, evaluateInsights, type InsightInput, type InsightJob } from './insights';

const HOUR = 60 * 60 * 1000;
const NOW = new Date('2026-11-20T12:00:00.000Z');
const at = (hoursAgo: number): string => new Date(NOW.getTime() - hoursAgo * HOUR).toISOString();

const FAILED: InsightRule = { ...BUILT_IN_INSIGHT_RULES[0]! };
const NO_SUCCESS: InsightRule = { ...BUILT_IN_INSIGHT_RULES[1]! };
const GROWTH: InsightRule = { ...BUILT_IN_INSIGHT_RULES[2]! };

const failed = (hoursAgo: number): InsightJob => ({
	service: 'm365',
	module: 'mail',
	status: 'failed',
	endedAt: at(hoursAgo)
});
const succeeded = (hoursAgo: number, bytes?: number, module = 'mail'): InsightJob => ({
	service: 'm365',
	module,
	status: 'succeeded',
	endedAt: at(hoursAgo),
	...(bytes === undefined ? {} : { bytes })
});

function run(rules: InsightRule[], jobs: InsightJob[], extra: Partial<InsightInput> = {}): InsightFinding[] {
	return evaluateInsights({ jobs, activeServicesSince: [at(24 * 30)], now: NOW, rules, previous: [], ...extra });
}

describe('P11: failed jobs', () => {
	it('P11: "more than 2 failed in 24 h": 2 failed do not fire, 3 fire, 4 fire (just below, at, just above)', () => {
		expect(run([FAILED], [failed(1), failed(2)])).toEqual([]);
		expect(run([FAILED], [failed(1), failed(2), failed(3)])).toEqual([
			{ ruleId: FAILED.id, kind: 'failedJobs', since: NOW.toISOString(), value: 3, threshold: 2 }
		]);
		expect(run([FAILED], [failed(1), failed(2), failed(3), failed(4)])[0]?.value).toBe(4);
	});

	it('P11: window edges: a job ending exactly at the window start counts, one a millisecond earlier does not', () => {
		const edge: InsightJob = { ...failed(0), endedAt: new Date(NOW.getTime() - 24 * HOUR).toISOString() };
		const before: InsightJob = { ...failed(0), endedAt: new Date(NOW.getTime() - 24 * HOUR - 1).toISOString() };
		expect(run([FAILED], [failed(1), failed(2), edge])).toHaveLength(1);
		expect(run([FAILED], [failed(1), failed(2), before])).toEqual([]);
	});

	it('P11: warnings and successes are not failures; a job ending after now (a sender clock ahead) counts', () => {
		const warning: InsightJob = { ...failed(1), status: 'warning' };
		expect(run([FAILED], [failed(1), failed(2), warning, succeeded(3)])).toEqual([]);
		const ahead: InsightJob = { ...failed(0), endedAt: new Date(NOW.getTime() + 5 * 60_000).toISOString() };
		expect(run([FAILED], [failed(1), failed(2), ahead])).toHaveLength(1);
	});

	it('P11: a custom rule with its own threshold and window (more than 0 failed in 2 h)', () => {
		const custom: InsightRule = {
			id: 'r-any',
			kind: 'failedJobs',
			name: 'Any failure',
			threshold: 0,
			windowHours: 2,
			enabled: true
		};
		expect(run([custom], [failed(3)])).toEqual([]);
		expect(run([custom], [failed(1)])).toEqual([
			{ ruleId: 'r-any', kind: 'failedJobs', since: NOW.toISOString(), value: 1, threshold: 0 }
		]);
	});
});

describe('P11: no successful job', () => {
	it('P11: "no success for 3 days": 72 h since the last success does not fire, 72 h and a minute fires', () => {
		expect(run([NO_SUCCESS], [succeeded(71)])).toEqual([]);
		expect(run([NO_SUCCESS], [succeeded(72)])).toEqual([]);
		const justOver: InsightJob = {
			...succeeded(0),
			endedAt: new Date(NOW.getTime() - 72 * HOUR - 60_000).toISOString()
		};
		expect(run([NO_SUCCESS], [justOver])).toEqual([
			{ ruleId: NO_SUCCESS.id, kind: 'noSuccess', since: NOW.toISOString(), value: 72, threshold: 72 }
		]);
		expect(run([NO_SUCCESS], [succeeded(100), failed(1)])[0]?.value).toBe(100);
	});

	it('P11: a warning is not a success; the newest success counts', () => {
		const warning: InsightJob = { ...succeeded(1), status: 'warning' };
		expect(run([NO_SUCCESS], [succeeded(80), warning])).toHaveLength(1);
		expect(run([NO_SUCCESS], [succeeded(80), succeeded(10)])).toEqual([]);
	});

	it('P11: without an active service it never fires; without any success it counts from the first service added', () => {
		expect(run([NO_SUCCESS], [succeeded(200)], { activeServicesSince: [] })).toEqual([]);
		expect(run([NO_SUCCESS], [], { activeServicesSince: [at(24)] })).toEqual([]);
		expect(run([NO_SUCCESS], [failed(2)], { activeServicesSince: [at(24), at(96)] })).toEqual([
			{ ruleId: NO_SUCCESS.id, kind: 'noSuccess', since: NOW.toISOString(), value: 96, threshold: 72 }
		]);
	});

	it('P11: a success folded out of the job window counts from the end of its day', () => {
		const input = { activeServicesSince: [at(24 * 400)], foldedSuccessDays: ['2026-08-01', '2026-08-10'] };
		// 2026-08-11T00:00Z to 2026-11-20T12:00Z.
		expect(run([NO_SUCCESS], [failed(1)], input)[0]?.value).toBe(101 * 24 + 12);
	});
});

describe('P11: storage growth', () => {
	const week = 168;
	it('P11: "more than 20 % in a week": 20 % does not fire, 20.1 % fires, 19.9 % does not', () => {
		expect(run([GROWTH], [succeeded(200, 1000), succeeded(1, 1200)])).toEqual([]);
		expect(run([GROWTH], [succeeded(200, 1000), succeeded(1, 1199)])).toEqual([]);
		expect(run([GROWTH], [succeeded(200, 1000), succeeded(1, 1201)])).toEqual([
			{ ruleId: GROWTH.id, kind: 'storageGrowth', since: NOW.toISOString(), value: 20.1, threshold: 20 }
		]);
	});

	it('P11: storage before the window is per service and module the newest success before its start, summed', () => {
		// Before the window: mail 1000 (newest of 900 and 1000) + files 1000 = 2000; now: mail 1300 + files 1200 = 2500 (25 %).
		const jobs = [
			succeeded(300, 900),
			succeeded(week + 1, 1000),
			succeeded(week + 2, 1000, 'files'),
			succeeded(5, 1300),
			succeeded(2, 1200, 'files'),
			{ ...failed(1), bytes: 99_999 }
		];
		expect(run([GROWTH], jobs)[0]?.value).toBe(25);
	});

	it('P11: window edge: a job ending exactly at the window start belongs to the window, not to the storage before', () => {
		const edge = succeeded(week, 1000);
		// Before the window: only the 200-hour-old 1000; the edge job is already the window's (1000 -> 1300: 30 %).
		expect(run([GROWTH], [succeeded(200, 1000), edge, succeeded(1, 1300)])[0]?.value).toBe(30);
		// Storage before the window from the edge job alone would be 0: no finding.
		expect(run([GROWTH], [edge, succeeded(1, 5000)])).toEqual([]);
	});

	it('P11: growth from 0 (no storage before the window) is no finding; shrinking is none either', () => {
		expect(run([GROWTH], [succeeded(1, 10_000)])).toEqual([]);
		expect(run([GROWTH], [succeeded(200, 0), succeeded(1, 10_000)])).toEqual([]);
		expect(run([GROWTH], [succeeded(200, 1000), succeeded(1, 500)])).toEqual([]);
	});
});

describe('P11: findings over time and rules', () => {
	it('P11: a customer without jobs and services has no findings', () => {
		expect(run([...BUILT_IN_INSIGHT_RULES], [], { activeServicesSince: [] })).toEqual([]);
	});

	it('P11: `since` is kept while the rule keeps firing and dropped when it stops', () => {
		const jobs = [failed(1), failed(2), failed(3)];
		const first = run([FAILED], jobs);
		const later = new Date(NOW.getTime() + HOUR);
		const again = evaluateInsights({ jobs, activeServicesSince: [], now: later, rules: [FAILED], previous: first });
		expect(again).toEqual([{ ...first[0], since: NOW.toISOString(), value: 3 }]);
		const dayLater = new Date(NOW.getTime() + 23 * HOUR);
		expect(
			evaluateInsights({ jobs, activeServicesSince: [], now: dayLater, rules: [FAILED], previous: again })
		).toEqual([]);
		// Firing again after it stopped is a new finding: a new `since`.
		const back = evaluateInsights({
			jobs: [...jobs, failed(-23), failed(-22), failed(-21)],
			activeServicesSince: [],
			now: dayLater,
			rules: [FAILED],
			previous: []
		});
		expect(back[0]?.since).toBe(dayLater.toISOString());
	});

	it('P11: a built-in overridden by a record of its id: its threshold applies; disabled it never fires', () => {
		const jobs = [failed(1), failed(2), failed(3), succeeded(4)];
		const stricter = effectiveInsightRules([{ ...FAILED, threshold: 5 }]);
		expect(stricter.map((rule) => rule.id)).toEqual(BUILT_IN_INSIGHT_RULES.map((rule) => rule.id));
		expect(run(stricter, jobs)).toEqual([]);
		expect(run(effectiveInsightRules([{ ...FAILED, threshold: 0 }]), [failed(1), succeeded(2)])).toHaveLength(1);
		expect(run(effectiveInsightRules([{ ...FAILED, enabled: false }]), jobs)).toEqual([]);
		expect(run(effectiveInsightRules([]), jobs).map((finding) => finding.ruleId)).toEqual([FAILED.id]);
	});

	it('P11: a record that would change a built-in kind is ignored; custom rules follow the built-ins by name, at most 50', () => {
		const rules = effectiveInsightRules([
			{ ...FAILED, kind: 'storageGrowth' },
			{ id: 'r-b', kind: 'noSuccess', name: 'Beta', threshold: 0, windowHours: 24, enabled: true },
			{ id: 'r-a', kind: 'failedJobs', name: 'Alpha', threshold: 0, windowHours: 24, enabled: true }
		]);
		expect(rules.map((rule) => rule.id)).toEqual([...BUILT_IN_INSIGHT_RULES.map((rule) => rule.id), 'r-a', 'r-b']);
		expect(rules[0]).toEqual(FAILED);
		const many = Array.from({ length: 60 }, (_, i) => ({
			...FAILED,
			id: `r-${String(i).padStart(2, '0')}`,
			name: `Rule ${String(i).padStart(2, '0')}`
		}));
		expect(effectiveInsightRules(many)).toHaveLength(MAX_INSIGHT_RULES);
	});
});
