// C2, C6: the account section's words (Paraglide messages).
import { m } from '$lib/paraglide/messages.js';
import type { BillingChangeIssue } from '$lib/domain/customer-account';
import type { TreeNode } from '$lib/schema/tree';

/** C2: why partner assistance is on by itself. */
export function assistanceReason(node: Pick<TreeNode, 'billingType' | 'origin'>): string {
	if (node.billingType === 'monthly') return m.account_assistance_reason_monthly();
	if (node.origin === 'managedOrder') return m.account_assistance_reason_managed();
	return m.account_assistance_reason_trial();
}

export function billingIssueMessage(issue: BillingChangeIssue): string {
	switch (issue) {
		case 'monthlyNotInProgram':
			return m.account_billing_error_monthlyNotInProgram();
		case 'monthlyEarlyAccess':
			return m.account_billing_error_monthlyEarlyAccess();
		case 'backToTrial':
			return m.account_billing_error_backToTrial();
	}
}
