// P8: the sort of a report's table: a column and a direction, toggled by the column headers; ties keep the report's order.
import { fmt } from '../locale.svelte';

export type SortKey = string | number;

export class TableSort<C extends string> {
	column = $state<C>() as C;
	descending = $state(false);

	constructor(column: C, descending = false) {
		this.column = column;
		this.descending = descending;
	}

	/** The same column again turns the direction; another column starts with `descendingFirst` (numbers: largest first). */
	toggle(column: C, descendingFirst = false): void {
		if (this.column === column) this.descending = !this.descending;
		else {
			this.column = column;
			this.descending = descendingFirst;
		}
	}

	/** `aria-sort` of a column header. */
	ariaSort(column: C): 'ascending' | 'descending' | 'none' {
		if (this.column !== column) return 'none';
		return this.descending ? 'descending' : 'ascending';
	}

	/** The rows in this sort (a stable sort over a copy); `key` gives a row's value in a column. */
	apply<R>(rows: readonly R[], key: (row: R, column: C) => SortKey): R[] {
		const sign = this.descending ? -1 : 1;
		const column = this.column;
		const collator = fmt().collator;
		const decorated = rows.map((row, index) => ({ row, index, value: key(row, column) }));
		decorated.sort((a, b) => {
			const order =
				typeof a.value === 'number' && typeof b.value === 'number'
					? a.value - b.value
					: collator.compare(String(a.value), String(b.value));
			return order * sign || a.index - b.index;
		});
		return decorated.map((d) => d.row);
	}
}
