import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DomainError } from '../domain/errors';
import { TenantRepository } from './tenant-repository';

function ids() {
	let n = 0;
	return () => `n${++n}`;
}

function tenant(doc = new Y.Doc()) {
	return new TenantRepository(doc, { newId: ids(), now: () => new Date('2026-11-22T10:00:00Z') });
}

function expectDomainError(fn: () => unknown, code: string) {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(DomainError);
		expect((error as DomainError).code).toBe(code);
		return;
	}
	throw new Error(`expected DomainError ${code}`);
}

function sync(a: Y.Doc, b: Y.Doc) {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('TenantRepository', () => {
	it('H1: creates nodes of every kind where they are allowed', () => {
		const repo = tenant();
		const dist = repo.createNode({ kind: 'distributor', name: 'Ingram', parentId: null });
		const manager = repo.createNode({ kind: 'mspManager', name: 'Alpine IT Group', parentId: dist });
		const managed = repo.createNode({ kind: 'managedMsp', name: 'Tirol Net', parentId: manager });
		const msp = repo.createNode({ kind: 'msp', name: 'Northwind', parentId: null });
		const customer = repo.createNode({ kind: 'customer', name: 'Contoso GmbH', parentId: managed, country: 'AT' });
		const site = repo.createNode({ kind: 'site', name: 'Innsbruck', parentId: customer });
		const view = repo.view();
		expect([...view.nodes.values()].map((n) => n.kind).sort()).toEqual(['customer', 'distributor', 'managedMsp', 'msp', 'mspManager', 'site']);
		expect(view.children.get(null)).toEqual([dist, msp]);
		expect(view.parentOf.get(site)).toBe(customer);
		expect(repo.node(customer)?.country).toBe('AT');
	});

	it('H2: creating a site under an MSP is refused with a clear error and changes nothing', () => {
		const repo = tenant();
		const msp = repo.createNode({ kind: 'msp', name: 'Northwind', parentId: null });
		const before = repo.view().nodes.size;
		expectDomainError(() => repo.createNode({ kind: 'site', name: 'Hall 1', parentId: msp }), 'tree.parentNotAllowed');
		expectDomainError(() => repo.createNode({ kind: 'customer', name: 'Loose', parentId: null }), 'tree.rootNotAllowed');
		expectDomainError(() => repo.createNode({ kind: 'customer', name: 'Ghost', parentId: 'missing' }), 'tree.parentNotFound');
		expectDomainError(() => repo.createNode({ kind: 'customer', name: '   ', parentId: msp }), 'tree.invalidInput');
		expect(repo.view().nodes.size).toBe(before);
	});

	it('H2: moving a customer under a distributor is refused', () => {
		const repo = tenant();
		const dist = repo.createNode({ kind: 'distributor', name: 'D', parentId: null });
		const msp = repo.createNode({ kind: 'msp', name: 'M', parentId: dist });
		const customer = repo.createNode({ kind: 'customer', name: 'C', parentId: msp });
		expectDomainError(() => repo.move(customer, dist), 'tree.parentNotAllowed');
		expect(repo.view().parentOf.get(customer)).toBe(msp);
	});

	it('H3: a new customer starts as not set up and its status can change', () => {
		const repo = tenant();
		const msp = repo.createNode({ kind: 'msp', name: 'M', parentId: null });
		const customer = repo.createNode({ kind: 'customer', name: 'C', parentId: msp });
		expect(repo.node(customer)?.status).toBe('notSetUp');
		repo.setStatus(customer, 'normal');
		expect(repo.node(customer)?.status).toBe('normal');
		expectDomainError(() => repo.setStatus(msp, 'normal'), 'tree.invalidInput');
	});

	it('H4: a rename shows in every replica', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const repoA = tenant(a);
		const msp = repoA.createNode({ kind: 'msp', name: 'Old name', parentId: null });
		sync(a, b);
		repoA.rename(msp, '  New name ');
		sync(a, b);
		expect(tenant(b).node(msp)?.name).toBe('New name');
		expectDomainError(() => repoA.rename(msp, ''), 'tree.invalidInput');
	});

	it('H5: the admin contact is kept on the customer for the contact popup', () => {
		const repo = tenant();
		const msp = repo.createNode({ kind: 'msp', name: 'M', parentId: null });
		const contact = { name: 'Anna Nowak', email: 'anna@tailspin.example', phone: '+48 22 123 45 67' };
		const customer = repo.createNode({ kind: 'customer', name: 'Tailspin', parentId: msp, contact });
		expect(repo.node(customer)?.contact).toEqual(contact);
		expect(() => repo.updateProfile(customer, { contact: { ...contact, email: 'not-an-email' } })).toThrow(DomainError);
		expect(repo.node(customer)?.contact).toEqual(contact);
	});

	it('H7: moving a node moves its subtree; moving it into its own subtree is refused', () => {
		const repo = tenant();
		const m1 = repo.createNode({ kind: 'mspManager', name: 'M1', parentId: null });
		const m2 = repo.createNode({ kind: 'mspManager', name: 'M2', parentId: null });
		const managed = repo.createNode({ kind: 'managedMsp', name: 'MM', parentId: m1 });
		const customer = repo.createNode({ kind: 'customer', name: 'C', parentId: managed });
		const site = repo.createNode({ kind: 'site', name: 'S', parentId: customer });
		repo.move(managed, m2);
		const view = repo.view();
		expect(view.parentOf.get(managed)).toBe(m2);
		expect(view.parentOf.get(customer)).toBe(managed);
		expect(view.parentOf.get(site)).toBe(customer);
		expectDomainError(() => repo.move(customer, customer), 'tree.parentNotAllowed');
	});

	it('H7: a customer moved offline under a managed MSP that another device deleted is not lost', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const repoA = tenant(a);
		const manager = repoA.createNode({ kind: 'mspManager', name: 'Manager', parentId: null });
		const doomed = repoA.createNode({ kind: 'managedMsp', name: 'Doomed', parentId: manager });
		const customer = repoA.createNode({ kind: 'customer', name: 'Customer', parentId: manager });
		sync(a, b);
		const repoB = tenant(b);
		repoA.remove(doomed);
		repoB.move(customer, doomed);
		sync(a, b);
		for (const repo of [repoA, repoB]) {
			const view = repo.view();
			expect(view.parentOf.get(customer)).toBe(manager);
			expect(view.displaced.has(customer)).toBe(true);
			expect(view.nodes.has(doomed)).toBe(false);
		}
	});

	it('deleting a node removes its subtree, and is refused while license pools sit in it', () => {
		const repo = tenant();
		const msp = repo.createNode({ kind: 'msp', name: 'M', parentId: null });
		const customer = repo.createNode({ kind: 'customer', name: 'C', parentId: msp });
		const site = repo.createNode({ kind: 'site', name: 'S', parentId: customer });
		repo.putLicenseData({
			accounts: [{ id: 'acc', kind: 'msp', name: 'Account', login: 'l@example.com' }],
			pools: [{ id: 'pool', name: 'Pool', accountId: 'acc', groupId: site }]
		});
		expectDomainError(() => repo.remove(msp), 'tree.hasLicensePools');
		expect(repo.view().nodes.size).toBe(3);
		expect(repo.subtree(customer).map((n) => n.id)).toEqual([customer, site]);
		const other = repo.createNode({ kind: 'customer', name: 'D', parentId: msp });
		repo.createNode({ kind: 'site', name: 'T', parentId: other });
		expect(repo.remove(other)).toHaveLength(2);
		expect(repo.view().nodes.size).toBe(3);
	});

	it('a record that fails validation is left out of the view and reported', () => {
		const doc = new Y.Doc();
		const repo = tenant(doc);
		repo.createNode({ kind: 'msp', name: 'M', parentId: null });
		const broken = new Y.Map<unknown>();
		doc.getMap('nodes').set('bad', broken);
		broken.set('kind', 'planet');
		const view = repo.view();
		expect(view.nodes.size).toBe(1);
		expect(view.invalid).toEqual(['bad']);
	});
});

describe('customerIds', () => {
	it('S28: lists the customer nodes only, without ids that could not name a document', () => {
		const doc = new Y.Doc();
		const repo = tenant(doc);
		const msp = repo.createNode({ kind: 'msp', name: 'Northwind', parentId: null });
		const a = repo.createNode({ kind: 'customer', name: 'Contoso GmbH', parentId: msp });
		repo.createNode({ kind: 'site', name: 'Wien', parentId: a });
		const b = repo.createNode({ kind: 'customer', name: 'Fabrikam S.A.', parentId: msp });
		const forged = new Y.Map<unknown>();
		doc.getMap('nodes').set('../etc', forged);
		forged.set('kind', 'customer');
		expect(repo.customerIds().sort()).toEqual([a, b].sort());
	});
});

describe('license records', () => {
	it('L13: a license keeps every field through its compact stored form', () => {
		const repo = tenant();
		const license = {
			id: 'lic-1',
			publicId: '3AB-XQ4-77K',
			poolId: 'pool-1',
			product: 'Endpoint Security',
			type: 'msp' as const,
			unitsOrdered: 50,
			unitsActivated: 48,
			expiresOn: '2027-03-31',
			suspended: false,
			ownerId: 'c1',
			tag: 'Contoso GmbH',
			removed: false,
			held: false,
			extensions: 0,
			convertedUnits: 0,
			origin: 'vendor' as const
		};
		repo.putLicenseData({ licenses: [license] });
		expect(repo.licenses()).toEqual([license]);
		// The portal's own facts travel in a version 2 record.
		const extended = { ...license, id: 'lic-2', removed: true, held: true, extensions: 2, convertedUnits: 5, origin: 'portal' as const };
		repo.putLicenseData({ licenses: [extended] });
		expect(repo.licenseRecord('lic-2')).toEqual(extended);
		expect(() => repo.putLicenseData({ licenses: [{ ...license, unitsOrdered: 0 }] })).toThrow();
		expect(() => repo.putLicenseData({ licenses: [{ ...license, extensions: 3 }] })).toThrow();
	});
});

describe('C7: an unlinked customer is read-only for good', () => {
	function unlinkedCustomer() {
		const repo = tenant();
		const msp = repo.createNode({ kind: 'msp', name: 'Northwind', parentId: null });
		const other = repo.createNode({ kind: 'msp', name: 'Contoso IT', parentId: null });
		const customer = repo.createNode({ kind: 'customer', name: 'Tailspin', parentId: msp });
		const site = repo.createNode({ kind: 'site', name: 'Warsaw', parentId: customer });
		const otherCustomer = repo.createNode({ kind: 'customer', name: 'Fabrikam', parentId: msp, status: 'normal' });
		const looseSite = repo.createNode({ kind: 'site', name: 'Lyon', parentId: otherCustomer });
		const group = repo.putGroup({ name: 'Retail' });
		repo.setStatus(customer, 'unlinked');
		return { repo, msp, other, customer, site, otherCustomer, looseSite, group };
	}

	it('C7: rename, profile, tags, groups and re-linking of an unlinked customer are refused and change nothing', () => {
		const { repo, customer, group } = unlinkedCustomer();
		const before = JSON.stringify(repo.node(customer));
		expectDomainError(() => repo.rename(customer, 'Tailspin 2'), 'customer.unlinked');
		expectDomainError(() => repo.updateProfile(customer, { country: 'PL' }), 'customer.unlinked');
		expectDomainError(
			() => repo.updateProfile(customer, { contact: { name: 'Anna', email: '', phone: '' } }),
			'customer.unlinked'
		);
		expectDomainError(() => repo.setTags(customer, ['vip']), 'customer.unlinked');
		expectDomainError(() => repo.setCustomerGroups(customer, [group]), 'customer.unlinked');
		expectDomainError(() => repo.setStatus(customer, 'normal'), 'customer.unlinked');
		expect(JSON.stringify(repo.node(customer))).toBe(before);
		expect(repo.isUnlinked(customer)).toBe(true);
	});

	it('C7: a site under an unlinked customer is read-only; nothing is created under, moved into or out of it', () => {
		const { repo, other, customer, site, otherCustomer, looseSite } = unlinkedCustomer();
		expect(repo.isUnlinked(site)).toBe(true);
		expect(repo.isUnlinked(looseSite)).toBe(false);
		expectDomainError(() => repo.rename(site, 'Krakow'), 'customer.unlinked');
		expectDomainError(() => repo.updateProfile(site, { address: 'ul. Prosta 1' }), 'customer.unlinked');
		expectDomainError(() => repo.createNode({ kind: 'site', name: 'Gdansk', parentId: customer }), 'customer.unlinked');
		expectDomainError(
			() => repo.createNodes([{ id: 'x1', kind: 'site', name: 'Gdansk', parentId: customer }]),
			'customer.unlinked'
		);
		expectDomainError(() => repo.move(site, otherCustomer), 'customer.unlinked');
		expectDomainError(() => repo.move(looseSite, customer), 'customer.unlinked');
		expectDomainError(() => repo.move(customer, other), 'customer.unlinked');
		expectDomainError(() => repo.remove(site), 'customer.unlinked');
		const view = repo.view();
		expect(view.children.get(customer)).toEqual([site]);
		expect(view.parentOf.get(looseSite)).toBe(otherCustomer);
		expect(repo.node(site)?.name).toBe('Warsaw');
	});

	it('C7: unlinking is allowed once, again is a no-op, and deleting the unlinked customer (with its sites) stays possible', () => {
		const { repo, customer, site, otherCustomer } = unlinkedCustomer();
		expect(() => repo.setStatus(customer, 'unlinked')).not.toThrow();
		expect(repo.remove(customer).sort()).toEqual([customer, site].sort());
		expect(repo.node(customer)).toBeNull();
		// Linked customers are untouched by any of it.
		repo.rename(otherCustomer, 'Fabrikam SA');
		expect(repo.node(otherCustomer)?.name).toBe('Fabrikam SA');
	});

	it('C5, C7: deleting a group leaves an unlinked customer as it was', () => {
		const repo = tenant();
		const msp = repo.createNode({ kind: 'msp', name: 'Northwind', parentId: null });
		const a = repo.createNode({ kind: 'customer', name: 'A', parentId: msp });
		const b = repo.createNode({ kind: 'customer', name: 'B', parentId: msp });
		const group = repo.putGroup({ name: 'Retail' });
		repo.setCustomerGroups(a, [group]);
		repo.setCustomerGroups(b, [group]);
		repo.setStatus(b, 'unlinked');
		repo.deleteGroup(group);
		expect(repo.node(a)?.groups).toBeUndefined();
		expect(repo.node(b)?.groups).toEqual([group]);
		expect(repo.group(group)).toBeNull();
	});
});

describe('F2: the admin contact merges per field', () => {
	function twoDevices() {
		const a = new Y.Doc();
		a.clientID = 1;
		const b = new Y.Doc();
		b.clientID = 2;
		const repoA = tenant(a);
		const msp = repoA.createNode({ kind: 'msp', name: 'Northwind', parentId: null });
		const contact = { name: 'Anna Nowak', email: 'anna@tailspin.example', phone: '+48 22 123 45 67' };
		const customer = repoA.createNode({ kind: 'customer', name: 'Tailspin', parentId: msp, contact });
		sync(a, b);
		return { a, b, repoA, repoB: tenant(b), customer, contact };
	}

	it('F2: a phone edited offline on one device and an email on another are both kept on both devices', () => {
		const { a, b, repoA, repoB, customer, contact } = twoDevices();
		repoA.updateProfile(customer, { contact: { ...contact, phone: '+48 22 999 00 00' } });
		repoB.updateProfile(customer, { contact: { ...contact, email: 'a.nowak@tailspin.example' } });
		sync(a, b);
		const expected = { name: 'Anna Nowak', email: 'a.nowak@tailspin.example', phone: '+48 22 999 00 00' };
		expect(repoA.node(customer)?.contact).toEqual(expected);
		expect(repoB.node(customer)?.contact).toEqual(expected);
	});

	it('F2: the same contact field edited on both devices resolves alike everywhere', () => {
		const { a, b, repoA, repoB, customer, contact } = twoDevices();
		repoA.updateProfile(customer, { contact: { ...contact, phone: '+1' } });
		repoB.updateProfile(customer, { contact: { ...contact, phone: '+2' } });
		sync(a, b);
		expect(repoA.node(customer)?.contact).toEqual(repoB.node(customer)?.contact);
		expect(['+1', '+2']).toContain(repoA.node(customer)?.contact?.phone);
	});

	it('F2: a contact stored as one value (before F2) is read as before, and an edit of one part keeps the others', () => {
		const doc = new Y.Doc();
		const repo = tenant(doc);
		const msp = repo.createNode({ kind: 'msp', name: 'Northwind', parentId: null });
		const customer = repo.createNode({ kind: 'customer', name: 'Tailspin', parentId: msp });
		const legacy = { name: 'Anna Nowak', email: 'anna@tailspin.example', phone: '+48 1' };
		doc.getMap<Y.Map<unknown>>('nodes').get(customer)!.set('contact', legacy);
		expect(repo.node(customer)?.contact).toEqual(legacy);
		repo.updateProfile(customer, { contact: { ...legacy, phone: '+48 2' } });
		expect(repo.node(customer)?.contact).toEqual({ ...legacy, phone: '+48 2' });
		const record = doc.getMap<Y.Map<unknown>>('nodes').get(customer)!;
		expect(record.get('contactPhone')).toBe('+48 2');
		expect(record.has('contactEmail')).toBe(false);
		repo.updateProfile(customer, { contact: null });
		expect(repo.node(customer)?.contact).toBeNull();
	});
});
