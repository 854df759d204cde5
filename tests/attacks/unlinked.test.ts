// The attack suite, unlinked customers (docs/sync.md S90, S91; C7): a writer sends, over a real socket to a real server,
// changes to an unlinked customer, a site under it and its customer document; the relay undoes or refuses every one.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { CustomerRepository } from '../../src/lib/data/customer-repository';
import { MESSAGE_REJECTED, readRejectedBody, type RejectedItem } from '../../src/lib/data/sync/protocol';
import { createServer, type PortalServer } from '../../server/src/app';
import { createRelay, type RelayEvent } from '../../server/src/relay/relay';
import { testConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/log';
import { systemClock } from '../../server/src/clock';
import { createMemoryStore } from '../../server/src/store/memory';
import type { Store } from '../../server/src/store/types';
import { FAST_SCRYPT } from '../helpers/portal';
import { createSignedIn, openSynced, sendEdit } from '../helpers/portal-clients';
import type { RawClient } from '../helpers/sync-clients';
import { storedDoc, updateFrame } from '../helpers/sync-frames';

const TENANT = 'acme';
const TENANT_DOC = `tenant:${TENANT}`;

let store: Store;
let server: PortalServer;
let base = '';
let buildDir = '';
const sockets: RawClient[] = [];
const events: RelayEvent[] = [];
const waiters: Array<{ predicate: (event: RelayEvent) => boolean; resolve: () => void }> = [];

function relayEvent(predicate: (event: RelayEvent) => boolean): Promise<void> {
	if (events.some(predicate)) return Promise.resolve();
	return new Promise((resolve) => waiters.push({ predicate, resolve }));
}

beforeEach(async () => {
	store = createMemoryStore();
	buildDir = mkdtempSync(join(tmpdir(), 'msp-unlinked-'));
	events.length = 0;
	server = createServer({
		store,
		clock: systemClock,
		log: createLogger('silent'),
		config: testConfig({ buildDir }),
		authOptions: { scrypt: FAST_SCRYPT },
		relayFactory: (deps) =>
			createRelay({
				...deps,
				onEvent(event) {
					events.push(event);
					for (const waiter of [...waiters])
						if (waiter.predicate(event)) {
							waiters.splice(waiters.indexOf(waiter), 1);
							waiter.resolve();
						}
				}
			})
	});
	base = (await server.listen()).url;
	await store.createTenant({ id: TENANT, name: 'Acme IT', createdAt: new Date().toISOString() });
	const ids = ['msp', 'gone', 'kept', 'site', 'other'];
	await server.relay.change(TENANT_DOC, (doc) => {
		const repo = new TenantRepository(doc, { newId: () => ids.shift()! });
		const msp = repo.createNode({ kind: 'msp', name: 'MSP A', parentId: null });
		const gone = repo.createNode({ kind: 'customer', name: 'Gone Ltd', parentId: msp, status: 'normal' });
		repo.createNode({ kind: 'customer', name: 'Kept Ltd', parentId: msp, status: 'normal' });
		repo.createNode({ kind: 'site', name: 'Gone HQ', parentId: gone });
		repo.createNode({ kind: 'customer', name: 'Other Ltd', parentId: msp, status: 'normal' });
	});
	await server.relay.change(`${TENANT}/customer:gone`, (doc) => {
		new CustomerRepository(doc, { newId: () => 'k1' }).addContact({
			name: 'Ana Ruiz',
			role: 'IT',
			email: 'ana@gone.example',
			phone: ''
		});
	});
});

afterEach(async () => {
	for (const socket of sockets.splice(0)) socket.socket.terminate();
	await server.close();
	await store.close();
	rmSync(buildDir, { recursive: true, force: true });
});

let people = 0;
async function opened(docName: string, cookie?: string): Promise<{ client: RawClient; doc: Y.Doc; cookie: string }> {
	people += 1;
	const who =
		cookie ??
		(await createSignedIn(base, store, { tenantId: TENANT, email: `p${people}@acme.example`, role: 'admin' }));
	const synced = await openSynced(base, docName, who);
	sockets.push(synced.client);
	return { ...synced, cookie: who };
}

function rejected(client: RawClient): RejectedItem[] {
	return client.frames
		.filter((frame) => frame[0] === MESSAGE_REJECTED)
		.flatMap((frame) => {
			const decoder = decoding.createDecoder(frame);
			decoding.readVarUint(decoder);
			return readRejectedBody(decoder).items;
		});
}

/** Unlinks `gone` as a person does it, through their tenant replica. */
async function unlink(writer: { client: RawClient; doc: Y.Doc }): Promise<void> {
	await sendEdit(writer.client, writer.doc, (doc) => new TenantRepository(doc).setStatus('gone', 'unlinked'));
	expect(rejected(writer.client)).toEqual([]);
}

describe('C7: the relay keeps an unlinked customer read-only', () => {
	it('C7: a client renaming an unlinked customer, re-linking it, or changing its site is undone; the store never keeps it', async () => {
		const writer = await opened(TENANT_DOC);
		await unlink(writer);
		await sendEdit(writer.client, writer.doc, (doc) => {
			const nodes = doc.getMap<Y.Map<unknown>>('nodes');
			nodes.get('gone')!.set('name', 'Renamed');
			nodes.get('site')!.set('address', 'Somewhere 1');
		});
		await sendEdit(writer.client, writer.doc, (doc) =>
			doc.getMap<Y.Map<unknown>>('nodes').get('gone')!.set('status', 'normal')
		);
		expect(rejected(writer.client)).toEqual([
			{ itemType: 'treeNode', id: 'gone', code: 'customerUnlinked' },
			{ itemType: 'treeNode', id: 'site', code: 'customerUnlinked' },
			{ itemType: 'treeNode', id: 'gone', code: 'customerUnlinked' }
		]);
		const stored = new TenantRepository(await storedDoc(store, TENANT_DOC));
		expect(stored.node('gone')).toMatchObject({ name: 'Gone Ltd', status: 'unlinked' });
		expect(stored.node('site')?.address).toBeUndefined();
	});

	it('C7: a site created under, moved into or moved out of an unlinked customer is undone; a linked customer stays writable', async () => {
		const writer = await opened(TENANT_DOC);
		await unlink(writer);
		await sendEdit(writer.client, writer.doc, (doc) => {
			const nodes = doc.getMap<Y.Map<unknown>>('nodes');
			const fresh = new Y.Map<unknown>();
			nodes.set('new-site', fresh);
			fresh.set('kind', 'site');
			fresh.set('name', 'Sneaked in');
			fresh.set('placement', { parent: 'gone', prev: null, ts: 100, client: doc.clientID });
			nodes.get('site')!.set('placement', { parent: 'kept', prev: 'gone', ts: 101, client: doc.clientID });
			nodes.get('kept')!.set('name', 'Kept Ltd (renamed)');
		});
		expect(rejected(writer.client)).toEqual([
			{ itemType: 'treeNode', id: 'new-site', code: 'customerUnlinked' },
			{ itemType: 'treeNode', id: 'site', code: 'customerUnlinked' }
		]);
		const stored = new TenantRepository(await storedDoc(store, TENANT_DOC));
		expect(stored.node('new-site')).toBeNull();
		expect(stored.view().parentOf.get('site')).toBe('gone');
		expect(stored.node('kept')?.name).toBe('Kept Ltd (renamed)');
	});

	it('C7: the document of an unlinked customer opens read-only: a write is refused (4403) and nothing is stored', async () => {
		const writer = await opened(TENANT_DOC);
		await unlink(writer);
		const customer = await opened('customer:gone', writer.cookie);
		const before = Y.encodeStateVector(customer.doc);
		new CustomerRepository(customer.doc).updateContact('k1', {
			name: 'Ana',
			role: 'IT',
			email: 'x@gone.example',
			phone: ''
		});
		customer.client.send(updateFrame(Y.encodeStateAsUpdate(customer.doc, before)));
		expect(await customer.client.closed).toMatchObject({ code: 4403, reason: 'read-only' });
		const stored = new CustomerRepository(await storedDoc(store, `${TENANT}/customer:gone`));
		expect(stored.contacts()[0]?.email).toBe('ana@gone.example');
		// Another customer's document stays writable for the same person.
		const other = await opened('customer:other', writer.cookie);
		await sendEdit(other.client, other.doc, (doc) =>
			new CustomerRepository(doc, { newId: () => 'k9' }).addContact({ name: 'Bo', role: '', email: '', phone: '' })
		);
		expect(new CustomerRepository(await storedDoc(store, `${TENANT}/customer:other`)).contacts()).toHaveLength(1);
	});

	it('C7: a socket already open on the customer document when it is unlinked stops writing too', async () => {
		const writer = await opened(TENANT_DOC);
		const customer = await opened('customer:gone', writer.cookie);
		const connection = [...events]
			.reverse()
			.find((event) => event.type === 'joined' && event.docName === 'customer:gone');
		await unlink(writer);
		await relayEvent(
			(event) =>
				event.type === 'accessChanged' &&
				event.docName === 'customer:gone' &&
				connection?.type === 'joined' &&
				event.connection === connection.connection &&
				event.access === 'read'
		);
		const before = Y.encodeStateVector(customer.doc);
		new CustomerRepository(customer.doc).updateContact('k1', {
			name: 'Ana',
			role: 'IT',
			email: 'x@gone.example',
			phone: ''
		});
		customer.client.send(updateFrame(Y.encodeStateAsUpdate(customer.doc, before)));
		expect(await customer.client.closed).toMatchObject({ code: 4403, reason: 'read-only' });
		expect(new CustomerRepository(await storedDoc(store, `${TENANT}/customer:gone`)).contacts()[0]?.email).toBe(
			'ana@gone.example'
		);
	});

	it('C7: deleting an unlinked customer stays possible for people with tree.edit', async () => {
		const writer = await opened(TENANT_DOC);
		await unlink(writer);
		await sendEdit(writer.client, writer.doc, (doc) => new TenantRepository(doc).remove('gone'));
		expect(rejected(writer.client)).toEqual([]);
		const stored = new TenantRepository(await storedDoc(store, TENANT_DOC));
		expect(stored.node('gone')).toBeNull();
		expect(stored.node('site')).toBeNull();
	});
});
