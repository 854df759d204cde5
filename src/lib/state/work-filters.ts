// P2, P4, P5: time windows over job end and request submission times, and the rows of the jobs and requests lists.
import type { CustomerSummary, FailedJobSummary, RequestSummary } from '$lib/schema/customer-summary';
import { fmt } from './locale.svelte';
import type { RequestStatus } from '$lib/schema/customer';
import { startOfDayIn } from '$lib/domain/activity';

export type WindowKind = '24h' | '7d' | '30d' | 'custom';
export const WINDOW_KINDS: readonly WindowKind[] = ['24h', '7d', '30d', 'custom'];

/** A window of time: the last 24 hours, 7 or 30 days before now, or custom days (`YYYY-MM-DD`, in the tenant's time zone). */
export interface TimeWindow {
	readonly kind: WindowKind;
	/** Custom: the first day, included ('' = open). */
	readonly from?: string;
	/** Custom: the last day, included ('' = open). */
	readonly to?: string;
}

/** `from` included, `to` excluded; null: open on that side. */
export interface Bounds {
	readonly from: number | null;
	readonly to: number | null;
}

const HOUR_MS = 3_600_000;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The instant a day (`YYYY-MM-DD`) begins in `timeZone`; NaN for something that is not a day. */
export function dayStartIn(day: string, timeZone: string): number {
	if (!DAY_RE.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) return Number.NaN;
	return startOfDayIn(day, timeZone).getTime();
}

/**
 * P2: the bounds of a window at `now`. The last 24 h / 7 / 30 days start exactly that long before now and stay open
 * towards the future (a job a clock ahead of ours reported is still recent); custom days run from the first day's start
 * to the end of the last day in the tenant's time zone.
 */
export function windowBounds(window: TimeWindow, now: Date, timeZone: string): Bounds {
	const at = now.getTime();
	switch (window.kind) {
		case '24h':
			return { from: at - 24 * HOUR_MS, to: null };
		case '7d':
			return { from: at - 7 * 24 * HOUR_MS, to: null };
		case '30d':
			return { from: at - 30 * 24 * HOUR_MS, to: null };
		case 'custom': {
			const from = window.from ? dayStartIn(window.from, timeZone) : Number.NaN;
			const to = window.to ? dayStartIn(nextDay(window.to), timeZone) : Number.NaN;
			return { from: Number.isNaN(from) ? null : from, to: Number.isNaN(to) ? null : to };
		}
	}
}

function nextDay(day: string): string {
	const next = Date.parse(`${day}T00:00:00Z`) + 24 * HOUR_MS;
	return Number.isNaN(next) ? day : new Date(next).toISOString().slice(0, 10);
}

/** Is the instant `iso` inside `bounds`? */
export function inBounds(iso: string, bounds: Bounds): boolean {
	const at = Date.parse(iso);
	if (Number.isNaN(at)) return false;
	return (bounds.from === null || at >= bounds.from) && (bounds.to === null || at < bounds.to);
}

// ---- Across customers, from the summaries (P4, P5) ----

/** What the cross-customer pages read: the tenant replica's summaries (the tenant repository or the scoped view). */
export interface SummarySource {
	summaries(): ReadonlyMap<string, CustomerSummary>;
	observe(listener: () => void): () => void;
}

export interface FailedJobRow extends FailedJobSummary {
	readonly customerId: string;
	readonly customerName: string;
}

export type JobSortColumn = 'jobId' | 'service' | 'module' | 'startedAt' | 'endedAt' | 'customerName';
export interface JobSort {
	readonly column: JobSortColumn;
	readonly descending: boolean;
}

export interface FailedJobFilter {
	readonly bounds: Bounds;
	/** '' = every customer. */
	readonly customerId: string;
	readonly sort: JobSort;
}

/**
 * P4: the failed jobs of every customer the replica has a summary and a name for (a customer the person cannot see has
 * no name here), by end time window and customer, sorted.
 */
export function failedJobRows(
	summaries: ReadonlyMap<string, CustomerSummary>,
	nameOf: (customerId: string) => string | null,
	filter: FailedJobFilter
): FailedJobRow[] {
	const rows: FailedJobRow[] = [];
	for (const [customerId, summary] of summaries) {
		if (filter.customerId !== '' && filter.customerId !== customerId) continue;
		const customerName = nameOf(customerId);
		if (customerName === null) continue;
		for (const job of summary.failedJobs)
			if (inBounds(job.endedAt, filter.bounds)) rows.push({ ...job, customerId, customerName });
	}
	const { column, descending } = filter.sort;
	const sign = descending ? -1 : 1;
	const collator = fmt().collator;
	return rows.sort(
		(a, b) =>
			sign * compareColumn(a, b, column, collator) ||
			b.endedAt.localeCompare(a.endedAt) ||
			a.jobId.localeCompare(b.jobId)
	);
}

function compareColumn(a: FailedJobRow, b: FailedJobRow, column: JobSortColumn, collator: Intl.Collator): number {
	// ISO times compare as text; names and ids as people read them.
	if (column === 'startedAt' || column === 'endedAt') return a[column].localeCompare(b[column]);
	return collator.compare(a[column], b[column]);
}

export interface RequestRow extends RequestSummary {
	readonly customerId: string;
	readonly customerName: string;
}

export interface RequestFilter {
	readonly bounds: Bounds;
	/** Empty = every status. */
	readonly statuses: ReadonlySet<RequestStatus>;
	readonly customerId: string;
}

/** P5: the open service requests of every visible customer, by submission time window and status, newest first. */
export function requestRows(
	summaries: ReadonlyMap<string, CustomerSummary>,
	nameOf: (customerId: string) => string | null,
	filter: RequestFilter
): RequestRow[] {
	const rows: RequestRow[] = [];
	for (const [customerId, summary] of summaries) {
		if (filter.customerId !== '' && filter.customerId !== customerId) continue;
		const customerName = nameOf(customerId);
		if (customerName === null) continue;
		for (const request of summary.requests) {
			if (filter.statuses.size > 0 && !filter.statuses.has(request.status)) continue;
			if (inBounds(request.submittedAt, filter.bounds)) rows.push({ ...request, customerId, customerName });
		}
	}
	return rows.sort((a, b) => b.submittedAt.localeCompare(a.submittedAt) || a.requestId.localeCompare(b.requestId));
}
