// C2, C6: a customer account's partner assistance and billing rules, as pure functions over its node.
import type { BillingType, TreeNode } from '../schema/tree';
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

/** Why a billing change is refused (C6). */
export type BillingChangeIssue =
	/** Monthly billing needs the tenant's monthly-billing program. */
	| 'monthlyNotInProgram'
	/** A monthly account never takes part in early-access programs. */
	| 'monthlyEarlyAccess'
	/** A trial is where an account starts: a paying account does not go back to one. */
	| 'backToTrial';

/**
 * C6: may an account billed as `current` become `next`? Monthly only in the monthly-billing program (an account that is
 * monthly already stays so when the tenant leaves it), never together with early access; a trial converts to monthly or
 * term, but nothing converts back to a trial. Null: allowed.
 */
export function billingChangeIssue(
	current: Pick<TreeNode, 'billingType'>,
	next: { readonly billingType: BillingType; readonly earlyAccess: boolean },
	monthlyBillingProgram: boolean
): BillingChangeIssue | null {
	if (next.billingType === 'monthly' && next.earlyAccess) return 'monthlyEarlyAccess';
	if (next.billingType === 'monthly' && current.billingType !== 'monthly' && !monthlyBillingProgram)
		return 'monthlyNotInProgram';
	if (next.billingType === 'trial' && current.billingType !== undefined && current.billingType !== 'trial')
		return 'backToTrial';
	return null;
}

/** C6: a trial may be converted to monthly billing here (the program is on, and the account is a trial). */
export function canConvertToMonthly(node: Pick<TreeNode, 'billingType'>, monthlyBillingProgram: boolean): boolean {
	return node.billingType === 'trial' && monthlyBillingProgram;
}

/** C6: the early-access toggle is open to every account but a monthly one. */
export function earlyAccessAllowed(node: Pick<TreeNode, 'billingType'>): boolean {
	return node.billingType !== 'monthly';
}
