// The access module on its own: role permissions (P16), grant coverage over the tree (H6), and can() (L5, P13).
import { describe, expect, it } from 'vitest';
import { can, coverage, permissionForRecord, permissionsOf, type AccessTree } from './access';
import type { CustomRole, Grant } from '../schema/access';
import type { NodeKind } from '../schema/tree';

/** distributor d1 > mspManager mm > managedMsp m1 > customer c1 > site s1; m1 > customer c2; root msp m2 > customer c3. */
const NODES: Record<string, { parent: string | null; kind: NodeKind; groups?: string[] }> = {
	d1: { parent: null, kind: 'distributor' },
	mm: { parent: 'd1', kind: 'mspManager' },
	m1: { parent: 'mm', kind: 'managedMsp' },
	c1: { parent: 'm1', kind: 'customer', groups: ['g-gold'] },
	s1: { parent: 'c1', kind: 'site' },
	c2: { parent: 'm1', kind: 'customer' },
	m2: { parent: null, kind: 'msp' },
	c3: { parent: 'm2', kind: 'customer', groups: ['g-gold', 'g-dach'] }
};
const tree: AccessTree = {
	parentOf: (id) => NODES[id]?.parent,
	kindOf: (id) => NODES[id]?.kind,
	groupsOf: (id) => NODES[id]?.groups ?? []
};
const covered = (grants: Grant[]) => {
	const c = coverage(grants, tree);
	return Object.keys(NODES).filter((id) => c.covers(id));
};

describe('access', () => {
	it('P16: each predefined role has its permissions; a custom role has what a Super Admin gave it', () => {
		expect([...permissionsOf('superAdmin')]).toContain('groups.manage');
		expect(permissionsOf('admin').has('groups.manage')).toBe(false);
		expect(permissionsOf('admin').has('users.manage')).toBe(true);
		expect([...permissionsOf('helpDesk')].sort()).toEqual(['customers.edit', 'reports.edit', 'serviceRequests.edit']);
		expect(permissionsOf('helpDesk').has('licenses.edit')).toBe(false);
		expect([...permissionsOf('readOnly')]).toEqual([]);
		expect([...permissionsOf('businessAdmin')].sort()).toEqual(['billing.edit', 'reports.edit']);
		const roles = new Map<string, CustomRole>([
			['noc', { id: 'noc', name: 'NOC', permissions: ['licenses.sync', 'audit.read'] }]
		]);
		expect([...permissionsOf('custom:noc', roles)].sort()).toEqual(['audit.read', 'licenses.sync']);
		expect([...permissionsOf('custom:gone', roles)]).toEqual([]);
	});

	it('H6: a grant on a node covers its subtree; customer and group grants cover those customers and their sites', () => {
		expect(covered([{ scope: 'node', id: 'mm' }])).toEqual(['mm', 'm1', 'c1', 's1', 'c2']);
		expect(covered([{ scope: 'customer', id: 'c1' }])).toEqual(['c1', 's1']);
		expect(covered([{ scope: 'group', id: 'g-gold' }])).toEqual(['c1', 's1', 'c3']);
		expect(covered([{ scope: 'group', id: 'g-none' }])).toEqual([]);
		expect(coverage([{ scope: 'tenant' }], tree).tenantWide).toBe(true);
		expect(coverage([{ scope: 'node', id: 'd1' }], tree).tenantWide).toBe(false);
		expect(covered([{ scope: 'customer', id: 'unknown' }])).toEqual([]);
	});

	it('L5: a customer user sees only that customer (and its site); everything else is refused', () => {
		const customerUser = { role: 'readOnly' as const, grants: [{ scope: 'customer' as const, id: 'c2' }] };
		expect(can(customerUser, 'read', { nodeId: 'c2' }, tree)).toBe(true);
		expect(can(customerUser, 'read', { nodeId: 'c1' }, tree)).toBe(false);
		expect(can(customerUser, 'read', { nodeId: 'm1' }, tree)).toBe(false);
		expect(can(customerUser, 'read', { tenant: true }, tree)).toBe(false);
		expect(can(customerUser, 'customers.edit', { nodeId: 'c2' }, tree)).toBe(false);
	});

	it('P13: tenant-wide permissions need a tenant-wide grant; node permissions need the node in the grant', () => {
		const scopedAdmin = { role: 'admin' as const, grants: [{ scope: 'node' as const, id: 'm1' }] };
		expect(can(scopedAdmin, 'tree.edit', { nodeId: 'c1' }, tree)).toBe(true);
		expect(can(scopedAdmin, 'tree.edit', { nodeId: 'c3' }, tree)).toBe(false);
		expect(can(scopedAdmin, 'users.manage', { tenant: true }, tree)).toBe(false);
		const admin = { role: 'admin' as const, grants: [{ scope: 'tenant' as const }] };
		expect(can(admin, 'users.manage', { tenant: true }, tree)).toBe(true);
		expect(can(admin, 'groups.manage', { tenant: true }, tree)).toBe(false);
		expect(can({ role: 'superAdmin', grants: [{ scope: 'tenant' }] }, 'groups.manage', { tenant: true }, tree)).toBe(
			true
		);
		const helpDesk = { role: 'helpDesk' as const, grants: [{ scope: 'group' as const, id: 'g-dach' }] };
		expect(can(helpDesk, 'customers.edit', { nodeId: 'c3' }, tree)).toBe(true);
		expect(can(helpDesk, 'licenses.edit', { nodeId: 'c3' }, tree)).toBe(false);
	});

	it('P16: the permission a record change needs: sites and customer profiles are customer work, structure is the tree', () => {
		const node = (kind: NodeKind, change: Partial<{ created: boolean; deleted: boolean; moved: boolean }> = {}) => ({
			kind,
			created: false,
			deleted: false,
			moved: false,
			...change
		});
		expect(permissionForRecord('treeNode', node('customer'))).toBe('customers.edit');
		expect(permissionForRecord('treeNode', node('customer', { created: true }))).toBe('tree.edit');
		expect(permissionForRecord('treeNode', node('customer', { moved: true }))).toBe('tree.edit');
		expect(permissionForRecord('treeNode', node('site', { created: true }))).toBe('customers.edit');
		expect(permissionForRecord('treeNode', node('msp'))).toBe('tree.edit');
		expect(permissionForRecord('license', null)).toBe('licenses.edit');
		expect(permissionForRecord('note', null)).toBe('customers.edit');
		expect(permissionForRecord('meta', null)).toBe('settings.edit');
	});
});
