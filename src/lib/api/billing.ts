// P15: the billing reports the server sent (or skipped), newest first; parsed with zod.
import { billingSendsResponseSchema, type BillingSend } from '$lib/schema/billing';
import { parseJson, request } from './client';

export async function fetchBillingSends(query: { profileId?: string; limit?: number } = {}): Promise<BillingSend[]> {
	const params = new URLSearchParams();
	if (query.profileId) params.set('profileId', query.profileId);
	if (query.limit) params.set('limit', String(query.limit));
	const text = params.toString();
	const response = await request('GET', `/api/billing/sends${text === '' ? '' : `?${text}`}`);
	return (await parseJson(response, billingSendsResponseSchema)).sends;
}
