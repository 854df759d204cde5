// P11: insight rules over one customer's jobs, as pure functions: which rules fire at `now`, what was measured, and
// since when (the server calls them when jobs arrive, hourly and after a rule changed; docs/sync.md S95-S99).
import { BUILT_IN_INSIGHT_RULES, MAX_INSIGHT_RULES, type InsightFinding, type InsightRule } from '../schema/insights';
import type { JobStatus } from '../schema/customer';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** What the rules read of a job (the customer document's `jobs`, the last 90 days). */
export interface InsightJob {
	readonly service: string;
	readonly module: string;
	readonly status: JobStatus;
	readonly endedAt: string;
	readonly bytes?: number;
}

export interface InsightInput {
	readonly jobs: readonly InsightJob[];
	/** When each of the customer's active services was added (ISO). Without an active service, noSuccess never fires. */
	readonly activeServicesSince: readonly string[];
	/** UTC days (`YYYY-MM-DD`) folded out of the job window (`jobDays`) that hold a successful job. */
	readonly foldedSuccessDays?: readonly string[];
	readonly now: Date;
	/** The tenant's effective rules (`effectiveInsightRules`); disabled ones are skipped. */
	readonly rules: readonly InsightRule[];
	/** The findings of the customer's summary so far: a rule that keeps firing keeps its `since`. */
	readonly previous: readonly InsightFinding[];
}

/**
 * The rules in force: the built-ins, each replaced by the tenant's record with its id (same kind only: a record that
 * would turn a built-in into another kind is ignored), then the custom rules by name; at most MAX_INSIGHT_RULES.
 */
export function effectiveInsightRules(records: readonly InsightRule[]): InsightRule[] {
	const byId = new Map(records.map((record) => [record.id, record]));
	const builtIns = BUILT_IN_INSIGHT_RULES.map((rule) => {
		const record = byId.get(rule.id);
		return record && record.kind === rule.kind ? record : rule;
	});
	const builtInIds = new Set(BUILT_IN_INSIGHT_RULES.map((rule) => rule.id));
	const custom = records
		.filter((record) => !builtInIds.has(record.id))
		.sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	return [...builtIns, ...custom].slice(0, MAX_INSIGHT_RULES);
}

interface Timed {
	readonly job: InsightJob;
	readonly at: number;
}

/**
 * failedJobs: the failed jobs that ended within the window, which includes its start (`now - windowHours`, the way the
 * dashboard's windows include theirs) and anything after it: an end time after `now` (a sender whose clock runs ahead)
 * counts rather than hides a failure.
 */
export function failedJobsWithin(jobs: readonly Timed[], now: number, windowHours: number): number {
	const start = now - windowHours * HOUR_MS;
	let count = 0;
	for (const { job, at } of jobs) if (job.status === 'failed' && at >= start) count += 1;
	return count;
}

/**
 * noSuccess: milliseconds since the newest successful job ended (`warning` is not a success). Without one in the
 * window of jobs, the end of the newest folded day holding one; without that, since the first active service was added
 * (the customer has been expected to back up since). Null when the customer has no active service.
 */
export function msWithoutSuccess(
	jobs: readonly Timed[],
	activeServicesSince: readonly string[],
	foldedSuccessDays: readonly string[],
	now: number
): number | null {
	const services = activeServicesSince.map((at) => Date.parse(at)).filter((at) => Number.isFinite(at));
	if (services.length === 0) return null;
	let reference = -Infinity;
	for (const { job, at } of jobs) if (job.status === 'succeeded' && at > reference) reference = at;
	if (reference === -Infinity)
		for (const day of foldedSuccessDays) {
			const end = Date.parse(`${day}T00:00:00.000Z`) + DAY_MS;
			if (Number.isFinite(end) && end > reference) reference = end;
		}
	if (reference === -Infinity) reference = Math.min(...services);
	return now - reference;
}

/**
 * Storage at an instant, as `computeCustomerSummary` computes it now: per service and module the bytes of the newest
 * successful job that ended before `before` (all of them when null), summed.
 */
export function storageBefore(jobs: readonly Timed[], before: number | null): number {
	const newest = new Map<string, { at: number; bytes: number }>();
	for (const { job, at } of jobs) {
		if (job.status !== 'succeeded' || job.bytes === undefined) continue;
		if (before !== null && at >= before) continue;
		const key = JSON.stringify([job.service, job.module]);
		const seen = newest.get(key);
		if (!seen || at > seen.at) newest.set(key, { at, bytes: job.bytes });
	}
	let total = 0;
	for (const { bytes } of newest.values()) total += bytes;
	return total;
}

/** What one rule measures and whether it fires; null when it cannot be measured (no service, no storage before). */
function measure(
	rule: InsightRule,
	jobs: readonly Timed[],
	input: InsightInput
): { fires: boolean; value: number; threshold: number } | null {
	const now = input.now.getTime();
	switch (rule.kind) {
		case 'failedJobs': {
			const count = failedJobsWithin(jobs, now, rule.windowHours);
			return { fires: count > rule.threshold, value: count, threshold: rule.threshold };
		}
		case 'noSuccess': {
			const elapsed = msWithoutSuccess(jobs, input.activeServicesSince, input.foldedSuccessDays ?? [], now);
			if (elapsed === null) return null;
			// A success that ended exactly at the window's start is within it: the rule fires only after more time passed.
			return {
				fires: elapsed > rule.windowHours * HOUR_MS,
				value: Math.floor(elapsed / HOUR_MS),
				threshold: rule.windowHours
			};
		}
		case 'storageGrowth': {
			const before = storageBefore(jobs, now - rule.windowHours * HOUR_MS);
			// Growth from nothing has no percentage: a customer's first backups are not growth.
			if (before === 0) return null;
			const current = storageBefore(jobs, null);
			const growth = ((current - before) * 100) / before;
			return {
				fires: (current - before) * 100 > rule.threshold * before,
				value: Math.round(growth * 10) / 10,
				threshold: rule.threshold
			};
		}
	}
}

/** P11: the findings of a customer at `now`, in the order of the rules. */
export function evaluateInsights(input: InsightInput): InsightFinding[] {
	const jobs: Timed[] = [];
	for (const job of input.jobs) {
		const at = Date.parse(job.endedAt);
		if (Number.isFinite(at)) jobs.push({ job, at });
	}
	const previous = new Map(input.previous.map((finding) => [finding.ruleId, finding]));
	const findings: InsightFinding[] = [];
	for (const rule of input.rules.slice(0, MAX_INSIGHT_RULES)) {
		if (!rule.enabled) continue;
		const measured = measure(rule, jobs, input);
		if (!measured?.fires) continue;
		const before = previous.get(rule.id);
		findings.push({
			ruleId: rule.id,
			kind: rule.kind,
			since: before && before.kind === rule.kind ? before.since : input.now.toISOString(),
			value: measured.value,
			threshold: measured.threshold
		});
	}
	return findings;
}
