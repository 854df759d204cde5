// P6, C6, P7: what the customer commands change in the tenant document, planned (every rule checked, nothing written) and
// then written, the same code on the server and on a device. The customer document's part (services, backup requests)
// is the server's (server/src/customers/).
import { DomainError } from '../domain/errors';
import { isCustomerEditable } from '../domain/customer-status';
import { billingChangeIssue, type BillingChangeIssue } from '../domain/customer-account';
import { licenseIssues, type InvitationIssueCode } from '../domain/invitation';
import type { Command } from '../schema/commands';
import type { License, LicenseAccount, LicensePool } from '../schema/licenses';
import type { TreeNode } from '../schema/tree';
import { portalPublicId } from './license-commands';
import type { TenantRepository } from './tenant-repository';

export type CustomerCommand = Extract<
	Command,
	{ type: 'customer.invite' | 'customer.setBilling' | 'customer.startBackup' }
>;

export const isCustomerCommand = (command: Command): command is CustomerCommand =>
	command.type === 'customer.invite' || command.type === 'customer.setBilling' || command.type === 'customer.startBackup';

export interface CustomerCommandOptions {
	/** The tenant's day (`YYYY-MM-DD`): P6's first booking date. */
	readonly today: string;
	/** C6: the tenant takes part in the monthly-billing program. */
	readonly monthlyBillingProgram: boolean;
}

/** The account that holds the pools of licenses made in the portal (never a distributor's, L1): one per tenant. */
export const PORTAL_ACCOUNT_ID = 'portal';

/** The refusals of P6 and C6 in words (the server's answer; the wizard shows its own messages at the fields). */
export const INVITATION_REFUSALS: Record<InvitationIssueCode, string> = {
	organizationRequired: 'the organization needs a name',
	contactNameRequired: 'the admin contact needs a name',
	contactEmailInvalid: 'the admin contact needs a valid email address',
	serviceUnknown: 'there is no such service',
	serviceTwice: 'a service can be added once',
	billingTypeUnknown: 'the license type is trial, monthly or term',
	monthlyNotInProgram: 'monthly billing needs the monthly-billing program (a tenant setting)',
	productRequired: 'the license needs a product',
	unitsInvalid: 'the purchased capacity is a whole number of users, at least 1',
	trialTooManyUsers: 'a trial license covers at most 5 users',
	expiryInvalid: 'the expiry date is not a valid date',
	expiryBeforeBooking: 'the expiry date cannot be before the first booking date (today)',
	expiryTooLate: 'the expiry date is at most one year after the first booking date (today)'
};

export const BILLING_REFUSALS: Record<BillingChangeIssue, string> = {
	monthlyNotInProgram: 'monthly billing needs the monthly-billing program (a tenant setting)',
	monthlyEarlyAccess: 'a monthly account cannot take part in early-access programs',
	backToTrial: 'a paying account cannot become a trial again'
};

/** The customer a command names, or a refusal: it must exist and (H3, C7) not be unlinked. */
export function editableCustomer(repo: TenantRepository, customerId: string): TreeNode {
	const node = repo.node(customerId);
	if (!node || node.kind !== 'customer')
		throw new DomainError('tree.nodeNotFound', `no customer ${customerId}`, { id: customerId });
	if (!isCustomerEditable(node.status)) throw new DomainError('tree.invalidInput', 'an unlinked customer is read-only');
	return node;
}

export interface CustomerCommandPlan {
	/** Writes the change (call inside a transaction). */
	write(): void;
}

const NOTHING: CustomerCommandPlan = { write: () => undefined };

/** The pool a customer's portal-made licenses go into (made with the first invitation). */
export const portalPoolId = (commandId: string): string => `${commandId}-pool`;

/**
 * P6 on the tenant document: the customer is there, not set up yet, and the license keeps P6's limits on `today`; then
 * the portal account (made once), a pool on the customer, the license (its id the command's), the billing type, and the
 * status `normal` (the invitation was sent).
 */
function planInvite(
	repo: TenantRepository,
	command: Extract<Command, { type: 'customer.invite' }>,
	options: CustomerCommandOptions
): CustomerCommandPlan {
	const customer = editableCustomer(repo, command.customerId);
	if ((customer.status ?? 'notSetUp') !== 'notSetUp')
		throw new DomainError('customer.invalidInput', 'this customer is set up already');
	const issue = licenseIssues(command.license, {
		bookingDate: options.today,
		monthlyBillingProgram: options.monthlyBillingProgram
	})[0];
	if (issue) throw new DomainError('customer.invalidInput', INVITATION_REFUSALS[issue.code], { field: issue.field });
	if (repo.licenseRecord(command.id)) throw new DomainError('license.invalidInput', `a license ${command.id} exists already`);
	const existing = repo.accounts().find((account) => account.id === PORTAL_ACCOUNT_ID);
	if (existing?.kind === 'distributor') throw new DomainError('license.invalidInput', 'the portal account is not usable');
	const account: LicenseAccount = existing ?? {
		id: PORTAL_ACCOUNT_ID,
		kind: 'msp',
		name: repo.tenantName ?? 'Portal',
		login: ''
	};
	const pool: LicensePool = repo
		.pools()
		.find((candidate) => candidate.accountId === PORTAL_ACCOUNT_ID && candidate.groupId === customer.id) ?? {
		id: portalPoolId(command.id),
		name: customer.name,
		accountId: PORTAL_ACCOUNT_ID,
		groupId: customer.id
	};
	const { license: booked } = command;
	const license: License = {
		id: command.id,
		publicId: portalPublicId(command.id),
		poolId: pool.id,
		product: booked.product,
		type: booked.billingType === 'trial' ? 'trial' : 'msp',
		unitsOrdered: booked.units,
		unitsActivated: 0,
		expiresOn: booked.expiresOn,
		suspended: false,
		ownerId: customer.id,
		tag: customer.name,
		removed: false,
		held: false,
		extensions: 0,
		convertedUnits: 0,
		origin: 'portal'
	};
	return {
		write() {
			repo.putLicenseData({ accounts: existing ? [] : [account], pools: [pool], licenses: [license] });
			repo.updateProfile(customer.id, { billingType: booked.billingType });
			repo.setStatus(customer.id, 'normal');
		}
	};
}

/** C6: monthly only in the program, never with early access, nothing back to a trial. */
function planSetBilling(
	repo: TenantRepository,
	command: Extract<Command, { type: 'customer.setBilling' }>,
	options: CustomerCommandOptions
): CustomerCommandPlan {
	const customer = editableCustomer(repo, command.customerId);
	const issue = billingChangeIssue(customer, command, options.monthlyBillingProgram);
	if (issue) throw new DomainError('customer.invalidInput', BILLING_REFUSALS[issue]);
	return {
		write: () =>
			repo.updateProfile(customer.id, { billingType: command.billingType, earlyAccess: command.earlyAccess })
	};
}

/** Plans a customer command on the tenant document; throws a DomainError and writes nothing when it is refused. */
export function planCustomerCommand(
	repo: TenantRepository,
	command: CustomerCommand,
	options: CustomerCommandOptions
): CustomerCommandPlan {
	switch (command.type) {
		case 'customer.invite':
			return planInvite(repo, command, options);
		case 'customer.setBilling':
			return planSetBilling(repo, command, options);
		case 'customer.startBackup':
			// P7: the tenant document is only asked whether the customer may be backed up (not unlinked); the request is
			// written into the customer document by the server.
			editableCustomer(repo, command.customerId);
			return NOTHING;
	}
}
