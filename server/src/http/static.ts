// Serves the built SPA with sirv: long caching for hashed assets, none for the shell, and the security headers.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import sirv from 'sirv';

const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;

/** sha256 sources of every inline script in the built pages, so the CSP allows SvelteKit's bootstrap without 'unsafe-inline'. */
export function inlineScriptHashes(buildDir: string): string[] {
	const hashes = new Set<string>();
	const visit = (dir: string, depth: number): void => {
		if (depth > 4) return;
		for (const entry of readdirSync(dir)) {
			if (entry === '_app') continue;
			const path = join(dir, entry);
			if (statSync(path).isDirectory()) visit(path, depth + 1);
			else if (entry.endsWith('.html')) {
				for (const match of readFileSync(path, 'utf8').matchAll(INLINE_SCRIPT)) {
					const body = match[1] ?? '';
					if (body.trim().length > 0) hashes.add(`'sha256-${createHash('sha256').update(body).digest('base64')}'`);
				}
			}
		}
	};
	if (existsSync(buildDir)) visit(buildDir, 0);
	return [...hashes].sort();
}

/** S58: the page connects to itself and to the configured origins (PUBLIC_URL, ALLOWED_ORIGINS), over http(s) and ws(s). */
export function connectSources(origins: readonly string[]): string[] {
	return origins.flatMap((origin) => [origin, origin.replace(/^http/, 'ws')]);
}

export function contentSecurityPolicy(scriptHashes: readonly string[], connectOrigins: readonly string[] = []): string {
	return [
		"default-src 'self'",
		`script-src 'self' ${scriptHashes.join(' ')}`.trim(),
		// Svelte transitions and component styles set inline styles.
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data: blob:",
		"font-src 'self' data:",
		// 'self' covers ws(s) to the page's own host (CSP Level 3); no other host, so injected script cannot send data away.
		["connect-src 'self'", ...connectSources(connectOrigins)].join(' '),
		"worker-src 'self'",
		"manifest-src 'self'",
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'self'",
		"frame-ancestors 'none'"
	].join('; ');
}

/** `hsts` when the portal is reached over https (PUBLIC_URL): browsers then never try plain http for a year. */
export function securityHeaders(csp: string, options: { hsts?: boolean } = {}): Record<string, string> {
	return {
		...(options.hsts ? { 'strict-transport-security': 'max-age=31536000' } : {}),
		'content-security-policy': csp,
		'x-content-type-options': 'nosniff',
		'referrer-policy': 'same-origin',
		'x-frame-options': 'DENY',
		'cross-origin-opener-policy': 'same-origin',
		'permissions-policy': 'camera=(), microphone=(), geolocation=()'
	};
}

function cacheControl(pathname: string): string {
	if (pathname.startsWith('/_app/immutable/')) return 'public, max-age=31536000, immutable';
	// The shell and the service worker must be revalidated, or an update would never reach the device.
	return 'no-cache';
}

export type StaticHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** GET/HEAD for the app; unknown paths get index.html (SPA fallback). Null when the app is not built. */
export function createStaticHandler(buildDir: string): StaticHandler | null {
	if (!existsSync(join(buildDir, 'index.html'))) return null;
	const serve = sirv(buildDir, {
		dev: false,
		etag: true,
		single: 'index.html',
		dotfiles: false,
		setHeaders(res, pathname) {
			res.setHeader('cache-control', cacheControl(pathname));
		}
	});
	return (req, res) => serve(req, res);
}
