// S130-S134: this device's copies of every document in ONE IndexedDB database: a record per document (its compacted
// state, `syncedAt`, `head`), and increments appended by the live replicas between compactions, keyed
// [docName, session, n] so that one document's increments are read and deleted by one key range.
import { z } from 'zod';
import { docNameSchema, type DocName } from '../../schema/ids';
import {
	EMPTY_UPDATE,
	memoryDocStore,
	mergeParts,
	type LocalDocStore,
	type StoredDoc,
	type StoredPart,
	type StoredParts
} from './doc-store';
import { indexKeys, inTransaction, openDatabase, requested } from './idb-requests';
import { migrateOldDatabases } from './idb-migration';

export const DEVICE_DOCS_DATABASE = 'msp-portal-docs';
const VERSION = 1;
const DOCS = 'docs';
const INCREMENTS = 'increments';
/** Small facts about the database itself (the migration's mark). */
export const META = 'meta';
/** Index on each value's `bytes`, so sizes are read from keys alone (F7), not by loading every update. */
const BYTES = 'bytes';

/** FNV-1a over the bytes: a damaged copy (cut short, bits flipped) fails it, and is dropped instead of applied half. */
export function checksum(bytes: Uint8Array): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
	return hash >>> 0;
}

const bytesSchema = z.instanceof(Uint8Array);
const pieceShape = { update: bytesSchema, bytes: z.number().int().positive(), sum: z.number().int().nonnegative() };
const intact = (piece: { update: Uint8Array; bytes: number; sum: number }): boolean =>
	piece.update.byteLength === piece.bytes && checksum(piece.update) === piece.sum;
const recordSchema = z
	.object({
		...pieceShape,
		syncedAt: z.iso.datetime().nullable(),
		head: z.number().int().nonnegative().nullable()
	})
	.refine(intact);
const incrementSchema = z.object(pieceShape).refine(intact);
const incrementKeySchema = z.tuple([docNameSchema, z.string(), z.number()]);
/** A record as written: the update, its size and checksum, and what the device knows of its sync. */
interface StoredRecord {
	readonly update: Uint8Array;
	readonly bytes: number;
	readonly sum: number;
	readonly syncedAt: string | null;
	readonly head: number | null;
}

/** Structured clone copies a view's whole buffer: a slice keeps only the update's own bytes. */
function piece(update: Uint8Array): { update: Uint8Array; bytes: number; sum: number } {
	const own = update.byteOffset === 0 && update.byteLength === update.buffer.byteLength ? update : update.slice();
	return { update: own, bytes: own.byteLength, sum: checksum(own) };
}

const recordId = (record: { sum: number; bytes: number }): string => `r:${record.sum}:${record.bytes}`;
const incrementId = (key: readonly unknown[]): string => `i:${String(key[1])}:${String(key[2])}`;

/** All increments of one document: keys [docName, …] sort after [docName] and before [docName, []] (arrays sort last). */
function incrementsOf(docName: DocName): IDBKeyRange {
	return IDBKeyRange.bound([docName], [docName, []]);
}

export interface IdbDocStoreOptions {
	/** Default: the browser's `indexedDB`; when there is none, the store keeps copies in memory only. */
	factory?: IDBFactory;
	/** Move the old per-document y-indexeddb databases in on first use (S134; default true). */
	migrate?: boolean;
}

/** The store, opened once; every call waits for the opening and the migration. */
export function idbDocStore(name = DEVICE_DOCS_DATABASE, options: IdbDocStoreOptions = {}): LocalDocStore {
	const factory = options.factory ?? (typeof indexedDB === 'undefined' ? undefined : indexedDB);
	if (factory === undefined) return memoryDocStore();
	const ready = open(factory, name, options.migrate ?? true);
	return {
		read: async (docName) => (await ready).read(docName),
		readMany: async (docNames) => (await ready).readMany(docNames),
		merge: async (changes) => (await ready).merge(changes),
		list: async () => (await ready).list(),
		sizes: async () => (await ready).sizes(),
		delete: async (docNames) => (await ready).delete(docNames),
		clear: async () => (await ready).clear(),
		close: () => void ready.then((store) => store.close()),
		readParts: async (docName) => (await ready).readParts(docName),
		append: async (docName, update) => (await ready).append(docName, update),
		compact: async (docName, produce, syncedAt) => (await ready).compact(docName, produce, syncedAt)
	};
}

async function open(factory: IDBFactory, name: string, migrate: boolean): Promise<LocalDocStore> {
	let db: IDBDatabase;
	try {
		db = await openDatabase(factory, name, VERSION, (created) => {
			created.createObjectStore(DOCS).createIndex(BYTES, BYTES);
			created.createObjectStore(INCREMENTS).createIndex(BYTES, BYTES);
			created.createObjectStore(META);
		});
	} catch (error) {
		// Private windows of some browsers refuse IndexedDB: the app still works, it keeps nothing across reloads.
		console.warn(`local store: IndexedDB unavailable, keeping copies in memory (${String(error)})`);
		return memoryDocStore();
	}
	// Another tab deleting or upgrading the database must not wait for this one.
	db.onversionchange = () => db.close();
	const store = storeOver(db);
	if (migrate) await migrateOldDatabases(factory, db, store);
	return store;
}

function storeOver(db: IDBDatabase): LocalDocStore {
	/** This store's increments are keyed [docName, session, n]: two tabs never write the same key. */
	const session = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
	let sequence = 0;

	async function readPartsIn(tx: IDBTransaction, docName: DocName): Promise<StoredParts | null> {
		const increments = tx.objectStore(INCREMENTS);
		const [rawRecord, keys, values] = await Promise.all([
			requested(tx.objectStore(DOCS).get(docName)),
			requested(increments.getAllKeys(incrementsOf(docName))),
			requested(increments.getAll(incrementsOf(docName)))
		]);
		let record: StoredRecord | null = null;
		if (rawRecord !== undefined) {
			const parsed = recordSchema.safeParse(rawRecord);
			// Increments without their record would apply as a fragment of the document: the whole copy goes instead.
			if (!parsed.success) {
				console.warn(`local store: dropping a damaged copy of ${docName}`);
				return null;
			}
			record = parsed.data;
		}
		const parts: StoredPart[] = record ? [{ id: recordId(record), update: record.update }] : [];
		let incrementBytes = 0;
		values.forEach((value, i) => {
			const parsed = incrementSchema.safeParse(value);
			if (!parsed.success || !incrementKeySchema.safeParse(keys[i]).success) {
				console.warn(`local store: dropping a damaged increment of ${docName}`);
				return;
			}
			parts.push({ id: incrementId(keys[i] as unknown[]), update: parsed.data.update });
			incrementBytes += parsed.data.bytes;
		});
		if (parts.length === 0) return null;
		return {
			parts,
			syncedAt: record?.syncedAt ?? null,
			head: record?.head ?? null,
			recordBytes: record?.bytes ?? 0,
			incrementBytes,
			incrementCount: parts.length - (record ? 1 : 0)
		};
	}

	/** Replaces a document's record and increments by one record, in `tx`. */
	function putRecord(tx: IDBTransaction, docName: DocName, record: StoredRecord): void {
		tx.objectStore(DOCS).put(record, docName);
		tx.objectStore(INCREMENTS).delete(incrementsOf(docName));
	}

	const asStoredDoc = (parts: StoredParts): StoredDoc => ({
		update: mergeParts(parts.parts.map((p) => p.update)),
		syncedAt: parts.syncedAt,
		head: parts.head
	});

	async function readMany(docNames: readonly DocName[]): Promise<Map<DocName, StoredDoc>> {
		const unique = [...new Set(docNames)];
		const found = new Map<DocName, StoredDoc>();
		if (unique.length === 0) return found;
		const all = await inTransaction(db, [DOCS, INCREMENTS], 'readonly', (tx) =>
			Promise.all(unique.map((docName) => readPartsIn(tx, docName)))
		);
		all.forEach((parts, i) => {
			if (parts) found.set(unique[i]!, asStoredDoc(parts));
		});
		return found;
	}

	return {
		async read(docName) {
			return (await readMany([docName])).get(docName) ?? null;
		},
		readMany,
		async merge(changes) {
			if (changes.length === 0) return;
			const byDoc = new Map<DocName, StoredDocChangeList>();
			for (const change of changes) {
				const list = byDoc.get(change.docName) ?? [];
				list.push(change);
				byDoc.set(change.docName, list);
			}
			await inTransaction(db, [DOCS, INCREMENTS], 'readwrite', (tx) =>
				Promise.all(
					[...byDoc].map(async ([docName, docChanges]) => {
						const stored = await readPartsIn(tx, docName);
						const updates = [
							...(stored?.parts.map((p) => p.update) ?? []),
							...docChanges.map((c) => c.update).filter((u) => u.byteLength > 0)
						];
						const syncedAt = docChanges.reduce<string | null>((at, c) => c.syncedAt ?? at, stored?.syncedAt ?? null);
						const head = docChanges.reduce<number | null>((h, c) => c.head ?? h, stored?.head ?? null);
						const update = updates.length === 0 ? EMPTY_UPDATE : mergeParts(updates);
						putRecord(tx, docName, { ...piece(update), syncedAt, head });
					})
				)
			);
		},
		async list() {
			const keys = await inTransaction(db, [DOCS], 'readonly', (tx) => requested(tx.objectStore(DOCS).getAllKeys()));
			return keys.filter((key): key is DocName => docNameSchema.safeParse(key).success);
		},
		async sizes() {
			const [records, increments] = await inTransaction(db, [DOCS, INCREMENTS], 'readonly', (tx) =>
				Promise.all([indexKeys(tx.objectStore(DOCS).index(BYTES)), indexKeys(tx.objectStore(INCREMENTS).index(BYTES))])
			);
			const sizes = new Map<DocName, number>();
			for (const [bytes, docName] of records) {
				const name = docNameSchema.safeParse(docName);
				if (name.success && typeof bytes === 'number') sizes.set(name.data, bytes);
			}
			for (const [bytes, key] of increments) {
				const parsed = incrementKeySchema.safeParse(key);
				const before = parsed.success ? sizes.get(parsed.data[0]) : undefined;
				if (parsed.success && before !== undefined && typeof bytes === 'number') sizes.set(parsed.data[0], before + bytes);
			}
			return sizes;
		},
		async delete(docNames) {
			if (docNames.length === 0) return;
			await inTransaction(db, [DOCS, INCREMENTS], 'readwrite', async (tx) => {
				for (const docName of docNames) {
					tx.objectStore(DOCS).delete(docName);
					tx.objectStore(INCREMENTS).delete(incrementsOf(docName));
				}
			});
		},
		async clear() {
			await inTransaction(db, [DOCS, INCREMENTS], 'readwrite', async (tx) => {
				tx.objectStore(DOCS).clear();
				tx.objectStore(INCREMENTS).clear();
			});
		},
		close() {
			db.close();
		},
		readParts(docName) {
			return inTransaction(db, [DOCS, INCREMENTS], 'readonly', (tx) => readPartsIn(tx, docName));
		},
		append(docName, update) {
			return inTransaction(db, [DOCS, INCREMENTS], 'readwrite', async (tx) => {
				const stored = piece(update);
				// Counting reads no value: a document's first update becomes its record, later ones are increments.
				if ((await requested(tx.objectStore(DOCS).count(docName))) === 0) {
					const record = { ...stored, syncedAt: null, head: null };
					putRecord(tx, docName, record);
					return { id: recordId(record), update: stored.update };
				}
				const key = [docName, session, ++sequence];
				tx.objectStore(INCREMENTS).add(stored, key);
				return { id: incrementId(key), update: stored.update };
			});
		},
		compact(docName, produce, syncedAt) {
			return inTransaction(db, [DOCS, INCREMENTS], 'readwrite', async (tx) => {
				const stored = await readPartsIn(tx, docName);
				const record = {
					...piece(produce(stored)),
					syncedAt: syncedAt ?? stored?.syncedAt ?? null,
					head: stored?.head ?? null
				};
				putRecord(tx, docName, record);
				return { id: recordId(record), update: record.update };
			});
		}
	};
}

type StoredDocChangeList = Array<Parameters<LocalDocStore['merge']>[0][number]>;

let device: LocalDocStore | null = null;

/** This device's store, opened on first use and shared by every replica and the catch-up of the page. */
export function deviceDocStore(): LocalDocStore {
	device ??= idbDocStore();
	return device;
}
