// S134: once per device, the copies y-indexeddb kept (one database per document, named after it; its `updates` store holds
// Yjs updates, its `custom` store `syncedAt`) move into the one store, and their databases are deleted.
import * as Y from 'yjs';
import { z } from 'zod';
import { docNameSchema, type DocName } from '../../schema/ids';
import type { LocalDocStore } from './doc-store';
import { deleteDatabase, inTransaction, openDatabase, requested } from './idb-requests';

const MIGRATED_KEY = 'migratedFromPerDocumentDatabases';
const OLD_UPDATES = 'updates';
const OLD_CUSTOM = 'custom';
const oldUpdatesSchema = z.array(z.instanceof(Uint8Array));
const syncedAtSchema = z.iso.datetime();

/** Names of the per-document databases y-indexeddb left on this device (none when the browser cannot list them). */
export async function oldDocDatabases(factory: IDBFactory): Promise<DocName[]> {
	if (typeof factory.databases !== 'function') return [];
	const databases = await factory.databases();
	return databases.map((db) => db.name).filter((name): name is DocName => docNameSchema.safeParse(name).success);
}

/** Moves every old database in (unless done before) and marks the move done in `db`'s meta store. */
export async function migrateOldDatabases(factory: IDBFactory, db: IDBDatabase, store: LocalDocStore): Promise<void> {
	const done = await inTransaction(db, ['meta'], 'readonly', (tx) => requested(tx.objectStore('meta').get(MIGRATED_KEY)));
	if (done !== undefined) return;
	for (const docName of await oldDocDatabases(factory)) {
		try {
			const old = await readOldDatabase(factory, docName);
			if (old.update !== null)
				await store.merge([{ docName, update: old.update, ...(old.syncedAt ? { syncedAt: old.syncedAt } : {}) }]);
			await deleteDatabase(factory, docName);
		} catch (error) {
			// Left where it is: sign-out deletes it (S133); the server still has what it synced.
			console.warn(`local store: skipping the damaged old copy of ${docName} (${String(error)})`);
		}
	}
	await inTransaction(db, ['meta'], 'readwrite', async (tx) => {
		tx.objectStore('meta').put(new Date().toISOString(), MIGRATED_KEY);
	});
}

/** The old copy as one compacted update (applied to a scratch document, so damaged bytes throw here, not in a replica). */
async function readOldDatabase(factory: IDBFactory, docName: DocName): Promise<{ update: Uint8Array | null; syncedAt: string | null }> {
	const old = await openDatabase(factory, docName);
	try {
		if (!old.objectStoreNames.contains(OLD_UPDATES)) throw new Error('no updates store');
		const stores = old.objectStoreNames.contains(OLD_CUSTOM) ? [OLD_UPDATES, OLD_CUSTOM] : [OLD_UPDATES];
		const [updates, syncedAt] = await inTransaction(old, stores, 'readonly', (tx) =>
			Promise.all([
				requested(tx.objectStore(OLD_UPDATES).getAll()),
				stores.length === 2 ? requested(tx.objectStore(OLD_CUSTOM).get('syncedAt')) : Promise.resolve(undefined)
			])
		);
		const parsed = oldUpdatesSchema.parse(updates);
		const at = syncedAtSchema.safeParse(syncedAt);
		// An empty old database (created, never written) has nothing to move.
		if (parsed.length === 0) return { update: null, syncedAt: null };
		const scratch = new Y.Doc();
		Y.transact(scratch, () => {
			for (const update of parsed) Y.applyUpdate(scratch, update);
		});
		const update = Y.encodeStateAsUpdate(scratch);
		scratch.destroy();
		return { update, syncedAt: at.success ? at.data : null };
	} finally {
		old.close();
	}
}
