// P6, P14: what the mail inviting a new customer's admin contact says: who invited them to what, the services and the
// license booked, and the link. The words come from the tenant's default customer-invitation template in the
// recipient's language (server/src/mail/templates).
import type { ServiceKind } from '../../../src/lib/schema/customer';
import type { BillingType } from '../../../src/lib/schema/tree';
import type { CustomerInvitationFacts } from '../../../src/lib/domain/template-values';

export interface CustomerInvitationMailInput {
	readonly tenantName: string;
	readonly organization: string;
	readonly contactName: string;
	/** The admin contact's email (the recipient). */
	readonly email: string;
	/** Who invited (the signed-in person's email). */
	readonly invitedBy: string;
	readonly services: readonly ServiceKind[];
	readonly license: {
		readonly billingType: BillingType;
		readonly product: string;
		readonly units: number;
		readonly expiresOn: string;
	};
	readonly link: string;
	readonly expiresAt: Date;
}

export function customerInvitationFacts(input: CustomerInvitationMailInput): CustomerInvitationFacts {
	return { kind: 'customerInvitation', ...input };
}
