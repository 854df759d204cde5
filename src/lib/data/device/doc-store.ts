// S130-S134: this device's copies of documents, all in ONE store (IndexedDB in the browser: one database, one record per
// document, compacted), not one database per document. The live replicas (S29) and the batched catch-up (S120-S129) both
// read and write it, so a document that goes live is already here and is not downloaded again.
import * as Y from 'yjs';
import type { DocName } from '../../schema/ids';

export interface StoredDoc {
	/** The whole local state of the document as one Yjs update. */
	readonly update: Uint8Array;
	/** When this device last completed a sync of it with the server (ISO 8601), or null. */
	readonly syncedAt: string | null;
	/** The server head (S32) the copy holds at least, or null when not known. */
	readonly head: number | null;
}

export interface StoredDocChange {
	readonly docName: DocName;
	/** Merged into what is stored (Yjs updates commute, so order does not matter). */
	readonly update: Uint8Array;
	/** Set when this change completed a sync with the server. */
	readonly syncedAt?: string;
	readonly head?: number;
}

/** One stored piece of a document: its compacted record, or an increment appended since (S131). */
export interface StoredPart {
	/** Names this piece while it is stored: a new record or increment gets a new id. */
	readonly id: string;
	readonly update: Uint8Array;
}

/** A document as stored, its pieces not merged: what the live path reads (S131) and compacts (S132). */
export interface StoredParts {
	readonly parts: readonly StoredPart[];
	readonly syncedAt: string | null;
	readonly head: number | null;
	/** Bytes of the compacted record. */
	readonly recordBytes: number;
	/** Bytes and number of the increments appended since the record was written. */
	readonly incrementBytes: number;
	readonly incrementCount: number;
}

export interface LocalDocStore {
	read(docName: DocName): Promise<StoredDoc | null>;
	/** Several documents at once (one transaction); documents not stored are absent from the answer. */
	readMany(docNames: readonly DocName[]): Promise<Map<DocName, StoredDoc>>;
	/** Merges each change into its document, all in one transaction. An empty update only sets `syncedAt`/`head`. */
	merge(changes: readonly StoredDocChange[]): Promise<void>;
	/** The documents stored. */
	list(): Promise<DocName[]>;
	/** F7: bytes stored per document. */
	sizes(): Promise<Map<DocName, number>>;
	/** Removes these documents' copies (sign-out, revocation, eviction). */
	delete(docNames: readonly DocName[]): Promise<void>;
	/** Removes every copy (sign-out on a shared tablet). */
	clear(): Promise<void>;
	close(): void;

	// The live path (S131, S132): a replica applies the pieces itself and writes small increments between compactions.
	/** The document's pieces, not merged (null when nothing is stored). */
	readParts(docName: DocName): Promise<StoredParts | null>;
	/** S131: appends `update` as an increment (a document with no record gets it as its record). Answers the new piece. */
	append(docName: DocName, update: Uint8Array): Promise<StoredPart>;
	/**
	 * S132: in ONE transaction, reads the document's pieces, hands them to `produce` (called synchronously, inside the
	 * transaction), and replaces them all by one record holding what `produce` returns. `syncedAt`, when given, is kept
	 * in the record; otherwise the stored one stays.
	 */
	compact(
		docName: DocName,
		produce: (stored: StoredParts | null) => Uint8Array,
		syncedAt?: string
	): Promise<StoredPart>;
}

/** The state of an empty document: what a record holds when only `syncedAt`/`head` are known. */
export const EMPTY_UPDATE: Uint8Array = Y.encodeStateAsUpdate(new Y.Doc());

/** One update from several pieces (a single piece is taken as it is). */
export function mergeParts(updates: readonly Uint8Array[]): Uint8Array {
	return updates.length === 1 ? updates[0]! : Y.mergeUpdates([...updates]);
}

interface MemoryEntry {
	record: StoredPart;
	increments: StoredPart[];
	syncedAt: string | null;
	head: number | null;
}

/** An in-memory store with the same behaviour, for tests and for browsers without IndexedDB. */
export function memoryDocStore(): LocalDocStore {
	const docs = new Map<DocName, MemoryEntry>();
	let nextId = 0;
	const part = (update: Uint8Array): StoredPart => ({ id: `m${++nextId}`, update });
	const partsOf = (entry: MemoryEntry): StoredParts => ({
		parts: [entry.record, ...entry.increments],
		syncedAt: entry.syncedAt,
		head: entry.head,
		recordBytes: entry.record.update.byteLength,
		incrementBytes: entry.increments.reduce((sum, p) => sum + p.update.byteLength, 0),
		incrementCount: entry.increments.length
	});
	const storedDoc = (entry: MemoryEntry): StoredDoc => ({
		update: mergeParts(partsOf(entry).parts.map((p) => p.update)),
		syncedAt: entry.syncedAt,
		head: entry.head
	});
	return {
		async read(docName) {
			const entry = docs.get(docName);
			return entry ? storedDoc(entry) : null;
		},
		async readMany(docNames) {
			const found = new Map<DocName, StoredDoc>();
			for (const docName of docNames) {
				const entry = docs.get(docName);
				if (entry) found.set(docName, storedDoc(entry));
			}
			return found;
		},
		async merge(changes) {
			for (const change of changes) {
				const before = docs.get(change.docName);
				const pieces = [...(before ? partsOf(before).parts.map((p) => p.update) : [])];
				if (change.update.byteLength > 0) pieces.push(change.update);
				docs.set(change.docName, {
					record: part(pieces.length === 0 ? EMPTY_UPDATE : mergeParts(pieces)),
					increments: [],
					syncedAt: change.syncedAt ?? before?.syncedAt ?? null,
					head: change.head ?? before?.head ?? null
				});
			}
		},
		async list() {
			return [...docs.keys()];
		},
		async sizes() {
			return new Map([...docs].map(([docName, entry]) => [docName, partsOf(entry).recordBytes + partsOf(entry).incrementBytes]));
		},
		async delete(docNames) {
			for (const docName of docNames) docs.delete(docName);
		},
		async clear() {
			docs.clear();
		},
		close() {},
		async readParts(docName) {
			const entry = docs.get(docName);
			return entry ? partsOf(entry) : null;
		},
		async append(docName, update) {
			const added = part(update);
			const entry = docs.get(docName);
			if (entry) entry.increments.push(added);
			else docs.set(docName, { record: added, increments: [], syncedAt: null, head: null });
			return added;
		},
		async compact(docName, produce, syncedAt) {
			const entry = docs.get(docName);
			const record = part(produce(entry ? partsOf(entry) : null));
			docs.set(docName, {
				record,
				increments: [],
				syncedAt: syncedAt ?? entry?.syncedAt ?? null,
				head: entry?.head ?? null
			});
			return record;
		}
	};
}
