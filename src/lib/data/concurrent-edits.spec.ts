// F2 (S31): concurrent edits of one field are noticed on both devices; sequential edits, other fields, the IndexedDB
// load and local edits are not. Devices are Y.Docs exchanging updates by hand, with the relay's origin set as y-websocket does.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { persistDoc } from './device/doc-persistence';
import { idbDocStore } from './device/idb-doc-store';
import { TenantRepository, type NodeFieldEdit } from './tenant-repository';
import { CustomerRepository, type ContactFieldEdit } from './customer-repository';
import { sameJson, type ChangeSources } from './concurrent-edits';
import type { DocName } from '../schema/ids';

/** Stands in for the y-websocket provider: the origin of every transaction that came from the relay. */
const RELAY = { name: 'relay' };

interface Device<Edit> {
	readonly doc: Y.Doc;
	readonly edits: Edit[];
	/** Client ids of earlier sessions with unconfirmed changes, as the pending list (S6) reports them. */
	readonly unconfirmed: number[];
}

function sources(unconfirmed: number[]): ChangeSources {
	return { fromRelay: (origin) => origin === RELAY, unconfirmedClients: () => unconfirmed };
}

function tenantDevice(clientID: number, doc = new Y.Doc()): Device<NodeFieldEdit> & { repo: TenantRepository } {
	doc.clientID = clientID;
	let n = 0;
	const repo = new TenantRepository(doc, { newId: () => `c${clientID}n${++n}` });
	const device = { doc, repo, edits: [] as NodeFieldEdit[], unconfirmed: [] as number[] };
	repo.watchConcurrentEdits(sources(device.unconfirmed), (edits) => device.edits.push(...edits));
	return device;
}

/**
 * The relay's copy of the document. Uploads are applied there first, where a value that loses is dropped at once
 * (gc, as on the real relay), and devices download what they lack from it, with the relay's origin.
 */
function relayCopy(): Y.Doc {
	return new Y.Doc();
}

function upload(device: { doc: Y.Doc }, relay: Y.Doc): void {
	Y.applyUpdate(relay, Y.encodeStateAsUpdate(device.doc, Y.encodeStateVector(relay)));
}

function download(relay: Y.Doc, device: { doc: Y.Doc }): void {
	Y.applyUpdate(device.doc, Y.encodeStateAsUpdate(relay, Y.encodeStateVector(device.doc)), RELAY);
}

/** A device connects: the relay's sync step 2 comes first, then the device's own (S29), then the others hear of it. */
function reconnect(device: { doc: Y.Doc }, relay: Y.Doc, others: { doc: Y.Doc }[] = []): void {
	download(relay, device);
	upload(device, relay);
	for (const other of others) download(relay, other);
}

/** Two devices in sync through the relay, with one customer node; A stays online, B goes offline. */
function twoDevices(clientA: number, clientB: number) {
	const relay = relayCopy();
	const a = tenantDevice(clientA);
	const b = tenantDevice(clientB);
	const msp = a.repo.createNode({ kind: 'msp', name: 'Adatum MSP', parentId: null });
	const id = a.repo.createNode({ kind: 'customer', name: 'Fabrikam', parentId: msp, country: 'ES' });
	upload(a, relay);
	download(relay, b);
	/** A's edits reach the relay at once; B's wait until it reconnects. */
	const online = (): void => upload(a, relay);
	const bReconnects = (): void => reconnect(b, relay, [a]);
	return { relay, a, b, id, online, bReconnects };
}

describe('concurrent edits (S31)', () => {
	// Yjs keeps the value of the higher client id: both orders put each device once on each side of the merge.
	for (const [clientA, clientB] of [
		[2, 1],
		[1, 2]
	] as const) {
		it(`F2: a rename made offline and one made online on the same node are noticed on both devices (clients ${clientA}, ${clientB})`, () => {
			const { a, b, id, online, bReconnects } = twoDevices(clientA, clientB);
			a.repo.rename(id, 'Fabrikam SA');
			online();
			b.repo.rename(id, 'Fabrikam S.A. (ES)');
			bReconnects();

			const name = a.repo.node(id)?.name;
			expect(b.repo.node(id)?.name).toBe(name);
			if (clientA > clientB) {
				expect(name).toBe('Fabrikam SA');
				// B's value lost on B's own copy: B names both values.
				expect(b.edits).toEqual([
					{ recordId: id, field: 'name', kept: 'Fabrikam SA', notKept: { value: 'Fabrikam S.A. (ES)' }, keptOurs: false }
				]);
				// B's value lost on the relay's copy too, which dropped it: A learns only that it was not kept.
				expect(a.edits).toEqual([{ recordId: id, field: 'name', kept: 'Fabrikam SA', notKept: null, keptOurs: true }]);
			} else {
				expect(name).toBe('Fabrikam S.A. (ES)');
				expect(b.edits).toEqual([
					{ recordId: id, field: 'name', kept: 'Fabrikam S.A. (ES)', notKept: { value: 'Fabrikam SA' }, keptOurs: true }
				]);
				expect(a.edits).toEqual([
					{ recordId: id, field: 'name', kept: 'Fabrikam S.A. (ES)', notKept: { value: 'Fabrikam SA' }, keptOurs: false }
				]);
			}
		});
	}

	it('F2: two devices offline: whichever reconnects first, both end with the same value and one notice each', () => {
		for (const first of ['a', 'b'] as const) {
			const { relay, a, b, id } = twoDevices(7, 3);
			a.repo.setStatus(id, 'normal');
			b.repo.setStatus(id, 'unlinked');
			const [early, late] = first === 'a' ? [a, b] : [b, a];
			reconnect(early, relay, [late]);
			reconnect(late, relay, [early]);
			const status = a.repo.node(id)?.status;
			expect(b.repo.node(id)?.status).toBe(status);
			expect(a.edits).toHaveLength(1);
			expect(b.edits).toHaveLength(1);
			expect(a.edits[0]).toMatchObject({ field: 'status', kept: status, keptOurs: status === 'normal' });
			expect(b.edits[0]).toMatchObject({ field: 'status', kept: status, keptOurs: status === 'unlinked' });
		}
	});

	it('F2: the other value named is the last one the other device wrote, not one it replaced itself', () => {
		for (const [clientA, clientB] of [
			[2, 1],
			[1, 2]
		] as const) {
			const { a, b, id, online, bReconnects } = twoDevices(clientA, clientB);
			a.repo.rename(id, 'Fabrikam A');
			online();
			b.repo.rename(id, 'Fabrikam B1');
			b.repo.rename(id, 'Fabrikam B2');
			bReconnects();
			const name = a.repo.node(id)?.name;
			expect(b.repo.node(id)?.name).toBe(name);
			expect(name).toBe(clientA > clientB ? 'Fabrikam A' : 'Fabrikam B2');
			const named = [...a.edits, ...b.edits].flatMap((edit) => [edit.kept, edit.notKept?.value]);
			expect(named).toContain('Fabrikam B2');
			expect(named).not.toContain('Fabrikam B1');
			expect(a.edits).toHaveLength(1);
			expect(b.edits).toHaveLength(1);
		}
	});

	it('F2: concurrent moves of one node are noticed with the parents both devices chose', () => {
		const { relay, a, b, online, bReconnects } = twoDevices(1, 2);
		const [msp1, msp2, msp3] = ['MSP one', 'MSP two', 'MSP three'].map((name) =>
			a.repo.createNode({ kind: 'msp', name, parentId: null })
		);
		const customer = a.repo.createNode({ kind: 'customer', name: 'Contoso', parentId: msp1! });
		online();
		download(relay, b);
		a.repo.move(customer, msp2!);
		online();
		b.repo.move(customer, msp3!);
		bReconnects();

		const parent = a.repo.view().parentOf.get(customer);
		expect(parent).toBe(msp3);
		expect(b.repo.view().parentOf.get(customer)).toBe(parent);
		for (const device of [a, b]) {
			expect(device.edits).toEqual([
				expect.objectContaining({
					recordId: customer,
					field: 'placement',
					kept: expect.objectContaining({ parent: msp3 }),
					notKept: { value: expect.objectContaining({ parent: msp2 }) }
				})
			]);
		}
	});

	it('F2: a sequential edit (made after seeing the other one) is no conflict', () => {
		const { relay, a, b, id, online, bReconnects } = twoDevices(1, 2);
		a.repo.rename(id, 'Fabrikam SA');
		online();
		download(relay, b);
		b.repo.rename(id, 'Fabrikam Iberia SA');
		bReconnects();
		a.repo.rename(id, 'Fabrikam Iberia S.A.');
		online();
		download(relay, b);
		expect(b.repo.node(id)?.name).toBe('Fabrikam Iberia S.A.');
		expect(a.edits).toEqual([]);
		expect(b.edits).toEqual([]);
	});

	it('F2: concurrent edits of different fields of one node merge and are no conflict, profile form included', () => {
		const { relay, a, b, id, online, bReconnects } = twoDevices(1, 2);
		a.repo.updateProfile(id, { address: 'Calle Mayor 1', country: 'ES', billingType: 'term' });
		online();
		download(relay, b);
		// The profile form sends every field; only the ones a person changed are written (F2: no edit lost).
		a.repo.rename(id, 'Fabrikam SA');
		a.repo.updateProfile(id, { address: 'Gran Via 2', country: 'ES', billingType: 'term' });
		online();
		b.repo.updateProfile(id, { address: 'Calle Mayor 1', country: 'PT', billingType: 'monthly' });
		b.repo.setStatus(id, 'normal');
		bReconnects();

		for (const device of [a, b]) {
			expect(device.repo.node(id)).toMatchObject({
				name: 'Fabrikam SA',
				address: 'Gran Via 2',
				country: 'PT',
				billingType: 'monthly',
				status: 'normal'
			});
			expect(device.edits).toEqual([]);
		}
	});

	it('F2: both devices setting the same value is no conflict for the device that holds both values', () => {
		const { a, b, id, online, bReconnects } = twoDevices(1, 2);
		a.repo.rename(id, 'Fabrikam SA');
		a.repo.updateProfile(id, { contact: { name: 'Ana', email: 'ana@fabrikam.example', phone: '' } });
		online();
		b.repo.rename(id, 'Fabrikam SA');
		b.repo.updateProfile(id, { contact: { phone: '', email: 'ana@fabrikam.example', name: 'Ana' } });
		bReconnects();
		expect(b.edits).toEqual([]);
		// B's values won, so A held both: nothing was lost.
		expect(a.edits).toEqual([]);
	});

	it('F2: a device that did not edit the field notices nothing, though it receives both concurrent values', () => {
		const { relay, a, b, id, online, bReconnects } = twoDevices(1, 2);
		const c = tenantDevice(3);
		download(relay, c);
		a.repo.rename(id, 'Fabrikam SA');
		online();
		download(relay, c);
		b.repo.rename(id, 'Fabrikam S.A. (ES)');
		bReconnects();
		download(relay, c);
		expect(c.repo.node(id)?.name).toBe(a.repo.node(id)?.name);
		expect(c.edits).toEqual([]);
		expect(a.edits).toHaveLength(1);
		expect(b.edits).toHaveLength(1);
	});

	it('F2: local edits are never a conflict, also when they replace a value that came from the relay', () => {
		const { relay, a, b, id, online, bReconnects } = twoDevices(1, 2);
		b.repo.rename(id, 'Fabrikam SA');
		bReconnects();
		a.repo.rename(id, 'Fabrikam Iberia');
		a.repo.setStatus(id, 'normal');
		online();
		download(relay, b);
		expect(a.edits).toEqual([]);
		expect(b.edits).toEqual([]);
	});

	it('F2: changes that did not come from the relay are not checked', () => {
		const { a, b, id } = twoDevices(1, 2);
		a.repo.rename(id, 'Fabrikam SA');
		b.repo.rename(id, 'Fabrikam S.A. (ES)');
		Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc), { name: 'not the relay' });
		expect(a.repo.node(id)?.name).toBe('Fabrikam S.A. (ES)');
		expect(a.edits).toEqual([]);
	});
});

describe('concurrent edits across sessions (S31)', () => {
	// This device's one store (S130), emptied after each test.
	const store = idbDocStore();
	afterEach(async () => {
		await store.clear();
	});

	async function persisted(name: DocName, clientID: number) {
		const doc = new Y.Doc();
		doc.clientID = clientID;
		const persistence = persistDoc(store, name, doc);
		const device = tenantDevice(clientID, doc);
		await persistence.whenLoaded;
		return { ...device, persistence };
	}

	for (const clientB of [1, 20]) {
		it(`F2: an unconfirmed edit of an earlier session is noticed on reconnect; loading it from IndexedDB is no conflict (B's client ${clientB})`, async () => {
			const relay = relayCopy();
			const b = tenantDevice(clientB);
			const id = b.repo.createNode({ kind: 'msp', name: 'Fabrikam', parentId: null });
			upload(b, relay);

			// Session 1 of device A: in sync, then a rename offline that the server never confirmed.
			const first = await persisted('tenant:s31-a', 5);
			download(relay, first);
			first.repo.rename(id, 'Fabrikam (A)');
			b.repo.rename(id, 'Fabrikam (B)');
			upload(b, relay);
			await first.persistence.destroy();

			// Session 2 after a reload: a new client id; the pending list still names session 1's client.
			const second = await persisted('tenant:s31-a', 9);
			second.unconfirmed.push(5);
			expect(second.repo.node(id)?.name).toBe('Fabrikam (A)');
			expect(second.edits).toEqual([]);

			reconnect(second, relay, [b]);
			const name = clientB > 5 ? 'Fabrikam (B)' : 'Fabrikam (A)';
			const other = clientB > 5 ? 'Fabrikam (A)' : 'Fabrikam (B)';
			expect(second.repo.node(id)?.name).toBe(name);
			expect(b.repo.node(id)?.name).toBe(name);
			expect(second.edits).toEqual([
				{ recordId: id, field: 'name', kept: name, notKept: { value: other }, keptOurs: clientB < 5 }
			]);
			expect(b.edits).toEqual([expect.objectContaining({ field: 'name', kept: name, keptOurs: clientB > 5 })]);
			await second.persistence.destroy();

			// Session 3 loads the merged document, conflict included, from IndexedDB: nothing new happened.
			const third = await persisted('tenant:s31-a', 11);
			third.unconfirmed.push(5, 9);
			expect(third.repo.node(id)?.name).toBe(name);
			expect(third.edits).toEqual([]);
		});
	}

	it("F2: an edit of an earlier session that the server confirmed no longer counts as this device's", async () => {
		const relay = relayCopy();
		const b = tenantDevice(20);
		const id = b.repo.createNode({ kind: 'msp', name: 'Fabrikam', parentId: null });
		upload(b, relay);
		const first = await persisted('tenant:s31-b', 5);
		download(relay, first);
		first.repo.rename(id, 'Fabrikam (A)');
		upload(first, relay);
		b.repo.rename(id, 'Fabrikam (B)');
		await first.persistence.destroy();

		// The pending list is empty: session 1's rename was confirmed before the reload.
		const second = await persisted('tenant:s31-b', 9);
		reconnect(b, relay, [second]);
		expect(second.repo.node(id)?.name).toBe('Fabrikam (B)');
		expect(second.edits).toEqual([]);
	});
});

describe('concurrent edits of contacts (S31)', () => {
	function customerDevice(clientID: number) {
		const doc = new Y.Doc();
		doc.clientID = clientID;
		let n = 0;
		const repo = new CustomerRepository(doc, { newId: () => `k${clientID}n${++n}` });
		const device = { doc, repo, edits: [] as ContactFieldEdit[], unconfirmed: [] as number[] };
		repo.watchConcurrentEdits(sources(device.unconfirmed), (edits) => device.edits.push(...edits));
		return device;
	}

	it("F2: two devices changing one contact's email concurrently both notice; other fields merge", () => {
		const relay = relayCopy();
		const a = customerDevice(1);
		const b = customerDevice(2);
		const id = a.repo.addContact({ name: 'Ana Ruiz', role: 'IT', email: 'ana@fabrikam.example', phone: '' });
		upload(a, relay);
		download(relay, b);
		a.repo.updateContact(id, { name: 'Ana Ruiz', role: 'IT lead', email: 'ana.ruiz@fabrikam.example', phone: '' });
		upload(a, relay);
		b.repo.updateContact(id, { name: 'Ana Ruiz', role: 'IT', email: 'aruiz@fabrikam.example', phone: '+34 600 000 000' });
		reconnect(b, relay, [a]);

		const contact = a.repo.contacts()[0]!;
		expect(b.repo.contacts()).toEqual([contact]);
		expect(contact).toMatchObject({ role: 'IT lead', phone: '+34 600 000 000', email: 'aruiz@fabrikam.example' });
		expect(a.repo.contactName(id)).toBe('Ana Ruiz');
		const edit = { recordId: id, field: 'email', kept: 'aruiz@fabrikam.example', notKept: { value: 'ana.ruiz@fabrikam.example' } };
		expect(a.edits).toEqual([{ ...edit, keptOurs: false }]);
		expect(b.edits).toEqual([{ ...edit, keptOurs: true }]);
	});
});

describe('F2: the admin contact per field (S31)', () => {
	it('F2: a phone edited online and an email edited offline both stay, and nobody is told of a conflict', () => {
		const { a, b, id, online, bReconnects } = twoDevices(1, 2);
		const contact = { name: 'Ana Ruiz', email: 'ana@fabrikam.example', phone: '+34 600 000 000' };
		a.repo.updateProfile(id, { contact });
		online();
		bReconnects();
		a.repo.updateProfile(id, { contact: { ...contact, phone: '+34 611 111 111' } });
		online();
		b.repo.updateProfile(id, { contact: { ...contact, email: 'aruiz@fabrikam.example' } });
		bReconnects();
		const merged = { name: 'Ana Ruiz', email: 'aruiz@fabrikam.example', phone: '+34 611 111 111' };
		expect(a.repo.node(id)?.contact).toEqual(merged);
		expect(b.repo.node(id)?.contact).toEqual(merged);
		expect([...a.edits, ...b.edits]).toEqual([]);
	});

	it('F2: the same part of the admin contact edited on both devices is noticed by that field on both', () => {
		const { a, b, id, online, bReconnects } = twoDevices(1, 2);
		const contact = { name: 'Ana Ruiz', email: 'ana@fabrikam.example', phone: '' };
		a.repo.updateProfile(id, { contact: { ...contact, phone: '+34 611' } });
		online();
		b.repo.updateProfile(id, { contact: { ...contact, phone: '+34 622' } });
		bReconnects();
		// Client 2 (B) wins; B downloaded A's value before it uploaded its own, so both name both values.
		expect(a.repo.node(id)?.contact?.phone).toBe('+34 622');
		expect(b.repo.node(id)?.contact?.phone).toBe('+34 622');
		expect(a.edits).toEqual([
			{ recordId: id, field: 'contactPhone', kept: '+34 622', notKept: { value: '+34 611' }, keptOurs: false }
		]);
		expect(b.edits).toEqual([
			{ recordId: id, field: 'contactPhone', kept: '+34 622', notKept: { value: '+34 611' }, keptOurs: true }
		]);
	});
});

describe('F2: an edit of a record another device deleted is reported', () => {
	/** A device whose unconfirmed changes are those after the last upload the relay confirmed (S6). */
	function trackedSources(doc: Y.Doc) {
		let confirmed = 0;
		const source: ChangeSources = {
			fromRelay: (origin) => origin === RELAY,
			unconfirmedClients: () => [],
			isUnconfirmed: (client, clock) => client === doc.clientID && clock >= confirmed
		};
		return { source, confirm: () => (confirmed = Y.getState(doc.store, doc.clientID)) };
	}

	function contactDevices() {
		const relay = relayCopy();
		const a = new Y.Doc();
		a.clientID = 1;
		const b = new Y.Doc();
		b.clientID = 2;
		const repoA = new CustomerRepository(a, { newId: () => 'k1' });
		const repoB = new CustomerRepository(b);
		const tracked = trackedSources(b);
		const reported: { id: string; name: string | null }[] = [];
		repoB.watchDeletedEdits(tracked.source, (contacts) => reported.push(...contacts));
		const id = repoA.addContact({ name: 'Ana Ruiz', role: 'IT', email: 'ana@fabrikam.example', phone: '' });
		upload({ doc: a }, relay);
		download(relay, { doc: b });
		tracked.confirm();
		return { relay, a, b, repoA, repoB, id, reported, tracked };
	}

	it('F2: a contact edited offline and deleted on another device meanwhile: the editor is told on reconnect', () => {
		const { relay, a, b, repoA, repoB, id, reported } = contactDevices();
		repoA.removeContact(id);
		upload({ doc: a }, relay);
		repoB.updateContact(id, { name: 'Ana Ruiz', role: 'IT', email: 'ana@fabrikam.example', phone: '+34 600' });
		reconnect({ doc: b }, relay);
		expect(repoB.contacts()).toEqual([]);
		expect(reported).toEqual([{ id, name: 'Ana Ruiz' }]);
	});

	it('F2: a deletion made after the edit reached the server is an ordinary later change: nothing is reported', () => {
		const { relay, a, b, repoA, repoB, id, reported, tracked } = contactDevices();
		repoB.updateContact(id, { name: 'Ana Ruiz', role: 'IT', email: 'ana@fabrikam.example', phone: '+34 600' });
		upload({ doc: b }, relay);
		tracked.confirm();
		download(relay, { doc: a });
		repoA.removeContact(id);
		upload({ doc: a }, relay);
		download(relay, { doc: b });
		expect(repoB.contacts()).toEqual([]);
		expect(reported).toEqual([]);
	});

	it('F2: a node renamed offline and deleted on another device meanwhile: the editor is told, with its name', () => {
		const relay = relayCopy();
		const a = tenantDevice(1);
		const b = new Y.Doc();
		b.clientID = 2;
		const repoB = new TenantRepository(b);
		const tracked = trackedSources(b);
		const reported: { id: string; name: string | null }[] = [];
		repoB.watchDeletedEdits(tracked.source, (nodes) => reported.push(...nodes));
		const msp = a.repo.createNode({ kind: 'msp', name: 'Adatum MSP', parentId: null });
		const id = a.repo.createNode({ kind: 'customer', name: 'Fabrikam', parentId: msp });
		upload(a, relay);
		download(relay, { doc: b });
		tracked.confirm();
		a.repo.remove(id);
		upload(a, relay);
		repoB.rename(id, 'Fabrikam SA');
		reconnect({ doc: b }, relay);
		expect(repoB.node(id)).toBeNull();
		expect(reported).toEqual([{ id, name: 'Fabrikam SA' }]);
	});
});

describe('sameJson', () => {
	it('F2: compares JSON values regardless of key order', () => {
		expect(sameJson({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 })).toBe(true);
		expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(false);
		expect(sameJson([1, 2], { 0: 1, 1: 2 })).toBe(false);
		expect(sameJson('x', 'y')).toBe(false);
	});
});
