// The API's one error shape `{ error: { code, message } }` and the helpers that write JSON answers.
import type { ServerResponse } from 'node:http';
import { AuthError } from '../auth/auth';

export class HttpError extends Error {
	readonly status: number;
	readonly code: string;
	readonly headers: Readonly<Record<string, string>>;
	constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
		super(message);
		this.name = 'HttpError';
		this.status = status;
		this.code = code;
		this.headers = headers;
	}
}

export function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string | string[]> = {}
): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(text),
		'cache-control': 'no-store',
		...headers
	});
	res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
	if (res.headersSent) {
		res.destroy();
		return;
	}
	sendJson(res, error.status, { error: { code: error.code, message: error.message } }, { ...error.headers });
}

/** Auth's refusals (sign-in, sessions, P12 addresses) as the API's errors; anything else unchanged. */
export function asHttpError(error: unknown): unknown {
	if (!(error instanceof AuthError)) return error;
	const headers: Record<string, string> =
		error.retryAfterSeconds !== null ? { 'retry-after': String(error.retryAfterSeconds) } : {};
	return new HttpError(error.status, error.code, error.message, headers);
}
