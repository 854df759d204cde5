// S21, S22: the tenant and customer validators on plain Y.Docs: what they refuse and how they put the document back.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import { CustomerRepository } from '../../../src/lib/data/customer-repository';
import { customerValidator } from './customer';
import { isPlainJson, readEntry } from './plain';
import { TooManyRejectedError } from './records';
import { tenantValidator } from './tenant';
import { VALIDATION_ORIGIN, type Writer } from './types';
import { permissionsOf } from '../../../src/lib/domain/access';

const OWNER: Writer = {
	userId: 'u1',
	tenantId: 't1',
	role: 'superAdmin',
	permissions: [...permissionsOf('superAdmin')]
};
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
		expect(validation.review(OWNER).rejected).toEqual([{ itemType: 'treeNode', id: customer, code: 'kindChanged' }]);
		expect(record(doc, customer).get('kind')).toBe('customer');
	});

	it('S22: a record replaced by a plain value is recreated from its last valid state', () => {
		const { doc, customer } = seeded();
		const before = record(doc, customer).toJSON();
		const validation = tenantValidator().open(doc);
		asClient(doc, (copy) => copy.getMap('nodes').set(customer, 'oops'));
		expect(validation.review(OWNER).rejected).toEqual([{ itemType: 'treeNode', id: customer, code: 'invalidRecord' }]);
		expect(record(doc, customer).toJSON()).toEqual(before);
	});

	it('S21: unknown fields and shared types inside a record are removed', () => {
		const { doc, msp } = seeded();
		const validation = tenantValidator().open(doc);
		asClient(doc, (copy) => {
			record(copy, msp).set('secret', 'x');
			record(copy, msp).set('contact', new Y.Map());
		});
		expect(validation.review(OWNER).rejected.map((item) => item.code)).toEqual(['invalidRecord']);
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
		expect(validation.review(OWNER).rejected).toEqual([{ itemType: 'meta', id: 'theme', code: 'unknownField' }]);
		expect(doc.getMap('nodes').has(customer)).toBe(false);
		expect(doc.getMap('meta').has('theme')).toBe(false);
	});

	it('S21: the role hook can refuse a change; the record is put back', () => {
		const { doc, msp } = seeded();
		const validation = tenantValidator(
			(writer, change) => writer.role === 'superAdmin' || change.itemType !== 'treeNode'
		).open(doc);
		asClient(doc, (copy) => record(copy, msp).set('name', 'Renamed'));
		expect(validation.review({ ...OWNER, role: 'admin' }).rejected).toEqual([
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
		expect(validation.review(OWNER).rejected).toHaveLength(2);
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
		expect(validation.review(OWNER).rejected).toEqual([{ itemType: 'sharedType', id: 'notes', code: 'invalidShape' }]);
		expect(doc.getArray('notes')._map.get('x')?.deleted).toBe(true);
	});
});

describe('plain values (S34)', () => {
	it('S34: isPlainJson accepts JSON and refuses what Yjs decodes beyond it', () => {
		for (const value of [null, true, 0, -1.5, 'x', [], [1, 'a', null], { a: { b: [1] } }, Object.create(null)])
			expect(isPlainJson(value)).toBe(true);
		const withPrototype: Record<string, unknown> = {};
		Object.setPrototypeOf(withPrototype, { admin: true });
		const protoKey = JSON.parse('{"__proto__": {"admin": true}}') as unknown;
		let deep: unknown = 1;
		for (let i = 0; i < 100; i++) deep = [deep];
		for (const value of [
			10n,
			undefined,
			Number.NaN,
			Number.POSITIVE_INFINITY,
			new Uint8Array(2),
			new Y.Doc(),
			new Y.Map(),
			new Date(0),
			withPrototype,
			protoKey,
			[1, undefined],
			{ a: 10n },
			deep,
			() => 1,
			Symbol('s')
		])
			expect(isPlainJson(value)).toBe(false);
	});

	it('S34: a bigint field does not make the review throw; it is put back with the other bad fields', () => {
		const { doc, msp } = seeded();
		const validation = tenantValidator().open(doc);
		asClient(doc, (copy) => {
			record(copy, msp).set('name', 10n);
			record(copy, msp).set('country', undefined);
			record(copy, msp).set('address', new Uint8Array(1));
		});
		expect(validation.review(OWNER).rejected).toEqual([{ itemType: 'treeNode', id: msp, code: 'invalidRecord' }]);
		expect(record(doc, msp).get('name')).toBe('Alpen IT');
		expect(record(doc, msp).has('country')).toBe(false);
		expect(record(doc, msp).has('address')).toBe(false);
		expect(() => JSON.stringify(doc.getMap('nodes').toJSON())).not.toThrow();
	});

	it('S36: the review stops with TooManyRejectedError past its cap', () => {
		const doc = new Y.Doc();
		const validation = tenantValidator().open(doc);
		asClient(doc, (copy) => {
			for (let i = 0; i < 5000; i++) copy.getMap('meta').set(`k${i}`, 1);
		});
		expect(() => validation.review(OWNER, 10)).toThrow(TooManyRejectedError);
	});
});

/** A v1 update with no structs and a delete set of one clock of one client. */
function deleteOnly(client: number, clock: number): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0);
	for (const n of [1, client, 1, clock, 1]) encoding.writeVarUint(encoder, n);
	return encoding.toUint8Array(encoder);
}

describe('exact compensation (S37, S38)', () => {
	it('S37: only the invalid values of a multi-value notes item are deleted, by id', () => {
		const doc = new Y.Doc();
		const validation = customerValidator().open(doc);
		const note = (id: string, text: string): unknown => ({ id, text, author: 'a', at: '2025-01-02T10:00:00.000Z' });
		asClient(doc, (copy) => {
			copy.getText('notes').insert(0, 'ab', { bold: true });
		});
		validation.review(OWNER);
		asClient(doc, (copy) =>
			copy
				.getArray('notes')
				.insert(0, [note('n-1', 'one'), note('n-2', ''), note('n-3', 'three'), Number.NaN, note('n-5', 'five')])
		);
		const rejected = validation.review(OWNER).rejected;
		expect(rejected).toEqual([
			{ itemType: 'note', id: 'n-2', code: 'invalidRecord' },
			{ itemType: 'note', id: 'unknown', code: 'invalidRecord' }
		]);
		const ids = doc
			.getArray<{ id?: string }>('notes')
			.toArray()
			.map((value) => (typeof value === 'object' ? value.id : value));
		expect(ids).toEqual(expect.arrayContaining(['n-1', 'n-3', 'n-5']));
		expect(ids).not.toContain('n-2');
	});

	it('S38: a live value hidden left of a deleted one (a partly deleted item) is removed', () => {
		const doc = new Y.Doc();
		doc.getMap('meta').set('tenantName', 'Alpen IT');
		const validation = tenantValidator().open(doc);
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
		const before = Y.encodeStateVector(copy);
		const meta = copy.getMap('meta');
		const id = Y.createID(copy.clientID, Y.getState(copy.store, copy.clientID));
		copy.transact((transaction) => {
			const left = meta._map.get('tenantName')!;
			new Y.Item(
				id,
				left,
				left.lastId,
				null,
				null,
				meta,
				'tenantName',
				new Y.ContentAny(['hidden', 'Shown'])
			).integrate(transaction, 0);
		});
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(copy, before), CLIENT);
		// Deletes only the second value: the first stays live, left of the deleted head.
		Y.applyUpdate(doc, deleteOnly(id.client, id.clock + 1), CLIENT);
		expect(readEntry(doc.getMap('meta'), 'tenantName')).toEqual({ kind: 'invalid', code: 'invalidShape' });
		expect(validation.review(OWNER).rejected).toEqual([{ itemType: 'meta', id: 'tenantName', code: 'invalidShape' }]);
		expect(doc.getMap('meta').toJSON()).toEqual({ tenantName: 'Alpen IT' });
		let live = 0;
		for (let item = doc.getMap('meta')._map.get('tenantName') ?? null; item !== null; item = item.left)
			if (!item.deleted) live += 1;
		expect(live).toBe(1);
	});
});

describe('accepted changes (P17)', () => {
	it('P17: the review reports what it kept per record: created, renamed, moved, changed fields, deleted; names only', () => {
		const { doc, customer, msp } = seeded();
		const validation = tenantValidator().open(doc);
		let created = '';
		asClient(doc, (copy) => {
			const repo = new TenantRepository(copy);
			created = repo.createNode({ kind: 'msp', name: 'Secret Name GmbH', parentId: null });
			repo.rename(customer, 'Huber & Söhne');
			repo.updateProfile(msp, { country: 'AT', address: 'Hauptstraße 1' });
		});
		const first = validation.review(OWNER);
		expect(first.rejected).toEqual([]);
		expect(first.acceptedTotal).toBe(3);
		expect(first.accepted).toEqual(
			expect.arrayContaining([
				{ itemType: 'treeNode', id: created, action: 'created', description: 'created', madeAt: expect.any(String) },
				{ itemType: 'treeNode', id: customer, action: 'updated', description: 'renamed', madeAt: null },
				{ itemType: 'treeNode', id: msp, action: 'updated', description: 'fields: address, country', madeAt: null }
			])
		);
		expect(JSON.stringify(first.accepted)).not.toMatch(/Secret|Huber|Haupt/);
		asClient(doc, (copy) => new TenantRepository(copy).move(customer, created));
		expect(validation.review(OWNER).accepted).toEqual([
			{ itemType: 'treeNode', id: customer, action: 'updated', description: 'moved', madeAt: null }
		]);
		asClient(doc, (copy) => new TenantRepository(copy).remove(customer));
		expect(validation.review(OWNER).accepted).toEqual([
			{ itemType: 'treeNode', id: customer, action: 'deleted', description: 'deleted', madeAt: null }
		]);
	});

	it('P17: what was undone is not reported as kept, and the list is cut at the cap while the total still counts', () => {
		const { doc, customer } = seeded();
		const validation = tenantValidator().open(doc);
		asClient(doc, (copy) => {
			record(copy, customer).set('kind', 'distributor');
			const repo = new TenantRepository(copy);
			for (let n = 0; n < 5; n++) repo.createNode({ kind: 'msp', name: `MSP ${n}`, parentId: null });
		});
		const review = validation.review(OWNER, Number.POSITIVE_INFINITY, 2);
		expect(review.rejected).toHaveLength(1);
		expect(review.accepted).toHaveLength(2);
		expect(review.acceptedTotal).toBe(5);
		expect(review.accepted.every((change) => change.action === 'created')).toBe(true);
	});

	it('P17: a new note is reported with the time it was written on the device', () => {
		const doc = new Y.Doc();
		const validation = customerValidator().open(doc);
		let id = '';
		asClient(doc, (copy) => {
			id = new CustomerRepository(copy, { now: () => new Date('2024-03-01T10:00:00Z') }).addNote(
				'Called, all good',
				'a@b.c'
			);
		});
		expect(validation.review(OWNER).accepted).toEqual([
			{ itemType: 'note', id, action: 'created', description: 'created', madeAt: '2024-03-01T10:00:00.000Z' }
		]);
	});
});
