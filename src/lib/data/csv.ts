// P7: a CSV writer for exports people open in spreadsheet programs: RFC 4180 quoting (papaparse), CRLF rows, UTF-8 with a
// BOM so that umlauts read right, cells that a spreadsheet would run as a formula defused, and dates (P9) as machines read them.
import Papa from 'papaparse';

/** Spreadsheet programs read a UTF-8 file without it in their local code page, and umlauts break. */
export const CSV_BOM = '\uFEFF';

/** A cell starting with one of these would run as a formula (CSV injection): it gets a leading apostrophe. */
const FORMULA_START = /^[=+\-@\t\r]/;

export type CsvCell = string | number | null;

function cell(value: CsvCell): string {
	if (value === null) return '';
	if (typeof value === 'number') return String(value);
	return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The whole file: BOM, the header, one line per row, each line ended by CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
	const body = Papa.unparse(
		{ fields: header.map(cell), data: rows.map((row) => row.map(cell)) },
		// Quote only where needed (a comma, a quote, a line break, spaces around), quotes doubled.
		{ newline: '\r\n', quotes: false, quoteChar: '"', escapeChar: '"', delimiter: ',', header: true }
	);
	return `${CSV_BOM}${body.endsWith('\r\n') ? body : `${body}\r\n`}`;
}

/** The same as bytes for a download (UTF-8). */
export function csvBlob(text: string): Blob {
	return new Blob([text], { type: 'text/csv;charset=utf-8' });
}


// P9: dates in CSV files (pure, shared with the server's exports).
export { csvDay, csvInstant } from '../domain/zoned-time';
