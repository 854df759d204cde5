// S120-S125: POST /api/sync/batch, the batched catch-up: many documents' state vectors (and unconfirmed updates) in one
// binary request, answered per document by the relay (server/src/relay/batch-sync.ts) with the websocket's guarantees.
import type { IncomingMessage } from 'node:http';
import {
	BATCH_CONTENT_TYPE,
	BATCH_PATH,
	BatchFormatError,
	MAX_BATCH_REQUEST_BYTES,
	decodeBatchRequest,
	encodeBatchResponse
} from '../../../src/lib/data/sync/batch';
import type { Auth } from '../auth/auth';
import type { Relay } from '../relay/types';
import type { Mutating } from './api';
import { HttpError } from './errors';
import type { Router } from './router';

export interface SyncBatchRouteDeps {
	readonly auth: Auth;
	readonly relay: Relay;
	readonly mutating: Mutating;
}

function tooLarge(): HttpError {
	// The rest of the body is not read, so the connection cannot be reused.
	return new HttpError(413, 'payload_too_large', `the request body is larger than ${MAX_BATCH_REQUEST_BYTES} bytes`, {
		connection: 'close'
	});
}

/** The whole body, refused with 413 as soon as it (or its declared length) passes MAX_BATCH_REQUEST_BYTES. */
async function readBinaryBody(req: IncomingMessage): Promise<Uint8Array> {
	const declared = req.headers['content-length'];
	if (declared !== undefined && Number(declared) > MAX_BATCH_REQUEST_BYTES) throw tooLarge();
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		const buffer = chunk instanceof Buffer ? chunk : Buffer.from(String(chunk));
		size += buffer.length;
		if (size > MAX_BATCH_REQUEST_BYTES) throw tooLarge();
		chunks.push(buffer);
	}
	// A copy that owns its ArrayBuffer: a wrong length inside cannot read into pooled memory (as frames.ts says).
	return new Uint8Array(Buffer.concat(chunks));
}

export function addSyncBatchRoute(router: Router, deps: SyncBatchRouteDeps): void {
	const { auth, relay, mutating } = deps;

	// S120: the Origin check and the session come first, as for every mutating /api route (a binary body also needs a
	// CORS preflight, so a cross-site form cannot send it).
	router.add(
		'POST',
		BATCH_PATH,
		mutating(async ({ req, res, ip }) => {
			const session = await auth.resolve(req);
			if (!session) throw new HttpError(401, 'not_signed_in', 'sign in first');
			const type = req.headers['content-type'] ?? '';
			if (!/^application\/octet-stream\s*(;|$)/i.test(type))
				throw new HttpError(415, 'unsupported_media_type', `send the body as ${BATCH_CONTENT_TYPE}`);
			const body = await readBinaryBody(req);
			let entries;
			try {
				entries = decodeBatchRequest(body);
			} catch (error) {
				if (error instanceof BatchFormatError) throw new HttpError(400, 'invalid_batch', error.message);
				throw error;
			}
			const answers = await relay.syncBatch(session.principal, ip, entries);
			const bytes = encodeBatchResponse(answers);
			res.writeHead(200, {
				'content-type': BATCH_CONTENT_TYPE,
				'content-length': bytes.byteLength,
				'cache-control': 'no-store',
				...(session.refreshedCookie ? { 'set-cookie': session.refreshedCookie } : {})
			});
			res.end(bytes);
		})
	);
}
