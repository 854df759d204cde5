// P8: the custom report engine, pure: a definition (src/lib/schema/reports.ts) run over the rows of its subject, in one
// pass that filters, keeps the chosen columns and groups, then one sort. The filters are compiled once per run, so a row
// costs a few comparisons (2,000 customers / 20,000 licenses in milliseconds; `bench/reports.ts` when it exists).
import {
	WINDOW_FIELD,
	reportField,
	type ReportDefinition,
	type ReportField,
	type ReportFilter,
	type ReportWindow
} from '../../schema/reports';

/** A cell: text, a number, a date as ISO 8601 (a day `YYYY-MM-DD` or an instant), or nothing. */
export type Cell = string | number | null;

/** One row of a subject, built once per document change (src/lib/state/reports/custom-rows.ts). */
export interface ReportRow {
	readonly cells: Readonly<Record<string, Cell>>;
	/** Epoch milliseconds of the subject's window field (jobs: end, requests: submission); absent for other subjects. */
	readonly at?: number;
}

export interface RunContext {
	readonly now: Date;
	/** The tenant's time zone: the day an instant falls on for date filters and grouping by day. */
	readonly timeZone: string;
}

export interface ReportGroup {
	/** The grouped field's value (a day for a date field); null collects the rows without one. */
	readonly key: Cell;
	/** Rows in the group. */
	readonly count: number;
	/** The aggregate: the count, the sum, or the average of the measure (null when no row has one). */
	readonly value: number | null;
}

export interface ReportResult {
	readonly columns: readonly string[];
	/** The matching rows, the chosen columns in order, sorted. */
	readonly rows: readonly (readonly Cell[])[];
	readonly groups: readonly ReportGroup[] | null;
}

const WINDOW_MS: Readonly<Record<ReportWindow, number>> = {
	'24h': 24 * 3_600_000,
	'7d': 7 * 24 * 3_600_000,
	'30d': 30 * 24 * 3_600_000,
	'90d': 90 * 24 * 3_600_000
};

/** The `YYYY-MM-DD` formatter of a time zone (one per run: making one costs far more than using it); UTC when unknown. */
function dayFormat(timeZone: string): Intl.DateTimeFormat {
	const options = { year: 'numeric', month: '2-digit', day: '2-digit' } as const;
	try {
		return new Intl.DateTimeFormat('en-CA', { ...options, timeZone });
	} catch {
		return new Intl.DateTimeFormat('en-CA', { ...options, timeZone: 'UTC' });
	}
}

/** Days of instants, memoized per quarter of an hour (every time zone's offset is a multiple of 15 minutes). */
function dayReader(timeZone: string): (cell: Cell) => string | null {
	const byQuarter = new Map<number, string>();
	let format: Intl.DateTimeFormat | null = null;
	return (cell) => {
		if (typeof cell !== 'string') return null;
		if (cell.length === 10) return cell;
		const ms = Date.parse(cell);
		if (Number.isNaN(ms)) return null;
		const quarter = Math.floor(ms / 900_000);
		let day = byQuarter.get(quarter);
		if (day === undefined) {
			format ??= dayFormat(timeZone);
			const parts = format.formatToParts(new Date(quarter * 900_000));
			const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
			day = `${part('year')}-${part('month')}-${part('day')}`;
			byQuarter.set(quarter, day);
		}
		return day;
	};
}

type Predicate = (row: ReportRow) => boolean;

/** Text compares without case and accents ("eria" finds "Ferretería"); plain ASCII skips the normalization. */
const lower = (value: string): string =>
	/^[ -~]*$/.test(value) ? value.toLowerCase() : value.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();

/** One filter as a predicate over the row (the field's type decides how values compare). */
function compileFilter(filter: ReportFilter, field: ReportField, dayOf: (cell: Cell) => string | null): Predicate {
	const name = filter.field;
	const text = (row: ReportRow): string | null => {
		const cell = row.cells[name];
		return cell === null || cell === undefined ? null : String(cell);
	};
	switch (filter.op) {
		case 'equals': {
			if (field.type === 'number') return (row) => row.cells[name] === filter.value;
			if (field.type === 'state') return (row) => row.cells[name] === filter.value;
			const wanted = lower(String(filter.value));
			return (row) => {
				const value = text(row);
				return value !== null && lower(value) === wanted;
			};
		}
		case 'contains': {
			const wanted = lower(filter.value);
			return (row) => {
				const value = text(row);
				return value !== null && lower(value).includes(wanted);
			};
		}
		case 'oneOf': {
			if (field.type === 'state') {
				const wanted = new Set<Cell>(filter.values);
				return (row) => wanted.has(row.cells[name] ?? null);
			}
			const wanted = new Set(filter.values.map(lower));
			return (row) => {
				const value = text(row);
				return value !== null && wanted.has(lower(value));
			};
		}
		case 'greaterThan':
		case 'lessThan': {
			const above = filter.op === 'greaterThan';
			const bound = filter.value;
			// The schema pairs a day with a date field and a number with a number field; anything else matches nothing.
			if (field.type === 'date') {
				if (typeof bound !== 'string') return () => false;
				return (row) => {
					const day = dayOf(row.cells[name] ?? null);
					return day !== null && (above ? day > bound : day < bound);
				};
			}
			if (typeof bound !== 'number') return () => false;
			return (row) => {
				const value = row.cells[name];
				return typeof value === 'number' && (above ? value > bound : value < bound);
			};
		}
		case 'between':
			return (row) => {
				const day = dayOf(row.cells[name] ?? null);
				return day !== null && day >= filter.from && day <= filter.to;
			};
	}
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Nulls last either way; numbers by value; text, states and ISO dates by the collator (ISO sorts as text). */
function compareCells(a: Cell, b: Cell): number {
	if (a === b) return 0;
	if (a === null) return 1;
	if (b === null) return -1;
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	return collator.compare(String(a), String(b));
}

/**
 * Sort keys as numbers (NaN for none): numbers as they are; text and states by their rank among the distinct values in
 * the collator's order (the collator runs over distinct values once, not over every comparison); ISO dates and anything
 * else by their rank in plain string order (ISO 8601 sorts as text).
 */
function sortRanks(keys: readonly Cell[], collate: boolean): Float64Array {
	const ranks = new Float64Array(keys.length);
	const distinct = new Set<string>();
	for (const key of keys) if (typeof key === 'string') distinct.add(key);
	const ordered = [...distinct];
	if (collate) ordered.sort(collator.compare);
	else ordered.sort();
	const rank = new Map(ordered.map((value, index) => [value, index]));
	for (let i = 0; i < keys.length; i++) {
		const key = keys[i]!;
		ranks[i] = key === null ? NaN : typeof key === 'number' ? key : rank.get(key)!;
	}
	return ranks;
}

interface Bucket {
	count: number;
	sum: number;
	measured: number;
}

/**
 * Runs a definition that `reportDefinitionSchema` accepted over its subject's rows. A field the subject lacks was refused
 * by the schema; here it would read as empty (null cells).
 */
export function runReport(definition: ReportDefinition, rows: readonly ReportRow[], context: RunContext): ReportResult {
	const { subject, columns, grouping } = definition;
	const dayOf = dayReader(context.timeZone);
	const predicates: Predicate[] = [];
	for (const filter of definition.filters) {
		const field = reportField(subject, filter.field);
		if (field) predicates.push(compileFilter(filter, field, dayOf));
	}
	const windowStart =
		definition.window !== null && WINDOW_FIELD[subject] !== undefined
			? context.now.getTime() - WINDOW_MS[definition.window]
			: null;
	const windowEnd = context.now.getTime();

	const groupField = grouping ? reportField(subject, grouping.field) : undefined;
	const groupByDay = groupField?.type === 'date';
	const measure = grouping?.aggregate === 'count' ? null : (grouping?.measure ?? null);
	const buckets = grouping ? new Map<Cell, Bucket>() : null;
	const sortField = definition.sort?.field ?? null;

	const kept: (readonly Cell[])[] = [];
	const sortKeys: Cell[] = [];
	rowLoop: for (const row of rows) {
		if (windowStart !== null) {
			const at = row.at;
			if (at === undefined || at < windowStart || at > windowEnd) continue;
		}
		for (const predicate of predicates) if (!predicate(row)) continue rowLoop;
		const cells = row.cells;
		const out: Cell[] = new Array<Cell>(columns.length);
		for (let i = 0; i < columns.length; i++) out[i] = cells[columns[i]!] ?? null;
		kept.push(out);
		if (sortField !== null) sortKeys.push(cells[sortField] ?? null);
		if (buckets && grouping) {
			const raw = cells[grouping.field] ?? null;
			const key = groupByDay ? dayOf(raw) : raw;
			let bucket = buckets.get(key);
			if (!bucket) {
				bucket = { count: 0, sum: 0, measured: 0 };
				buckets.set(key, bucket);
			}
			bucket.count += 1;
			if (measure !== null) {
				const value = cells[measure];
				if (typeof value === 'number') {
					bucket.sum += value;
					bucket.measured += 1;
				}
			}
		}
	}

	let sorted = kept;
	if (sortField !== null && definition.sort) {
		const ranks = sortRanks(
			sortKeys,
			reportField(subject, sortField)?.type === 'text' || reportField(subject, sortField)?.type === 'state'
		);
		const direction = definition.sort.descending ? -1 : 1;
		const order = kept.map((_, index) => index);
		order.sort((a, b) => {
			const [x, y] = [ranks[a]!, ranks[b]!];
			// Nulls (NaN) stay last in both directions; equal keys keep the rows' order.
			if (Number.isNaN(x) || Number.isNaN(y)) return (Number.isNaN(x) ? 1 : 0) - (Number.isNaN(y) ? 1 : 0) || a - b;
			return direction * (x - y) || a - b;
		});
		sorted = order.map((index) => kept[index]!);
	}

	let groups: ReportGroup[] | null = null;
	if (buckets && grouping) {
		groups = [...buckets].map(([key, bucket]) => ({
			key,
			count: bucket.count,
			value:
				grouping.aggregate === 'count'
					? bucket.count
					: bucket.measured === 0
						? null
						: grouping.aggregate === 'sum'
							? bucket.sum
							: bucket.sum / bucket.measured
		}));
		// Days in time order (a line over time); anything else largest first, then by name.
		if (groupByDay) groups.sort((a, b) => compareCells(a.key, b.key));
		else groups.sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity) || compareCells(a.key, b.key));
	}
	return { columns, rows: sorted, groups };
}
