// P8: a custom report's rows as a CSV file (the shared writer: BOM, RFC 4180 quoting, formulas defused); the header is the
// columns in the UI's language.
import { csvBlob, toCsv } from '$lib/data/csv';
import type { ReportResult } from '$lib/domain/reports/custom';
import type { ReportSubject } from '$lib/schema/reports';
import { csvCell, fieldLabel } from './custom-labels';

export function reportCsv(subject: ReportSubject, result: ReportResult, timeZone: string): string {
	const header = result.columns.map((field) => fieldLabel(subject, field));
	const rows = result.rows.map((row) => row.map((cell, i) => csvCell(subject, result.columns[i]!, cell, timeZone)));
	return toCsv(header, rows);
}

/** The export as a file's bytes (UTF-8 with its BOM). */
export function reportCsvBlob(subject: ReportSubject, result: ReportResult, timeZone: string): Blob {
	return csvBlob(reportCsv(subject, result, timeZone));
}

/** `name-YYYY-MM-DD.csv` with the name reduced to plain letters and digits. */
export function reportFileName(name: string, today: string): string {
	const base =
		name
			.normalize('NFD')
			.replace(/\p{M}/gu, '')
			.replace(/[^A-Za-z0-9]+/g, '-')
			.replace(/^-|-$/g, '')
			.toLowerCase() || 'report';
	return `${base}-${today}.csv`;
}
