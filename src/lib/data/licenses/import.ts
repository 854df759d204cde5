// L1-L4, L6-L8, L10, L12: imports (or synchronizes) a vendor account into a tenant document: the pure plan of
// src/lib/domain/license-plan.ts over what the document holds, written in one transaction. An empty plan writes nothing.
import type * as Y from 'yjs';
import { isEmptyPlan, planLicenseImport, type HeldNode, type Holdings, type ImportPlan, type PlanOutcome } from '../../domain/license-plan';
import type { LicenseExport } from '../../schema/license-export';
import type { ConnectorKind } from '../../schema/licenses';
import { TenantRepository } from '../tenant-repository';

/** What the tenant holds now, as the plan reads it. */
export function holdingsOf(repo: TenantRepository): Holdings {
	const view = repo.view();
	const nodes = new Map<string, HeldNode>();
	for (const [id, node] of view.nodes)
		nodes.set(id, {
			id,
			kind: node.kind,
			name: node.name,
			parentId: view.parentOf.get(id) ?? null,
			...(node.country !== undefined ? { country: node.country } : {}),
			...(node.vendorRef ? { vendorRef: node.vendorRef } : {})
		});
	return {
		tenantName: repo.tenantName,
		nodes,
		accounts: repo.accounts(),
		pools: repo.pools(),
		licenses: repo.licenseRecords()
	};
}

/** Writes a plan (one transaction). */
export function writeImportPlan(repo: TenantRepository, doc: Y.Doc, plan: ImportPlan): void {
	if (isEmptyPlan(plan)) return;
	doc.transact(() => {
		repo.createNodes(
			plan.newNodes.map((node) => ({
				id: node.id,
				kind: node.kind,
				name: node.name,
				parentId: node.parentId,
				...(node.country ? { country: node.country } : {}),
				...(node.vendorRef ? { vendorRef: node.vendorRef } : {})
			}))
		);
		for (const update of plan.nodeUpdates) {
			// C7: an unlinked customer (and its sites) keeps its name and country for history.
			const unlinked = repo.isUnlinked(update.id);
			if (update.name !== undefined && !unlinked) repo.rename(update.id, update.name);
			if (update.country !== undefined && !unlinked) repo.updateProfile(update.id, { country: update.country });
			if (update.vendorRef !== undefined) repo.linkVendor(update.id, update.vendorRef);
		}
		repo.putLicenseData({
			...(plan.account ? { accounts: [plan.account] } : {}),
			pools: [...plan.newPools],
			licenses: plan.licenses
		});
	});
}

export interface ImportOptions {
	readonly newId?: () => string;
	readonly connector?: ConnectorKind;
}

/** Plans and writes an import into `doc`; refused imports change nothing. */
export function importLicenses(doc: Y.Doc, data: LicenseExport, options: ImportOptions = {}): PlanOutcome {
	const newId = options.newId ?? (() => crypto.randomUUID());
	const repo = new TenantRepository(doc, { newId });
	const outcome = planLicenseImport(holdingsOf(repo), data, { newId, ...(options.connector ? { connector: options.connector } : {}) });
	if (outcome.ok) writeImportPlan(repo, doc, outcome.plan);
	return outcome;
}
