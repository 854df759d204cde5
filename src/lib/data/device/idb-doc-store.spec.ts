// S130-S133: this device's copies in one IndexedDB database (fake-indexeddb here): the same behaviour as the memory store,
// one database whatever the number of documents, many documents in one transaction, damaged records dropped.
import 'fake-indexeddb/auto';
import { IDBDatabase as FakeDatabase, IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { DocName } from '../../schema/ids';
import { memoryDocStore, type LocalDocStore } from './doc-store';
import { DEVICE_DOCS_DATABASE, checksum, idbDocStore } from './idb-doc-store';
import { inTransaction, openDatabase } from './idb-requests';

/** A document with one named value: its state as an update. */
function stateWith(key: string, value: string, clientID = 1): Uint8Array {
	const doc = new Y.Doc();
	doc.clientID = clientID;
	doc.getMap('fields').set(key, value);
	return Y.encodeStateAsUpdate(doc);
}

function fieldsOf(update: Uint8Array): Record<string, unknown> {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, update);
	return doc.getMap('fields').toJSON();
}

/** Transactions opened on any fake database, by mode, while `work` runs. */
async function countTransactions(work: () => Promise<unknown>): Promise<Record<IDBTransactionMode, number>> {
	const counts: Record<IDBTransactionMode, number> = { readonly: 0, readwrite: 0, versionchange: 0 };
	const original = FakeDatabase.prototype.transaction;
	const spy = vi.spyOn(FakeDatabase.prototype, 'transaction').mockImplementation(function (this: IDBDatabase, stores, mode) {
		counts[mode ?? 'readonly'] += 1;
		return original.call(this, stores, mode);
	});
	try {
		await work();
	} finally {
		spy.mockRestore();
	}
	return counts;
}

const opened: LocalDocStore[] = [];
afterEach(() => {
	for (const store of opened.splice(0)) store.close();
	vi.restoreAllMocks();
});

const stores: Array<[string, () => LocalDocStore]> = [
	['memory', () => memoryDocStore()],
	['IndexedDB', () => idbDocStore(DEVICE_DOCS_DATABASE, { factory: new IDBFactory() })]
];

describe.each(stores)('the one store (%s)', (_kind, create) => {
	const open = (): LocalDocStore => {
		const store = create();
		opened.push(store);
		return store;
	};

	it('S130: merges changes into documents, reads them back alone or many at once, lists, sizes and deletes them', async () => {
		const store = open();
		await store.merge([
			{ docName: 'customer:a', update: stateWith('name', 'Adatum', 1) },
			{ docName: 'customer:b', update: stateWith('name', 'Fabrikam', 2), syncedAt: '2026-11-02T10:00:00.000Z', head: 4 }
		]);
		await store.merge([{ docName: 'customer:a', update: stateWith('city', 'Kraków', 3), head: 7 }]);
		// An empty update only records the sync.
		await store.merge([{ docName: 'customer:a', update: new Uint8Array(), syncedAt: '2026-11-02T11:00:00.000Z' }]);

		const a = await store.read('customer:a');
		expect(fieldsOf(a!.update)).toEqual({ name: 'Adatum', city: 'Kraków' });
		expect(a).toMatchObject({ syncedAt: '2026-11-02T11:00:00.000Z', head: 7 });
		const many = await store.readMany(['customer:a', 'customer:b', 'customer:none']);
		expect([...many.keys()].sort()).toEqual(['customer:a', 'customer:b']);
		expect(many.get('customer:b')).toMatchObject({ syncedAt: '2026-11-02T10:00:00.000Z', head: 4 });
		expect((await store.list()).sort()).toEqual(['customer:a', 'customer:b']);
		const sizes = await store.sizes();
		expect(sizes.get('customer:b')).toBe(stateWith('name', 'Fabrikam', 2).byteLength);

		await store.delete(['customer:a']);
		expect(await store.read('customer:a')).toBeNull();
		expect(await store.list()).toEqual(['customer:b']);
		await store.clear();
		expect(await store.list()).toEqual([]);
	});

	it('S131, S132: increments are appended after the record, read as pieces, counted in sizes, and compacted away', async () => {
		const store = open();
		const first = await store.append('tenant:t', stateWith('name', 'Contoso', 1));
		const second = await store.append('tenant:t', stateWith('city', 'Madrid', 2));
		const parts = await store.readParts('tenant:t');
		expect(parts?.parts.map((p) => p.id)).toEqual([first.id, second.id]);
		expect(parts).toMatchObject({ incrementCount: 1, recordBytes: first.update.byteLength });
		expect((await store.sizes()).get('tenant:t')).toBe(first.update.byteLength + second.update.byteLength);
		expect(fieldsOf((await store.read('tenant:t'))!.update)).toEqual({ name: 'Contoso', city: 'Madrid' });

		const record = await store.compact(
			'tenant:t',
			(stored) => Y.mergeUpdates(stored!.parts.map((p) => p.update)),
			'2026-11-02T12:00:00.000Z'
		);
		const after = await store.readParts('tenant:t');
		expect(after).toMatchObject({ incrementCount: 0, incrementBytes: 0, syncedAt: '2026-11-02T12:00:00.000Z' });
		expect(after?.parts.map((p) => p.id)).toEqual([record.id]);
		expect(fieldsOf((await store.read('tenant:t'))!.update)).toEqual({ name: 'Contoso', city: 'Madrid' });
	});
});

describe('the one IndexedDB database', () => {
	it('S130: 200 documents live in one database, written in one transaction and read in one', async () => {
		const factory = new IDBFactory();
		const store = idbDocStore(DEVICE_DOCS_DATABASE, { factory });
		opened.push(store);
		const names = Array.from({ length: 200 }, (_, i) => `customer:c${i}` as DocName);
		await store.list(); // opened (and the migration checked) before counting

		const written = await countTransactions(() =>
			store.merge(names.map((docName, i) => ({ docName, update: stateWith('name', `Customer ${i}`, i + 1) })))
		);
		expect(written).toEqual({ readonly: 0, readwrite: 1, versionchange: 0 });
		let many = new Map();
		const read = await countTransactions(async () => {
			many = await store.readMany(names);
		});
		expect(read).toEqual({ readonly: 1, readwrite: 0, versionchange: 0 });
		expect(many.size).toBe(200);
		expect((await factory.databases()).map((db) => db.name)).toEqual([DEVICE_DOCS_DATABASE]);
	});

	it('S133: a damaged record is dropped with a warning, never applied; a damaged increment alone is dropped', async () => {
		const factory = new IDBFactory();
		const store = idbDocStore(DEVICE_DOCS_DATABASE, { factory });
		opened.push(store);
		const good = stateWith('name', 'Adatum', 1);
		await store.merge([
			{ docName: 'customer:cut', update: good },
			{ docName: 'customer:flipped', update: good },
			{ docName: 'customer:odd', update: good },
			{ docName: 'customer:fine', update: good }
		]);
		await store.append('customer:fine', stateWith('city', 'Lyon', 2));
		await store.append('customer:fine', stateWith('zip', '69001', 3));
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);

		// Another program (or a disk error) changes the database under the app.
		const db = await openDatabase(factory, DEVICE_DOCS_DATABASE);
		await inTransaction(db, ['docs', 'increments'], 'readwrite', async (tx) => {
			const docs = tx.objectStore('docs');
			const cut = good.slice(0, good.byteLength - 3);
			docs.put({ update: cut, bytes: cut.byteLength, sum: checksum(good), syncedAt: null, head: null }, 'customer:cut');
			const flipped = good.slice();
			flipped[5] = flipped[5]! ^ 0xff;
			docs.put({ update: flipped, bytes: flipped.byteLength, sum: checksum(good), syncedAt: null, head: null }, 'customer:flipped');
			docs.put({ update: 'not bytes', bytes: 9, sum: 1, syncedAt: 'yesterday', head: -1 }, 'customer:odd');
			const increments = tx.objectStore('increments');
			const keys = await new Promise<IDBValidKey[]>((resolve) => {
				const request = increments.getAllKeys();
				request.onsuccess = () => resolve(request.result);
			});
			increments.put({ update: new Uint8Array([1, 2, 3]), bytes: 3, sum: 0 }, keys[0]!);
		});
		db.close();

		const read = await store.readMany(['customer:cut', 'customer:flipped', 'customer:odd', 'customer:fine']);
		expect([...read.keys()]).toEqual(['customer:fine']);
		expect(fieldsOf(read.get('customer:fine')!.update)).toEqual({ name: 'Adatum', zip: '69001' });
		expect(warn).toHaveBeenCalledTimes(4);
		expect(warn.mock.calls.map(([message]) => String(message)).join('\n')).not.toContain('Adatum');

		// Writing over a damaged copy starts it afresh.
		await store.merge([{ docName: 'customer:cut', update: stateWith('name', 'Adatum (again)', 4) }]);
		expect(fieldsOf((await store.read('customer:cut'))!.update)).toEqual({ name: 'Adatum (again)' });
	});

	it('S130: without IndexedDB the copies are kept in memory and everything still answers', async () => {
		vi.stubGlobal('indexedDB', undefined);
		try {
			const store = idbDocStore();
			await store.merge([{ docName: 'tenant:m', update: stateWith('name', 'Memory') }]);
			expect(await store.list()).toEqual(['tenant:m']);
		} finally {
			vi.unstubAllGlobals();
		}
	});
});
