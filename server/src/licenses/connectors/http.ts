// The HTTP connector for `msp-license-api/1` (tests/fixtures/licenses/README.md): the account, then every page of companies
// and licenses, read whole before anything changes. 429 waits for Retry-After on the injected clock and asks again (a few
// times); any other error status, no answer within 30 s, or an answer that does not parse fails the read with a clear
// message. The token goes in the Authorization header only: never in a URL, a message or a log.
import { checkExport, type Located } from '../../../../src/lib/data/licenses/export-reader';
import { VENDOR_PAGE_LIMIT, vendorPageSchema } from '../../../../src/lib/schema/license-export';
import type { Clock } from '../../clock';
import type { ConnectorRead, LicenseConnector } from './types';

export const VENDOR_TIMEOUT_MS = 30_000;
/** Attempts after a 429 per request. */
export const VENDOR_MAX_RETRIES = 5;
/** A vendor that asks for a longer wait fails the sync (it runs again tomorrow, or on demand). */
export const VENDOR_MAX_RETRY_AFTER_MS = 120_000;
/** One answer (a page) at most; 100 licenses take about 30 KB. */
export const VENDOR_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Pages per list at most: a vendor that never ends its cursor cannot keep a sync running for ever. */
export const VENDOR_MAX_PAGES = 10_000;

export interface HttpConnectorOptions {
	/** The API's base address (`https://vendor.example/api`); `/v1/...` is appended. */
	readonly url: string;
	readonly token: string;
	readonly clock: Clock;
	readonly fetch?: typeof fetch;
	readonly timeoutMs?: number;
	readonly maxRetries?: number;
	readonly maxRetryAfterMs?: number;
	readonly maxBodyBytes?: number;
	readonly maxPages?: number;
	/** Aborts the read (the server is stopping): the request in flight and any wait end at once. */
	readonly signal?: AbortSignal;
}

/** Why the vendor could not be read; its message is shown to people as it is. */
class VendorError extends Error {}

/** `Retry-After` in ms: seconds, or an HTTP date; 1 s when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): number {
	const text = value?.trim() ?? '';
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	// An HTTP date names its day and month ("Sat, 21 Nov 2026 10:00:05 GMT"); Date.parse alone reads "-4" as a year.
	const date = /[a-z]/i.test(text) ? Date.parse(text) : NaN;
	if (Number.isFinite(date)) return Math.max(0, date - now.getTime());
	return 1000;
}

/** Why a request failed, without anything a person typed (the URL holds no credentials; the token is in a header). */
function reason(error: unknown): string {
	const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
	if (cause && typeof cause.code === 'string') return cause.code;
	return error instanceof Error ? error.name : 'unknown error';
}

export function httpConnector(options: HttpConnectorOptions): LicenseConnector {
	const { clock, token } = options;
	const fetchImpl = options.fetch ?? fetch;
	const timeoutMs = options.timeoutMs ?? VENDOR_TIMEOUT_MS;
	const maxRetries = options.maxRetries ?? VENDOR_MAX_RETRIES;
	const maxRetryAfterMs = options.maxRetryAfterMs ?? VENDOR_MAX_RETRY_AFTER_MS;
	const maxBodyBytes = options.maxBodyBytes ?? VENDOR_MAX_BODY_BYTES;
	const maxPages = options.maxPages ?? VENDOR_MAX_PAGES;
	const base = options.url.replace(/\/+$/, '');

	const { signal } = options;
	const stopping = (): VendorError => new VendorError('the server is stopping; the sync runs again later');
	const wait = (ms: number): Promise<void> =>
		new Promise((resolve, reject) => {
			const onAbort = (): void => {
				timer.cancel();
				reject(stopping());
			};
			const timer = clock.setTimeout(() => {
				signal?.removeEventListener('abort', onAbort);
				resolve();
			}, ms);
			signal?.addEventListener('abort', onAbort, { once: true });
		});

	async function readBody(response: Response, what: string): Promise<string> {
		const declared = Number(response.headers.get('content-length') ?? NaN);
		const tooLarge = new VendorError(`the vendor's answer to ${what} is larger than ${maxBodyBytes} bytes`);
		if (declared > maxBodyBytes) {
			await response.body?.cancel();
			throw tooLarge;
		}
		if (!response.body) return '';
		const reader = response.body.getReader();
		const chunks: Uint8Array[] = [];
		let size = 0;
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			size += value.byteLength;
			if (size > maxBodyBytes) {
				await reader.cancel();
				throw tooLarge;
			}
			chunks.push(value);
		}
		return Buffer.concat(chunks).toString('utf8');
	}

	/** One GET, answered or aborted within the timeout (headers and body), on the injected clock. */
	async function get(path: string, query: Record<string, string>): Promise<unknown> {
		const url = new URL(`${base}${path}`);
		for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
		const what = `GET ${path}`;
		for (let attempt = 0; ; attempt++) {
			if (signal?.aborted) throw stopping();
			const controller = new AbortController();
			const timer = clock.setTimeout(() => controller.abort(), timeoutMs);
			const onStop = (): void => controller.abort();
			signal?.addEventListener('abort', onStop, { once: true });
			let status: number;
			let retryAfter: string | null = null;
			let text = '';
			try {
				const response = await fetchImpl(url, {
					headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
					signal: controller.signal,
					// A redirect could carry the token elsewhere; the account's address must be the API's own.
					redirect: 'error'
				});
				status = response.status;
				if (status === 200) text = await readBody(response, what);
				else {
					retryAfter = response.headers.get('retry-after');
					await response.body?.cancel();
				}
			} catch (error) {
				if (error instanceof VendorError) throw error;
				if (signal?.aborted) throw stopping();
				if (controller.signal.aborted)
					throw new VendorError(`no answer from the vendor within ${Math.round(timeoutMs / 1000)} s (${what})`);
				throw new VendorError(`the vendor cannot be reached (${what}: ${reason(error)})`);
			} finally {
				timer.cancel();
				signal?.removeEventListener('abort', onStop);
			}
			if (status === 429) {
				if (attempt >= maxRetries)
					throw new VendorError(
						`the vendor is still busy after ${maxRetries} retries (429 to ${what}); try again later`
					);
				const ms = parseRetryAfter(retryAfter, clock.now());
				if (ms > maxRetryAfterMs)
					throw new VendorError(
						`the vendor asks to wait ${Math.ceil(ms / 1000)} s (429 to ${what}); the sync runs again later`
					);
				await wait(ms);
				continue;
			}
			if (status === 401)
				throw new VendorError(
					`the vendor refused the API token (401 to ${what}): check the token, or connect the account again`
				);
			if (status !== 200) throw new VendorError(`the vendor answered ${status} to ${what}`);
			try {
				return JSON.parse(text) as unknown;
			} catch {
				throw new VendorError(`the vendor's answer to ${what} is not valid JSON`);
			}
		}
	}

	async function readList(kind: 'companies' | 'licenses', onCount: (count: number) => void): Promise<Located[]> {
		const items: Located[] = [];
		const seen = new Set<string>();
		let cursor: string | null = null;
		for (let page = 1; ; page++) {
			if (page > maxPages) throw new VendorError(`the vendor sent more than ${maxPages} pages of ${kind}`);
			const body = await get(`/v1/${kind}`, {
				limit: String(VENDOR_PAGE_LIMIT),
				...(cursor === null ? {} : { cursor })
			});
			const parsed = vendorPageSchema.safeParse(body);
			if (!parsed.success)
				throw new VendorError(
					`the vendor's page ${page} of ${kind} is not an msp-license-api/1 page ({ items, next })`
				);
			parsed.data.items.forEach((value, i) => items.push({ value, where: `${kind} page ${page}, item ${i + 1}` }));
			onCount(items.length);
			cursor = parsed.data.next;
			if (cursor === null) return items;
			if (seen.has(cursor))
				throw new VendorError(`the vendor sent the same ${kind} cursor twice; the paging would not end`);
			seen.add(cursor);
		}
	}

	return {
		kind: 'http',
		async read(onProgress): Promise<ConnectorRead> {
			try {
				const account = await get('/v1/account', {});
				let companies = 0;
				const rawCompanies = await readList('companies', (count) => {
					companies = count;
					onProgress({ companies, licenses: 0 });
				});
				const rawLicenses = await readList('licenses', (licenses) => onProgress({ companies, licenses }));
				const checked = checkExport(account, rawCompanies, rawLicenses, null);
				if (!checked.ok)
					return {
						ok: false,
						code: 'invalid_import',
						message: `the vendor's data cannot be imported: ${checked.issues.length} problem(s), nothing was changed`,
						details: checked.issues
					};
				return { ok: true, data: checked.data };
			} catch (error) {
				if (error instanceof VendorError)
					return { ok: false, code: 'sync_failed', message: error.message, details: [] };
				throw error;
			}
		}
	};
}
