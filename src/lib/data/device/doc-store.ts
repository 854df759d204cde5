// S135-S139: this device's copies of documents, all in ONE store (IndexedDB in the browser: one database, one record per
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
}

/** An in-memory store with the same behaviour, for tests and for browsers without IndexedDB. */
export function memoryDocStore(): LocalDocStore {
	const docs = new Map<DocName, StoredDoc>();
	return {
		async read(docName) {
			return docs.get(docName) ?? null;
		},
		async readMany(docNames) {
			const found = new Map<DocName, StoredDoc>();
			for (const docName of docNames) {
				const doc = docs.get(docName);
				if (doc) found.set(docName, doc);
			}
			return found;
		},
		async merge(changes) {
			for (const change of changes) {
				const before = docs.get(change.docName);
				const update =
					before === undefined
						? change.update
						: change.update.byteLength === 0
							? before.update
							: Y.mergeUpdates([before.update, change.update]);
				docs.set(change.docName, {
					update,
					syncedAt: change.syncedAt ?? before?.syncedAt ?? null,
					head: change.head ?? before?.head ?? null
				});
			}
		},
		async list() {
			return [...docs.keys()];
		},
		async sizes() {
			return new Map([...docs].map(([docName, doc]) => [docName, doc.update.byteLength]));
		},
		async delete(docNames) {
			for (const docName of docNames) docs.delete(docName);
		},
		async clear() {
			docs.clear();
		},
		close() {}
	};
}
