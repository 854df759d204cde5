// H6, C5: the access tree of a tenant document: group grants cover the customers that belong to an existing group.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { coverage } from '../domain/access';
import { accessTreeOf } from './access-tree';
import { TenantRepository } from './tenant-repository';

describe('accessTreeOf', () => {
	it('C5: a group grant covers its member customers (and their sites) and nobody else; a deleted group covers nobody', () => {
		const doc = new Y.Doc();
		let n = 0;
		const repo = new TenantRepository(doc, { newId: () => `n${++n}` });
		const msp = repo.createNode({ kind: 'msp', name: 'Alpen IT', parentId: null });
		const member = repo.createNode({ kind: 'customer', name: 'Huber', parentId: msp });
		const site = repo.createNode({ kind: 'site', name: 'Linz', parentId: member });
		const other = repo.createNode({ kind: 'customer', name: 'Moser', parentId: msp });
		const gold = repo.putGroup({ name: 'Gold' });
		repo.setCustomerGroups(member, [gold]);

		const grants = [{ scope: 'group' as const, id: gold }];
		let covered = coverage(grants, accessTreeOf(doc));
		expect([member, site, other, msp].map((id) => covered.covers(id))).toEqual([true, true, false, false]);
		expect(accessTreeOf(doc).groupsOf(member)).toEqual([gold]);

		// The tree is read again after the document changed.
		repo.setCustomerGroups(other, [gold]);
		covered = coverage(grants, accessTreeOf(doc));
		expect(covered.covers(other)).toBe(true);

		// An unlinked customer keeps its memberships (C7) even when the group goes: the grant still covers nobody.
		repo.setStatus(member, 'unlinked');
		repo.deleteGroup(gold);
		expect(repo.node(member)?.groups).toEqual([gold]);
		covered = coverage(grants, accessTreeOf(doc));
		expect([member, site, other].map((id) => covered.covers(id))).toEqual([false, false, false]);
	});
});
