// H6, C5: the tenant document's tree (and its customer groups) as the access module reads it, rebuilt only after the document changed.
import type * as Y from 'yjs';
import type { AccessTree } from '../domain/access';
import { TenantRepository } from './tenant-repository';

const cache = new WeakMap<Y.Doc, AccessTree>();

/** The resolved tree (H7) of a tenant document; cached per document until its next update. */
export function accessTreeOf(doc: Y.Doc): AccessTree {
	const cached = cache.get(doc);
	if (cached) return cached;
	const repo = new TenantRepository(doc);
	const view = repo.view();
	// C5: a grant on a customer group covers the customers that belong to it; a deleted group covers nobody.
	const groups = new Set(repo.groups().map((group) => group.id));
	const tree: AccessTree = {
		parentOf: (id) => (view.nodes.has(id) ? (view.parentOf.get(id) ?? null) : undefined),
		kindOf: (id) => view.nodes.get(id)?.kind,
		groupsOf: (id) => (view.nodes.get(id)?.groups ?? []).filter((group) => groups.has(group))
	};
	cache.set(doc, tree);
	doc.once('update', () => cache.delete(doc));
	return tree;
}
