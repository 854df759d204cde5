// S21, S22: the tenant and customer validators on plain Y.Docs: what they refuse and how they put the document back.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import { customerValidator } from './customer';
import { tenantValidator } from './tenant';
import { VALIDATION_ORIGIN, type Writer } from './types';

const OWNER: Writer = { userId: 'u1', tenantId: 't1', role: 'owner' };
const CLIENT = Symbol('client');

function seeded(): { doc: Y.Doc; customer: string; msp: string } {
	const doc = new Y.Doc();
	const repo = new TenantRepository(doc);
	const msp = repo.createNode({ kind: 'msp', name: 'Alpen IT', parentId: null });
	const customer = repo.createNode({ kind: 'customer', name: 'Huber', parentId: msp });
	return { doc, customer, msp };
}

/** Applies what `edit` does on a copy of `doc` to `doc` as a client's update would arrive. */
function asClient(doc: Y.Doc, edit: (copy: Y.Doc) => void): void {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	const before = Y.encodeStateVector(copy);
	edit(copy);
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(copy, before), CLIENT);
}

const record = (doc: Y.Doc, id: string): Y.Map<unknown> => doc.getMap('nodes').get(id) as Y.Map<unknown>;

describe('tenant validator', () => {
	it('S22: a kind change is put back (children were placed by H2 against the old kind)', () => {
		const { doc, customer } = seeded();
		const validation = tenantValidator().open(doc);
		asClient(doc, (copy) => record(copy, customer).set('kind', 'distributor'));
		expect(validation.review(OWNER)).toEqual([{ itemType: 'treeNode', id: customer, code: 'kindChanged' }]);
		expect(record(doc, customer).get('kind')).toBe('customer');
	});

	it('S22: a record replaced by a plain value is recreated from its last valid state', () => {
		const { doc, customer } = seeded();
		const before = record(doc, customer).toJSON();
		const validation = tenantValidator().open(doc);
		asClient(doc, (copy) => copy.getMap('nodes').set(customer, 'oops'));
		expect(validation.review(OWNER)).toEqual([{ itemType: 'treeNode', id: customer, code: 'invalidRecord' }]);
		expect(record(doc, customer).toJSON()).toEqual(before);
	});

	it('S21: unknown fields and shared types inside a record are removed', () => {
		const { doc, msp } = seeded();
		const validation = tenantValidator().open(doc);
		asClient(doc, (copy) => {
			record(copy, msp).set('secret', 'x');
			record(copy, msp).set('contact', new Y.Map());
		});
		expect(validation.review(OWNER).map((item) => item.code)).toEqual(['invalidRecord']);
		expect(record(doc, msp).has('secret')).toBe(false);
		expect(record(doc, msp).has('contact')).toBe(false);
	});

	it('S21: a deletion is allowed; meta keys other than tenantName are not', () => {
		const { doc, customer } = seeded();
		const validation = tenantValidator().open(doc);
		asClient(doc, (copy) => {
			copy.getMap('nodes').delete(customer);
			copy.getMap('meta').set('theme', 'dark');
		});
		expect(validation.review(OWNER)).toEqual([{ itemType: 'meta', id: 'theme', code: 'unknownField' }]);
		expect(doc.getMap('nodes').has(customer)).toBe(false);
		expect(doc.getMap('meta').has('theme')).toBe(false);
	});

	it('S21: the role hook can refuse a change; the record is put back', () => {
		const { doc, msp } = seeded();
		const validation = tenantValidator(
			(writer, change) => writer.role === 'owner' || change.itemType !== 'treeNode'
		).open(doc);
		asClient(doc, (copy) => record(copy, msp).set('name', 'Renamed'));
		expect(validation.review({ ...OWNER, role: 'admin' })).toEqual([
			{ itemType: 'treeNode', id: msp, code: 'notPermitted' }
		]);
		expect(record(doc, msp).get('name')).toBe('Alpen IT');
	});

	it('S22: server-side changes are trusted and become the last valid state', () => {
		const { doc, msp } = seeded();
		const validation = tenantValidator().open(doc);
		doc.transact(() => record(doc, msp).set('name', 'Set by the server'), 'server');
		validation.accept();
		asClient(doc, (copy) => record(copy, msp).set('name', ''));
		validation.review(OWNER);
		expect(record(doc, msp).get('name')).toBe('Set by the server');
	});

	it('S22: invalid records of the stored state are reported at load and left alone', () => {
		const doc = new Y.Doc();
		doc.getMap('licenses').set('lic-1', [1, 'x']);
		doc.getArray('stray').push([1]);
		const validation = tenantValidator().open(doc);
		expect(validation.invalidAtLoad).toEqual([
			{ itemType: 'license', id: 'lic-1', code: 'invalidRecord' },
			{ itemType: 'sharedType', id: 'stray', code: 'unknownType' }
		]);
		expect(doc.getMap('licenses').get('lic-1')).toEqual([1, 'x']);
	});

	it('S22: the compensation is one transaction with origin server-validation', () => {
		const { doc, msp } = seeded();
		const validation = tenantValidator().open(doc);
		const origins: unknown[] = [];
		asClient(doc, (copy) => {
			record(copy, msp).set('name', '');
			copy.getMap('pools').set('p', { id: 'other', name: 'x', accountId: 'a', groupId: 'g' });
		});
		doc.on('afterTransaction', (transaction: Y.Transaction) => origins.push(transaction.origin));
		expect(validation.review(OWNER)).toHaveLength(2);
		expect(origins).toEqual([VALIDATION_ORIGIN]);
	});
});

describe('customer validator', () => {
	it('S21: map entries written into the notes array are removed', () => {
		const doc = new Y.Doc();
		const validation = customerValidator().open(doc);
		const client = new Y.Doc();
		client.getMap('notes').set('x', 1);
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(client), CLIENT);
		expect(validation.review(OWNER)).toEqual([{ itemType: 'sharedType', id: 'notes', code: 'invalidShape' }]);
		expect(doc.getArray('notes')._map.get('x')?.deleted).toBe(true);
	});
});
