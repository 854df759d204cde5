// S120-S129: the batched catch-up exchange (docs/sync.md). One HTTP request (`POST /api/sync/batch`, binary body)
// carries many documents' state vectors, and local updates not yet confirmed; the answer carries, per document, what the
// client lacks, the server's state vector after the commit (the acknowledgement, as S5) and the head (S32). Encoded with
// lib0 like the y-protocols messages; shared by the server and the device layer.
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { docNameSchema, type DocName } from '../../schema/ids';
import { rejectedMessageSchema, type RejectedMessage } from './protocol';

/** First varUint of a request and of an answer; a server answers 400 to a version it does not know. */
export const BATCH_VERSION = 1;
/** Documents in one request, at most. */
export const MAX_BATCH_DOCS = 500;
/** Bytes of one request body, at most (the server answers 413 beyond it). */
export const MAX_BATCH_REQUEST_BYTES = 8 * 1024 * 1024;
export const BATCH_CONTENT_TYPE = 'application/octet-stream';
export const BATCH_PATH = '/api/sync/batch';

export interface BatchRequestEntry {
	readonly docName: DocName;
	/** Encoded Yjs state vector of the device's copy (empty copy: `Y.encodeStateVector(new Y.Doc())`). */
	readonly stateVector: Uint8Array;
	/** Local changes the server has not confirmed (a Yjs update holding them and the whole delete set), or null. */
	readonly update: Uint8Array | null;
}

export type BatchAnswer =
	| {
			readonly docName: DocName;
			readonly status: 'ok';
			/** What the device's copy lacks, from its state vector (after the pushed update was committed). */
			readonly update: Uint8Array;
			/** The server's state vector after the commit: everything the device pushed up to it is durable (S5, S6). */
			readonly stateVector: Uint8Array;
			/** The document's head after the commit (S32). */
			readonly head: number;
			/** What the server undid of the pushed update (S24), or null. */
			readonly rejected: RejectedMessage | null;
	  }
	| {
			readonly docName: DocName;
			readonly status: 'refused';
			/** A close code of S9 (4403 no access, 4400 malformed update, 4413 too large, 1013 try again later). */
			readonly code: number;
			readonly reason: string;
	  };

export class BatchFormatError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'BatchFormatError';
	}
}

export function encodeBatchRequest(entries: readonly BatchRequestEntry[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, BATCH_VERSION);
	encoding.writeVarUint(encoder, entries.length);
	for (const entry of entries) {
		encoding.writeVarString(encoder, entry.docName);
		encoding.writeVarUint8Array(encoder, entry.stateVector);
		encoding.writeVarUint8Array(encoder, entry.update ?? new Uint8Array(0));
	}
	return encoding.toUint8Array(encoder);
}

/** Reads a request; throws `BatchFormatError` saying what is wrong (version, count, a name, truncation, trailing bytes). */
export function decodeBatchRequest(bytes: Uint8Array): BatchRequestEntry[] {
	return readWhole(bytes, (decoder) => {
		readVersion(decoder);
		const count = decoding.readVarUint(decoder);
		if (count === 0 || count > MAX_BATCH_DOCS)
			throw new BatchFormatError(`a batch holds 1 to ${MAX_BATCH_DOCS} documents, not ${count}`);
		const entries: BatchRequestEntry[] = [];
		const seen = new Set<string>();
		for (let index = 0; index < count; index += 1) {
			const docName = readDocName(decoder, index);
			if (seen.has(docName)) throw new BatchFormatError(`documents[${index}]: ${docName} is listed twice`);
			seen.add(docName);
			const stateVector = decoding.readVarUint8Array(decoder);
			const update = decoding.readVarUint8Array(decoder);
			entries.push({ docName, stateVector, update: update.byteLength === 0 ? null : update });
		}
		return entries;
	});
}

const STATUS_OK = 0;
const STATUS_REFUSED = 1;

export function encodeBatchResponse(answers: readonly BatchAnswer[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, BATCH_VERSION);
	encoding.writeVarUint(encoder, answers.length);
	for (const answer of answers) {
		encoding.writeVarString(encoder, answer.docName);
		if (answer.status === 'ok') {
			encoding.writeVarUint(encoder, STATUS_OK);
			encoding.writeVarUint8Array(encoder, answer.update);
			encoding.writeVarUint8Array(encoder, answer.stateVector);
			encoding.writeVarUint(encoder, answer.head);
			encoding.writeVarString(encoder, answer.rejected === null ? '' : JSON.stringify(answer.rejected));
		} else {
			encoding.writeVarUint(encoder, STATUS_REFUSED);
			encoding.writeVarUint(encoder, answer.code);
			encoding.writeVarString(encoder, answer.reason);
		}
	}
	return encoding.toUint8Array(encoder);
}

/** Reads an answer (the device trusts nothing it did not parse); throws `BatchFormatError`. */
export function decodeBatchResponse(bytes: Uint8Array): BatchAnswer[] {
	return readWhole(bytes, (decoder) => {
		readVersion(decoder);
		const count = decoding.readVarUint(decoder);
		if (count > MAX_BATCH_DOCS) throw new BatchFormatError(`an answer holds at most ${MAX_BATCH_DOCS} documents`);
		const answers: BatchAnswer[] = [];
		for (let index = 0; index < count; index += 1) {
			const docName = readDocName(decoder, index);
			const status = decoding.readVarUint(decoder);
			if (status === STATUS_OK) {
				const update = decoding.readVarUint8Array(decoder);
				const stateVector = decoding.readVarUint8Array(decoder);
				const head = decoding.readVarUint(decoder);
				const rejectedText = decoding.readVarString(decoder);
				let rejected: RejectedMessage | null = null;
				if (rejectedText !== '') {
					const parsed = rejectedMessageSchema.safeParse(safeJson(rejectedText));
					if (!parsed.success) throw new BatchFormatError(`documents[${index}]: the rejected notice is not valid`);
					rejected = parsed.data;
				}
				answers.push({ docName, status: 'ok', update, stateVector, head, rejected });
			} else if (status === STATUS_REFUSED) {
				const code = decoding.readVarUint(decoder);
				const reason = decoding.readVarString(decoder).slice(0, 200);
				answers.push({ docName, status: 'refused', code, reason });
			} else throw new BatchFormatError(`documents[${index}]: unknown status ${status}`);
		}
		return answers;
	});
}

function readWhole<T>(bytes: Uint8Array, read: (decoder: decoding.Decoder) => T): T {
	const decoder = decoding.createDecoder(bytes);
	let result: T;
	try {
		result = read(decoder);
	} catch (error) {
		if (error instanceof BatchFormatError) throw error;
		throw new BatchFormatError('the batch is truncated or not a batch');
	}
	if (decoding.hasContent(decoder)) throw new BatchFormatError('the batch has bytes after its last document');
	return result;
}

function readVersion(decoder: decoding.Decoder): void {
	const version = decoding.readVarUint(decoder);
	if (version !== BATCH_VERSION) throw new BatchFormatError(`batch version ${version} is not supported`);
}

function readDocName(decoder: decoding.Decoder, index: number): DocName {
	const parsed = docNameSchema.safeParse(decoding.readVarString(decoder));
	if (!parsed.success) throw new BatchFormatError(`documents[${index}]: not a document name`);
	return parsed.data;
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return null;
	}
}
