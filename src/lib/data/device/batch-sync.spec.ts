// S126-S128: the batched catch-up's client against a small endpoint built on the same codec as the server's.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { DocName } from '../../schema/ids';
import { decodeBatchRequest, encodeBatchResponse, type BatchAnswer, type BatchRequestEntry } from '../sync/batch';
import type { RejectedMessage } from '../sync/protocol';
import { BatchUnauthenticatedError, createBatchSync, type BatchFetch, type BatchOutcome } from './batch-sync';
import { memoryDocStore, type LocalDocStore } from './doc-store';
import { PendingChanges, pendingStorageKey } from './pending';
import { memoryStorage } from './testing';

/** The server side of the exchange over plain Y.Docs: what a request lacks, the state vector and the head after it. */
function fakeEndpoint() {
	const docs = new Map<DocName, Y.Doc>();
	const heads = new Map<DocName, number>();
	const refused = new Set<DocName>();
	const requests: BatchRequestEntry[][] = [];
	const answerBytes: number[] = [];
	let inFlight = 0;
	let mostInFlight = 0;
	/** Lets a test replace the answer's bytes or status. */
	let tamper: ((bytes: Uint8Array, entries: BatchRequestEntry[]) => Response | Uint8Array) | null = null;
	let rejectedFor: ((docName: DocName) => RejectedMessage | null) | null = null;
	/** S125: documents of a request beyond this many are answered 1013, as a full answer is. */
	let answerLimit = Infinity;
	const server = (docName: DocName): Y.Doc => {
		let doc = docs.get(docName);
		if (!doc) {
			doc = new Y.Doc();
			docs.set(docName, doc);
			heads.set(docName, 0);
		}
		return doc;
	};
	const fetch: BatchFetch = async (url, init) => {
		expect(url).toBe('/api/sync/batch');
		expect(init.credentials).toBe('same-origin');
		inFlight += 1;
		mostInFlight = Math.max(mostInFlight, inFlight);
		// Let the other workers start their requests before this one is answered.
		await new Promise((resolve) => setImmediate(resolve));
		inFlight -= 1;
		if (init.signal?.aborted) throw new DOMException('aborted', 'AbortError');
		const entries = decodeBatchRequest(init.body as Uint8Array);
		requests.push(entries);
		const answers: BatchAnswer[] = entries.map((entry, index) => {
			if (index >= answerLimit)
				return { docName: entry.docName, status: 'refused', code: 1013, reason: 'answer full, ask again' };
			if (refused.has(entry.docName)) return { docName: entry.docName, status: 'refused', code: 4403, reason: 'no access' };
			const doc = server(entry.docName);
			if (entry.update) {
				Y.applyUpdate(doc, entry.update);
				heads.set(entry.docName, heads.get(entry.docName)! + 1);
			}
			return {
				docName: entry.docName,
				status: 'ok',
				update: Y.encodeStateAsUpdate(doc, entry.stateVector),
				stateVector: Y.encodeStateVector(doc),
				head: heads.get(entry.docName)!,
				rejected: rejectedFor?.(entry.docName) ?? null
			};
		});
		let bytes = encodeBatchResponse(answers);
		if (tamper) {
			const tampered = tamper(bytes, entries);
			if (tampered instanceof Response) return tampered;
			bytes = tampered;
		}
		answerBytes.push(bytes.byteLength);
		return new Response(bytes as BodyInit, { status: 200 });
	};
	return {
		fetch,
		server,
		heads,
		refused,
		requests,
		answerBytes,
		get mostInFlight() {
			return mostInFlight;
		},
		tamper(fn: typeof tamper) {
			tamper = fn;
		},
		limitAnswers(count: number) {
			answerLimit = count;
		},
		reject(fn: typeof rejectedFor) {
			rejectedFor = fn;
		},
		/** A change made on the server (another device's edit). */
		edit(docName: DocName, fn: (doc: Y.Doc) => void) {
			server(docName).transact(() => fn(server(docName)));
			heads.set(docName, heads.get(docName)! + 1);
		}
	};
}

const names = (count: number, prefix = 'c'): DocName[] =>
	Array.from({ length: count }, (_, i) => `customer:${prefix}${i}` as DocName);

async function storedDoc(store: LocalDocStore, docName: DocName): Promise<Y.Doc> {
	const doc = new Y.Doc();
	const stored = await store.read(docName);
	if (stored) Y.applyUpdate(doc, stored.update);
	return doc;
}

const sameContent = (a: Y.Doc, b: Y.Doc): boolean =>
	JSON.stringify(a.getMap('contacts').toJSON()) === JSON.stringify(b.getMap('contacts').toJSON()) &&
	JSON.stringify(a.getArray('notes').toJSON()) === JSON.stringify(b.getArray('notes').toJSON());

async function collect(sync: ReturnType<typeof createBatchSync>, docs: readonly DocName[], signal?: AbortSignal) {
	const outcomes: BatchOutcome[] = [];
	await sync(docs, { onOutcome: (outcome) => outcomes.push(outcome), signal });
	return outcomes;
}

describe('createBatchSync', () => {
	it('S126: brings every document into the one store in bounded batches, a couple in flight, with head and syncedAt', async () => {
		const endpoint = fakeEndpoint();
		const docs = names(25);
		for (const [i, docName] of docs.entries()) endpoint.edit(docName, (doc) => doc.getMap('contacts').set(`k${i}`, `Contact ${i}`));
		const store = memoryDocStore();
		const sync = createBatchSync({
			store,
			fetch: endpoint.fetch,
			pendingStorage: null,
			maxDocs: 10,
			inFlight: 2,
			now: () => new Date('2026-12-01T10:00:00Z')
		});

		const outcomes = await collect(sync, docs);
		expect(outcomes.filter((o) => o.result === 'synced').map((o) => o.docName).sort()).toEqual([...docs].sort());
		expect(endpoint.requests.map((entries) => entries.length)).toEqual([10, 10, 5]);
		expect(endpoint.mostInFlight).toBe(2);
		for (const docName of docs) {
			expect(sameContent(await storedDoc(store, docName), endpoint.server(docName))).toBe(true);
			expect(await store.read(docName)).toMatchObject({ syncedAt: '2026-12-01T10:00:00.000Z', head: 1 });
		}

		// Again, after one document changed: each request carries the copy's state vector, so the answers are tiny.
		endpoint.edit(docs[3]!, (doc) => doc.getMap('contacts').set('new', 'Added elsewhere'));
		const firstBytes = endpoint.answerBytes.reduce((a, b) => a + b, 0);
		endpoint.answerBytes.length = 0;
		await collect(sync, docs);
		const againBytes = endpoint.answerBytes.reduce((a, b) => a + b, 0);
		expect(againBytes).toBeLessThan(firstBytes / 2);
		expect((await storedDoc(store, docs[3]!)).getMap('contacts').get('new')).toBe('Added elsewhere');
		expect(await store.read(docs[3]!)).toMatchObject({ head: 2 });
	});

	it('S126: a bad answer fails its batch and changes nothing; other batches go on', async () => {
		const endpoint = fakeEndpoint();
		const docs = names(4);
		for (const docName of docs) endpoint.edit(docName, (doc) => doc.getMap('contacts').set('k', 'v'));
		const store = memoryDocStore();
		const sync = createBatchSync({ store, fetch: endpoint.fetch, pendingStorage: null, maxDocs: 1, inFlight: 1 });
		// Batch 1: garbage; 2: an update that does not decode; 3: an answer about a document not asked; 4: fine.
		let call = 0;
		endpoint.tamper((bytes, entries) => {
			call += 1;
			if (call === 1) return bytes.slice(0, bytes.byteLength - 3);
			if (call === 2)
				return encodeBatchResponse([
					{ docName: entries[0]!.docName, status: 'ok', update: new Uint8Array([9, 9, 9]), stateVector: new Uint8Array([0]), head: 1, rejected: null }
				]);
			if (call === 3)
				return encodeBatchResponse([
					{ docName: 'customer:other', status: 'ok', update: new Uint8Array([0, 0]), stateVector: new Uint8Array([0]), head: 1, rejected: null }
				]);
			return bytes;
		});
		const outcomes = await collect(sync, docs);
		expect(outcomes.map((o) => [o.docName, o.result])).toEqual([
			[docs[0], 'failed'],
			[docs[1], 'failed'],
			[docs[2], 'failed'],
			[docs[3], 'synced']
		]);
		expect(await store.list()).toEqual([docs[3]]);
	});

	it('S126: refused documents are reported with their code; a 401 stops the run; an HTTP error fails its batch', async () => {
		const endpoint = fakeEndpoint();
		const store = memoryDocStore();
		endpoint.refused.add('customer:c1');
		const sync = createBatchSync({ store, fetch: endpoint.fetch, pendingStorage: null });
		const outcomes = await collect(sync, names(3));
		expect(outcomes.find((o) => o.docName === 'customer:c1')).toEqual({
			docName: 'customer:c1',
			result: 'refused',
			code: 4403,
			reason: 'no access'
		});
		expect(await store.list()).not.toContain('customer:c1');

		endpoint.tamper(() => new Response('{}', { status: 503 }));
		expect((await collect(sync, names(2))).map((o) => o.result)).toEqual(['failed', 'failed']);
		endpoint.tamper(() => new Response('{}', { status: 401 }));
		await expect(sync(names(2))).rejects.toBeInstanceOf(BatchUnauthenticatedError);
	});

	it('S125, S126: documents left out of a full answer (1013) are asked again in the same run; a second 1013 fails', async () => {
		const endpoint = fakeEndpoint();
		const docs = names(6);
		const store = memoryDocStore();
		endpoint.limitAnswers(4);
		const sync = createBatchSync({ store, fetch: endpoint.fetch, pendingStorage: null, inFlight: 1 });
		const outcomes = await collect(sync, docs);
		expect(endpoint.requests.map((entries) => entries.map((entry) => entry.docName))).toEqual([docs, docs.slice(4)]);
		expect(outcomes.filter((o) => o.result === 'synced')).toHaveLength(6);

		// A document the server keeps answering 1013 (a customer it does not know yet) fails for this run, not refused.
		endpoint.limitAnswers(0);
		expect(await collect(sync, docs.slice(0, 1))).toEqual([
			{ docName: docs[0], result: 'failed', reason: 'answer full, ask again', live: false }
		]);
	});

	it('S128: documents open live are left to their replica and never requested', async () => {
		const endpoint = fakeEndpoint();
		const sync = createBatchSync({
			store: memoryDocStore(),
			fetch: endpoint.fetch,
			pendingStorage: null,
			isLive: (docName) => docName === 'customer:c0'
		});
		const outcomes = await collect(sync, names(2));
		expect(outcomes).toContainEqual({ docName: 'customer:c0', result: 'live' });
		expect(endpoint.requests.flat().map((entry) => entry.docName)).toEqual(['customer:c1']);
	});

	it('S127: unconfirmed changes (a deletion among them) are pushed with what the server lacks and acknowledged', async () => {
		const endpoint = fakeEndpoint();
		const docName: DocName = 'customer:push';
		const store = memoryDocStore();
		const storage = memoryStorage();
		// The device caught up once, then edited offline: added a contact, deleted another one.
		endpoint.edit(docName, (doc) => {
			doc.getMap('contacts').set('a', 'Anna');
			doc.getMap('contacts').set('b', 'Bert');
		});
		const device = new Y.Doc();
		Y.applyUpdate(device, Y.encodeStateAsUpdate(endpoint.server(docName)));
		const pending = new PendingChanges(storage, pendingStorageKey(docName), () => undefined);
		device.getMap('contacts').set('c', 'Carla');
		pending.record(device.clientID, Y.getState(device.store, device.clientID), false, null);
		device.getMap('contacts').delete('a');
		pending.record(device.clientID, Y.getState(device.store, device.clientID), true, null);
		await store.merge([{ docName, update: Y.encodeStateAsUpdate(device) }]);
		// Meanwhile the server moved on too.
		endpoint.edit(docName, (doc) => doc.getMap('contacts').set('d', 'Dora'));

		const sync = createBatchSync({ store, fetch: endpoint.fetch, pendingStorage: storage });
		const outcomes = await collect(sync, [docName]);
		expect(outcomes).toEqual([{ docName, result: 'synced', head: 3, pending: 0, rejected: null }]);
		expect(endpoint.server(docName).getMap('contacts').toJSON()).toEqual({ b: 'Bert', c: 'Carla', d: 'Dora' });
		expect((await storedDoc(store, docName)).getMap('contacts').toJSON()).toEqual({ b: 'Bert', c: 'Carla', d: 'Dora' });
		// Confirmed: the pending list is gone from storage.
		expect(storage.items.has(pendingStorageKey(docName))).toBe(false);
		// The push carried what the server lacked, not the whole copy.
		const pushed = endpoint.requests[1]![0]!.update!;
		expect(pushed.byteLength).toBeLessThan(Y.encodeStateAsUpdate(device).byteLength);
	});

	it('S127, S24: what the server undid of a push comes back with the outcome', async () => {
		const endpoint = fakeEndpoint();
		const docName: DocName = 'customer:undo';
		const store = memoryDocStore();
		const storage = memoryStorage();
		const device = new Y.Doc();
		device.getMap('contacts').set('x', 'bad');
		new PendingChanges(storage, pendingStorageKey(docName), () => undefined).record(
			device.clientID,
			Y.getState(device.store, device.clientID),
			false,
			null
		);
		await store.merge([{ docName, update: Y.encodeStateAsUpdate(device) }]);
		const rejected: RejectedMessage = { docName, total: 1, items: [{ itemType: 'contact', id: 'x', code: 'invalidRecord' }] };
		endpoint.reject((name) => (name === docName ? rejected : null));
		const sync = createBatchSync({ store, fetch: endpoint.fetch, pendingStorage: storage });
		expect(await collect(sync, [docName])).toEqual([{ docName, result: 'synced', head: 1, pending: 0, rejected }]);
	});

	it('S126: a stopped run stores nothing more', async () => {
		const endpoint = fakeEndpoint();
		const docs = names(6);
		for (const docName of docs) endpoint.edit(docName, (doc) => doc.getMap('contacts').set('k', 'v'));
		const store = memoryDocStore();
		const controller = new AbortController();
		const sync = createBatchSync({ store, fetch: endpoint.fetch, pendingStorage: null, maxDocs: 2, inFlight: 1 });
		const outcomes: BatchOutcome[] = [];
		await sync(docs, {
			signal: controller.signal,
			onOutcome(outcome) {
				outcomes.push(outcome);
				controller.abort();
			}
		});
		expect(outcomes).toHaveLength(1);
		expect((await store.list()).sort()).toEqual(docs.slice(0, 2));
	});
});
