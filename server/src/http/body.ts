// Reads a JSON request body: capped in size, parsed, then checked with a zod schema; every failure is an HttpError.
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { HttpError } from './errors';

export const MAX_BODY_BYTES = 64 * 1024;

function tooLarge(limit: number): HttpError {
	// The rest of the body is not read, so the connection cannot be reused.
	return new HttpError(413, 'payload_too_large', `the request body is larger than ${limit} bytes`, {
		connection: 'close'
	});
}

async function readText(req: IncomingMessage, limit: number): Promise<string> {
	const declared = req.headers['content-length'];
	if (declared !== undefined && Number(declared) > limit) throw tooLarge(limit);
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		const buffer = chunk instanceof Buffer ? chunk : Buffer.from(String(chunk));
		size += buffer.length;
		if (size > limit) throw tooLarge(limit);
		chunks.push(buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

export async function readJsonBody<S extends z.ZodType>(
	req: IncomingMessage,
	schema: S,
	limit = MAX_BODY_BYTES
): Promise<z.output<S>> {
	const type = req.headers['content-type'] ?? '';
	// Requiring JSON also keeps plain cross-site form posts out: they cannot send this type without a preflight.
	if (!/^application\/json\s*(;|$)/i.test(type)) {
		throw new HttpError(415, 'unsupported_media_type', 'send the body as application/json');
	}
	const text = await readText(req, limit);
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		throw new HttpError(400, 'invalid_json', 'the request body is not valid JSON');
	}
	const parsed = schema.safeParse(value);
	if (!parsed.success) {
		const message = parsed.error.issues
			.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
			.join('; ');
		throw new HttpError(400, 'invalid_body', message);
	}
	return parsed.data;
}
