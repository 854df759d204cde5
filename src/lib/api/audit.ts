// P17: the audit log's API calls: one page as JSON, and the address of the CSV download with the same filters.
import { auditPageSchema, type AuditPage, type AuditQueryInput } from '$lib/schema/audit';
import { parseJson, request } from './client';

function queryString(query: AuditQueryInput): string {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(query))
		if (value !== undefined && value !== '') params.set(key, String(value));
	const text = params.toString();
	return text === '' ? '' : `?${text}`;
}

export async function fetchAuditPage(query: AuditQueryInput): Promise<AuditPage> {
	return parseJson(await request('GET', `/api/audit${queryString(query)}`), auditPageSchema);
}

/** A link target: the browser downloads it with the session cookie (content-disposition: attachment). */
export function auditCsvUrl(query: AuditQueryInput): string {
	const { limit: _limit, cursor: _cursor, ...filters } = query;
	return `/api/audit${queryString({ ...filters, format: 'csv' })}`;
}
