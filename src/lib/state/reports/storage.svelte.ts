// P8: the storage consumption report as the screen reads it: customers by data volume, the top of them for the chart,
// the table's sort and the CSV.
import { m } from '$lib/paraglide/messages.js';
import { toCsv } from '$lib/data/csv';
import { storageReport, type StorageReport, type StorageRow } from '$lib/domain/reports/storage';
import { TableSort } from './table-sort.svelte';
import type { ReportSource } from './report-source';

export const STORAGE_TOP_N = 10;
/** Rows drawn at first: a table of thousands of rows takes seconds to lay out; "show all" draws the rest. */
export const REPORT_ROW_LIMIT = 100;
export type StorageColumn = 'rank' | 'name' | 'storage';

export class StorageReportState {
	readonly #source: ReportSource;
	readonly sort = new TableSort<StorageColumn>('rank');
	/** Every row drawn, not only the first REPORT_ROW_LIMIT. */
	showAll = $state(false);
	#report = $derived.by(() => storageReport({ nodes: this.#source.nodes, summaries: this.#source.summaries }));
	#rows = $derived.by(() =>
		this.sort.apply(this.#report.rows, (row, column) =>
			column === 'name' ? row.name : column === 'storage' ? row.storageBytes : row.rank
		)
	);

	constructor(source: ReportSource) {
		this.#source = source;
	}

	get report(): StorageReport {
		return this.#report;
	}

	/** The largest customers with data, for the chart. */
	get top(): readonly StorageRow[] {
		return this.#report.rows.slice(0, STORAGE_TOP_N).filter((row) => row.storageBytes > 0);
	}

	/** The table's rows in the chosen sort. */
	get rows(): readonly StorageRow[] {
		return this.#rows;
	}

	/** The rows drawn: the first REPORT_ROW_LIMIT of them until every row is asked for (the CSV has all of them). */
	get shownRows(): readonly StorageRow[] {
		return this.showAll ? this.#rows : this.#rows.slice(0, REPORT_ROW_LIMIT);
	}

	csv(): string {
		return toCsv(
			[m.rpt_col_rank(), m.rpt_col_customer(), m.rpt_col_storage_bytes(), m.rpt_col_share_percent()],
			this.#rows.map((row) => [row.rank, row.name, row.storageBytes, Math.round(row.share * 1000) / 10])
		);
	}
}
