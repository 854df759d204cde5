// Sign-out on a shared tablet (S133): every local copy of a document goes, from the one store and from any database
// y-indexeddb left, and so do the scoped view (H6), the outbox of server commands (S60) and the user activity report's
// audit months (P8) kept for this tenant; what belongs to no tenant stays.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import type { DocName } from '../../schema/ids';
import { persistDoc } from './doc-persistence';
import { DEVICE_DOCS_DATABASE, deviceDocStore } from './idb-doc-store';
import { inTransaction, openDatabase, requested } from './idb-requests';
import { forgetDocs, forgetLocalReplicas, localDocNames } from './local-data';
import { pendingStorageKey } from './pending';
import { memoryStorage } from './testing';

/** Every value left in every IndexedDB database of the device, as text: what the next person could read. */
async function everythingStored(): Promise<string> {
	const texts: string[] = [];
	for (const { name } of await indexedDB.databases()) {
		const db = await openDatabase(indexedDB, name!);
		for (const store of Array.from(db.objectStoreNames)) {
			const values = await inTransaction(db, [store], 'readonly', (tx) => requested(tx.objectStore(store).getAll()));
			for (const value of values)
				texts.push(value instanceof Uint8Array ? new TextDecoder().decode(value) : JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : v)));
		}
		db.close();
	}
	return texts.join('\n');
}

/** A person works on this tablet: a live document edited, written through the one store. */
async function work(docName: DocName, name: string): Promise<void> {
	const doc = new Y.Doc();
	const persistence = persistDoc(deviceDocStore(), docName, doc);
	await persistence.whenLoaded;
	doc.getMap('fields').set('name', name);
	await persistence.destroy();
}

afterEach(() => {
	vi.unstubAllGlobals();
});

describe('local data', () => {
	it('S133, S60, H6, P8: after sign-out nothing of the person is left on a shared tablet', async () => {
		const storage = memoryStorage({
			[pendingStorageKey('customer:c1')]: '[]',
			'msp-portal:view:t1': '{}',
			'msp-portal:outbox:t1:u1': '[]',
			// P8: a month of the audit log kept for the user activity report.
			'msp-portal:reports:activity:t1:u1:2026-11': '{}',
			'another-app:setting': 'kept'
		});
		vi.stubGlobal('localStorage', storage);
		await work('tenant:t1', 'Alice Tenant GmbH');
		await work('customer:c1', 'Alice Customer SA');
		await deviceDocStore().merge([{ docName: 'customer:c2', update: Y.encodeStateAsUpdate(namedDoc('Alice Batch Ltd')) }]);
		// An old per-document database that the move could not read (S134) is still there.
		const old = new IndexeddbPersistence('customer:c9', namedDoc('Alice Old Copy'));
		await old.whenSynced;
		await old.destroy();
		expect((await localDocNames()).sort()).toEqual(['customer:c1', 'customer:c2', 'tenant:t1']);
		expect(await everythingStored()).toContain('Alice Customer SA');

		await forgetLocalReplicas();
		expect(await localDocNames()).toEqual([]);
		expect([...storage.items.keys()]).toEqual(['another-app:setting']);
		expect((await indexedDB.databases()).map((db) => db.name)).toEqual([DEVICE_DOCS_DATABASE]);
		expect(await everythingStored()).not.toMatch(/Alice/);

		// The next person opens the same document: nothing is loaded.
		const doc = new Y.Doc();
		const next = persistDoc(deviceDocStore(), 'tenant:t1', doc);
		expect(await next.whenLoaded).toEqual({ syncedAt: null });
		expect(doc.getMap('fields').size).toBe(0);
		await next.destroy();
	});

	it('S133, H6: a narrowed grant forgets only the documents outside it, their increments included', async () => {
		vi.stubGlobal('localStorage', memoryStorage());
		await work('customer:keep', 'Kept Customer');
		await work('customer:gone', 'Gone Customer');
		await work('customer:gone', 'Gone Customer, renamed');
		await forgetDocs(['customer:gone']);
		expect(await localDocNames()).toContain('customer:keep');
		expect(await localDocNames()).not.toContain('customer:gone');
		const left = await everythingStored();
		expect(left).toContain('Kept Customer');
		expect(left).not.toContain('Gone Customer');
	});
});

function namedDoc(name: string): Y.Doc {
	const doc = new Y.Doc();
	doc.getMap('fields').set('name', name);
	return doc;
}
