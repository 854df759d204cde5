// The tree view's keyboard model (WAI-ARIA APG tree view) over flattened rows, and where focus lands after a collapse.
import { describe, expect, it } from 'vitest';
import type { NodeKind, TreeNode } from '$lib/schema/tree';
import { activeRowIndex, treeKeyAction, type TreeRow } from './tree-rows';

function row(
	id: string,
	name: string,
	kind: NodeKind,
	depth: number,
	parentId: string | null,
	childCount = 0
): TreeRow {
	const node: TreeNode = { id, kind, name, placement: { parent: parentId, prev: null, ts: 1, client: 1 } };
	return { node, depth, parentId, childCount, expanded: childCount > 0, displaced: false, match: true };
}

// MSP (expanded) > Customer A (expanded) > Site; Customer B (collapsed, one child).
const rows: TreeRow[] = [
	row('m', 'Trey MSP', 'msp', 0, null, 2),
	row('a', 'Alpha', 'customer', 1, 'm', 1),
	row('s', 'Zentrale', 'site', 2, 'a'),
	{ ...row('b', 'Beta', 'customer', 1, 'm', 1), expanded: false }
];

describe('treeKeyAction', () => {
	it('H1: Up/Down/Home/End move between visible rows and stop at the ends', () => {
		expect(treeKeyAction(rows, 0, 'ArrowDown')).toEqual({ kind: 'move', index: 1 });
		expect(treeKeyAction(rows, 1, 'ArrowUp')).toEqual({ kind: 'move', index: 0 });
		expect(treeKeyAction(rows, 0, 'ArrowUp')).toBeNull();
		expect(treeKeyAction(rows, 3, 'ArrowDown')).toBeNull();
		expect(treeKeyAction(rows, 2, 'Home')).toEqual({ kind: 'move', index: 0 });
		expect(treeKeyAction(rows, 0, 'End')).toEqual({ kind: 'move', index: 3 });
	});

	it('H1: Right expands a closed row, else moves to its first child; a leaf ignores it', () => {
		expect(treeKeyAction(rows, 3, 'ArrowRight')).toEqual({ kind: 'toggle' });
		expect(treeKeyAction(rows, 0, 'ArrowRight')).toEqual({ kind: 'move', index: 1 });
		expect(treeKeyAction(rows, 2, 'ArrowRight')).toBeNull();
	});

	it('H1: Left collapses an open row, else moves to its parent; during a search it only moves', () => {
		expect(treeKeyAction(rows, 1, 'ArrowLeft')).toEqual({ kind: 'toggle' });
		expect(treeKeyAction(rows, 2, 'ArrowLeft')).toEqual({ kind: 'move', index: 1 });
		expect(treeKeyAction(rows, 1, 'ArrowLeft', false)).toEqual({ kind: 'move', index: 0 });
		expect(treeKeyAction(rows, 0, 'ArrowLeft', false)).toBeNull();
	});

	it('type-ahead moves to the next row whose name starts with the letter, wrapping around', () => {
		expect(treeKeyAction(rows, 0, 'b')).toEqual({ kind: 'move', index: 3 });
		expect(treeKeyAction(rows, 3, 'T')).toEqual({ kind: 'move', index: 0 });
		expect(treeKeyAction(rows, 0, 'q')).toBeNull();
		expect(treeKeyAction(rows, 0, ' ')).toBeNull();
		expect(treeKeyAction(rows, 0, 'Shift')).toBeNull();
	});
});

describe('activeRowIndex', () => {
	const parents = new Map<string, string | null>([
		['m', null],
		['a', 'm'],
		['s', 'a'],
		['b', 'm'],
		['x', 'b']
	]);
	const parentOf = (id: string) => parents.get(id) ?? null;

	it('finds the active row, falls back to its nearest shown ancestor, else the first row', () => {
		expect(activeRowIndex(rows, 's', parentOf)).toBe(2);
		expect(activeRowIndex(rows, 'x', parentOf)).toBe(3);
		expect(activeRowIndex(rows, null, parentOf)).toBe(0);
		expect(activeRowIndex(rows, 'gone', parentOf)).toBe(0);
		expect(activeRowIndex([], 'a', parentOf)).toBe(-1);
	});
});
