// Which Origin may call the API's mutating routes and open /sync sockets (the defence against cross-site requests).
import type { IncomingMessage } from 'node:http';

export interface OriginPolicy {
	/** Exact origins besides the server's own (PUBLIC_URL and ALLOWED_ORIGINS). */
	readonly allowedOrigins: readonly string[];
}

/**
 * The rule, precisely:
 * - No Origin header: accepted. Browsers always send Origin on websocket upgrades and on cross-origin (and all
 *   non-GET) fetches, so a missing one means a non-browser client (the CLI, tests, curl); such a client cannot
 *   borrow a victim's cookie, and the session cookie is still required.
 * - Origin "null" or anything that is not an http(s) origin: refused.
 * - Origin equal to the server's own origin: accepted. The own origin is the scheme (http or https: TLS may end at a
 *   proxy in front, so both are taken) with the request's Host header, compared as host:port, case-insensitively.
 * - Origin listed exactly in allowedOrigins (PUBLIC_URL is always among them): accepted.
 * - Anything else: refused.
 */
export function isOriginAllowed(req: IncomingMessage, policy: OriginPolicy): boolean {
	const origin = req.headers.origin;
	if (origin === undefined) return true;
	let url: URL;
	try {
		url = new URL(origin);
	} catch {
		return false;
	}
	if (
		(url.protocol !== 'http:' && url.protocol !== 'https:') ||
		url.origin !== origin.toLowerCase().replace(/\/+$/, '')
	)
		return false;
	if (policy.allowedOrigins.includes(url.origin)) return true;
	const host = req.headers.host;
	if (!host) return false;
	const candidates = [`http://${host}`, `https://${host}`].map((candidate) => {
		try {
			return new URL(candidate).origin;
		} catch {
			return null;
		}
	});
	return candidates.includes(url.origin);
}
