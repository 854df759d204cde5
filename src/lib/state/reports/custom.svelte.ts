// P8: custom reports as screens read them: the tenant's saved reports (or those of a scoped person's view), each subject's
// rows over the same replica, and a builder whose result follows every change at once (the preview).
import { createSubscriber } from 'svelte/reactivity';
import type { TenantRepository } from '$lib/data/tenant-repository';
import { DomainError } from '$lib/domain/errors';
import { runReport, type Cell, type ReportResult } from '$lib/domain/reports/custom';
import type { CustomerSummary } from '$lib/schema/customer-summary';
import {
	DEFAULT_DEFINITION,
	REPORT_FIELDS,
	REPORT_LIMITS,
	WINDOW_FIELD,
	reportDefinitionSchema,
	reportField,
	savedReportSchema,
	type ReportAggregate,
	type ReportChart,
	type ReportDefinition,
	type ReportFilter,
	type ReportOperator,
	type ReportSubject,
	type ReportWindow,
	type SavedReport
} from '$lib/schema/reports';
import { getLocale } from '$lib/paraglide/runtime.js';
import type { TreeState } from '../tree.svelte';
import type { LicensesState } from '../licenses.svelte';
import type { TenantDay } from '../tenant-day.svelte';
import { subjectRows, type SubjectRows } from './custom-rows';

export interface CustomReportsOptions {
	/** A repository that may write when the person may save (reports.edit, tenant-wide); read-only otherwise. */
	readonly repo: TenantRepository;
	readonly tree: TreeState;
	readonly licenses: LicensesState;
	readonly day: TenantDay;
	/** reports.edit on the whole tenant: save, rename, duplicate, delete. */
	readonly canSave: boolean;
	/** Who saves (the signed-in email), written into a new report's `createdBy`. */
	readonly author: () => string;
	readonly now?: () => Date;
	readonly newId?: () => string;
}

/** Why a stored report cannot run: where (`definition.columns.1`), and the field it names that no longer exists. */
export interface SavedReportProblem {
	readonly path: string;
	readonly field: string | null;
}

/** A saved report's entry, whether or not its definition still runs. */
export interface SavedReportEntry {
	readonly id: string;
	readonly report: SavedReport | null;
	readonly problem: SavedReportProblem | null;
}

export class CustomReportsState {
	readonly canSave: boolean;
	readonly #repo: TenantRepository;
	readonly #tree: TreeState;
	readonly #licenses: LicensesState;
	readonly #day: TenantDay;
	readonly #author: () => string;
	readonly #now: () => Date;
	readonly #newId: () => string;

	// The replica's saved reports and summaries, read again after each document change while a screen reads them (the
	// DashboardState pattern: no $derived here, because this state outlives the screen that first asked for it).
	#active = false;
	#stale = true;
	#saved: SavedReport[] = [];
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a cache replaced whole; the subscriber is its signal
	#summaries: ReadonlyMap<string, CustomerSummary> = new Map();
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
	/** The rows of the last run, and what they were built from (rebuilt only when one of those changed). */
	#rows: { readonly key: readonly unknown[]; readonly rows: SubjectRows } | null = null;

	constructor(options: CustomReportsOptions) {
		this.#repo = options.repo;
		this.#tree = options.tree;
		this.#licenses = options.licenses;
		this.#day = options.day;
		this.canSave = options.canSave;
		this.#author = options.author;
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a clock read on demand, not state
		this.#now = options.now ?? (() => new Date());
		this.#newId = options.newId ?? (() => crypto.randomUUID());
	}

	#read(): void {
		this.#subscribe();
		if (!this.#stale && this.#active) return;
		this.#saved = this.#repo.savedReports();
		this.#summaries = this.#repo.summaries();
		this.#stale = !this.#active;
	}

	/** The saved reports that run, by name. */
	get saved(): readonly SavedReport[] {
		this.#read();
		return this.#saved;
	}

	/** One stored report, or why it cannot run; null when there is no such report. */
	entry(id: string): SavedReportEntry | null {
		this.#read();
		const report = this.#repo.savedReport(id);
		if (report) return { id, report, problem: null };
		const raw = this.#repo.rawSavedReport(id);
		if (raw === undefined) return null;
		const parsed = savedReportSchema.safeParse(raw);
		const issue = parsed.success ? undefined : parsed.error.issues[0];
		const field = issue?.code === 'custom' ? (issue.params as { field?: unknown } | undefined)?.field : undefined;
		return {
			id,
			report: null,
			problem: { path: issue?.path.join('.') ?? '', field: typeof field === 'string' ? field : null }
		};
	}

	get timeZone(): string {
		return this.#day.timeZone;
	}

	get tenantName(): string | null {
		return this.#tree.tenantName;
	}

	/** Each subject's rows, built again only when the tree, the licenses, the summaries or the language changed. */
	#subjectRows(): SubjectRows {
		this.#read();
		const key = [this.#tree.view.nodes, this.#licenses.entries, this.#summaries, getLocale()];
		if (this.#rows && this.#rows.key.every((part, i) => part === key[i])) return this.#rows.rows;
		const rows = subjectRows({
			nodes: this.#tree.view.nodes,
			summaries: this.#summaries,
			licenses: this.#licenses.entries,
			locale: getLocale()
		});
		this.#rows = { key, rows };
		return rows;
	}

	/** Runs a definition over this device's replica now (offline too). */
	run(definition: ReportDefinition): ReportResult {
		return runReport(definition, this.#subjectRows()[definition.subject], {
			now: this.#now(),
			timeZone: this.#day.timeZone
		});
	}

	/** Saves a new report (or over `id`); returns its id. */
	save(input: { id?: string; name: string; description: string; definition: ReportDefinition }): string {
		const existing = input.id ? this.#repo.savedReport(input.id) : null;
		const id = existing?.id ?? input.id ?? this.#newId();
		this.#repo.putSavedReport({
			id,
			name: input.name,
			description: input.description,
			definition: input.definition,
			createdBy: existing?.createdBy ?? this.#author(),
			updatedAt: this.#now().toISOString()
		});
		return id;
	}

	rename(id: string, name: string, description?: string): void {
		const report = this.#repo.savedReport(id);
		if (!report) return;
		this.#repo.putSavedReport({
			...report,
			name,
			description: description ?? report.description,
			updatedAt: this.#now().toISOString()
		});
	}

	/** A copy under a new id, named "<name> (copy)" by the caller; returns the new id. */
	duplicate(id: string, name: string): string | null {
		const report = this.#repo.savedReport(id);
		if (!report) return null;
		return this.save({ name, description: report.description, definition: report.definition });
	}

	delete(id: string): void {
		this.#repo.deleteSavedReport(id);
	}
}

/** The fields of a subject in catalog order. */
export function subjectFields(subject: ReportSubject): string[] {
	return Object.keys(REPORT_FIELDS[subject]);
}

/** The number fields of a subject (what sums and averages take). */
export function numberFields(subject: ReportSubject): string[] {
	return subjectFields(subject).filter((name) => reportField(subject, name)?.type === 'number');
}

/** A filter's starting value for a field, by its type. */
export function newFilter(subject: ReportSubject, field: string, today: string): ReportFilter {
	const type = reportField(subject, field)?.type ?? 'text';
	if (type === 'number') return { field, op: 'greaterThan', value: 0 };
	if (type === 'date') return { field, op: 'between', from: today, to: today };
	// Empty until the person types or picks: the preview says which filter still needs a value.
	if (type === 'state') return { field, op: 'oneOf', values: [] };
	return { field, op: 'contains', value: '' };
}

/** The filter after its operator changed: the value carries over where it still fits, else the type's default. */
export function withOperator(
	subject: ReportSubject,
	filter: ReportFilter,
	op: ReportOperator,
	today: string
): ReportFilter {
	const { field } = filter;
	const type = reportField(subject, field)?.type ?? 'text';
	const text = 'value' in filter && typeof filter.value === 'string' ? filter.value : '';
	const number = 'value' in filter && typeof filter.value === 'number' ? filter.value : 0;
	const day =
		'from' in filter
			? filter.from
			: 'value' in filter && typeof filter.value === 'string' && type === 'date'
				? filter.value
				: today;
	switch (op) {
		case 'equals':
			return { field, op, value: type === 'number' ? number : text };
		case 'contains':
			return { field, op, value: text };
		case 'greaterThan':
		case 'lessThan':
			return { field, op, value: type === 'date' ? day : number };
		case 'between':
			return { field, op, from: day, to: 'to' in filter ? filter.to : day };
		case 'oneOf':
			return { field, op, values: 'values' in filter ? filter.values : text === '' ? [] : [text] };
	}
}

/** P8: what the person is building, and its result at once (the preview). */
export class ReportBuilder {
	readonly #reports: CustomReportsState;
	definition = $state.raw<ReportDefinition>(DEFAULT_DEFINITION);
	name = $state('');
	description = $state('');
	/** The saved report being edited (null: a new one). */
	savedId = $state<string | null>(null);

	#checked = $derived(reportDefinitionSchema.safeParse(this.definition));
	#result = $derived.by((): ReportResult | null =>
		this.#checked.success ? this.#reports.run(this.#checked.data) : null
	);

	/** The saved definition the builder last took (changes made here since make it `dirty`). */
	#loaded = $state.raw<ReportDefinition | null>(null);

	constructor(reports: CustomReportsState, start?: SavedReport) {
		this.#reports = reports;
		if (start) this.load(start);
	}

	/** Takes a saved report (again: another device may have changed it); the builder's own changes are dropped. */
	load(report: SavedReport): void {
		this.definition = report.definition;
		this.#loaded = report.definition;
		this.name = report.name;
		this.description = report.description;
		this.savedId = report.id;
	}

	/** Changed here since it was loaded (a new report: always). */
	get dirty(): boolean {
		return this.definition !== this.#loaded;
	}

	/** Saves what is built: over the loaded report, or as a new one named `name`. Returns the id. */
	save(asNew: { name: string; description: string } | null = null): string {
		const definition = this.checked;
		if (!definition) throw new DomainError('report.invalidInput', 'the report is not complete');
		const target = asNew ?? { name: this.name, description: this.description };
		const id = this.#reports.save({
			...(asNew === null && this.savedId !== null ? { id: this.savedId } : {}),
			name: target.name,
			description: target.description,
			definition
		});
		this.savedId = id;
		this.name = target.name;
		this.description = target.description;
		this.#loaded = definition;
		this.definition = definition;
		return id;
	}

	/** The result of the current definition, or null while it is incomplete (see `problem`). */
	get result(): ReportResult | null {
		return this.#result;
	}

	/**
	 * Where the first thing is that keeps the definition from running (an empty filter value: `['filters', 2]`), or null
	 * when it runs; the screen names the part in words.
	 */
	get problemPath(): readonly PropertyKey[] | null {
		if (this.#checked.success) return null;
		return this.#checked.error.issues[0]?.path ?? [];
	}

	/** The definition as it runs (null while incomplete). */
	get checked(): ReportDefinition | null {
		return this.#checked.success ? this.#checked.data : null;
	}

	/** A new subject starts with its first three fields, no filters and no grouping. */
	setSubject(subject: ReportSubject): void {
		if (subject === this.definition.subject) return;
		const fields = subjectFields(subject);
		this.definition = {
			subject,
			columns: fields.slice(0, 3),
			filters: [],
			window: WINDOW_FIELD[subject] === undefined ? null : '30d',
			grouping: null,
			sort: { field: WINDOW_FIELD[subject] ?? fields[0]!, descending: WINDOW_FIELD[subject] !== undefined },
			chart: this.definition.chart
		};
	}

	toggleColumn(field: string, on: boolean): void {
		const columns = this.definition.columns.filter((name) => name !== field);
		if (on && columns.length < REPORT_LIMITS.columns) {
			// Catalog order keeps the columns where people expect them.
			const order = subjectFields(this.definition.subject);
			columns.push(field);
			columns.sort((a, b) => order.indexOf(a) - order.indexOf(b));
		}
		this.definition = { ...this.definition, columns };
	}

	addFilter(field: string, today: string): void {
		if (this.definition.filters.length >= REPORT_LIMITS.filters) return;
		this.definition = {
			...this.definition,
			filters: [...this.definition.filters, newFilter(this.definition.subject, field, today)]
		};
	}

	setFilter(index: number, filter: ReportFilter): void {
		this.definition = {
			...this.definition,
			filters: this.definition.filters.map((current, i) => (i === index ? filter : current))
		};
	}

	removeFilter(index: number): void {
		this.definition = { ...this.definition, filters: this.definition.filters.filter((_, i) => i !== index) };
	}

	setWindow(window: ReportWindow | null): void {
		this.definition = { ...this.definition, window };
	}

	setGrouping(field: string | null, aggregate: ReportAggregate = 'count', measure: string | null = null): void {
		const grouping =
			field === null
				? null
				: {
						field,
						aggregate,
						measure: aggregate === 'count' ? null : (measure ?? numberFields(this.definition.subject)[0] ?? null)
					};
		const chart: ReportChart =
			grouping === null ? 'table' : this.definition.chart === 'table' ? 'bar' : this.definition.chart;
		this.definition = { ...this.definition, grouping, chart };
	}

	setSort(field: string | null, descending = false): void {
		this.definition = { ...this.definition, sort: field === null ? null : { field, descending } };
	}

	setChart(chart: ReportChart): void {
		this.definition = { ...this.definition, chart };
	}
}

export type { Cell };
