// P4, P5: the failed jobs and the open service requests of every customer the person can see, from the server-written
// summaries of the local tenant replica (works offline), with their filters.
import { createSubscriber, SvelteSet } from 'svelte/reactivity';
import { fmt } from './locale.svelte';
import type { RequestStatus } from '$lib/schema/customer';
import {
	failedJobRows,
	requestRows,
	windowBounds,
	type FailedJobRow,
	type JobSort,
	type JobSortColumn,
	type RequestRow,
	type SummarySource,
	type TimeWindow,
	type WindowKind
} from './work-filters';

export interface WorkListOptions {
	readonly source: SummarySource;
	/** The customer's name, or null when the person cannot see it (its rows are left out). */
	readonly nameOf: (customerId: string) => string | null;
	readonly timeZone: () => string;
	readonly now?: () => Date;
}

/** A window of time a person picks: a preset, or custom days in the tenant's time zone. */
export class TimeWindowState {
	#kind = $state<WindowKind>('7d');
	#from = $state('');
	#to = $state('');

	constructor(kind: WindowKind = '7d') {
		this.#kind = kind;
	}

	get kind(): WindowKind {
		return this.#kind;
	}
	set kind(kind: WindowKind) {
		this.#kind = kind;
	}
	get from(): string {
		return this.#from;
	}
	set from(day: string) {
		this.#from = day;
	}
	get to(): string {
		return this.#to;
	}
	set to(day: string) {
		this.#to = day;
	}

	get value(): TimeWindow {
		return { kind: this.#kind, from: this.#from, to: this.#to };
	}
}

abstract class SummaryList {
	protected readonly options: WorkListOptions;
	readonly window = new TimeWindowState();
	#customerId = $state('');
	#subscribe = createSubscriber((update) => this.options.source.observe(update));

	constructor(options: WorkListOptions) {
		this.options = options;
	}

	/** '' = every customer. */
	get customerId(): string {
		return this.#customerId;
	}
	set customerId(id: string) {
		this.#customerId = id;
	}

	/** The customers that have a summary, by name, for the customer filter. */
	get customers(): { id: string; name: string }[] {
		const out: { id: string; name: string }[] = [];
		for (const id of this.summaries().keys()) {
			const name = this.options.nameOf(id);
			if (name !== null) out.push({ id, name });
		}
		return out.sort((a, b) => fmt().compare(a.name, b.name));
	}

	protected summaries() {
		this.#subscribe();
		return this.options.source.summaries();
	}

	protected bounds() {
		return windowBounds(this.window.value, (this.options.now ?? (() => new Date()))(), this.options.timeZone());
	}
}

/** P4: failed jobs across customers, filtered by end time and customer, sortable. */
export class FailedJobsState extends SummaryList {
	#sort = $state<JobSort>({ column: 'endedAt', descending: true });
	#rows = $derived.by(() =>
		failedJobRows(this.summaries(), this.options.nameOf, {
			bounds: this.bounds(),
			customerId: this.customerId,
			sort: this.#sort
		})
	);

	get sort(): JobSort {
		return this.#sort;
	}

	/** The same column again turns the order around; a new column starts with its natural order (times newest first). */
	sortBy(column: JobSortColumn): void {
		const same = this.#sort.column === column;
		const timeColumn = column === 'startedAt' || column === 'endedAt';
		this.#sort = { column, descending: same ? !this.#sort.descending : timeColumn };
	}

	get rows(): readonly FailedJobRow[] {
		return this.#rows;
	}
}

/** P5: open service requests across customers, filtered by submission time, status and customer. */
export class OpenRequestsState extends SummaryList {
	readonly #statuses = new SvelteSet<RequestStatus>();
	#rows = $derived.by(() =>
		requestRows(this.summaries(), this.options.nameOf, {
			bounds: this.bounds(),
			statuses: this.#statuses,
			customerId: this.customerId
		})
	);

	get statuses(): ReadonlySet<RequestStatus> {
		return this.#statuses;
	}

	toggleStatus(status: RequestStatus): void {
		if (this.#statuses.has(status)) this.#statuses.delete(status);
		else this.#statuses.add(status);
	}

	get rows(): readonly RequestRow[] {
		return this.#rows;
	}
}
