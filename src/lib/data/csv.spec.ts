import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { CSV_BOM, toCsv } from './csv';

describe('toCsv (P7: the directory export)', () => {
	it('P7: starts with a UTF-8 BOM, ends every line with CRLF, and keeps umlauts as they are', () => {
		const text = toCsv(['Organization', 'Country'], [['Müller Söhne GmbH', 'DE']]);
		expect(text.startsWith(CSV_BOM)).toBe(true);
		expect(text).toBe(`${CSV_BOM}Organization,Country\r\nMüller Söhne GmbH,DE\r\n`);
		const bytes = new TextEncoder().encode(text);
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	});

	it('P7: quotes cells with commas, quotes and line breaks, doubling the quotes, and reads back the same', () => {
		const rows = [
			['Acme, Inc.', 'say "hi"', 'line one\nline two', 'plain'],
			['', 'a\r\nb', 'x', '3']
		];
		const text = toCsv(['a', 'b', 'c', 'd'], rows);
		expect(text).toContain('"Acme, Inc.","say ""hi""","line one\nline two",plain\r\n');
		const parsed = Papa.parse<string[]>(text.slice(CSV_BOM.length), { newline: '\r\n', skipEmptyLines: true });
		expect(parsed.errors).toEqual([]);
		expect(parsed.data).toEqual([['a', 'b', 'c', 'd'], ...rows]);
	});

	it('P7: numbers and empty cells are written as they are, no cell is quoted without need', () => {
		expect(toCsv(['n', 'e'], [[12, null]])).toBe(`${CSV_BOM}n,e\r\n12,\r\n`);
	});

	it('P7: a cell a spreadsheet would run as a formula is defused with an apostrophe', () => {
		const text = toCsv(['x'], [['=HYPERLINK("http://evil")'], ['+1'], ['-2'], ['@SUM(A1)']]);
		expect(text).toBe(`${CSV_BOM}x\r\n"'=HYPERLINK(""http://evil"")"\r\n'+1\r\n'-2\r\n'@SUM(A1)\r\n`);
	});

	it('P7: a header alone when nothing is selected', () => {
		expect(toCsv(['a', 'b'], [])).toBe(`${CSV_BOM}a,b\r\n`);
	});
});
