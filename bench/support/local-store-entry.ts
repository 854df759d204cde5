// Bundled by bench/local-store.ts (esbuild) into one script for a chromium page on a real origin: this device's one store
// (S130-S132) against y-indexeddb's database per document, on the same documents.
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { persistDoc } from '../../src/lib/data/device/doc-persistence';
import { idbDocStore } from '../../src/lib/data/device/idb-doc-store';
import type { LocalDocStore } from '../../src/lib/data/device/doc-store';
import type { DocName } from '../../src/lib/schema/ids';

const OURS = 'bench-one-store';

/** A small customer document: its profile and a few contacts, as the app keeps them. */
function customerDoc(i: number): Y.Doc {
	const doc = new Y.Doc();
	const profile = doc.getMap('profile');
	profile.set('name', `Customer ${i} GmbH`);
	profile.set('country', ['DE', 'ES', 'PL', 'IT', 'AT'][i % 5]!);
	profile.set('notes', `Serviced from the Kraków office; contract ${100_000 + i}.`);
	const contacts = doc.getArray<Y.Map<string>>('contacts');
	for (let c = 0; c < 3; c++) {
		const contact = new Y.Map<string>();
		contact.set('name', `Contact ${c} of ${i}`);
		contact.set('email', `c${c}.${i}@customer.example`);
		contact.set('role', 'IT');
		contacts.push([contact]);
	}
	return doc;
}

const names = (n: number): DocName[] => Array.from({ length: n }, (_, i) => `customer:bench-${i}` as DocName);

function freshStore(): LocalDocStore {
	return idbDocStore(OURS, { migrate: false });
}

async function timed(work: () => Promise<unknown>): Promise<number> {
	const start = performance.now();
	await work();
	return performance.now() - start;
}

/** Bytes passed to put/add on any object store while `work` runs (Uint8Array values, or their `update`), and how many. */
async function bytesWritten(work: () => Promise<unknown>): Promise<{ bytes: number; writes: number }> {
	let bytes = 0;
	let writes = 0;
	const proto = IDBObjectStore.prototype;
	const original = { put: proto.put, add: proto.add };
	const count = (value: unknown): void => {
		writes += 1;
		if (value instanceof Uint8Array) bytes += value.byteLength;
		else if (value && typeof value === 'object' && 'update' in value && value.update instanceof Uint8Array)
			bytes += value.update.byteLength;
	};
	proto.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
		count(value);
		return original.put.call(this, value, key);
	};
	proto.add = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
		count(value);
		return original.add.call(this, value, key);
	};
	try {
		await work();
	} finally {
		proto.put = original.put;
		proto.add = original.add;
	}
	return { bytes, writes };
}

/** Bytes y-indexeddb holds for one document (every update in its `updates` store). */
function yIndexeddbBytes(name: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const open = indexedDB.open(name);
		open.onerror = () => reject(open.error);
		open.onsuccess = () => {
			const db = open.result;
			const all = db.transaction('updates', 'readonly').objectStore('updates').getAll();
			all.onsuccess = () => {
				db.close();
				resolve((all.result as Uint8Array[]).reduce((sum, u) => sum + u.byteLength, 0));
			};
			all.onerror = () => reject(all.error);
		};
	});
}

async function seed(n: number): Promise<{ ours: number; yIndexeddb: number; bytes: number }> {
	const docs = names(n).map((docName, i) => ({ docName, update: Y.encodeStateAsUpdate(customerDoc(i)) }));
	const store = freshStore();
	await store.clear();
	const ours = await timed(() => store.merge(docs));
	store.close();
	const yIndexeddb = await timed(() =>
		Promise.all(
			docs.map(async ({ docName, update }) => {
				const doc = new Y.Doc();
				Y.applyUpdate(doc, update);
				const persistence = new IndexeddbPersistence(docName, doc);
				await persistence.whenSynced;
				await persistence.destroy();
			})
		)
	);
	return { ours, yIndexeddb, bytes: docs.reduce((sum, d) => sum + d.update.byteLength, 0) };
}

/** Each document opened as a live replica opens it: a Y.Doc loaded from the store, all at once. */
async function openLive(n: number): Promise<number> {
	let loaded = 0;
	const ms = await timed(async () => {
		const store = freshStore();
		const docs = await Promise.all(
			names(n).map(async (docName) => {
				const doc = new Y.Doc();
				const persistence = persistDoc(store, docName, doc);
				await persistence.whenLoaded;
				if (doc.getMap('profile').size > 0) loaded += 1;
				return persistence;
			})
		);
		await Promise.all(docs.map((p) => p.destroy()));
		store.close();
	});
	if (loaded !== n) throw new Error(`local-store bench: ${loaded} of ${n} documents loaded from the one store`);
	return ms;
}

/** The floor: the same bytes applied to new documents with no storage at all. */
async function applyOnly(n: number): Promise<number> {
	const updates = names(n).map((_, i) => Y.encodeStateAsUpdate(customerDoc(i)));
	return timed(async () => {
		for (const update of updates) Y.applyUpdate(new Y.Doc(), update);
	});
}

/** The catch-up's way: every document read in one transaction and applied. */
async function openBatch(n: number): Promise<number> {
	let loaded = 0;
	const ms = await timed(async () => {
		const store = freshStore();
		const stored = await store.readMany(names(n));
		for (const { update } of stored.values()) {
			const doc = new Y.Doc();
			Y.applyUpdate(doc, update);
			if (doc.getMap('profile').size > 0) loaded += 1;
		}
		store.close();
	});
	if (loaded !== n) throw new Error(`local-store bench: ${loaded} of ${n} documents read in one transaction`);
	return ms;
}

async function openYIndexeddb(n: number): Promise<number> {
	let loaded = 0;
	const ms = await timed(() =>
		Promise.all(
			names(n).map(async (docName) => {
				const doc = new Y.Doc();
				const persistence = new IndexeddbPersistence(docName, doc);
				await persistence.whenSynced;
				if (doc.getMap('profile').size > 0) loaded += 1;
				await persistence.destroy();
			})
		)
	);
	if (loaded !== n) throw new Error(`local-store bench: ${loaded} of ${n} documents loaded by y-indexeddb`);
	return ms;
}

/** Field edits in bursts of 100 (one task each, then its write), on a tenant-like document of 40 customers. */
async function edits(total: number): Promise<{ stored: number; encoded: number; yIndexeddb: number }> {
	const run = async (persist: (doc: Y.Doc) => { flush(): Promise<void>; close(): Promise<void> }) => {
		const doc = new Y.Doc();
		const handle = persist(doc);
		const nodes = doc.getMap<Y.Map<string>>('nodes');
		for (let i = 0; i < 40; i++) {
			const node = new Y.Map<string>();
			node.set('name', `Customer ${i}`);
			nodes.set(`c${i}`, node);
		}
		for (let burst = 0; burst < total / 100; burst++) {
			doc.transact(() => {
				for (let i = 0; i < 100; i++) nodes.get(`c${(burst * 7 + i) % 40}`)!.set('name', `Name ${burst}.${i}`);
			});
			await handle.flush();
		}
		const encoded = Y.encodeStateAsUpdate(doc).byteLength;
		await handle.close();
		return encoded;
	};
	const store = freshStore();
	await store.clear();
	const encoded = await run((doc) => {
		const persistence = persistDoc(store, 'tenant:bench-edits', doc);
		return { flush: () => persistence.flush(), close: () => persistence.destroy() };
	});
	const stored = (await store.sizes()).get('tenant:bench-edits') ?? 0;
	store.close();
	await run((doc) => {
		const persistence = new IndexeddbPersistence('tenant:bench-edits', doc);
		// y-indexeddb writes each update as it comes; waiting a task lets its writes go out as they would between bursts.
		return {
			flush: () => new Promise<void>((resolve) => setTimeout(resolve, 0)),
			close: () => persistence.destroy()
		};
	});
	return { stored, encoded, yIndexeddb: await yIndexeddbBytes('tenant:bench-edits') };
}

/** Bytes written when a stored document is opened and the relay brings nothing new. */
async function openWithNoEdit(): Promise<{
	ours: { bytes: number; writes: number };
	yIndexeddb: { bytes: number; writes: number };
}> {
	const docName: DocName = 'customer:bench-0';
	const server = new Y.Doc();
	const store = freshStore();
	const ours = await bytesWritten(async () => {
		const doc = new Y.Doc();
		const persistence = persistDoc(store, docName, doc);
		await persistence.whenLoaded;
		Y.applyUpdate(server, Y.encodeStateAsUpdate(doc));
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(server), 'relay');
		await persistence.destroy();
	});
	store.close();
	const yIndexeddb = await bytesWritten(async () => {
		const doc = new Y.Doc();
		const persistence = new IndexeddbPersistence(docName, doc);
		await persistence.whenSynced;
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(server), 'relay');
		await new Promise((resolve) => setTimeout(resolve, 50));
		await persistence.destroy();
	});
	return { ours, yIndexeddb };
}

(globalThis as unknown as { localStoreBench: unknown }).localStoreBench = {
	seed,
	openLive,
	openBatch,
	applyOnly,
	openYIndexeddb,
	edits,
	openWithNoEdit
};
