// S21: rules of a tree node record beyond its schema and H2, given its last valid value (`previous`, plain JSON).
// Each returns the issues of the record (empty when it may be written); `checkNode` (tenant.ts) calls every rule.
import type * as Y from 'yjs';
import type { TreeNode } from '../../../src/lib/schema/tree';
import type { Issue } from './records';

/** C6: how a customer is billed. */
export function billingFieldsRule(node: TreeNode, previous: unknown): Issue[] {
	void node;
	void previous;
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
