// C2, C6: a customer account's partner assistance and billing rules, as pure functions over its node.
import type { TreeNode } from '../schema/tree';
import { isCustomerEditable } from './customer-status';

type AccountFields = Pick<TreeNode, 'billingType' | 'origin' | 'partnerAssistance'>;

/**
 * C2: partner assistance is on by itself for trials the partner created, monthly accounts and managed-customer orders
 * (`automatic`: it cannot be turned off then); otherwise it is what was set (the customer's admin turns it on).
 */
export function partnerAssistance(node: AccountFields): { readonly on: boolean; readonly automatic: boolean } {
	const origin = node.origin ?? 'partner';
	const automatic =
		node.billingType === 'monthly' ||
		origin === 'managedOrder' ||
		(node.billingType === 'trial' && origin === 'partner');
	return { on: automatic || node.partnerAssistance === true, automatic };
}

/** C2: "Launch customer" opens the customer's own console only while partner assistance is on (and it has one). */
export function canLaunchCustomer(node: AccountFields & Pick<TreeNode, 'consoleUrl' | 'status'>): boolean {
	return partnerAssistance(node).on && node.consoleUrl !== undefined && isCustomerEditable(node.status);
}
