// S60-S63: what a server command changes in a tenant document, the same code on the server (the truth) and on a scoped
// device (its optimistic copy of the view).
import { DomainError } from '../domain/errors';
import { isCustomerEditable } from '../domain/customer-status';
import type { Command } from '../schema/commands';
import type { NodeKind } from '../schema/tree';
import { TenantRepository } from './tenant-repository';

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
 * Applies `command` to the tenant document behind `repo` (made with `newId` answering the command's id, so a created site
 * carries it). Throws a DomainError (`tree.nodeNotFound`, `tree.invalidInput`, …) and changes nothing when it cannot.
 */
export function applyCommand(doc: ConstructorParameters<typeof TenantRepository>[0], command: Command): void {
	const repo = new TenantRepository(doc, { newId: () => command.id });
	switch (command.type) {
		case 'customer.updateProfile':
			requireEditableCustomer(repo, command.customerId);
			repo.updateProfile(command.customerId, command.patch);
			return;
		case 'site.create':
			requireEditableCustomer(repo, command.customerId);
			if (repo.node(command.id)) throw new DomainError('tree.invalidInput', 'a node with this id exists');
			repo.createNode({
				kind: 'site',
				name: command.name,
				parentId: command.customerId,
				...(command.address ? { address: command.address } : {})
			});
			return;
		case 'site.rename':
		case 'site.delete': {
			requireKind(repo, command.siteId, 'site');
			const parent = repo.view().parentOf.get(command.siteId) ?? null;
			if (parent !== null) requireEditableCustomer(repo, parent);
			if (command.type === 'site.rename') repo.rename(command.siteId, command.name);
			else repo.remove(command.siteId);
			return;
		}
	}
}
