// Wire constants of the sync protocol (docs/sync.md) shared by the relay and the client: message types, the ack, close codes.
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { z } from 'zod';
import { docNameSchema } from '../../schema/ids';

/** y-protocols message types as y-websocket numbers them (S3). */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
/** Ours (S3, S5): the server's state vector after a commit, and how many frames of this connection it has handled. */
export const MESSAGE_ACK = 100;

/** y-protocols sync sub-types. */
export const SYNC_STEP_1 = 0;
export const SYNC_STEP_2 = 1;
export const SYNC_UPDATE = 2;

/** S9: close codes. 44xx are final for y-websocket clients (no reconnect). */
export const CLOSE = {
	goingAway: 1001,
	serverError: 1011,
	tryAgainLater: 1013,
	malformed: 4400,
	notAuthenticated: 4401,
	forbidden: 4403,
	/** P16, H6: the person's role or grants changed while connected; the app reloads who it is and what it may read. */
	accessChanged: 4409,
	tooLarge: 4413,
	rateLimited: 4429
} as const;

export interface Ack {
	/** Encoded state vector of the server's document after the commit. */
	readonly stateVector: Uint8Array;
	/** Number of frames of this connection the server has handled (and whose changes it has committed). */
	readonly handledFrames: number;
}

export function encodeAck(ack: Ack): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_ACK);
	encoding.writeVarUint8Array(encoder, ack.stateVector);
	encoding.writeVarUint(encoder, ack.handledFrames);
	return encoding.toUint8Array(encoder);
}

/** Reads the body of an ack (the message type already read). Throws on a malformed body. */
export function readAckBody(decoder: decoding.Decoder): Ack {
	const stateVector = decoding.readVarUint8Array(decoder);
	const handledFrames = decoding.readVarUint(decoder);
	return { stateVector, handledFrames };
}

/** Ours (S24): the server undid parts of this connection's update that were not valid; body: varString JSON `RejectedMessage`. */
export const MESSAGE_REJECTED = 101;

/** One record (or shared type) whose change the server undid, and why (a stable code, no user data). */
export const rejectedItemSchema = z.object({
	itemType: z.string().min(1).max(64),
	id: z.string().min(1).max(64),
	code: z.string().min(1).max(64)
});
export type RejectedItem = z.infer<typeof rejectedItemSchema>;

export const rejectedMessageSchema = z.object({
	docName: docNameSchema,
	/** How many items were undone; `items` lists at most the first 1000 of them. */
	total: z.number().int().positive(),
	items: z.array(rejectedItemSchema).min(1).max(1000)
});
export type RejectedMessage = z.infer<typeof rejectedMessageSchema>;

export function encodeRejected(message: RejectedMessage): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_REJECTED);
	encoding.writeVarString(encoder, JSON.stringify(rejectedMessageSchema.parse(message)));
	return encoding.toUint8Array(encoder);
}

/** Reads the body of a rejected message (the message type already read). Throws on a malformed body. */
export function readRejectedBody(decoder: decoding.Decoder): RejectedMessage {
	return rejectedMessageSchema.parse(JSON.parse(decoding.readVarString(decoder)));
}
