// P1, P2: the dashboard as screens read it: the figures of every customer organization the person sees (the tenant
// document, or a scoped person's view), per country and in total, over the chosen time window.
import { createSubscriber } from 'svelte/reactivity';
import type { TenantRepository } from '$lib/data/tenant-repository';
import type { CustomerSummary } from '$lib/schema/customer-summary';
import type { TreeState } from './tree.svelte';
import type { LicensesState } from './licenses.svelte';
import type { TenantDay } from './tenant-day.svelte';
import { dashboardFigures, type DashboardFigures, type LicenseFact } from './dashboard-figures';
import { DEFAULT_PRESET, windowBounds, type TimeWindow, type WindowChoice } from './dashboard-window';

/** A preset window moves with the clock: looked at again this often while a screen shows it. */
const TICK_MS = 60_000;

export interface DashboardStateOptions {
	readonly repo: TenantRepository;
	readonly tree: TreeState;
	readonly licenses: LicensesState;
	readonly day: TenantDay;
	readonly now?: () => Date;
}

export class DashboardState {
	readonly #repo: TenantRepository;
	readonly #tree: TreeState;
	readonly #licenses: LicensesState;
	readonly #day: TenantDay;
	readonly #now: () => Date;

	#active = false;
	#stale = true;
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a cache replaced whole; the subscriber above is its signal
	#cached: ReadonlyMap<string, CustomerSummary> = new Map();
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

	#minute = $state(0);
	#watchClock = createSubscriber(() => {
		const timer = setInterval(() => this.#tick(), TICK_MS);
		return () => clearInterval(timer);
	});

	#choice = $state.raw<WindowChoice>({ kind: DEFAULT_PRESET });
	#window = $derived.by(() => {
		void this.#minute;
		return windowBounds(this.#choice, this.#now(), this.#day.timeZone);
	});
	#facts = $derived.by(() => licenseFacts(this.#licenses.entries));
	#figures = $derived.by(() =>
		dashboardFigures({
			nodes: this.#tree.view.nodes,
			summaries: this.summaries,
			licenses: this.#facts,
			window: this.#window
		})
	);

	constructor(options: DashboardStateOptions) {
		this.#repo = options.repo;
		this.#tree = options.tree;
		this.#licenses = options.licenses;
		this.#day = options.day;
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a clock read on demand, not state
		this.#now = options.now ?? (() => new Date());
		this.#minute = Math.floor(this.#now().getTime() / TICK_MS);
	}

	/** The server's summaries in the replica (absent for a customer: zeros). Read afresh after every document change. */
	get summaries(): ReadonlyMap<string, CustomerSummary> {
		this.#subscribe();
		if (this.#stale || !this.#active) {
			this.#cached = this.#repo.summaries();
			this.#stale = !this.#active;
		}
		return this.#cached;
	}

	get choice(): WindowChoice {
		return this.#choice;
	}

	set choice(value: WindowChoice) {
		this.#choice = value;
	}

	/** The instants the figures are counted between. */
	get window(): TimeWindow {
		this.#watchClock();
		return this.#window;
	}

	get timeZone(): string {
		return this.#day.timeZone;
	}

	get figures(): DashboardFigures {
		this.#watchClock();
		return this.#figures;
	}

	#tick(): void {
		this.#minute = Math.floor(this.#now().getTime() / TICK_MS);
	}
}

function licenseFacts(entries: LicensesState['entries']): LicenseFact[] {
	return entries.map((entry) => ({
		companyId: entry.user.companyId,
		product: entry.license.product,
		state: entry.state.state
	}));
}
