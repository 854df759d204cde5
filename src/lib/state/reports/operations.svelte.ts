// P8: the customer operations report as the screen reads it: the chosen window (like the dashboard's), the figures per
// service, the service opened for the drill-down, the period in words and the CSV.
import { createSubscriber } from 'svelte/reactivity';
import { m } from '$lib/paraglide/messages.js';
import { toCsv } from '$lib/data/csv';
import {
	customersByName,
	operationsReport,
	type OperationsReport,
	type ServiceFigures
} from '$lib/domain/reports/operations';
import type { ServiceKind } from '$lib/schema/customer';
import { DEFAULT_PRESET, windowBounds, type TimeWindow, type WindowChoice } from '../dashboard-window';
import { serviceKindLabel } from '../work-labels';
import { fmt } from '../locale.svelte';
import type { ReportSource } from './report-source';

const TICK_MS = 60_000;

/** The drill-down: a service kind, the customers without a service, or none open. */
export type ServiceChoice = ServiceKind | 'none' | null;

export function serviceLabel(service: ServiceKind | null): string {
	return service === null ? m.rpt_ops_without_service() : serviceKindLabel(service);
}

export class OperationsReportState {
	readonly #source: ReportSource;
	readonly #now: () => Date;
	#minute = $state(0);
	#watchClock = createSubscriber(() => {
		const timer = setInterval(() => (this.#minute = Math.floor(this.#now().getTime() / TICK_MS)), TICK_MS);
		return () => clearInterval(timer);
	});

	choice = $state.raw<WindowChoice>({ kind: DEFAULT_PRESET });
	/** The service whose customers are listed. */
	opened = $state<ServiceChoice>(null);

	#window = $derived.by(() => {
		void this.#minute;
		return windowBounds(this.choice, this.#now(), this.#source.timeZone);
	});
	#report = $derived.by(() =>
		operationsReport({ nodes: this.#source.nodes, summaries: this.#source.summaries, window: this.#window })
	);

	#opened = $derived.by((): ServiceFigures | null => {
		const opened = this.opened;
		if (opened === null) return null;
		const figures =
			opened === 'none'
				? this.#report.withoutService
				: (this.#report.services.find((s) => s.service === opened) ?? null);
		return figures && { ...figures, customers: customersByName(figures.customers) };
	});

	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a clock read on demand, not state
	constructor(source: ReportSource, now: () => Date = () => new Date()) {
		this.#source = source;
		this.#now = now;
		this.#minute = Math.floor(now().getTime() / TICK_MS);
	}

	get window(): TimeWindow {
		this.#watchClock();
		return this.#window;
	}

	get report(): OperationsReport {
		this.#watchClock();
		return this.#report;
	}

	get timeZone(): string {
		return this.#source.timeZone;
	}

	/** The opened service's figures, its customers by name (null: the summary is shown). */
	get openedFigures(): ServiceFigures | null {
		this.#watchClock();
		return this.#opened;
	}

	/** "20 Nov 2026, 12:01 – 27 Nov 2026, 12:00" in the tenant's time zone (the last minute counted). */
	get period(): string {
		const window = this.window;
		const format = fmt().inTimeZone(this.timeZone);
		return m.rpt_period_range({
			from: format.dateTime(window.from),
			to: format.dateTime(window.to.getTime() - 60_000)
		});
	}

	/** The summary per service, or the opened service's customers. */
	csv(): string {
		const figures = this.openedFigures;
		if (figures) {
			return toCsv(
				[
					m.rpt_col_service(),
					m.rpt_col_customer(),
					m.rpt_col_failed_jobs(),
					m.rpt_col_open_requests(),
					m.rpt_col_storage_bytes()
				],
				figures.customers.map((c) => [
					serviceLabel(figures.service),
					c.name,
					c.failedJobs,
					c.openRequests,
					c.storageBytes
				])
			);
		}
		const report = this.report;
		return toCsv(
			[
				m.rpt_col_service(),
				m.rpt_col_customers(),
				m.rpt_col_failed_jobs(),
				m.rpt_col_open_requests(),
				m.rpt_col_storage_bytes()
			],
			[...report.services, report.withoutService].map((s) => [
				serviceLabel(s.service),
				s.customers.length,
				s.failedJobs,
				s.openRequests,
				s.storageBytes
			])
		);
	}
}
