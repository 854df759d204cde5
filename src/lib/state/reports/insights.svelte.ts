// P8, P11: the insight report over the person's replica (the tenant document or a scoped view): findings of every
// customer they see, re-read after every document change.
import { createSubscriber } from 'svelte/reactivity';
import type { TenantRepository } from '$lib/data/tenant-repository';
import type { TreeState } from '../tree.svelte';
import type { TenantDay } from '../tenant-day.svelte';
import { findingsPerRule, insightRows, type InsightRow, type RuleCount } from './insights';

export class InsightReportState {
	readonly #repo: TenantRepository;
	readonly #tree: TreeState;
	readonly #day: TenantDay;
	// Re-read after each document change while a screen shows the report (no $derived: this state outlives the screen).
	#active = false;
	#stale = true;
	#computed: { rows: InsightRow[]; perRule: RuleCount[]; nodes: unknown } | null = null;
	#subscribe = createSubscriber((update) => {
		this.#active = true;
		this.#stale = true;
		const off = this.#repo.observe(() => {
			this.#stale = true;
			update();
		});
		return () => {
			this.#active = false;
			off();
		};
	});

	constructor(options: { repo: TenantRepository; tree: TreeState; day: TenantDay }) {
		this.#repo = options.repo;
		this.#tree = options.tree;
		this.#day = options.day;
	}

	#read(): { rows: InsightRow[]; perRule: RuleCount[] } {
		this.#subscribe();
		const nodes = this.#tree.view.nodes;
		if (this.#computed && !this.#stale && this.#active && this.#computed.nodes === nodes) return this.#computed;
		// P11: the rules in force: the built-ins with the tenant's overrides, then its own (a scoped view holds no custom ones).
		const rules = this.#repo.insightRules();
		const rows = insightRows(nodes, this.#repo.summaries(), rules);
		this.#computed = { rows, perRule: findingsPerRule(rows, rules), nodes };
		this.#stale = !this.#active;
		return this.#computed;
	}

	get rows(): readonly InsightRow[] {
		return this.#read().rows;
	}

	get perRule(): readonly RuleCount[] {
		return this.#read().perRule;
	}

	get timeZone(): string {
		return this.#day.timeZone;
	}

	get tenantName(): string | null {
		return this.#tree.tenantName;
	}
}
