// S134: the per-document databases y-indexeddb left on a device (written here by y-indexeddb itself, on fake-indexeddb)
// move into the one store on first use, `syncedAt` included, and are deleted; a damaged one is skipped with a warning;
// the move happens once.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import type { DocName } from '../../schema/ids';
import { DEVICE_DOCS_DATABASE, idbDocStore } from './idb-doc-store';
import { deleteDatabase, inTransaction, openDatabase } from './idb-requests';

async function databaseNames(): Promise<string[]> {
	return (await indexedDB.databases()).map((db) => db.name ?? '').sort();
}

/** What y-indexeddb 9 kept: a database named after the document, its updates appended, `syncedAt` in `custom`. */
async function oldCopy(docName: DocName, name: string, syncedAt?: string): Promise<void> {
	const doc = new Y.Doc();
	const persistence = new IndexeddbPersistence(docName, doc);
	await persistence.whenSynced;
	doc.getMap('fields').set('name', name);
	doc.getMap('fields').set('city', 'Kraków');
	if (syncedAt) await persistence.set('syncedAt', syncedAt);
	await persistence.destroy();
	doc.destroy();
}

/** An old database whose updates cannot be read. */
async function damagedOldCopy(docName: DocName, value: unknown): Promise<void> {
	const db = await openDatabase(indexedDB, docName, 1, (created) => {
		created.createObjectStore('updates', { autoIncrement: true });
		created.createObjectStore('custom');
	});
	await inTransaction(db, ['updates'], 'readwrite', async (tx) => {
		tx.objectStore('updates').add(value);
	});
	db.close();
}

afterEach(async () => {
	vi.restoreAllMocks();
	for (const name of await databaseNames()) await deleteDatabase(indexedDB, name);
});

describe('moving the old per-document databases in', () => {
	it('S134: every old copy moves into the one store with its syncedAt, its database goes; a damaged one is skipped', async () => {
		await oldCopy('tenant:t1', 'Contoso', '2026-10-30T08:00:00.000Z');
		await oldCopy('customer:c1', 'Fabrikam');
		await damagedOldCopy('customer:cut', new Uint8Array([5]));
		await damagedOldCopy('customer:text', 'not an update');
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);

		const store = idbDocStore(DEVICE_DOCS_DATABASE, { factory: indexedDB });
		expect((await store.list()).sort()).toEqual(['customer:c1', 'tenant:t1']);
		const tenant = await store.read('tenant:t1');
		expect(tenant?.syncedAt).toBe('2026-10-30T08:00:00.000Z');
		const doc = new Y.Doc();
		Y.applyUpdate(doc, tenant!.update);
		expect(doc.getMap('fields').toJSON()).toEqual({ name: 'Contoso', city: 'Kraków' });
		expect((await store.read('customer:c1'))?.syncedAt).toBeNull();
		expect(await databaseNames()).toEqual(['customer:cut', 'customer:text', DEVICE_DOCS_DATABASE]);
		expect(warn).toHaveBeenCalledTimes(2);
		store.close();
	});

	it('S134: the move happens once: a later start reads the one store only', async () => {
		await oldCopy('tenant:t2', 'Northwind');
		const first = idbDocStore(DEVICE_DOCS_DATABASE, { factory: indexedDB });
		expect(await first.list()).toEqual(['tenant:t2']);
		await first.merge([{ docName: 'tenant:t2', update: new Uint8Array(), syncedAt: '2026-11-01T08:00:00.000Z' }]);
		first.close();

		// An old database that appears after the move (an old tab still open) is not mixed in again at the next start.
		await oldCopy('tenant:t2', 'Stale name');
		const second = idbDocStore(DEVICE_DOCS_DATABASE, { factory: indexedDB });
		const doc = new Y.Doc();
		const stored = await second.read('tenant:t2');
		Y.applyUpdate(doc, stored!.update);
		expect(doc.getMap('fields').get('name')).toBe('Northwind');
		expect(stored?.syncedAt).toBe('2026-11-01T08:00:00.000Z');
		second.close();
	});
});
