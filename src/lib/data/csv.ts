// P7: a CSV writer for exports people open in spreadsheet programs: RFC 4180 quoting (papaparse), CRLF rows, UTF-8 with a
// BOM so that umlauts read right, and cells that a spreadsheet would run as a formula defused.
import Papa from 'papaparse';
import { clock24, isoInZone, patternDate, wallClock } from '../domain/zoned-time';
import type { DateFormat } from '../schema/settings';

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

/**
 * P9: an instant in a CSV file. ISO 8601 with the tenant's offset (`2026-11-20T13:05:00+01:00`), which every program
 * reads, unless the tenant chose a date pattern: then that pattern and a 24-hour time in the tenant's zone
 * (`20.11.2026 13:05`), which spreadsheets set up for that pattern read as a date. Never the language's own wording.
 */
export function csvInstant(instant: Date, timeZone: string, dateFormat: DateFormat): string {
	if (Number.isNaN(instant.getTime())) return '';
	if (dateFormat === 'auto') return isoInZone(instant, timeZone);
	const c = wallClock(instant, timeZone);
	return `${patternDate(c.year, c.month, c.day, dateFormat)} ${clock24(c)}`;
}

/** P9: a calendar day (`YYYY-MM-DD`) in a CSV file: as it is, or in the tenant's chosen pattern. */
export function csvDay(day: string, dateFormat: DateFormat): string {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
	if (!match || dateFormat === 'auto') return day;
	return patternDate(Number(match[1]), Number(match[2]), Number(match[3]), dateFormat);
}
