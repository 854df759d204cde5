import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, detectFormat, readLicenseFile } from './export-reader';

const header = CSV_COLUMNS.join(',');
const row = (cells: Record<string, string>, separator = ','): string =>
	CSV_COLUMNS.map((column) => cells[column] ?? '').join(separator);
const company = {
	account_id: 'acc-1',
	account_kind: 'msp',
	account_name: 'Northwind',
	account_login: 'x@northwind.example',
	company_id: 'co-1',
	company_name: 'Contoso GmbH',
	company_kind: 'customer',
	parent_company_id: '',
	access: 'write',
	country: 'DE'
};
const license = {
	...company,
	public_id: 'AAA-111',
	product: 'Endpoint Security',
	license_type: 'msp',
	units_ordered: '50',
	units_activated: '48',
	expires_on: '2027-03-31',
	suspended: 'false'
};

describe('license CSV', () => {
	it('reads UTF-8 with a byte order mark', () => {
		const outcome = readLicenseFile(`\uFEFF${header}\n${row(license)}\n`);
		expect(outcome.ok && outcome.data.licenses[0]?.publicId).toBe('AAA-111');
	});

	it('reads semicolon-separated files (as spreadsheets in many countries export them)', () => {
		const text = `${CSV_COLUMNS.join(';')}\r\n${row({ ...license, company_name: 'Müller, Söhne & Co' }, ';')}\r\n`;
		const outcome = readLicenseFile(text, { format: 'csv' });
		expect(outcome.ok && outcome.data.companies[0]?.name).toBe('Müller, Söhne & Co');
		expect(outcome.ok && outcome.data.licenses[0]?.unitsOrdered).toBe(50);
	});

	it('reads quoted fields with separators, quotes and line breaks inside, and reports later lines as an editor shows them', () => {
		const quoted = { ...license, company_name: '"Contoso, ""East""\nBranch"' };
		const bad = { ...license, public_id: 'BBB-222', units_ordered: '-3' };
		const outcome = readLicenseFile(`${header}\n${row(quoted)}\n${row(bad)}\n`, { name: 'export.csv' });
		expect(outcome.ok).toBe(false);
		// The first data row spans lines 2-3, so the bad row is on line 4.
		expect(!outcome.ok && outcome.issues).toEqual([{ where: 'export.csv: line 4, units_ordered', message: 'at least one unit is ordered' }]);
		const good = readLicenseFile(`${header}\n${row(quoted)}\n`);
		expect(good.ok && good.data.companies[0]?.name).toBe('Contoso, "East"\nBranch');
	});

	it('a company row without license columns is a company without licenses (L6)', () => {
		const outcome = readLicenseFile(`${header}\n${row(license)}\n${row({ ...company, company_id: 'co-2', company_name: 'Tailspin' })}\n`);
		expect(outcome.ok && outcome.data.companies.map((c) => c.id)).toEqual(['co-1', 'co-2']);
		expect(outcome.ok && outcome.data.licenses).toHaveLength(1);
	});

	it('refuses a file with missing columns, naming them', () => {
		const outcome = readLicenseFile('account_id,company_id\nacc-1,co-1\n', { format: 'csv' });
		expect(!outcome.ok && outcome.issues[0]?.message).toMatch(/missing columns: account_kind/);
	});

	it('refuses rows of another account, a duplicate license and an unknown type, one issue each', () => {
		const text = [
			header,
			row(license),
			row({ ...license, account_id: 'acc-2' }),
			row(license),
			row({ ...license, public_id: 'CCC-3', license_type: 'gold' })
		].join('\n');
		const outcome = readLicenseFile(text);
		expect(!outcome.ok && outcome.issues.map((issue) => issue.where)).toEqual(['line 3, account_id']);
		const second = readLicenseFile([header, row(license), row(license), row({ ...license, public_id: 'CCC-3', license_type: 'gold' })].join('\n'));
		expect(!second.ok && second.issues.map((issue) => issue.where)).toEqual(['line 3, public_id', 'line 4, license_type']);
	});

	it('tells JSON from CSV by name, content type or first character', () => {
		expect(detectFormat('{}', 'a.JSON')).toBe('json');
		expect(detectFormat('x', 'text/csv')).toBe('csv');
		expect(detectFormat('\uFEFF  {"format":1}')).toBe('json');
		expect(detectFormat('account_id,')).toBe('csv');
	});

	it('refuses JSON that does not parse, with the reason', () => {
		const outcome = readLicenseFile('{"format": ', { name: 'a.json' });
		expect(!outcome.ok && outcome.issues[0]?.where).toBe('a.json: file');
		expect(!outcome.ok && outcome.issues[0]?.message).toMatch(/not valid JSON/);
	});
});
