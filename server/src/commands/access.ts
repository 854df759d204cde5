// H6, P16, S62, S67: what a server command needs before it runs: a permission, on the part of the tenant it acts on.
import { can, type AccessTarget, type AccessTree } from '../../../src/lib/domain/access';
import type { CustomRole, Permission } from '../../../src/lib/schema/access';
import type { Command, CommandRefusal } from '../../../src/lib/schema/commands';
import { isLicenseCommand, licenseCommandTargets } from '../../../src/lib/data/license-commands';
import type { TenantRepository } from '../../../src/lib/data/tenant-repository';
import type { Principal } from '../relay/types';

/** What a command needs: `permission` on every target (a node: its subtree's grant; the tenant: a tenant-wide grant). */
export type CommandNeed =
	| { readonly ok: true; readonly permission: Permission; readonly targets: readonly AccessTarget[] }
	| { readonly ok: false; readonly code: CommandRefusal; readonly message: string };

const TENANT: AccessTarget = { tenant: true };

const NOT_FOUND: Record<'license' | 'pool' | 'node', string> = {
	license: 'no such license',
	pool: 'no such license pool',
	node: 'no such company or access group'
};

/** What the role lacks, in words: the refusal's message (S62). */
const ROLE_LACKS: Partial<Record<Permission, string>> = {
	'customers.edit': 'your role may not change customers',
	'tree.edit': 'your role may not create customers',
	'licenses.edit': 'your role may not change licenses',
	'licenses.sync': 'your role may not import or synchronize licenses'
};

/**
 * What `command` needs, read from the tenant document as it is now (`repo`, inside the change that applies it; null for
 * import and sync, which need the whole tenant and no document). Targets that do not exist answer `notFound`.
 */
export function commandNeed(command: Command, repo: TenantRepository | null, tree: AccessTree | null): CommandNeed {
	switch (command.type) {
		case 'licenses.import':
		case 'licenses.sync':
			return { ok: true, permission: 'licenses.sync', targets: [TENANT] };
		case 'customer.updateProfile':
		case 'site.create':
		case 'site.rename':
		case 'site.delete': {
			const nodeId =
				command.type === 'site.rename' || command.type === 'site.delete' ? command.siteId : command.customerId;
			if (tree?.kindOf(nodeId) === undefined)
				return { ok: false, code: 'notFound', message: 'no such customer or site' };
			return { ok: true, permission: 'customers.edit', targets: [{ nodeId }] };
		}
		// P6: an invitation creates a customer account (its node, its license): people who create customers, tenant-wide.
		case 'customer.invite':
			if (tree?.kindOf(command.customerId) !== 'customer')
				return { ok: false, code: 'notFound', message: 'no such customer' };
			return { ok: true, permission: 'tree.edit', targets: [TENANT] };
		// C6, P7: billing and backups are the customer's own affairs: who may edit the customer.
		case 'customer.setBilling':
		case 'customer.startBackup':
			if (tree?.kindOf(command.customerId) !== 'customer')
				return { ok: false, code: 'notFound', message: 'no such customer' };
			return { ok: true, permission: 'customers.edit', targets: [{ nodeId: command.customerId }] };
	}
	if (!isLicenseCommand(command) || repo === null) throw new Error(`no access rule for ${command.type}`);
	const targets = licenseCommandTargets(repo, command);
	if (!targets.found) return { ok: false, code: 'notFound', message: NOT_FOUND[targets.what] };
	// A license whose pool is gone sits in no access group: only a tenant-wide grant reaches it.
	const nodes = targets.groups.map((nodeId): AccessTarget => ({ nodeId }));
	return { ok: true, permission: 'licenses.edit', targets: nodes.length > 0 ? nodes : [TENANT] };
}

/** Checks `need` for `principal`; answers the refusal, or null when the command may run. */
export function refusalFor(
	principal: Principal,
	need: CommandNeed,
	tree: AccessTree,
	customRoles: ReadonlyMap<string, CustomRole>
): { code: CommandRefusal; message: string } | null {
	if (!need.ok) return { code: need.code, message: need.message };
	for (const target of need.targets) {
		if (!can(principal, 'read', target, tree, customRoles))
			return {
				code: 'notPermitted',
				message:
					'tenant' in target
						? 'this needs a grant on the whole tenant'
						: 'this is outside the part of the tree you were granted'
			};
		if (!can(principal, need.permission, target, tree, customRoles))
			return { code: 'notPermitted', message: ROLE_LACKS[need.permission] ?? 'your role may not do this' };
	}
	return null;
}

/** The tree of a tenant-wide question (no node is asked about). */
export const NO_TREE: AccessTree = { parentOf: () => undefined, kindOf: () => undefined, groupsOf: () => [] };
