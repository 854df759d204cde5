// P10 (docs/sync.md S105-S107): smart tags managed across customers: rename, merge, colour and delete in one transaction
// through the repository, what converges when another device tags offline, and the relay's check of the tag registry.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import type { Replica } from '../../src/lib/data/sync/types';
import { startRelayHarness, type RelayHarness } from '../helpers/relay-harness';
import { openTestReplica, settled, waitForDoc, waitForStatus } from '../helpers/sync-clients';
import { storedDoc } from '../helpers/sync-frames';

const TENANT = 'tenant:t1';

function seed(doc: Y.Doc): { repo: TenantRepository; a: string; b: string; c: string; msp: string } {
	const repo = new TenantRepository(doc);
	const msp = repo.createNode({ kind: 'msp', name: 'Alpen IT', parentId: null });
	const a = repo.createNode({ kind: 'customer', name: 'Bäckerei Huber', parentId: msp });
	const b = repo.createNode({ kind: 'customer', name: 'Contoso', parentId: msp });
	const c = repo.createNode({ kind: 'customer', name: 'Fabrikam', parentId: msp });
	repo.setTags(a, ['VIP', 'Vienna']);
	repo.setTags(b, ['VIP', 'Key account']);
	repo.setTags(c, ['Vienna']);
	repo.setSmartTagColour('VIP', 'red');
	return { repo, a, b, c, msp };
}

const tagsOf = (repo: TenantRepository, id: string): string[] => repo.node(id)?.tags ?? [];

describe('smart tags in the repository (P10)', () => {
	it('P10: a rename changes every customer carrying the tag in one transaction and carries its colour', () => {
		const doc = new Y.Doc();
		const { repo, a, b, c } = seed(doc);
		let transactions = 0;
		doc.on('afterTransaction', () => (transactions += 1));
		expect(repo.renameSmartTag('VIP', 'Premium')).toBe(2);
		expect(transactions).toBe(1);
		expect([tagsOf(repo, a), tagsOf(repo, b), tagsOf(repo, c)]).toEqual([
			['Premium', 'Vienna'],
			['Key account', 'Premium'],
			['Vienna']
		]);
		expect(Object.fromEntries(repo.smartTagColours())).toEqual({ Premium: 'red' });
	});

	it('P10: merging two tags leaves a customer carrying both with one, and the target keeps its own colour', () => {
		const doc = new Y.Doc();
		const { repo, a, b, c } = seed(doc);
		repo.setSmartTagColour('Key account', 'blue');
		expect(repo.renameSmartTag('VIP', 'Key account')).toBe(2);
		expect([tagsOf(repo, a), tagsOf(repo, b), tagsOf(repo, c)]).toEqual([
			['Key account', 'Vienna'],
			['Key account'],
			['Vienna']
		]);
		expect(Object.fromEntries(repo.smartTagColours())).toEqual({ 'Key account': 'blue' });
	});

	it('P10: delete takes the tag off every customer and out of the registry; unlinked customers (C7) keep theirs', () => {
		const doc = new Y.Doc();
		const { repo, a, b, c } = seed(doc);
		repo.setStatus(c, 'unlinked');
		expect(repo.deleteSmartTag('Vienna')).toBe(1);
		expect([tagsOf(repo, a), tagsOf(repo, b), tagsOf(repo, c)]).toEqual([['VIP'], ['Key account', 'VIP'], ['Vienna']]);
		expect(repo.deleteSmartTag('VIP')).toBe(2);
		expect(repo.smartTagColours().size).toBe(0);
		expect(() => repo.renameSmartTag('Key account', 'a, b')).toThrow(/comma/);
		expect(() => repo.setSmartTagColour(' ', 'red')).toThrow();
		expect(tagsOf(repo, b)).toEqual(['Key account']);
	});

	it('P10, S105: a rename on one device while another tags offline converges; the offline customer keeps the old tag', () => {
		const office = new Y.Doc();
		const { a, b, msp } = seed(office);
		const tablet = new Y.Doc();
		Y.applyUpdate(tablet, Y.encodeStateAsUpdate(office));
		// Offline on the tablet: a new customer gets the old tag.
		const offline = new TenantRepository(tablet);
		const added = offline.createNode({ kind: 'customer', name: 'Northwind', parentId: msp });
		offline.setTags(added, ['VIP']);
		// Meanwhile in the office: VIP becomes Premium everywhere the office knows of.
		new TenantRepository(office).renameSmartTag('VIP', 'Premium');
		Y.applyUpdate(office, Y.encodeStateAsUpdate(tablet));
		Y.applyUpdate(tablet, Y.encodeStateAsUpdate(office));
		const [left, right] = [new TenantRepository(office), new TenantRepository(tablet)];
		for (const repo of [left, right]) {
			expect(tagsOf(repo, a)).toEqual(['Premium', 'Vienna']);
			expect(tagsOf(repo, b)).toEqual(['Key account', 'Premium']);
			expect(tagsOf(repo, added)).toEqual(['VIP']);
			// The old tag has no colour any more: the settings screen lists it (1 customer) to rename or merge again.
			expect(Object.fromEntries(repo.smartTagColours())).toEqual({ Premium: 'red' });
		}
		expect(Y.encodeStateVector(office)).toEqual(Y.encodeStateVector(tablet));
	});
});

describe('smart tags over the relay (P10)', () => {
	const harnesses: RelayHarness[] = [];
	const replicas: Replica[] = [];
	afterEach(async () => {
		await Promise.all(replicas.splice(0).map((replica) => replica.destroy()));
		for (const harness of harnesses.splice(0)) await harness.close();
	});
	const open = (h: RelayHarness, cookie: string): Replica => {
		const replica = openTestReplica(h.syncUrl, TENANT, cookie);
		replicas.push(replica);
		return replica;
	};

	it('P10, S106: a rename by a Help Desk person (customers.edit) reaches another device and is stored', async () => {
		const h = await startRelayHarness();
		harnesses.push(h);
		const owner = open(h, h.signIn('t1'));
		await settled(owner);
		const { a, b } = seed(owner.doc);
		await settled(owner);
		const desk = open(h, h.signIn('t1', 'helpDesk'));
		await settled(desk);
		await waitForDoc(desk.doc, (doc) => new TenantRepository(doc).node(b) !== null);
		new TenantRepository(desk.doc).renameSmartTag('VIP', 'Premium');
		await waitForStatus(desk, (s) => s.pending === 0);
		expect(desk.status().rejected).toBeNull();
		await waitForDoc(owner.doc, (doc) => new TenantRepository(doc).smartTagColours().has('Premium'));
		const ownerRepo = new TenantRepository(owner.doc);
		expect([tagsOf(ownerRepo, a), tagsOf(ownerRepo, b)]).toEqual([
			['Premium', 'Vienna'],
			['Key account', 'Premium']
		]);
		const stored = new TenantRepository(await storedDoc(h.store, TENANT));
		expect(tagsOf(stored, b)).toEqual(['Key account', 'Premium']);
	});

	it('P10, S106: a malformed smart tag record (a colour not in the palette, a key that is no tag) is undone and reported', async () => {
		const h = await startRelayHarness();
		harnesses.push(h);
		const owner = open(h, h.signIn('t1'));
		await settled(owner);
		seed(owner.doc);
		await settled(owner);
		const registry = owner.doc.getMap<unknown>('smartTags');
		owner.doc.transact(() => {
			registry.set('VIP', { colour: 'neon' });
			registry.set('a,b', { colour: 'blue' });
			registry.set('Vienna', { colour: 'teal', extra: 1 });
		});
		await waitForStatus(owner, (s) => s.rejected !== null && s.pending === 0);
		expect(owner.status().rejected?.items).toEqual(
			expect.arrayContaining([
				{ itemType: 'smartTag', id: 'VIP', code: 'invalidRecord' },
				{ itemType: 'smartTag', id: 'a,b', code: 'invalidId' },
				{ itemType: 'smartTag', id: 'Vienna', code: 'invalidRecord' }
			])
		);
		await waitForDoc(owner.doc, () => !registry.has('a,b') && !registry.has('Vienna'));
		expect(registry.get('VIP')).toEqual({ colour: 'red' });
		expect(Object.fromEntries(new TenantRepository(await storedDoc(h.store, TENANT)).smartTagColours())).toEqual({
			VIP: 'red'
		});
	});

	it('P10, S106: a Business Admin (no customers.edit) cannot colour a tag: the relay undoes it', async () => {
		const h = await startRelayHarness();
		harnesses.push(h);
		const owner = open(h, h.signIn('t1'));
		await settled(owner);
		seed(owner.doc);
		await settled(owner);
		const reader = open(h, h.signIn('t1', 'businessAdmin'));
		await settled(reader);
		await waitForDoc(reader.doc, (doc) => new TenantRepository(doc).smartTagColours().has('VIP'));
		reader.doc.getMap('smartTags').set('VIP', { colour: 'blue' });
		await waitForStatus(reader, (s) => s.rejected !== null && s.pending === 0);
		expect(reader.status().rejected?.items).toEqual([{ itemType: 'smartTag', id: 'VIP', code: 'notPermitted' }]);
		await waitForDoc(reader.doc, (doc) => new TenantRepository(doc).smartTagColours().get('VIP') === 'red');
	});
});
