// C7 (S91): the unlinked-customer rule on plain Y.Docs: a stored unlinked customer with its sites loads as valid, the
// server writes what it must, and a client's change to it or under it is undone while other customers stay writable.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import { permissionsOf } from '../../../src/lib/domain/access';
import { tenantValidator } from './tenant';
import type { Writer } from './types';

const OWNER: Writer = {
	userId: 'u1',
	tenantId: 't1',
	role: 'superAdmin',
	permissions: [...permissionsOf('superAdmin')]
};
const CLIENT = Symbol('client');

function unlinkedTenant() {
	const doc = new Y.Doc();
	let n = 0;
	const repo = new TenantRepository(doc, { newId: () => `n${++n}` });
	const msp = repo.createNode({ kind: 'msp', name: 'Alpen IT', parentId: null });
	const gone = repo.createNode({ kind: 'customer', name: 'Huber', parentId: msp, status: 'normal' });
	const site = repo.createNode({ kind: 'site', name: 'Linz', parentId: gone });
	const kept = repo.createNode({ kind: 'customer', name: 'Moser', parentId: msp, status: 'normal' });
	repo.setStatus(gone, 'unlinked');
	return { doc, msp, gone, site, kept };
}

function asClient(doc: Y.Doc, edit: (repo: TenantRepository, copy: Y.Doc) => void): void {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	const before = Y.encodeStateVector(copy);
	// A modified client: the repository's own C7 guard is what the relay must not rely on, so records are written raw.
	edit(new TenantRepository(copy), copy);
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(copy, before), CLIENT);
}

const nodes = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('nodes');

describe('unlinkedCustomerRule', () => {
	it('C7: a document holding an unlinked customer and its site loads with nothing invalid; a server change is accepted', () => {
		const { doc, site } = unlinkedTenant();
		const validation = tenantValidator().open(doc);
		expect(validation.invalidAtLoad).toEqual([]);
		nodes(doc).get(site)!.set('address', 'Hauptplatz 1');
		validation.accept();
		expect(validation.review(OWNER).rejected).toEqual([]);
		expect(nodes(doc).get(site)!.get('address')).toBe('Hauptplatz 1');
	});

	it('C7: a rename of the unlinked customer and an address of its site are undone; the linked customer keeps its rename', () => {
		const { doc, gone, site, kept } = unlinkedTenant();
		const validation = tenantValidator().open(doc);
		asClient(doc, (_repo, copy) => {
			nodes(copy).get(gone)!.set('name', 'Huber neu');
			nodes(copy).get(site)!.set('address', 'Hauptplatz 1');
			nodes(copy).get(kept)!.set('name', 'Moser KG');
		});
		expect(validation.review(OWNER).rejected).toEqual([
			{ itemType: 'treeNode', id: gone, code: 'customerUnlinked' },
			{ itemType: 'treeNode', id: site, code: 'customerUnlinked' }
		]);
		const repo = new TenantRepository(doc);
		expect(repo.node(gone)?.name).toBe('Huber');
		expect(repo.node(site)?.address).toBeUndefined();
		expect(repo.node(kept)?.name).toBe('Moser KG');
	});

	it('C7: re-linking is undone, also when the same update edits the site', () => {
		const { doc, gone, site } = unlinkedTenant();
		const validation = tenantValidator().open(doc);
		asClient(doc, (_repo, copy) => {
			nodes(copy).get(site)!.set('name', 'Wels');
			nodes(copy).get(gone)!.set('status', 'normal');
		});
		expect(
			validation
				.review(OWNER)
				.rejected.map((item) => item.id)
				.sort()
		).toEqual([gone, site].sort());
		expect(new TenantRepository(doc).node(gone)?.status).toBe('unlinked');
		expect(new TenantRepository(doc).node(site)?.name).toBe('Linz');
	});

	it('C7: unlinking a linked customer is accepted, and deleting the unlinked one is left to the role', () => {
		const { doc, gone, kept } = unlinkedTenant();
		const validation = tenantValidator().open(doc);
		asClient(doc, (repo) => repo.setStatus(kept, 'unlinked'));
		expect(validation.review(OWNER).rejected).toEqual([]);
		asClient(doc, (repo) => repo.remove(gone));
		expect(validation.review(OWNER).rejected).toEqual([]);
		expect(new TenantRepository(doc).node(gone)).toBeNull();
		expect(new TenantRepository(doc).node(kept)?.status).toBe('unlinked');
	});
});
