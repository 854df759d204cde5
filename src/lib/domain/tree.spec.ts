import { describe, expect, it } from 'vitest';
import { DomainError } from './errors';
import { assertPlacementAllowed, childKindsFor, isPlacementAllowed, resolveTree, type PlacedNode } from './tree';
import { NODE_KINDS, type NodeKind } from '../schema/tree';

const node = (id: string, parent: string | null, ts: number, client = 1, prev: string | null = null): PlacedNode => ({
	id,
	placement: { parent, prev, ts, client }
});

describe('allowed parents', () => {
	const table: Array<[NodeKind, NodeKind | null, boolean]> = [
		['distributor', null, true],
		['distributor', 'msp', false],
		['mspManager', null, true],
		['mspManager', 'distributor', true],
		['mspManager', 'msp', false],
		['msp', null, true],
		['msp', 'distributor', true],
		['msp', 'mspManager', false],
		['managedMsp', 'mspManager', true],
		['managedMsp', null, false],
		['managedMsp', 'msp', false],
		['customer', 'msp', true],
		['customer', 'managedMsp', true],
		['customer', 'mspManager', true],
		['customer', 'distributor', false],
		['customer', null, false],
		['site', 'customer', true],
		['site', 'msp', false],
		['site', null, false]
	];
	it.each(table)('H2: %s under %s is allowed: %s', (kind, parent, allowed) => {
		expect(isPlacementAllowed(kind, parent)).toBe(allowed);
	});

	it('H1: there are exactly six node kinds and each has a place in the tree', () => {
		expect([...NODE_KINDS].sort()).toEqual(['customer', 'distributor', 'managedMsp', 'msp', 'mspManager', 'site']);
		const placeable = new Set<NodeKind>([null, ...NODE_KINDS].flatMap((parent) => childKindsFor(parent)));
		expect([...placeable].sort()).toEqual([...NODE_KINDS].sort());
	});

	it('H2: a refused placement throws a DomainError that names the allowed parents', () => {
		expect(() => assertPlacementAllowed('site', 'msp')).toThrow(DomainError);
		try {
			assertPlacementAllowed('site', 'msp');
		} catch (error) {
			expect((error as DomainError).code).toBe('tree.parentNotAllowed');
			expect((error as DomainError).message).toContain('customer');
		}
		try {
			assertPlacementAllowed('customer', null);
		} catch (error) {
			expect((error as DomainError).code).toBe('tree.rootNotAllowed');
		}
	});

	it('H2: the root accepts distributors, MSP managers and MSPs only', () => {
		expect(childKindsFor(null).sort()).toEqual(['distributor', 'msp', 'mspManager']);
		expect(childKindsFor('customer')).toEqual(['site']);
		expect(childKindsFor('site')).toEqual([]);
	});
});

describe('resolveTree', () => {
	it('H7: A under B and B under A: the later move is ignored and that node returns to its previous parent', () => {
		const { parentOf, displaced } = resolveTree([
			node('root', null, 1),
			node('A', 'B', 5, 1, 'root'),
			node('B', 'A', 6, 2, 'root')
		]);
		expect(parentOf.get('A')).toBe('B');
		expect(parentOf.get('B')).toBe('root');
		expect([...displaced]).toEqual(['B']);
	});

	it('H7: equal timestamps are ordered by client id, so every replica picks the same loser', () => {
		const nodes = [node('r', null, 1), node('A', 'B', 7, 9, 'r'), node('B', 'A', 7, 3, 'r')];
		const one = resolveTree(nodes);
		const two = resolveTree([...nodes].reverse());
		expect(one.parentOf.get('A')).toBe('r');
		expect(one.parentOf.get('B')).toBe('A');
		expect([...one.parentOf]).toEqual([...two.parentOf]);
	});

	it('H7: a node whose parent was deleted falls back to its previous parent, else to the root', () => {
		const { parentOf, displaced } = resolveTree([
			node('r', null, 1),
			node('x', 'gone', 4, 1, 'r'),
			node('y', 'gone', 4, 1, 'gone')
		]);
		expect(parentOf.get('x')).toBe('r');
		expect(parentOf.get('y')).toBeNull();
		expect(displaced).toEqual(new Set(['x', 'y']));
	});

	it('H7: a fallback that closes another cycle is resolved too, and no node is lost', () => {
		// C's move is newest; its previous parent A is itself inside the A-B cycle.
		const { parentOf } = resolveTree([
			node('A', 'B', 2, 1, null),
			node('B', 'C', 3, 1, null),
			node('C', 'A', 4, 1, 'B')
		]);
		expect(parentOf.size).toBe(3);
		for (const id of ['A', 'B', 'C']) {
			const seen = new Set<string>();
			let current: string | null = id;
			while (current !== null) {
				expect(seen.has(current)).toBe(false);
				seen.add(current);
				current = parentOf.get(current) ?? null;
			}
		}
	});
});
