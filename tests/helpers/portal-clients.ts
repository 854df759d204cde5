// What the attack and integration tests do against a real portal server: sign people in through the API, open a document
// over a raw socket and sync it, and send one edit as one update frame, waiting for the relay's acknowledgement.
import { expect } from 'vitest';
import * as Y from 'yjs';
import { createUserAccount } from '../../server/src/auth/auth';
import type { Store } from '../../server/src/store/types';
import type { Grant, Role } from '../../src/lib/schema/access';
import { rawClient, type RawClient } from './sync-clients';
import { isAck, isSyncStep1, isSyncStep2, syncPayload, syncStep1Frame, updateFrame } from './sync-frames';

export const TEST_PASSWORD = 'a long enough password';
const FAST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

/** Signs `email` in through `POST /api/session`; answers the Cookie header value. */
export async function signIn(base: string, email: string, password = TEST_PASSWORD): Promise<string> {
	const response = await fetch(`${base}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email, password })
	});
	expect(response.status).toBe(204);
	return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

/** Creates a user (cheap scrypt) and signs them in; answers the Cookie header value. */
export async function createSignedIn(
	base: string,
	store: Store,
	user: { tenantId: string; email: string; role: Role; grants?: readonly Grant[]; now?: Date; id?: string }
): Promise<string> {
	await createUserAccount(store, {
		tenantId: user.tenantId,
		email: user.email,
		password: TEST_PASSWORD,
		role: user.role,
		...(user.grants ? { grants: user.grants } : {}),
		...(user.id ? { id: user.id } : {}),
		now: user.now ?? new Date(),
		scrypt: FAST_SCRYPT
	});
	return signIn(base, user.email);
}

/** A raw socket to `/sync/<docName>` of the server at `base` (http://…). */
export function openSocket(base: string, docName: string, cookie: string): RawClient {
	return rawClient(`${base.replace('http', 'ws')}/sync/${docName}`, { cookie });
}

/** Opens a document, syncs it, and answers the socket with the document as the server sent it. */
export async function openSynced(
	base: string,
	docName: string,
	cookie: string
): Promise<{ client: RawClient; doc: Y.Doc }> {
	const client = openSocket(base, docName, cookie);
	await client.nextFrame(isSyncStep1);
	const doc = new Y.Doc();
	client.send(syncStep1Frame(doc));
	Y.applyUpdate(doc, syncPayload(await client.nextFrame(isSyncStep2)));
	return { client, doc };
}

/** Makes `edit` on `doc` and sends it as ONE update frame; resolves when the relay acknowledged it (stored, S5). */
export async function sendEdit(client: RawClient, doc: Y.Doc, edit: (doc: Y.Doc) => void): Promise<void> {
	const acks = client.frames.filter(isAck).length;
	const before = Y.encodeStateVector(doc);
	edit(doc);
	client.send(updateFrame(Y.encodeStateAsUpdate(doc, before)));
	await client.nextFrame((frame) => isAck(frame) && client.frames.filter(isAck).length > acks);
}
