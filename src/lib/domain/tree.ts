// Rules of the MSP tree: which kind may hang where (H1, H2) and how replicas agree on a cycle-free tree (H7).
import type { NodeKind, Placement } from '../schema/tree';
import { DomainError } from './errors';

/** H2: for each kind, the kinds it may hang under; `null` stands for the root. */
export const ALLOWED_PARENTS: Readonly<Record<NodeKind, ReadonlyArray<NodeKind | null>>> = {
	distributor: [null],
	mspManager: [null, 'distributor'],
	msp: [null, 'distributor'],
	managedMsp: ['mspManager'],
	customer: ['msp', 'managedMsp', 'mspManager'],
	site: ['customer']
};

export function isPlacementAllowed(kind: NodeKind, parentKind: NodeKind | null): boolean {
	return ALLOWED_PARENTS[kind].includes(parentKind);
}

/** H2: the kinds a person may create under a parent (or at the root). */
export function childKindsFor(parentKind: NodeKind | null): NodeKind[] {
	return (Object.keys(ALLOWED_PARENTS) as NodeKind[]).filter((kind) => isPlacementAllowed(kind, parentKind));
}

/** H2: throws a DomainError that says which parents the kind accepts. */
export function assertPlacementAllowed(kind: NodeKind, parentKind: NodeKind | null): void {
	if (isPlacementAllowed(kind, parentKind)) return;
	const allowed = ALLOWED_PARENTS[kind].map((k) => k ?? 'root').join(', ');
	if (parentKind === null) {
		throw new DomainError('tree.rootNotAllowed', `a ${kind} cannot sit at the root; it belongs under: ${allowed}`, {
			kind,
			allowed
		});
	}
	throw new DomainError(
		'tree.parentNotAllowed',
		`a ${kind} cannot be placed under a ${parentKind}; it belongs under: ${allowed}`,
		{
			kind,
			parentKind,
			allowed
		}
	);
}

/** What the resolution needs of a node: its id and where its last move put it. */
export interface PlacedNode {
	readonly id: string;
	readonly placement: Placement;
}

export interface ResolvedTree {
	/** Effective parent of every node (null: root). Every node is here: none is lost. */
	readonly parentOf: ReadonlyMap<string, string | null>;
	/** Nodes whose last move was ignored (cycle) or whose parent is gone, so they sit elsewhere than they asked. */
	readonly displaced: ReadonlySet<string>;
}

function moveOutranks(a: Placement, aId: string, b: Placement, bId: string): boolean {
	if (a.ts !== b.ts) return a.ts > b.ts;
	if (a.client !== b.client) return a.client > b.client;
	return aId > bId;
}

/**
 * H7: turns the merged placements of all nodes into one cycle-free tree, the same on every replica.
 * A node whose parent no longer exists falls back to its previous parent, else to the root. In a cycle,
 * the move with the highest (ts, client) is ignored (Kleppmann et al. 2021: the later move is the one that
 * would have created the cycle) and that node falls back to its previous parent; a node ignored twice
 * goes to the root. Each node can be ignored at most twice, so the loop ends.
 */
export function resolveTree(nodes: Iterable<PlacedNode>): ResolvedTree {
	const byId = new Map<string, Placement>();
	for (const node of nodes) byId.set(node.id, node.placement);
	const ids = [...byId.keys()].sort();
	const parentOf = new Map<string, string | null>();
	const displaced = new Set<string>();
	const exists = (id: string | null, self: string): id is string => id !== null && id !== self && byId.has(id);

	for (const id of ids) {
		const placement = byId.get(id)!;
		if (placement.parent === null || exists(placement.parent, id)) {
			parentOf.set(id, placement.parent);
		} else {
			displaced.add(id);
			parentOf.set(id, exists(placement.prev, id) ? placement.prev : null);
		}
	}

	const ignoredOnce = new Set<string>();
	for (;;) {
		const cycle = findCycle(ids, parentOf);
		if (!cycle) break;
		let loser = cycle[0]!;
		for (const id of cycle) {
			if (moveOutranks(byId.get(id)!, id, byId.get(loser)!, loser)) loser = id;
		}
		displaced.add(loser);
		if (ignoredOnce.has(loser)) {
			parentOf.set(loser, null);
		} else {
			ignoredOnce.add(loser);
			const prev = byId.get(loser)!.prev;
			parentOf.set(loser, exists(prev, loser) ? prev : null);
		}
	}
	return { parentOf, displaced };
}

/** First cycle in id order of the functional graph node -> parent, or null. */
function findCycle(ids: readonly string[], parentOf: ReadonlyMap<string, string | null>): string[] | null {
	const state = new Map<string, 1 | 2>(); // 1: on the current walk, 2: known to reach the root
	for (const start of ids) {
		if (state.has(start)) continue;
		const walk: string[] = [];
		let current: string | null = start;
		while (current !== null && !state.has(current)) {
			state.set(current, 1);
			walk.push(current);
			current = parentOf.get(current) ?? null;
		}
		if (current !== null && state.get(current) === 1) {
			return walk.slice(walk.indexOf(current));
		}
		for (const id of walk) state.set(id, 2);
	}
	return null;
}

/** Children lists from a parent map, each sorted by the given key. */
export function childrenIndex(
	parentOf: ReadonlyMap<string, string | null>,
	sortKey: (id: string) => string
): Map<string | null, string[]> {
	const children = new Map<string | null, string[]>();
	for (const [id, parent] of parentOf) {
		const list = children.get(parent);
		if (list) list.push(id);
		else children.set(parent, [id]);
	}
	for (const list of children.values()) list.sort((a, b) => sortKey(a).localeCompare(sortKey(b)) || a.localeCompare(b));
	return children;
}

/** The node and everything under it, parents before children. */
export function subtreeOf(children: ReadonlyMap<string | null, readonly string[]>, rootId: string): string[] {
	const out: string[] = [];
	const stack = [rootId];
	while (stack.length > 0) {
		const id = stack.pop()!;
		out.push(id);
		const kids = children.get(id);
		if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
	}
	return out;
}

/** True when `candidate` is `nodeId` itself or lies below it. */
export function isInSubtree(parentOf: ReadonlyMap<string, string | null>, nodeId: string, candidate: string): boolean {
	let current: string | null = candidate;
	for (let guard = 0; current !== null && guard <= parentOf.size; guard++) {
		if (current === nodeId) return true;
		current = parentOf.get(current) ?? null;
	}
	return false;
}

/** Lamport clock for the next move: above every move this replica has seen. */
export function nextMoveTimestamp(placements: Iterable<Placement>): number {
	let max = 0;
	for (const p of placements) if (p.ts > max) max = p.ts;
	return max + 1;
}
