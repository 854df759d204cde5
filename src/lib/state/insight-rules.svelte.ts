// P11: the insight rules and the findings as screens read them (the tenant document, or a scoped person's view), and the
// rule editor's form. Rules are written into the tenant document like the tree (offline too); the relay checks
// settings.edit on every change (S96) and the server evaluates them again once the change reaches it (S97).
import { createSubscriber } from 'svelte/reactivity';
import type { TenantRepository } from '$lib/data/tenant-repository';
import type { CustomerSummary } from '$lib/schema/customer-summary';
import {
	BUILT_IN_INSIGHT_RULES,
	insightRuleSchema,
	type InsightFinding,
	type InsightRule,
	type InsightRuleKind
} from '$lib/schema/insights';

export interface InsightRulesOptions {
	readonly repo: TenantRepository;
	/** settings.edit on the whole tenant (the repository refuses writes otherwise). */
	readonly canEdit: boolean;
}

interface Snapshot {
	readonly rules: InsightRule[];
	readonly records: ReadonlyMap<string, InsightRule>;
	readonly summaries: ReadonlyMap<string, CustomerSummary>;
}

export class InsightRulesState {
	readonly #repo: TenantRepository;
	readonly canEdit: boolean;
	#active = false;
	#snapshot: Snapshot | null = null;
	#subscribe = createSubscriber((update) => {
		this.#active = true;
		this.#snapshot = null;
		const off = this.#repo.observe(() => {
			this.#snapshot = null;
			update();
		});
		return () => {
			this.#active = false;
			off();
		};
	});

	constructor(options: InsightRulesOptions) {
		this.#repo = options.repo;
		this.canEdit = options.canEdit;
	}

	/** Read once per document change while a screen shows it. */
	#read(): Snapshot {
		this.#subscribe();
		if (this.#snapshot && this.#active) return this.#snapshot;
		const snapshot: Snapshot = {
			rules: this.#repo.insightRules(),
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a snapshot replaced whole; the subscriber is its signal
			records: new Map(this.#repo.insightRuleRecords().map((rule) => [rule.id, rule])),
			summaries: this.#repo.summaries()
		};
		if (this.#active) this.#snapshot = snapshot;
		return snapshot;
	}

	/** The rules in force: built-ins first, then the custom ones by name. */
	get rules(): InsightRule[] {
		return this.#read().rules;
	}

	get summaries(): ReadonlyMap<string, CustomerSummary> {
		return this.#read().summaries;
	}

	findingsOf(customerId: string): readonly InsightFinding[] {
		return this.#read().summaries.get(customerId)?.insights ?? [];
	}

	/** A built-in the tenant changed (switched off or a threshold): it can be reset. */
	isChanged(id: string): boolean {
		return this.#read().records.has(id) && BUILT_IN_INSIGHT_RULES.some((rule) => rule.id === id);
	}

	/** Creates (no id) or changes a rule; a built-in's id writes its override. Returns its id. */
	save(rule: Omit<InsightRule, 'id'> & { id?: string }): string {
		return this.#repo.putInsightRule(rule);
	}

	setEnabled(rule: InsightRule, enabled: boolean): void {
		this.#repo.putInsightRule({ ...rule, enabled });
	}

	/** Deletes a custom rule, or resets a built-in to its defaults. */
	remove(id: string): void {
		this.#repo.deleteInsightRule(id);
	}
}

export type RuleFormErrors = Partial<Record<'name' | 'threshold' | 'windowHours', true>>;

/** The rule editor: text fields checked with the rule's schema, for a new rule or an existing one (its kind fixed). */
export class InsightRuleForm {
	readonly id: string | null;
	readonly builtIn: boolean;
	name = $state('');
	kind = $state<InsightRuleKind>('failedJobs');
	threshold = $state('2');
	windowHours = $state('24');
	enabled: boolean;
	errors = $state<RuleFormErrors>({});

	constructor(rule: InsightRule | null, builtIn: boolean) {
		this.id = rule?.id ?? null;
		this.builtIn = builtIn;
		this.enabled = rule?.enabled ?? true;
		if (rule) {
			this.name = rule.name;
			this.kind = rule.kind;
			this.threshold = String(rule.threshold);
			this.windowHours = String(rule.windowHours);
		}
	}

	/** The rule to save, or null with `errors` set. */
	parse(): InsightRule | null {
		const whole = (text: string): number => (/^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN);
		const candidate = {
			id: this.id ?? 'new',
			kind: this.kind,
			name: this.name,
			// noSuccess has no threshold of its own: its window is what it compares with.
			threshold: this.kind === 'noSuccess' ? 0 : whole(this.threshold),
			windowHours: whole(this.windowHours),
			enabled: this.enabled
		};
		const parsed = insightRuleSchema.safeParse(candidate);
		const errors: RuleFormErrors = {};
		if (!parsed.success)
			for (const issue of parsed.error.issues) {
				const field = issue.path[0];
				if (field === 'name' || field === 'threshold' || field === 'windowHours') errors[field] = true;
			}
		this.errors = errors;
		return parsed.success ? parsed.data : null;
	}
}
