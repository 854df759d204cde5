// H6, L5, P13, P16: who may do what, in one pure module. Role -> permissions, grants -> the nodes and customers they cover,
// and "may this person do this on this item". Used by the relay, the API, the catch-up, server commands and the UI's can().
import type { BuiltInRole, CustomRole, Grant, Permission, Role } from '../schema/access';
import { PERMISSIONS } from '../schema/access';
import type { NodeKind } from '../schema/tree';

/** P16: what each predefined role may change. Reading follows the grant alone. */
export const ROLE_PERMISSIONS: Readonly<Record<BuiltInRole, readonly Permission[]>> = {
	// Everything; the only role that manages customer groups (C5).
	superAdmin: PERMISSIONS,
	admin: PERMISSIONS.filter((permission) => permission !== 'groups.manage'),
	// Works customers' contacts, notes, service requests and sites; reads licenses; no units, pools, users or settings.
	helpDesk: ['customers.edit', 'serviceRequests.edit', 'reports.edit'],
	readOnly: [],
	// Billing profiles and billing settings; reads the rest.
	businessAdmin: ['billing.edit', 'reports.edit']
};

/** Permissions that concern the tenant as a whole: they need a tenant-wide grant besides the role. */
export const TENANT_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>([
	'licenses.sync',
	'billing.edit',
	'users.manage',
	'audit.read',
	'settings.edit',
	'groups.manage',
	'reports.edit'
]);

/** H6: does a set of grants cover the whole tenant (so its holder receives the tenant document)? */
export function isTenantWide(grants: readonly Grant[]): boolean {
	return grants.some((grant) => grant.scope === 'tenant');
}

/** The permissions of `role`; a custom role that no longer exists grants nothing. */
export function permissionsOf(role: Role, customRoles: ReadonlyMap<string, CustomRole> = new Map()): Set<Permission> {
	if (role.startsWith('custom:')) return new Set(customRoles.get(role.slice('custom:'.length))?.permissions ?? []);
	return new Set(ROLE_PERMISSIONS[role as BuiltInRole] ?? []);
}

/** The MSP tree as the access module reads it (a resolved view of the tenant document, or the server's copy of it). */
export interface AccessTree {
	/** The node's parent in the resolved tree (H7), null for a root, undefined for an unknown node. */
	parentOf(nodeId: string): string | null | undefined;
	kindOf(nodeId: string): NodeKind | undefined;
	/** The customer groups a customer belongs to (C5); none until groups exist. */
	groupsOf(customerId: string): readonly string[];
}

/** What a set of grants covers in a tree. */
export interface Coverage {
	/** A grant on the whole tenant: this person receives the tenant document (DESIGN.md, Documents). */
	readonly tenantWide: boolean;
	/** Is this node (or the customer it is) inside the grants? A node is covered by a grant on itself or an ancestor. */
	covers(nodeId: string): boolean;
}

/** The deepest ancestors a tree may have; a longer walk means a cycle the resolution did not remove (never trusted). */
const MAX_DEPTH = 64;

export function coverage(grants: readonly Grant[], tree: AccessTree): Coverage {
	if (isTenantWide(grants)) return { tenantWide: true, covers: () => true };
	const nodes = new Set<string>();
	const customers = new Set<string>();
	const groups = new Set<string>();
	for (const grant of grants) {
		if (grant.scope === 'node') nodes.add(grant.id);
		else if (grant.scope === 'customer') customers.add(grant.id);
		else if (grant.scope === 'group') groups.add(grant.id);
	}
	const memo = new Map<string, boolean>();
	function covers(nodeId: string): boolean {
		const known = memo.get(nodeId);
		if (known !== undefined) return known;
		let result = false;
		let current: string | null | undefined = nodeId;
		for (let depth = 0; current !== null && current !== undefined && depth < MAX_DEPTH; depth++) {
			if (nodes.has(current) || customers.has(current)) {
				result = true;
				break;
			}
			if (tree.kindOf(current) === 'customer' && tree.groupsOf(current).some((group) => groups.has(group))) {
				result = true;
				break;
			}
			current = tree.parentOf(current);
		}
		memo.set(nodeId, result);
		return result;
	}
	return { tenantWide: false, covers };
}

/** The person an access question is about. */
export interface AccessSubject {
	readonly role: Role;
	readonly grants: readonly Grant[];
}

/** What is asked about: the tenant as a whole, or one node of the tree (a customer, a site, an MSP). */
export type AccessTarget = { readonly tenant: true } | { readonly nodeId: string };

export type AccessAction = 'read' | Permission;

/**
 * The one question: may `subject` do `action` on `target`? Reading needs the grant to cover the target; a change needs the
 * permission from the role too; tenant-wide permissions (users, settings, audit, billing, groups, the license sync) and
 * anything about the tenant as a whole need a tenant-wide grant.
 */
export function can(
	subject: AccessSubject,
	action: AccessAction,
	target: AccessTarget,
	tree: AccessTree,
	customRoles: ReadonlyMap<string, CustomRole> = new Map()
): boolean {
	const covered = coverage(subject.grants, tree);
	const inGrant = 'tenant' in target ? covered.tenantWide : covered.covers(target.nodeId);
	if (!inGrant) return false;
	if (action === 'read') return true;
	if (!permissionsOf(subject.role, customRoles).has(action)) return false;
	return !TENANT_PERMISSIONS.has(action) || covered.tenantWide;
}

/**
 * May a signed-in person (their permissions already resolved from the role) do a tenant-wide action (`users.manage`,
 * `audit.read`, `settings.edit`, …)? The role must grant it and the grant must be the whole tenant.
 */
export function hasTenantPermission(
	subject: { readonly permissions: readonly Permission[]; readonly grants: readonly Grant[] },
	permission: Permission
): boolean {
	return subject.permissions.includes(permission) && isTenantWide(subject.grants);
}

/** Permissions that change the tenant document (the tree, customers' profiles and sites, licenses, the tenant's name). */
const TENANT_DOC_WRITES: readonly Permission[] = [
	'tree.edit',
	'customers.edit',
	'licenses.edit',
	'settings.edit',
	// C5: customer groups live in the tenant document.
	'groups.manage',
	// P8: saved custom reports; P15: billing profiles and which customers they bill.
	'reports.edit',
	'billing.edit'
];
/** Permissions that change a customer document (contacts, notes, services; service requests). */
const CUSTOMER_DOC_WRITES: readonly Permission[] = ['customers.edit', 'serviceRequests.edit'];

/**
 * S8, P16: may a person with `permissions` change something in a document of `kind` they may read? (What exactly is checked
 * per record after an update is applied, with `permissionForRecord`.)
 */
export function writesDocument(permissions: readonly Permission[], kind: 'tenant' | 'customer'): boolean {
	const writes = kind === 'tenant' ? TENANT_DOC_WRITES : CUSTOMER_DOC_WRITES;
	return writes.some((permission) => permissions.includes(permission));
}

/**
 * Records only the server writes: summaries (tenant document), jobs, job days and backup requests (customer documents),
 * all from integrations. No role may change them; the relay undoes a client's write (S21).
 */
export const SERVER_ONLY_ITEM_TYPES: ReadonlySet<string> = new Set([
	'customerSummary',
	'job',
	'jobDay',
	'backupRequest'
]);

/** The permission a change of a tenant-document record needs (S21's item types), given what the record is. */
export function permissionForRecord(
	itemType: string,
	node: {
		readonly kind: NodeKind | undefined;
		readonly created: boolean;
		readonly deleted: boolean;
		readonly moved: boolean;
	} | null
): Permission {
	switch (itemType) {
		case 'treeNode':
			// A customer's profile and its sites are customer work (Help Desk); adding, removing or moving the MSP
			// structure and customers themselves is the tree's.
			if (node === null || node.moved) return 'tree.edit';
			if (node.kind === 'site') return 'customers.edit';
			if (node.kind === 'customer' && !node.created && !node.deleted) return 'customers.edit';
			return 'tree.edit';
		case 'licensePool':
		case 'licenseAccount':
		case 'license':
		case 'licenseTag': // L4: a license's tag edited by hand.
			return 'licenses.edit';
		case 'contact':
		case 'note':
		case 'service':
			return 'customers.edit';
		case 'serviceRequest':
		case 'requestNote':
			return 'serviceRequests.edit';
		case 'customerGroup': // C5: groups themselves; a customer's membership is a field of its node (customers.edit).
			return 'groups.manage';
		case 'smartTag': // P10: a smart tag's colour and name in the tag registry.
			return 'customers.edit';
		case 'savedReport': // P8: a custom report saved in the tenant.
			return 'reports.edit';
		case 'billingProfile': // P15: a billing profile, and which profile bills a customer.
		case 'billingAssignment':
			return 'billing.edit';
		// 'insightRule' (P11) and 'meta' fall through: tenant settings.
		default:
			return 'settings.edit';
	}
}
