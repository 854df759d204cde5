// S21: rules of a tree node record beyond its schema and H2, given its last valid value (`previous`, plain JSON).
// Each returns the issues of the record (empty when it may be written); `checkNode` (tenant.ts) calls every rule.
import * as Y from 'yjs';
import { billingTypeSchema, treeNodeSchema, type TreeNode } from '../../../src/lib/schema/tree';
import { sameJson } from './plain';
import type { Issue } from './records';

/** The billing fields of a last valid node (plain JSON; `annual` as the schema reads it, `term`). */
function previousBilling(previous: unknown): { billingType: unknown; earlyAccess: unknown } | null {
	if (typeof previous !== 'object' || previous === null) return null;
	const fields = previous as Record<string, unknown>;
	const billing = billingTypeSchema.safeParse(fields.billingType);
	return { billingType: billing.success ? billing.data : undefined, earlyAccess: fields.earlyAccess };
}

/**
 * C6: how a customer is billed. A client may set `billingType` and `earlyAccess` when it creates the node (never monthly
 * with early access); later they change only through `customer.setBilling`, which checks the monthly-billing program (the
 * server's own changes are trusted and not checked here).
 */
export function billingFieldsRule(node: TreeNode, previous: unknown): Issue[] {
	if (node.billingType === 'monthly' && node.earlyAccess === true)
		return [{ code: 'monthlyEarlyAccess', field: 'earlyAccess' }];
	const before = previousBilling(previous);
	if (before === null) return [];
	if (before.billingType !== node.billingType) return [{ code: 'billingNeedsCommand', field: 'billingType' }];
	if ((before.earlyAccess ?? false) !== (node.earlyAccess ?? false))
		return [{ code: 'billingNeedsCommand', field: 'earlyAccess' }];
	return [];
}

// ---------------------------------------------------------------------------------------------------------------------

/** How far up the tree C7 looks (H2 puts sites right under customers; a crafted tree may be deeper). */
const MAX_DEPTH = 64;

function fieldsOf(json: unknown): Record<string, unknown> | null {
	return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
}

function isUnlinkedCustomer(json: unknown): boolean {
	const fields = fieldsOf(json);
	return fields?.kind === 'customer' && fields.status === 'unlinked';
}

function parentIn(json: unknown): string | null {
	const parent = fieldsOf(fieldsOf(json)?.placement)?.parent;
	return typeof parent === 'string' ? parent : null;
}

/**
 * Is `parentId`, or a node above it, an unlinked customer? Each ancestor counts as unlinked when its last valid value
 * or its value now says so: a customer re-linked in the same update is undone as well, and one unlinked in it is
 * unlinked already.
 */
function unlinkedAbove(parentId: string | null, doc: Y.Doc, lastValidOf: (id: string) => unknown): boolean {
	const nodes = doc.getMap<unknown>('nodes');
	let current = parentId;
	for (let depth = 0; current !== null && depth < MAX_DEPTH; depth += 1) {
		const record = nodes.get(current);
		const now = record instanceof Y.Map ? record.toJSON() : undefined;
		const last = lastValidOf(current);
		if (isUnlinkedCustomer(last) || isUnlinkedCustomer(now)) return true;
		current = parentIn(last ?? now);
	}
	return false;
}

/**
 * C7: an unlinked customer, and everything under it, is read-only: a client's change to it (re-linking included), to a
 * node under it, or one that moves a node into or out of it, or creates one under it, is undone (the whole record goes
 * back to its last valid value, a new one is deleted). Unlinking itself is a change of a linked customer and passes.
 * Deleting stays a matter of the role (tree.edit). Only reviews of a client's change carry `lastValidOf`: loading a
 * document and the server's own changes are not held to it.
 */
export function unlinkedCustomerRule(
	id: string,
	node: TreeNode,
	doc: Y.Doc,
	previous: unknown,
	lastValidOf?: (id: string) => unknown
): Issue[] {
	void id;
	if (lastValidOf === undefined) return [];
	const frozen =
		isUnlinkedCustomer(previous) ||
		unlinkedAbove(parentIn(previous), doc, lastValidOf) ||
		unlinkedAbove(node.placement.parent, doc, lastValidOf);
	if (!frozen) return [];
	// A client that wrote back what the record held changed nothing.
	const before = previous === undefined ? null : treeNodeSchema.safeParse({ ...fieldsOf(previous), id: node.id });
	if (before?.success && sameJson(before.data, node)) return [];
	return [{ code: 'customerUnlinked' }];
}
