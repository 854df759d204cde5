// L1-L3, L10: reads a vendor account from `msp-license-export/1` (JSON, or CSV as people export it) or from the pages of
// `msp-license-api/1`, entry by entry with zod. Any invalid entry refuses the whole file, with one issue per entry.
import Papa from 'papaparse';
import type { z } from 'zod';
import {
	licenseExportFileSchema,
	MAX_IMPORT_ISSUES,
	vendorAccountSchema,
	vendorCompanySchema,
	vendorLicenseSchema,
	type ImportIssue,
	type LicenseExport,
	type VendorAccount,
	type VendorCompany,
	type VendorLicense
} from '../../schema/license-export';

export type ReadOutcome = { ok: true; data: LicenseExport } | { ok: false; issues: ImportIssue[] };

/** An entry as it came, with where it came from ("licenses[3]", "line 7", "licenses page 2, item 5"). */
export interface Located {
	readonly value: unknown;
	readonly where: string;
}

export type FileFormat = 'json' | 'csv';

/** The format of a file from its name or content type, else from its first character. */
export function detectFormat(text: string, hint?: string | null): FileFormat {
	const h = hint?.toLowerCase() ?? '';
	if (h.endsWith('.json') || h.includes('json')) return 'json';
	if (h.endsWith('.csv') || h.includes('csv')) return 'csv';
	return stripBom(text).trimStart().startsWith('{') ? 'json' : 'csv';
}

export function stripBom(text: string): string {
	return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads a whole file; `name` prefixes every issue's place. */
export function readLicenseFile(text: string, options: { name?: string; format?: FileFormat } = {}): ReadOutcome {
	const format = options.format ?? detectFormat(text, options.name);
	const outcome = format === 'json' ? readJson(stripBom(text)) : readCsv(stripBom(text));
	if (outcome.ok || !options.name) return outcome;
	return { ok: false, issues: outcome.issues.map((issue) => ({ ...issue, where: `${options.name}: ${issue.where}` })) };
}

function zodMessages(where: string, error: z.ZodError, fieldName: (path: PropertyKey[]) => string = defaultPath): ImportIssue[] {
	return error.issues.map((issue) => ({
		where: issue.path.length > 0 ? `${where}${fieldName(issue.path)}` : where,
		message: issue.message
	}));
}

const defaultPath = (path: PropertyKey[]): string =>
	path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');

function readJson(text: string): ReadOutcome {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (error) {
		return { ok: false, issues: [{ where: 'file', message: `not valid JSON: ${(error as Error).message}` }] };
	}
	const file = licenseExportFileSchema.safeParse(json);
	if (!file.success) return { ok: false, issues: limit(zodMessages('', file.error).map(rootWhere)) };
	return checkExport(
		file.data.account,
		file.data.companies.map((value, i) => ({ value, where: `companies[${i}]` })),
		file.data.licenses.map((value, i) => ({ value, where: `licenses[${i}]` })),
		file.data.exportedAt ?? null
	);
}

const rootWhere = (issue: ImportIssue): ImportIssue => ({ ...issue, where: issue.where.replace(/^\./, '') || 'file' });

/** The CSV columns of `msp-license-export/1`, one row per license; a company without licenses has empty license columns. */
export const CSV_COLUMNS = [
	'account_id',
	'account_kind',
	'account_name',
	'account_login',
	'company_id',
	'company_name',
	'company_kind',
	'parent_company_id',
	'access',
	'country',
	'site_id',
	'site_name',
	'public_id',
	'product',
	'license_type',
	'units_ordered',
	'units_activated',
	'expires_on',
	'suspended'
] as const;
type CsvRow = Record<(typeof CSV_COLUMNS)[number], string>;

const LICENSE_COLUMNS = ['public_id', 'product', 'license_type', 'units_ordered', 'units_activated', 'expires_on', 'suspended'] as const;
const COLUMN_OF: Record<string, string> = {
	id: 'account_id',
	kind: 'company_kind',
	name: 'company_name',
	login: 'account_login',
	parentId: 'parent_company_id',
	access: 'access',
	country: 'country',
	publicId: 'public_id',
	product: 'product',
	type: 'license_type',
	companyId: 'company_id',
	siteId: 'site_id',
	unitsOrdered: 'units_ordered',
	unitsActivated: 'units_activated',
	expiresOn: 'expires_on',
	suspended: 'suspended'
};

function readCsv(text: string): ReadOutcome {
	// papaparse guesses comma or semicolon, and reads quoted fields with separators and line breaks inside.
	const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy', delimitersToGuess: [',', ';', '\t'] });
	const issues: ImportIssue[] = [];
	for (const error of parsed.errors.slice(0, 20))
		if (error.type !== 'Delimiter') issues.push({ where: error.row !== undefined ? `row ${error.row + 1}` : 'file', message: error.message });
	const [header, ...rows] = parsed.data;
	if (!header) return { ok: false, issues: [{ where: 'file', message: 'the file is empty' }] };
	const names = header.map((name) => name.trim().toLowerCase());
	const missing = CSV_COLUMNS.filter((column) => !names.includes(column));
	if (missing.length > 0) return { ok: false, issues: [{ where: 'line 1', message: `missing columns: ${missing.join(', ')}` }] };
	if (issues.length > 0) return { ok: false, issues };

	// Line numbers as a person sees them in an editor: a quoted field with line breaks spans several lines.
	const lines = lineNumbers(text, rows.length);
	const records = rows.map((cells, i) => {
		const row = Object.fromEntries(names.map((name, col) => [name, (cells[col] ?? '').trim()])) as CsvRow;
		return { row, line: lines[i] ?? i + 2 };
	});
	if (records.length === 0) return { ok: false, issues: [{ where: 'file', message: 'the file holds no rows' }] };

	const first = records[0]!.row;
	const account = {
		id: first.account_id,
		kind: first.account_kind,
		name: first.account_name,
		login: first.account_login
	};
	const companies = new Map<string, { value: Record<string, unknown>; where: string }>();
	const licenses: Located[] = [];
	for (const { row, line } of records) {
		const where = `line ${line}`;
		if (row.account_id !== first.account_id) {
			issues.push({ where: `${where}, account_id`, message: 'every row must belong to the same account' });
			continue;
		}
		let company = companies.get(row.company_id);
		if (!company) {
			company = {
				value: {
					id: row.company_id,
					name: row.company_name,
					kind: row.company_kind,
					parentId: row.parent_company_id || null,
					access: row.access,
					country: row.country || null,
					sites: [] as { id: string; name: string }[]
				},
				where
			};
			companies.set(row.company_id, company);
		}
		if (row.site_id) {
			const sites = company.value.sites as { id: string; name: string }[];
			if (!sites.some((site) => site.id === row.site_id)) sites.push({ id: row.site_id, name: row.site_name });
		}
		if (LICENSE_COLUMNS.every((column) => row[column] === '')) continue;
		licenses.push({
			value: {
				publicId: row.public_id,
				product: row.product,
				type: row.license_type,
				companyId: row.company_id,
				siteId: row.site_id || null,
				unitsOrdered: csvInteger(row.units_ordered),
				unitsActivated: csvInteger(row.units_activated),
				expiresOn: row.expires_on,
				suspended: csvBoolean(row.suspended)
			},
			where
		});
	}
	if (issues.length > 0) return { ok: false, issues: limit(issues) };
	return checkExport(account, [...companies.values()], licenses, null, (path) => `, ${COLUMN_OF[String(path[0])] ?? String(path[0])}`);
}

function csvInteger(cell: string): number | string {
	return /^-?\d+$/.test(cell) ? Number(cell) : cell;
}

function csvBoolean(cell: string): boolean | string {
	const value = cell.toLowerCase();
	if (['true', 'yes', '1'].includes(value)) return true;
	if (['false', 'no', '0', ''].includes(value)) return false;
	return cell;
}

/** The line (1-based) where each data row starts, counting the line breaks inside quoted fields. */
function lineNumbers(text: string, count: number): number[] {
	const starts: number[] = [];
	let line = 1;
	let quoted = false;
	let atRowStart = true;
	let seenHeader = false;
	for (let i = 0; i < text.length && starts.length < count; i++) {
		const ch = text[i]!;
		if (atRowStart && ch !== '\n' && ch !== '\r') {
			if (seenHeader) starts.push(line);
			atRowStart = false;
		}
		if (ch === '"') quoted = !quoted;
		else if (ch === '\n') {
			line++;
			if (!quoted) {
				atRowStart = true;
				seenHeader = true;
			}
		}
	}
	return starts;
}

function limit(issues: ImportIssue[]): ImportIssue[] {
	if (issues.length <= MAX_IMPORT_ISSUES) return issues;
	return [
		...issues.slice(0, MAX_IMPORT_ISSUES),
		{ where: 'file', message: `and ${issues.length - MAX_IMPORT_ISSUES} more problems` }
	];
}

/**
 * Checks an account, its companies and its licenses entry by entry and against each other (a license's company and site
 * exist, public IDs and company ids are unique, a business account's licenses name their site). All issues, or the data.
 */
export function checkExport(
	rawAccount: unknown,
	rawCompanies: readonly Located[],
	rawLicenses: readonly Located[],
	exportedAt: string | null = null,
	fieldName?: (path: PropertyKey[]) => string
): ReadOutcome {
	const issues: ImportIssue[] = [];
	const accountParse = vendorAccountSchema.safeParse(rawAccount);
	if (!accountParse.success) issues.push(...zodMessages('account', accountParse.error, fieldName ?? defaultPath));
	const companies: VendorCompany[] = [];
	const companyIds = new Map<string, VendorCompany>();
	for (const { value, where } of rawCompanies) {
		const parsed = vendorCompanySchema.safeParse(value);
		if (!parsed.success) {
			issues.push(...zodMessages(where, parsed.error, fieldName));
			continue;
		}
		if (companyIds.has(parsed.data.id)) {
			issues.push({ where, message: `company id "${parsed.data.id}" appears twice` });
			continue;
		}
		companyIds.set(parsed.data.id, parsed.data);
		companies.push(parsed.data);
	}
	for (const company of companies)
		if (company.parentId === company.id)
			issues.push({ where: `company ${company.id}`, message: 'a company cannot be its own parent' });

	const business = accountParse.success && accountParse.data.kind === 'business';
	const licenses: VendorLicense[] = [];
	const publicIds = new Set<string>();
	for (const { value, where } of rawLicenses) {
		const parsed = vendorLicenseSchema.safeParse(value);
		if (!parsed.success) {
			issues.push(...zodMessages(where, parsed.error, fieldName));
			continue;
		}
		const license = parsed.data;
		const at = (field: string) => `${where}${fieldName ? fieldName([field]) : `.${field}`}`;
		const company = companyIds.get(license.companyId);
		if (!company) issues.push({ where: at('companyId'), message: `no company "${license.companyId}" in this account` });
		else if (license.siteId !== null && !company.sites.some((site) => site.id === license.siteId))
			issues.push({ where: at('siteId'), message: `company "${company.name}" has no site "${license.siteId}"` });
		if (business && license.siteId === null)
			issues.push({ where: at('siteId'), message: 'a business account names the site of every license (L10)' });
		if (publicIds.has(license.publicId)) issues.push({ where: at('publicId'), message: `license "${license.publicId}" appears twice` });
		publicIds.add(license.publicId);
		licenses.push(license);
	}
	if (issues.length > 0 || !accountParse.success) return { ok: false, issues: limit(issues) };
	const account: VendorAccount = accountParse.data;
	return { ok: true, data: { account, companies, licenses, exportedAt } };
}
