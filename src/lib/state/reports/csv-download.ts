// P8: saving a report's CSV (UTF-8 with a BOM, from src/lib/data/csv.ts) as a file named after the report and the day.
import { csvBlob } from '$lib/data/csv';

export function downloadCsv(text: string, fileName: string): void {
	const url = URL.createObjectURL(csvBlob(text));
	const link = document.createElement('a');
	link.href = url;
	link.download = fileName;
	document.body.append(link);
	link.click();
	link.remove();
	// The download has started once click() returns; the URL is released after it was read.
	setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
