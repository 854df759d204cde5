// Strict decoding of what a client sends (S10): every frame is one whole message, or the connection is closed with 4400/4413.
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import {
	CLOSE,
	MESSAGE_AWARENESS,
	MESSAGE_QUERY_AWARENESS,
	MESSAGE_SYNC,
	SYNC_STEP_1,
	SYNC_STEP_2,
	SYNC_UPDATE
} from '../../../src/lib/data/sync/protocol';

export type ClientMessage =
	| { readonly type: 'syncStep1'; readonly stateVector: Uint8Array }
	| { readonly type: 'syncStep2'; readonly update: Uint8Array }
	| { readonly type: 'update'; readonly update: Uint8Array }
	| { readonly type: 'awareness'; readonly update: Uint8Array }
	| { readonly type: 'queryAwareness' };

/** A refusal of a frame: the connection is closed with `code` and `reason` (at most 123 bytes, as RFC 6455 allows). */
export class FrameError extends Error {
	readonly code: number;
	constructor(code: number, reason: string) {
		super(reason);
		this.name = 'FrameError';
		this.code = code;
	}
}

const malformed = (reason: string): FrameError => new FrameError(CLOSE.malformed, reason);

/** Runs a decoding step; lib0 and Yjs throw plain errors (or RangeErrors) on truncated or bad input. */
function decodeOrRefuse<T>(what: string, fn: () => T): T {
	try {
		return fn();
	} catch {
		throw malformed(`malformed ${what}`);
	}
}

/**
 * Decodes a Yjs update completely before anything applies it: Y.applyUpdate reads lazily and can integrate half a garbage
 * update before it throws, so the relay only applies updates that decode from the first byte to the last.
 */
function checkUpdate(update: Uint8Array): void {
	decodeOrRefuse('update', () => Y.decodeUpdate(update));
}

/** The awareness wire format: count, then per client: id, clock, JSON state. Checked whole so applying cannot stop half-way. */
function checkAwareness(update: Uint8Array): void {
	decodeOrRefuse('awareness update', () => {
		const decoder = decoding.createDecoder(update);
		const count = decoding.readVarUint(decoder);
		for (let i = 0; i < count; i++) {
			decoding.readVarUint(decoder);
			decoding.readVarUint(decoder);
			JSON.parse(decoding.readVarString(decoder));
		}
		if (decoding.hasContent(decoder)) throw new Error('trailing bytes');
	});
}

/** `frame` must be a copy that owns its whole ArrayBuffer, so a wrong length cannot read past the frame into pooled memory. */
export function parseClientFrame(frame: Uint8Array, maxAwarenessBytes: number): ClientMessage {
	const decoder = decoding.createDecoder(frame);
	const messageType = decodeOrRefuse('message type', () => decoding.readVarUint(decoder));
	let message: ClientMessage;
	switch (messageType) {
		case MESSAGE_SYNC: {
			const syncType = decodeOrRefuse('sync message type', () => decoding.readVarUint(decoder));
			const payload = decodeOrRefuse('sync payload', () => decoding.readVarUint8Array(decoder));
			if (syncType === SYNC_STEP_1) {
				decodeOrRefuse('state vector', () => Y.decodeStateVector(payload));
				message = { type: 'syncStep1', stateVector: payload };
			} else if (syncType === SYNC_STEP_2 || syncType === SYNC_UPDATE) {
				checkUpdate(payload);
				message = { type: syncType === SYNC_STEP_2 ? 'syncStep2' : 'update', update: payload };
			} else {
				throw malformed(`unknown sync message type ${syncType}`);
			}
			break;
		}
		case MESSAGE_AWARENESS: {
			const payload = decodeOrRefuse('awareness payload', () => decoding.readVarUint8Array(decoder));
			if (payload.byteLength > maxAwarenessBytes) throw new FrameError(CLOSE.tooLarge, 'awareness state too large');
			checkAwareness(payload);
			message = { type: 'awareness', update: payload };
			break;
		}
		case MESSAGE_QUERY_AWARENESS:
			message = { type: 'queryAwareness' };
			break;
		default:
			throw malformed(`unknown message type ${messageType}`);
	}
	if (decoding.hasContent(decoder)) throw malformed('trailing bytes after the message');
	return message;
}
