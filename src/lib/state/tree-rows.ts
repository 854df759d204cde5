// Pure helpers of the tree screen: the visible rows of a tree view, and licenses grouped by pool.
import type { TreeView } from '$lib/data/tenant-repository';
import { fmt } from './locale.svelte';
import type { TreeNode } from '$lib/schema/tree';
import type { License, LicensePool } from '$lib/schema/licenses';

export interface TreeRow {
	readonly node: TreeNode;
	readonly depth: number;
	readonly parentId: string | null;
	readonly childCount: number;
	readonly expanded: boolean;
	/** H7: the node sits elsewhere than its last move asked (cycle resolution or deleted parent). */
	readonly displaced: boolean;
	/** The row matches the current filter (false for ancestors shown only as context). */
	readonly match: boolean;
}

/**
 * Rows in display order (parents before children). With a query, the matches and their ancestors are shown,
 * everything expanded; with an empty query (C4: the search was cleared) every node is reachable again. With `only`
 * (F5: the customers kept on this device), only those nodes (that match the query) and their ancestors are shown.
 */
export function flattenTree(
	view: TreeView,
	query: string,
	isExpanded: (node: TreeNode) => boolean,
	only: ReadonlySet<string> | null = null
): TreeRow[] {
	const rows: TreeRow[] = [];
	let visible: Set<string> | null = null;
	let matches: Set<string> | null = null;
	if (query !== '' || only !== null) {
		matches = new Set();
		visible = new Set();
		for (const node of only === null ? view.nodes.values() : nodesOf(view, only)) {
			if (query !== '' && !node.name.toLocaleLowerCase().includes(query)) continue;
			matches.add(node.id);
			for (let current: string | null = node.id, guard = 0; current !== null && guard <= view.nodes.size; guard++) {
				if (visible.has(current)) break;
				visible.add(current);
				current = view.parentOf.get(current) ?? null;
			}
		}
	}
	// Iterative walk: a deep tree must not overflow the stack, and the order stays parents-before-children.
	const stack: { id: string; depth: number }[] = [];
	const pushChildren = (parent: string | null, depth: number) => {
		const kids = view.children.get(parent) ?? [];
		for (let i = kids.length - 1; i >= 0; i--) stack.push({ id: kids[i]!, depth });
	};
	pushChildren(null, 0);
	while (stack.length > 0) {
		const { id, depth } = stack.pop()!;
		if (visible && !visible.has(id)) continue;
		const node = view.nodes.get(id);
		if (!node) continue;
		const childCount = view.children.get(id)?.length ?? 0;
		const expanded = visible ? true : isExpanded(node);
		rows.push({
			node,
			depth,
			parentId: view.parentOf.get(id) ?? null,
			childCount,
			expanded: expanded && childCount > 0,
			displaced: view.displaced.has(id),
			match: matches ? matches.has(id) : true
		});
		if (expanded) pushChildren(id, depth + 1);
	}
	return rows;
}

function* nodesOf(view: TreeView, ids: ReadonlySet<string>): Iterable<TreeNode> {
	for (const id of ids) {
		const node = view.nodes.get(id);
		if (node) yield node;
	}
}

/** Pools sorted by name, each with its licenses sorted by public id. */
export function licensesByPool(
	pools: LicensePool[],
	licenses: License[]
): { pool: LicensePool; licenses: License[] }[] {
	if (pools.length === 0) return [];
	const byPool = new Map<string, License[]>(pools.map((pool) => [pool.id, []]));
	for (const license of licenses) byPool.get(license.poolId)?.push(license);
	return pools
		.sort((a, b) => fmt().compare(a.name, b.name))
		.map((pool) => ({
			pool,
			licenses: (byPool.get(pool.id) ?? []).sort((a, b) => a.publicId.localeCompare(b.publicId))
		}));
}

/**
 * The row that holds keyboard focus (WAI-ARIA tree view, roving tabindex): the row of `activeId`, else its nearest
 * shown ancestor (a collapse hid it), else the first row; -1 when there are no rows.
 */
export function activeRowIndex(
	rows: readonly TreeRow[],
	activeId: string | null,
	parentOf: (id: string) => string | null
): number {
	if (rows.length === 0) return -1;
	const index = new Map(rows.map((row, i) => [row.node.id, i]));
	// The seen set guards against a parent chain that loops (the view resolves cycles, but this must not hang).
	const seen = new Set<string>();
	for (let current = activeId; current !== null && !seen.has(current); current = parentOf(current)) {
		seen.add(current);
		const found = index.get(current);
		if (found !== undefined) return found;
	}
	return 0;
}

/** What a key on a tree row does: move focus to another row, expand or collapse the row, or nothing. */
export type TreeKeyAction = { readonly kind: 'move'; readonly index: number } | { readonly kind: 'toggle' } | null;

/**
 * The WAI-ARIA tree view keys on the row at `index`: Up/Down, Home/End, Right (expand, else first child),
 * Left (collapse, else parent) and type-ahead (a printable character moves to the next row whose name starts with it).
 * `canCollapse` is false while a search forces every shown row open.
 */
export function treeKeyAction(rows: readonly TreeRow[], index: number, key: string, canCollapse = true): TreeKeyAction {
	const row = rows[index];
	if (!row) return null;
	const move = (target: number): TreeKeyAction =>
		target >= 0 && target < rows.length && target !== index ? { kind: 'move', index: target } : null;
	switch (key) {
		case 'ArrowDown':
			return move(index + 1);
		case 'ArrowUp':
			return move(index - 1);
		case 'Home':
			return move(0);
		case 'End':
			return move(rows.length - 1);
		case 'ArrowRight':
			if (row.childCount > 0 && !row.expanded) return { kind: 'toggle' };
			return rows[index + 1]?.parentId === row.node.id ? move(index + 1) : null;
		case 'ArrowLeft': {
			if (row.expanded && canCollapse) return { kind: 'toggle' };
			for (let i = index - 1; i >= 0; i--) if (rows[i]!.node.id === row.parentId) return move(i);
			return null;
		}
	}
	if ([...key].length !== 1 || key.trim() === '') return null;
	const letter = key.toLocaleLowerCase();
	for (let step = 1; step < rows.length; step++) {
		const candidate = (index + step) % rows.length;
		if (rows[candidate]!.node.name.toLocaleLowerCase().startsWith(letter)) return move(candidate);
	}
	return null;
}
