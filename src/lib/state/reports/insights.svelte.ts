// P8, P11: the insight report over the person's replica (the tenant document or a scoped view): findings of every
// customer they see, re-read after every document change.
import { createSubscriber } from 'svelte/reactivity';
import type { TenantRepository } from '$lib/data/tenant-repository';
import { BUILT_IN_INSIGHT_RULES, type InsightRule } from '$lib/schema/insights';
import type { CustomerSummary } from '$lib/schema/customer-summary';
import type { TreeState } from '../tree.svelte';
import type { TenantDay } from '../tenant-day.svelte';
import { findingsPerRule, insightRows, type InsightRow, type RuleCount } from './insights';

export class InsightReportState {
	readonly #repo: TenantRepository;
	readonly #tree: TreeState;
	readonly #day: TenantDay;
	#version = $state(0);
	#subscribe = createSubscriber((update) =>
		this.#repo.observe(() => {
			this.#version += 1;
			update();
		})
	);
	#summaries = $derived.by((): ReadonlyMap<string, CustomerSummary> => {
		void this.#version;
		return this.#repo.summaries();
	});
	// The tenant's own rules (and overrides) come with the insight rules' repository method (P11, `insightRules()`);
	// until then the built-in ones name the findings and any other rule shows its id.
	#rules = $derived.by((): readonly InsightRule[] => {
		void this.#version;
		return BUILT_IN_INSIGHT_RULES;
	});
	#rows = $derived.by(() => insightRows(this.#tree.view.nodes, this.#summaries, this.#rules));
	#perRule = $derived.by(() => findingsPerRule(this.#rows, this.#rules));

	constructor(options: { repo: TenantRepository; tree: TreeState; day: TenantDay }) {
		this.#repo = options.repo;
		this.#tree = options.tree;
		this.#day = options.day;
	}

	get rows(): readonly InsightRow[] {
		this.#subscribe();
		return this.#rows;
	}

	get perRule(): readonly RuleCount[] {
		this.#subscribe();
		return this.#perRule;
	}

	get timeZone(): string {
		return this.#day.timeZone;
	}

	get tenantName(): string | null {
		return this.#tree.tenantName;
	}
}
