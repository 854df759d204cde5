// S8 in the data layer: a repository opened for a read-only user refuses every write before it touches the document.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DomainError } from '../domain/errors';
import { TenantRepository } from './tenant-repository';
import { CustomerRepository } from './customer-repository';

function ids() {
	let n = 0;
	return () => `n${++n}`;
}

const now = () => new Date('2026-11-22T10:00:00Z');

/** Runs `write` and proves it threw access.readOnly and produced no Yjs update: state and content stay as they were. */
function expectRefused(doc: Y.Doc, write: () => unknown): void {
	const stateBefore = Y.encodeStateVector(doc);
	const contentBefore = JSON.stringify(doc.toJSON());
	let updates = 0;
	const onUpdate = () => updates++;
	doc.on('update', onUpdate);
	try {
		let thrown: unknown = null;
		try {
			write();
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(DomainError);
		expect((thrown as DomainError).code).toBe('access.readOnly');
	} finally {
		doc.off('update', onUpdate);
	}
	expect(updates).toBe(0);
	expect(Y.encodeStateVector(doc)).toEqual(stateBefore);
	expect(JSON.stringify(doc.toJSON())).toBe(contentBefore);
}

/** A tenant document with a tree, a pool and a license, written by an owner's (writable) repository. */
function seededTenant() {
	const doc = new Y.Doc();
	const owner = new TenantRepository(doc, { newId: ids(), now });
	owner.setTenantName('Northwind IT');
	const msp = owner.createNode({ kind: 'msp', name: 'Northwind', parentId: null });
	const other = owner.createNode({ kind: 'msp', name: 'Fabrikam', parentId: null });
	const customer = owner.createNode({ kind: 'customer', name: 'Contoso GmbH', parentId: msp, country: 'DE' });
	const site = owner.createNode({ kind: 'site', name: 'Berlin', parentId: customer });
	owner.putLicenseData({
		accounts: [{ id: 'acc', kind: 'msp', name: 'Account', login: 'l@example.com' }],
		pools: [{ id: 'pool', name: 'Pool', accountId: 'acc', groupId: site }]
	});
	return { doc, msp, other, customer, site };
}

describe('TenantRepository with readOnly', () => {
	it('S8: refuses every write with access.readOnly and leaves the document unchanged', () => {
		const { doc, msp, other, customer, site } = seededTenant();
		const reader = new TenantRepository(doc, { newId: ids(), now, readOnly: true });
		const license = {
			id: 'lic-1',
			publicId: '3AB-XQ4-77K',
			poolId: 'pool',
			product: 'Endpoint Security',
			type: 'msp' as const,
			unitsOrdered: 50,
			unitsActivated: 48,
			expiresOn: '2027-03-31',
			suspended: false,
			ownerId: customer,
			tag: 'Contoso GmbH'
		};

		expectRefused(doc, () => reader.setTenantName('Hacked'));
		expectRefused(doc, () => reader.createNode({ kind: 'msp', name: 'New MSP', parentId: null }));
		expectRefused(doc, () => reader.createNode({ kind: 'customer', name: 'New customer', parentId: msp }));
		expectRefused(doc, () => reader.rename(customer, 'Hacked'));
		expectRefused(doc, () => reader.setStatus(customer, 'unlinked'));
		expectRefused(doc, () => reader.updateProfile(customer, { country: 'FR', address: 'Elsewhere' }));
		expectRefused(doc, () => reader.move(customer, other));
		expectRefused(doc, () => reader.remove(other));
		expectRefused(doc, () => reader.remove(site));
		expectRefused(doc, () =>
			reader.putLicenseData({
				accounts: [{ id: 'acc2', kind: 'msp', name: 'Other', login: 'o@example.com' }],
				pools: [{ id: 'pool2', name: 'Pool 2', accountId: 'acc', groupId: customer }],
				licenses: [license]
			})
		);
	});

	it('S8: refuses before validating, so even input that would be invalid reports the read-only access', () => {
		const { doc, customer } = seededTenant();
		const reader = new TenantRepository(doc, { readOnly: true });
		expectRefused(doc, () => reader.rename(customer, ''));
		expectRefused(doc, () => reader.rename('missing', 'Name'));
		expectRefused(doc, () => reader.move('missing', null));
		expectRefused(doc, () => reader.createNode({ kind: 'site', name: 'Nowhere', parentId: null }));
	});

	it('S8: still reads everything: the view, nodes, subtree, pools and licenses', () => {
		const { doc, customer, site } = seededTenant();
		const reader = new TenantRepository(doc, { readOnly: true });
		const owner = new TenantRepository(doc);
		expect(reader.view()).toEqual(owner.view());
		expect(reader.tenantName).toBe('Northwind IT');
		expect(reader.node(customer)?.name).toBe('Contoso GmbH');
		expect(reader.subtree(customer).map((node) => node.id)).toEqual([customer, site]);
		expect(reader.pools()).toEqual(owner.pools());
		expect(reader.accounts()).toEqual(owner.accounts());
	});

	it('S8: sees the changes that reach its replica from others', () => {
		const { doc, customer } = seededTenant();
		const reader = new TenantRepository(doc, { readOnly: true });
		let calls = 0;
		const stop = reader.observe(() => calls++);
		new TenantRepository(doc).rename(customer, 'Contoso AG');
		stop();
		expect(calls).toBe(1);
		expect(reader.node(customer)?.name).toBe('Contoso AG');
	});
});

describe('CustomerRepository with readOnly', () => {
	function seededCustomer() {
		const doc = new Y.Doc();
		const owner = new CustomerRepository(doc, { newId: ids(), now });
		const contact = owner.addContact({ name: 'Anna Berg', role: 'IT lead', email: 'anna@example.com', phone: '+49 30 1' });
		owner.addNote('Prefers email.', 'owner');
		return { doc, contact };
	}

	it('S8: refuses every write with access.readOnly and leaves the document unchanged', () => {
		const { doc, contact } = seededCustomer();
		const reader = new CustomerRepository(doc, { newId: ids(), now, readOnly: true });
		const input = { name: 'Hacker', role: '', email: '', phone: '' };
		expectRefused(doc, () => reader.addContact(input));
		expectRefused(doc, () => reader.updateContact(contact, input));
		expectRefused(doc, () => reader.updateContact('missing', input));
		expectRefused(doc, () => reader.removeContact(contact));
		expectRefused(doc, () => reader.addNote('Hacked', 'reader'));
		expectRefused(doc, () => reader.addContact({ name: '', role: '', email: 'not an email', phone: '' }));
	});

	it('S8: still reads contacts and notes', () => {
		const { doc } = seededCustomer();
		const reader = new CustomerRepository(doc, { readOnly: true });
		const owner = new CustomerRepository(doc);
		expect(reader.contacts()).toEqual(owner.contacts());
		expect(reader.contacts()).toHaveLength(1);
		expect(reader.notes()).toEqual(owner.notes());
	});
});
