// A tiny method + path router on node:http: exact paths, one handler each, errors turned into the API's error shape.
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
}

export type Handler = (ctx: RouteContext) => Promise<void>;
export type Method = 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';

export interface Router {
	add(method: Method, path: string, handler: Handler): Router;
	/** Answers the request; 404 for an unknown path, 405 for a known path with another method. */
	handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

const peerAddress: ClientAddress = (req) => req.socket.remoteAddress ?? 'unknown';

export function createRouter(log: pino.Logger, clientAddress: ClientAddress = peerAddress): Router {
	const routes = new Map<string, Map<string, Handler>>();
	const router: Router = {
		add(method, path, handler) {
			const byMethod = routes.get(path) ?? new Map<string, Handler>();
			byMethod.set(method, handler);
			routes.set(path, byMethod);
			return router;
		},
		async handle(req, res, url) {
			try {
				const byMethod = routes.get(url.pathname);
				if (!byMethod) throw new HttpError(404, 'not_found', `no API route ${url.pathname}`);
				const handler = byMethod.get(req.method ?? 'GET');
				if (!handler) {
					throw new HttpError(405, 'method_not_allowed', `${req.method ?? ''} is not allowed here`, {
						allow: [...byMethod.keys()].join(', ')
					});
				}
				await handler({ req, res, url, ip: clientAddress(req) });
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
