// P6: the mail that invites a new customer's admin contact: plain text (every mail program shows it; nothing can inject
// markup), saying who invited them to what, the services and the license booked, and the link to sign in.
import type { ServiceKind } from '../../../src/lib/schema/customer';
import type { BillingType } from '../../../src/lib/schema/tree';

const SERVICE_NAMES: Record<ServiceKind, string> = {
	exchangeBackup: 'Exchange backup',
	oneDriveBackup: 'OneDrive backup',
	sharePointBackup: 'SharePoint backup',
	teamsBackup: 'Teams backup',
	serverBackup: 'Server backup',
	endpointProtection: 'Endpoint protection'
};

const BILLING_NAMES: Record<BillingType, string> = {
	trial: 'Free trial',
	monthly: 'Monthly (billed by usage)',
	term: 'Term subscription'
};

export interface CustomerInvitationMailInput {
	readonly tenantName: string;
	readonly organization: string;
	readonly contactName: string;
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

export function customerInvitationMail(input: CustomerInvitationMailInput): { subject: string; text: string } {
	const { license } = input;
	const greeting = input.contactName.trim() === '' ? 'Hello,' : `Hello ${input.contactName.trim()},`;
	return {
		subject: `${input.tenantName} invites ${input.organization} to the MSP Portal`,
		text: [
			greeting,
			'',
			`${input.invitedBy} of ${input.tenantName} has set up ${input.organization}`,
			"on the MSP Portal and invites you as the organization's admin contact.",
			'',
			'Services:',
			...(input.services.length === 0 ? ['  (none yet)'] : input.services.map((kind) => `  - ${SERVICE_NAMES[kind]}`)),
			'',
			'License:',
			`  Type: ${BILLING_NAMES[license.billingType]}`,
			`  Product: ${license.product}`,
			`  Purchased capacity: ${license.units} ${license.units === 1 ? 'user' : 'users'}`,
			`  Expires on: ${license.expiresOn}`,
			'',
			'Open this link to choose your password and sign in:',
			input.link,
			'',
			`The link works once and until ${input.expiresAt.toUTCString()}.`,
			'If you did not expect this invitation, ignore this mail.'
		].join('\n')
	};
}
