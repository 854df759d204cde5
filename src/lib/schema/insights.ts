// P11: insight rules watch job status; the server evaluates them (when jobs arrive and hourly) and writes what they find
// into each customer's summary (`customerSummaries`, server-only), so the dashboard, the insight report and the customer
// page read the results offline, scoped people included. The rules themselves live in the tenant document (root map
// `insightRules`, one plain record per rule, `settings.edit`); the built-in ones exist without a record and a record with
// a built-in id overrides their threshold or turns them off.
import { z } from 'zod';
import { entityIdSchema } from './ids';

/**
 * - `failedJobs`: more than `threshold` failed jobs within `windowHours` for a customer.
 * - `noSuccess`: no successful job for `windowHours` (while the customer has services).
 * - `storageGrowth`: storage grew by more than `threshold` percent within `windowHours`.
 */
export const INSIGHT_RULE_KINDS = ['failedJobs', 'noSuccess', 'storageGrowth'] as const;
export const insightRuleKindSchema = z.enum(INSIGHT_RULE_KINDS);
export type InsightRuleKind = z.infer<typeof insightRuleKindSchema>;

export const insightRuleSchema = z.object({
	id: entityIdSchema,
	kind: insightRuleKindSchema,
	name: z.string().trim().min(1, 'a rule needs a name').max(80, 'a rule name holds at most 80 characters'),
	/** failedJobs: a count; storageGrowth: whole percent; noSuccess: unused (0). */
	threshold: z.number().int().min(0).max(100_000),
	/** The time window the rule looks at, in hours (24 h, 3 days = 72, a week = 168); at most 90 days. */
	windowHours: z
		.number()
		.int()
		.min(1)
		.max(90 * 24),
	enabled: z.boolean()
});
export type InsightRule = z.infer<typeof insightRuleSchema>;

/** The built-in rules (P11's examples); a record in `insightRules` with the same id overrides one. */
export const BUILT_IN_INSIGHT_RULES: readonly InsightRule[] = [
	{
		id: 'builtin-failed-24h',
		kind: 'failedJobs',
		name: 'Failed backups in 24 h',
		threshold: 2,
		windowHours: 24,
		enabled: true
	},
	{
		id: 'builtin-no-success-3d',
		kind: 'noSuccess',
		name: 'No successful job for 3 days',
		threshold: 0,
		windowHours: 72,
		enabled: true
	},
	{
		id: 'builtin-storage-growth-7d',
		kind: 'storageGrowth',
		name: 'Storage grew by more than 20 % in a week',
		threshold: 20,
		windowHours: 168,
		enabled: true
	}
];

/** At most this many rules per tenant, built-ins included (a summary holds at most this many findings). */
export const MAX_INSIGHT_RULES = 50;

export const BUILT_IN_INSIGHT_RULE_IDS: ReadonlySet<string> = new Set(BUILT_IN_INSIGHT_RULES.map((rule) => rule.id));

/** One rule that currently fires for a customer (in its summary's `insights`). */
export const insightFindingSchema = z.object({
	ruleId: entityIdSchema,
	kind: insightRuleKindSchema,
	/** When the server first found it (kept while it keeps firing). */
	since: z.iso.datetime(),
	/**
	 * What was measured (failed jobs counted, hours since the last success, growth in percent) and what it was compared
	 * with (the rule's threshold; for noSuccess its window in hours).
	 */
	value: z.number(),
	threshold: z.number()
});
export type InsightFinding = z.infer<typeof insightFindingSchema>;
