// A tiny method + path router on node:http: exact paths (or `:name` segments holding one id), one handler each, errors
// turned into the API's error shape.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type pino from 'pino';
import type { ClientAddress } from './client-address';
import { AuthError } from '../auth/auth';
import { asHttpError, HttpError, sendError } from './errors';

export interface RouteContext {
	readonly req: IncomingMessage;
	readonly res: ServerResponse;
	readonly url: URL;
	/** The client's address: the peer's, or behind a trusted proxy the one it forwarded (S52, client-address.ts). */
	readonly ip: string;
	/** The `:name` segments of the route's path; each is an id (letters, digits, '-', '_'; at most 64). */
	readonly params: Readonly<Record<string, string>>;
}

export type Handler = (ctx: RouteContext) => Promise<void>;
export type Method = 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';

export interface Router {
	add(method: Method, path: string, handler: Handler): Router;
	/** Answers the request; 404 for an unknown path, 405 for a known path with another method. */
	handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

const peerAddress: ClientAddress = (req) => req.socket.remoteAddress ?? 'unknown';

/** A path segment a `:name` matches: an id, never a slash, a dot or anything to decode. */
const PARAM = '([A-Za-z0-9_-]{1,64})';

interface PatternRoute {
	readonly pattern: RegExp;
	readonly names: readonly string[];
	readonly byMethod: Map<string, Handler>;
}

export function createRouter(log: pino.Logger, clientAddress: ClientAddress = peerAddress): Router {
	const routes = new Map<string, Map<string, Handler>>();
	const patterns = new Map<string, PatternRoute>();

	function lookup(pathname: string): { byMethod: Map<string, Handler>; params: Record<string, string> } | null {
		const exact = routes.get(pathname);
		if (exact) return { byMethod: exact, params: {} };
		for (const route of patterns.values()) {
			const match = route.pattern.exec(pathname);
			if (match)
				return {
					byMethod: route.byMethod,
					params: Object.fromEntries(route.names.map((n, i) => [n, match[i + 1] ?? '']))
				};
		}
		return null;
	}

	const router: Router = {
		add(method, path, handler) {
			if (path.includes('/:')) {
				const names = [...path.matchAll(/\/:([A-Za-z]+)/g)].map((m) => m[1] ?? '');
				const source = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\/:[A-Za-z]+/g, `/${PARAM}`);
				const route = patterns.get(path) ?? { pattern: new RegExp(`^${source}$`), names, byMethod: new Map() };
				route.byMethod.set(method, handler);
				patterns.set(path, route);
				return router;
			}
			const byMethod = routes.get(path) ?? new Map<string, Handler>();
			byMethod.set(method, handler);
			routes.set(path, byMethod);
			return router;
		},
		async handle(req, res, url) {
			try {
				const found = lookup(url.pathname);
				if (!found) throw new HttpError(404, 'not_found', `no API route ${url.pathname}`);
				const { byMethod, params } = found;
				const handler = byMethod.get(req.method ?? 'GET');
				if (!handler) {
					throw new HttpError(405, 'method_not_allowed', `${req.method ?? ''} is not allowed here`, {
						allow: [...byMethod.keys()].join(', ')
					});
				}
				await handler({ req, res, url, ip: clientAddress(req), params });
			} catch (caught) {
				// Auth's refusals (P12: an untrusted address) may come from any route that looks at the session.
				const error = caught instanceof AuthError ? asHttpError(caught) : caught;
				if (error instanceof HttpError) {
					sendError(res, error);
					if (error.headers.connection === 'close') res.once('finish', () => req.destroy());
					return;
				}
				// Only the error's kind reaches the log; its message may hold user input.
				log.error(
					{
						err: { type: error instanceof Error ? error.name : typeof error },
						route: url.pathname,
						method: req.method
					},
					'API request failed'
				);
				sendError(res, new HttpError(500, 'internal', 'something went wrong on the server'));
			}
		}
	};
	return router;
}
