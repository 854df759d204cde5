// C6, S88: the relay keeps a customer's billing fields to the command: set when the node is made, changed only by the server.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { permissionsOf } from '../../../src/lib/domain/access';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import { tenantValidator } from './tenant';
import type { Writer } from './types';

const ADMIN: Writer = { userId: 'u1', tenantId: 't1', role: 'admin', permissions: [...permissionsOf('admin')] };

function seeded() {
	const doc = new Y.Doc();
	const repo = new TenantRepository(doc);
	const msp = repo.createNode({ kind: 'msp', name: 'Alpen IT', parentId: null });
	const customer = repo.createNode({ kind: 'customer', name: 'Huber', parentId: msp, billingType: 'trial' });
	const validation = tenantValidator().open(doc);
	return { doc, msp, customer, validation };
}

/** What `edit` does on a copy, applied to `doc` as a client's update arrives. */
function asClient(doc: Y.Doc, edit: (repo: TenantRepository, copy: Y.Doc) => void): void {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	const before = Y.encodeStateVector(copy);
	edit(new TenantRepository(copy), copy);
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(copy, before), 'client');
}

const node = (doc: Y.Doc, id: string) => new TenantRepository(doc).node(id);

describe('billingFieldsRule', () => {
	it('C6, S88: a client sets the billing type when it creates a customer, but never monthly with early access', () => {
		const { doc, msp, validation } = seeded();
		let term = '';
		let monthly = '';
		asClient(doc, (repo, copy) => {
			term = repo.createNode({ kind: 'customer', name: 'Term', parentId: msp, billingType: 'term' });
			monthly = repo.createNode({ kind: 'customer', name: 'Monthly', parentId: msp, billingType: 'monthly' });
			(copy.getMap('nodes').get(monthly) as Y.Map<unknown>).set('earlyAccess', true);
		});
		expect(validation.review(ADMIN).rejected).toEqual([
			{ itemType: 'treeNode', id: monthly, code: 'monthlyEarlyAccess' }
		]);
		expect(node(doc, term)?.billingType).toBe('term');
		expect(node(doc, monthly)).toBeNull();
	});

	it('C6, S88: a later change of billing type or early access by a client is put back', () => {
		const { doc, customer, validation } = seeded();
		asClient(doc, (repo) => repo.updateProfile(customer, { billingType: 'monthly' }));
		expect(validation.review(ADMIN).rejected).toEqual([
			{ itemType: 'treeNode', id: customer, code: 'billingNeedsCommand' }
		]);
		expect(node(doc, customer)?.billingType).toBe('trial');
		asClient(doc, (repo) => repo.updateProfile(customer, { earlyAccess: true }));
		expect(validation.review(ADMIN).rejected).toHaveLength(1);
		expect(node(doc, customer)?.earlyAccess).toBeUndefined();
		// Other fields of the same node still change.
		asClient(doc, (repo) => repo.updateProfile(customer, { address: 'Hauptstraße 1' }));
		expect(validation.review(ADMIN).rejected).toEqual([]);
	});

	it('C6, S22: the server’s own change (customer.setBilling) is trusted and becomes the last valid state', () => {
		const { doc, customer, validation } = seeded();
		new TenantRepository(doc).updateProfile(customer, { billingType: 'monthly' });
		validation.accept();
		expect(node(doc, customer)?.billingType).toBe('monthly');
		asClient(doc, (repo) => repo.updateProfile(customer, { address: 'Ring 2' }));
		expect(validation.review(ADMIN).rejected).toEqual([]);
	});
});
