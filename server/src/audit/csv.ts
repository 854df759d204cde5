// P17: a small RFC 4180 CSV writer for the audit export: quoted where needed, CRLF rows, a BOM for spreadsheet programs.
/** Spreadsheet programs read a UTF-8 file without it as their local code page, and umlauts break. */
export const CSV_BOM = '\uFEFF';

/** A cell a spreadsheet would run as a formula (CSV injection) starts with one of these; such cells get a leading '. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvCell(value: string | number | null): string {
	let text = value === null ? '' : String(value);
	if (FORMULA_START.test(text)) text = `'${text}`;
	return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(cells: readonly (string | number | null)[]): string {
	return `${cells.map(csvCell).join(',')}\r\n`;
}
