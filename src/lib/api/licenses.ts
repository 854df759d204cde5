// L1-L4, L12, L16: the license API's calls (accounts and their syncs, sync progress, connecting a vendor API, a license's
// history), every answer parsed with the shared contract of $lib/schema/license-api.
import { apiErrorSchema } from '$lib/schema/api';
import {
	importErrorSchema,
	importResultSchema,
	licenseAccountsResponseSchema,
	licenseHistoryResponseSchema,
	syncStatusResponseSchema,
	type AddAccountRequest,
	type ImportError,
	type ImportResult,
	type LicenseAccountInfo,
	type LicenseHistoryResponse,
	type SyncProgress
} from '$lib/schema/license-api';
import { ApiRequestError, parseJson, request } from './client';

/** A 422 of the license API: the import, account or sync was refused, with one detail per bad entry. */
export class LicenseRefusalError extends ApiRequestError {
	readonly details: ImportError['error']['details'];

	constructor(error: ImportError['error']) {
		super(422, error.code, error.message);
		this.name = 'LicenseRefusalError';
		this.details = error.details;
	}
}

/** `GET /api/licenses/accounts`: each account's connector, last sync and next daily sync. */
export async function fetchLicenseAccounts(): Promise<LicenseAccountInfo[]> {
	return (await parseJson(await request('GET', '/api/licenses/accounts'), licenseAccountsResponseSchema)).accounts;
}

/** `GET /api/licenses/sync-status`: the sync running for the tenant now, or null. */
export async function fetchSyncStatus(): Promise<SyncProgress | null> {
	return (await parseJson(await request('GET', '/api/licenses/sync-status'), syncStatusResponseSchema)).running;
}

/** `POST /api/licenses/accounts`: connects a vendor API (the server keeps the token) and runs its first sync. */
export async function connectLicenseAccount(body: AddAccountRequest): Promise<ImportResult> {
	let response: Response;
	try {
		response = await fetch('/api/licenses/accounts', {
			method: 'POST',
			credentials: 'same-origin',
			headers: { 'content-type': 'application/json', accept: 'application/json' },
			body: JSON.stringify(body)
		});
	} catch (error) {
		throw new ApiRequestError(0, 'network', error instanceof Error ? error.message : 'network error');
	}
	if (response.ok) return parseJson(response, importResultSchema);
	let payload: unknown = null;
	try {
		payload = await response.json();
	} catch {
		// Not our answer (a proxy, the service worker): the status still says enough.
	}
	const refusal = importErrorSchema.safeParse(payload);
	if (response.status === 422 && refusal.success) throw new LicenseRefusalError(refusal.data.error);
	const parsed = apiErrorSchema.safeParse(payload);
	if (parsed.success) throw new ApiRequestError(response.status, parsed.data.error.code, parsed.data.error.message);
	throw new ApiRequestError(response.status, response.status >= 500 ? 'server' : 'http', `HTTP ${response.status}`);
}

/** L16: a license's daily usage and events. */
export async function fetchLicenseHistory(licenseId: string): Promise<LicenseHistoryResponse> {
	return parseJson(
		await request('GET', `/api/licenses/${encodeURIComponent(licenseId)}/history`),
		licenseHistoryResponseSchema
	);
}

/** L16: a link target for the history as CSV (the browser downloads it with the session cookie). */
export function licenseHistoryCsvUrl(licenseId: string): string {
	return `/api/licenses/${encodeURIComponent(licenseId)}/history?format=csv`;
}
