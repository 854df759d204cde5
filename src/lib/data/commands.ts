// S60-S63, S65-S69: what a server command changes in a tenant document, the same code on the server (the truth) and on a
// scoped device (its optimistic copy of the view).
import { DomainError } from '../domain/errors';
import { isCustomerEditable } from '../domain/customer-status';
import { dayIn } from '../domain/license-state';
import type { Command } from '../schema/commands';
import type { NodeKind } from '../schema/tree';
import { TenantRepository } from './tenant-repository';
import { isLicenseCommand, NO_EFFECT, planLicenseCommand, type CommandEffect } from './license-commands';
import { isCustomerCommand, planCustomerCommand } from './customer-commands';

export type { CommandEffect } from './license-commands';

export interface ApplyOptions {
	/** The tenant's day (`YYYY-MM-DD`) for rules that count from today (L15); today in UTC when absent. */
	readonly today?: string;
	/** C6: the tenant takes part in the monthly-billing program (false when not known: monthly is refused). */
	readonly monthlyBillingProgram?: boolean;
}

type TenantDoc = ConstructorParameters<typeof TenantRepository>[0];

const todayOf = (options: ApplyOptions): string => options.today ?? dayIn(new Date(), 'UTC');

/** The node a command targets must exist and be of this kind (a customer, or a site). */
export function requireKind(repo: TenantRepository, id: string, kind: NodeKind): void {
	const node = repo.node(id);
	if (!node || node.kind !== kind) throw new DomainError('tree.nodeNotFound', `no ${kind} ${id}`, { id });
}

/** H3: sites and profile of an unlinked customer are kept as they are. */
function requireEditableCustomer(repo: TenantRepository, customerId: string): void {
	requireKind(repo, customerId, 'customer');
	if (!isCustomerEditable(repo.node(customerId)?.status))
		throw new DomainError('tree.invalidInput', 'an unlinked customer is read-only');
}

/**
 * S65: would `command` be refused by the document as it is? Throws the DomainError applying it would throw, writes nothing.
 * Only license commands are checked (a tenant-wide device sends them without applying them, S70); others pass.
 */
export function checkCommand(doc: TenantDoc, command: Command, options: ApplyOptions = {}): void {
	if (isLicenseCommand(command)) planLicenseCommand(new TenantRepository(doc), command, { today: todayOf(options) });
}

/**
 * Applies `command` to the tenant document behind `repo` (made with `newId` answering the command's id, so a created site
 * carries it). Throws a DomainError (`tree.nodeNotFound`, `tree.invalidInput`, `license.trialRule`, …) and changes nothing
 * when it cannot. Answers what the server records beside the change (L16 events, L11 accounts gone). `licenses.import` and
 * `licenses.sync` change nothing here: the server's LicenseService runs them (S66).
 */
export function applyCommand(doc: TenantDoc, command: Command, options: ApplyOptions = {}): CommandEffect {
	const repo = new TenantRepository(doc, { newId: () => command.id });
	if (isLicenseCommand(command)) {
		const plan = planLicenseCommand(repo, command, { today: todayOf(options) });
		doc.transact(() => plan.write());
		return plan.effect;
	}
	if (isCustomerCommand(command)) {
		const plan = planCustomerCommand(repo, command, {
			today: todayOf(options),
			monthlyBillingProgram: options.monthlyBillingProgram ?? false
		});
		doc.transact(() => plan.write());
		return NO_EFFECT;
	}
	switch (command.type) {
		case 'licenses.import':
		case 'licenses.sync':
			return NO_EFFECT;
		case 'customer.updateProfile': {
			requireEditableCustomer(repo, command.customerId);
			// C6: billing changes only through customer.setBilling, which checks the monthly-billing program.
			const node = repo.node(command.customerId);
			const { billingType, earlyAccess } = command.patch;
			if (
				(billingType !== undefined && billingType !== node?.billingType) ||
				(earlyAccess !== undefined && earlyAccess !== (node?.earlyAccess ?? false))
			)
				throw new DomainError('customer.invalidInput', 'the billing type changes through the customer account');
			repo.updateProfile(command.customerId, command.patch);
			return NO_EFFECT;
		}
		case 'site.create':
			requireEditableCustomer(repo, command.customerId);
			if (repo.node(command.id)) throw new DomainError('tree.invalidInput', 'a node with this id exists');
			repo.createNode({
				kind: 'site',
				name: command.name,
				parentId: command.customerId,
				...(command.address ? { address: command.address } : {})
			});
			return NO_EFFECT;
		case 'site.rename':
		case 'site.delete': {
			requireKind(repo, command.siteId, 'site');
			const parent = repo.view().parentOf.get(command.siteId) ?? null;
			if (parent !== null) requireEditableCustomer(repo, parent);
			if (command.type === 'site.rename') repo.rename(command.siteId, command.name);
			else repo.remove(command.siteId);
			return NO_EFFECT;
		}
	}
}
