// Builds and recognizes sync-protocol frames for tests that speak to the relay without y-websocket.
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import {
	MESSAGE_ACK,
	MESSAGE_SYNC,
	SYNC_STEP_1,
	SYNC_STEP_2,
	SYNC_UPDATE,
	readAckBody,
	type Ack
} from '../../src/lib/data/sync/protocol';
import type { DocStore } from '../../server/src/store/types';

function syncFrame(subType: number, payload: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	encoding.writeVarUint(encoder, subType);
	encoding.writeVarUint8Array(encoder, payload);
	return encoding.toUint8Array(encoder);
}

export const syncStep1Frame = (doc: Y.Doc): Uint8Array => syncFrame(SYNC_STEP_1, Y.encodeStateVector(doc));
export const syncStep2Frame = (update: Uint8Array): Uint8Array => syncFrame(SYNC_STEP_2, update);
export const updateFrame = (update: Uint8Array): Uint8Array => syncFrame(SYNC_UPDATE, update);

export const isSyncStep1 = (frame: Uint8Array): boolean => frame[0] === MESSAGE_SYNC && frame[1] === SYNC_STEP_1;
export const isSyncStep2 = (frame: Uint8Array): boolean => frame[0] === MESSAGE_SYNC && frame[1] === SYNC_STEP_2;
export const isAck = (frame: Uint8Array): boolean => frame[0] === MESSAGE_ACK;

/** The update inside a sync step 2 or update frame. */
export function syncPayload(frame: Uint8Array): Uint8Array {
	const decoder = decoding.createDecoder(frame);
	decoding.readVarUint(decoder);
	decoding.readVarUint(decoder);
	return decoding.readVarUint8Array(decoder);
}

export function readAck(frame: Uint8Array): Ack {
	const decoder = decoding.createDecoder(frame);
	decoding.readVarUint(decoder);
	return readAckBody(decoder);
}

/** The document as the store holds it, rebuilt from snapshot and updates. */
export async function storedDoc(store: DocStore, docName: string): Promise<Y.Doc> {
	const stored = await store.load(docName);
	const doc = new Y.Doc();
	if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
	for (const update of stored.updates) Y.applyUpdate(doc, update);
	return doc;
}

/** Stores `fill(doc)` as one update of `docName`, as if a client had written it earlier. */
export async function seedDoc(store: DocStore, docName: string, fill: (doc: Y.Doc) => void): Promise<Y.Doc> {
	const doc = new Y.Doc();
	fill(doc);
	await store.append(docName, Y.encodeStateAsUpdate(doc));
	return doc;
}
