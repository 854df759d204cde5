// H6, L5: the tenant document cut down to what a grant covers (built on the server), and written into a local document
// on the device so that the tree and customer screens read it like the tenant document itself.
import * as Y from 'yjs';
import { coverage } from '../domain/access';
import type { Grant } from '../schema/access';
import type { CustomerSummary } from '../schema/customer-summary';
import type { ScopedView } from '../schema/view';
import { MAX_INSIGHT_RULES } from '../schema/insights';
import { accessTreeOf } from './access-tree';
import { TenantRepository } from './tenant-repository';

/** The covered part of a tenant document for `grants` (the server answers it to a scoped person). */
export function buildScopedView(doc: Y.Doc, grants: readonly Grant[], at: Date): ScopedView {
	const repo = new TenantRepository(doc);
	const view = repo.view();
	const covered = coverage(grants, accessTreeOf(doc));
	const nodes = [...view.nodes.values()]
		.filter((node) => covered.covers(node.id))
		.map((node) => {
			const parent = view.parentOf.get(node.id) ?? null;
			// A covered node under a parent the person may not see is a root of their view.
			if (parent === null || covered.covers(parent)) return { ...node, placement: { ...node.placement, parent } };
			return { ...node, placement: { ...node.placement, parent: null, prev: null } };
		});
	const pools = repo.pools().filter((pool) => covered.covers(pool.groupId));
	const poolIds = new Set(pools.map((pool) => pool.id));
	const accountIds = new Set(pools.map((pool) => pool.accountId));
	const summaries: Record<string, CustomerSummary> = {};
	for (const [id, summary] of repo.summaries())
		if (covered.covers(id) && view.nodes.get(id)?.kind === 'customer') summaries[id] = summary;
	return {
		tenantName: repo.tenantName ?? '',
		nodes,
		accounts: repo.accounts().filter((account) => accountIds.has(account.id)),
		pools,
		licenses: repo.licenses().filter((license) => poolIds.has(license.poolId)),
		summaries,
		insightRules: repo.insightRuleRecords().slice(0, MAX_INSIGHT_RULES),
		// P8: the definitions only (no figures): each runs over this view on the device, so it covers the grant's part alone.
		savedReports: repo.savedReports(),
		at: at.toISOString()
	};
}

/** Transaction origin of a view written into the local document (not an edit of this device). */
export const VIEW_ORIGIN = 'scoped-view';

/** Replaces the content of a local (never synced) tenant document by `view`. */
export function writeScopedView(doc: Y.Doc, view: ScopedView): void {
	doc.transact(() => {
		// The view's licenses carry the tag people see; a tag an optimistic command wrote (S63) goes with the old view.
		for (const name of ['nodes', 'accounts', 'pools', 'licenses', 'licenseTags', 'customerSummaries', 'savedReports'] as const)
			doc.getMap(name).clear();
		const nodes = doc.getMap<Y.Map<unknown>>('nodes');
		for (const { id, ...fields } of view.nodes) {
			const record = new Y.Map<unknown>();
			nodes.set(id, record);
			for (const [field, value] of Object.entries(fields)) if (value !== undefined) record.set(field, value);
		}
		doc.getMap('meta').set('tenantName', view.tenantName);
		const repo = new TenantRepository(doc);
		repo.putLicenseData({ accounts: view.accounts, pools: view.pools, licenses: view.licenses });
		for (const [id, summary] of Object.entries(view.summaries ?? {})) repo.putSummary(id, summary);
		// P11: the rules name the findings on the device; the view is never synced, so they are written as they came.
		const rules = doc.getMap('insightRules');
		rules.clear();
		for (const rule of view.insightRules ?? []) rules.set(rule.id, rule);
		for (const report of view.savedReports ?? []) repo.putSavedReport(report);
	}, VIEW_ORIGIN);
}
