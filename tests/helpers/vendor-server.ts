// A stand-in vendor for the HTTP connector: `msp-license-api/1` (tests/fixtures/licenses/README.md) on 127.0.0.1:0,
// serving a fixture with cursor paging, and the ways a real vendor fails: 401, no answer, 429 with Retry-After, a body
// that is not JSON, a page that fails half way.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const VENDOR_TOKEN = 'vendor-secret-token-6f1d2c';

/** A fixture as the JSON export has it (account, companies, licenses). */
export interface VendorData {
	readonly account: unknown;
	readonly companies: readonly unknown[];
	readonly licenses: readonly unknown[];
}

export function fixtureData(name: string): VendorData {
	return JSON.parse(readFileSync(new URL(`../fixtures/licenses/${name}`, import.meta.url), 'utf8')) as VendorData;
}

export type VendorBehaviour =
	| { readonly kind: 'ok' }
	/** No answer at all to requests whose path starts with `path` (the socket stays open). */
	| { readonly kind: 'hang'; readonly path: string }
	/** The next `times` requests answer 429 with this Retry-After. */
	| { readonly kind: 'rateLimited'; readonly times: number; readonly retryAfter: string }
	/** Requests whose path starts with `path` answer 200 with a body that is not JSON. */
	| { readonly kind: 'malformed'; readonly path: string }
	/** The `page`-th page (1-based) of `list` answers `status`; the pages before it are fine. */
	| {
			readonly kind: 'failPage';
			readonly list: 'companies' | 'licenses';
			readonly page: number;
			readonly status: number;
	  };

export interface VendorRequest {
	readonly path: string;
	readonly query: Readonly<Record<string, string>>;
	readonly authorization: string | undefined;
	readonly status: number | null;
}

export interface VendorServer {
	/** The API's base address (`http://127.0.0.1:<port>/api`). */
	readonly url: string;
	readonly requests: VendorRequest[];
	data: VendorData;
	behaviour: VendorBehaviour;
	/** Resolves when the next request whose path starts with `prefix` has arrived (before it is answered). */
	nextRequest(prefix?: string): Promise<VendorRequest>;
	close(): Promise<void>;
}

export async function startVendorServer(
	options: { data: VendorData; token?: string; pageSize?: number } = { data: fixtureData('msp-account.json') }
): Promise<VendorServer> {
	const token = options.token ?? VENDOR_TOKEN;
	const pageSize = options.pageSize ?? 2;
	const waiters: Array<{ prefix: string; resolve: (request: VendorRequest) => void }> = [];
	let rateLimitedLeft = 0;

	const vendor: VendorServer = {
		url: '',
		requests: [],
		data: options.data,
		behaviour: { kind: 'ok' },
		nextRequest(prefix = '/') {
			return new Promise((resolve) => waiters.push({ prefix, resolve }));
		},
		close: async () => undefined
	};

	function send(
		res: ServerResponse,
		request: { status: number | null },
		status: number,
		body: string,
		headers: Record<string, string> = {}
	): void {
		request.status = status;
		res.writeHead(status, { 'content-type': 'application/json', ...headers });
		res.end(body);
	}

	const offsetOf = (query: Record<string, string>): number =>
		query.cursor ? Number(Buffer.from(query.cursor, 'base64url').toString('utf8').replace('at:', '')) : 0;

	function page(list: readonly unknown[], query: Record<string, string>): { items: unknown[]; next: string | null } {
		const limit = Math.min(Number(query.limit ?? 100), 100, pageSize);
		const offset = offsetOf(query);
		const items = list.slice(offset, offset + limit);
		const end = offset + items.length;
		return { items, next: end < list.length ? Buffer.from(`at:${end}`).toString('base64url') : null };
	}

	function handle(req: IncomingMessage, res: ServerResponse): void {
		const url = new URL(req.url ?? '/', 'http://vendor.invalid');
		const path = url.pathname.replace(/^\/api/, '');
		const query = Object.fromEntries(url.searchParams);
		const request = { path, query, authorization: req.headers.authorization, status: null as number | null };
		vendor.requests.push(request);
		for (const waiter of waiters.splice(0)) {
			if (path.startsWith(waiter.prefix)) waiter.resolve(request);
			else waiters.push(waiter);
		}
		const behaviour = vendor.behaviour;
		if (behaviour.kind === 'hang' && path.startsWith(behaviour.path)) return;
		if (req.headers.authorization !== `Bearer ${token}`)
			return send(res, request, 401, JSON.stringify({ error: 'invalid token' }));
		if (behaviour.kind === 'rateLimited' && rateLimitedLeft < behaviour.times) {
			rateLimitedLeft++;
			return send(res, request, 429, JSON.stringify({ error: 'slow down' }), { 'retry-after': behaviour.retryAfter });
		}
		if (behaviour.kind === 'malformed' && path.startsWith(behaviour.path))
			return send(res, request, 200, '{"items": [');
		const { data } = vendor;
		if (path === '/v1/account') return send(res, request, 200, JSON.stringify(data.account));
		const list = path === '/v1/companies' ? data.companies : path === '/v1/licenses' ? data.licenses : null;
		if (!list) return send(res, request, 404, JSON.stringify({ error: 'not found' }));
		if (behaviour.kind === 'failPage' && path === `/v1/${behaviour.list}`) {
			if (Math.floor(offsetOf(query) / pageSize) + 1 === behaviour.page)
				return send(res, request, behaviour.status, JSON.stringify({ error: 'failed' }));
		}
		send(res, request, 200, JSON.stringify(page(list, query)));
	}

	const server = createServer(handle);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	Object.assign(vendor, {
		url: `http://127.0.0.1:${port}/api`,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			})
	});
	return vendor;
}
