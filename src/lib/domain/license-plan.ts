// L1-L4, L6-L8, L10, L12: what importing (or synchronizing) one vendor account changes in a tenant, as a pure plan over
// what the tenant holds now. The data layer writes the plan in one transaction; an empty plan writes nothing.
import type { License, LicenseAccount, LicensePool, ConnectorKind } from '../schema/licenses';
import { IMPORTABLE_ACCOUNT_KINDS } from '../schema/licenses';
import type { ImportErrorCode, ImportIssue, LicenseExport, VendorCompany } from '../schema/license-export';
import type { NodeKind } from '../schema/tree';
import { isPlacementAllowed } from './tree';

/** A tree node as the plan needs it. */
export interface HeldNode {
	readonly id: string;
	readonly kind: NodeKind;
	readonly name: string;
	readonly parentId: string | null;
	readonly country?: string | null;
	readonly vendorRef?: string;
}

/** What the tenant holds now. `licenses` are the stored records (the tag as imported, not a hand-edited one). */
export interface Holdings {
	readonly tenantName: string | null;
	readonly nodes: ReadonlyMap<string, HeldNode>;
	readonly accounts: readonly LicenseAccount[];
	readonly pools: readonly LicensePool[];
	readonly licenses: readonly License[];
}

export interface NewNode {
	readonly id: string;
	readonly kind: NodeKind;
	readonly name: string;
	readonly parentId: string | null;
	readonly country: string | null;
	readonly vendorRef?: string;
}

export interface NodeUpdate {
	readonly id: string;
	readonly name?: string;
	readonly country?: string | null;
	readonly vendorRef?: string;
}

export interface ImportSummary {
	readonly accountId: string;
	readonly added: number;
	readonly changed: number;
	readonly removed: number;
	readonly companiesAdded: number;
}

export interface ImportPlan {
	/** The account record to write, or null when it is unchanged. */
	readonly account: LicenseAccount | null;
	/** Parents before children. */
	readonly newNodes: readonly NewNode[];
	readonly nodeUpdates: readonly NodeUpdate[];
	readonly newPools: readonly LicensePool[];
	/** New and changed licenses, whole. */
	readonly licenses: readonly License[];
	readonly summary: ImportSummary;
}

export type PlanOutcome =
	| { readonly ok: true; readonly plan: ImportPlan }
	| {
			readonly ok: false;
			readonly code: ImportErrorCode;
			readonly message: string;
			readonly details: readonly ImportIssue[];
	  };

export interface PlanOptions {
	readonly newId: () => string;
	readonly connector?: ConnectorKind;
}

const MSP_KINDS: readonly NodeKind[] = ['msp', 'mspManager', 'managedMsp'];
export const companyRef = (id: string): string => `company:${id}`;
export const siteRef = (id: string): string => `site:${id}`;

/** True when nothing would change. */
export function isEmptyPlan(plan: ImportPlan): boolean {
	return (
		plan.account === null &&
		plan.newNodes.length === 0 &&
		plan.nodeUpdates.length === 0 &&
		plan.newPools.length === 0 &&
		plan.licenses.length === 0
	);
}

/** L1, L2: why an account cannot be imported at all, or null. */
export function accountRefusal(data: LicenseExport): { code: ImportErrorCode; message: string } | null {
	if (!IMPORTABLE_ACCOUNT_KINDS.includes(data.account.kind))
		return {
			code: 'distributor_account',
			message: `"${data.account.name}" is a distributor account; License management imports MSP, Managed MSP, MSP Manager and business accounts (L1)`
		};
	if (!data.companies.some((company) => company.access !== 'none'))
		return {
			code: 'no_readable_company',
			message: `the account "${data.account.name}" cannot read any company; it needs read access to at least one (its own or a customer) (L2)`
		};
	return null;
}

/**
 * The tenant's own node: where a business account's companies, and an MSP account's top company when it cannot sit at the
 * root, are placed. An MSP-type node named like the tenant; otherwise the only MSP-type node at the root.
 */
export function ownNode(holdings: Holdings): HeldNode | null {
	const name = holdings.tenantName?.trim().toLocaleLowerCase();
	const candidates = [...holdings.nodes.values()].filter((node) => MSP_KINDS.includes(node.kind));
	const named = name ? candidates.filter((node) => node.name.trim().toLocaleLowerCase() === name) : [];
	if (named.length > 0) return named.sort((a, b) => (a.id < b.id ? -1 : 1))[0]!;
	const roots = candidates.filter((node) => node.parentId === null);
	return roots.length === 1 ? roots[0]! : null;
}

export function planLicenseImport(holdings: Holdings, data: LicenseExport, options: PlanOptions): PlanOutcome {
	const refusal = accountRefusal(data);
	if (refusal) return { ok: false, ...refusal, details: [] };

	const { account } = data;
	const mspAccount = account.kind !== 'business';
	const issues: ImportIssue[] = [];

	// The account record: written when new or when the vendor's name, login or kind (or the connector) changed.
	const before = holdings.accounts.find((a) => a.id === account.id);
	const nextAccount: LicenseAccount = {
		id: account.id,
		kind: account.kind,
		name: account.name,
		login: account.login,
		...((options.connector ?? before?.connector) ? { connector: options.connector ?? before?.connector } : {})
	};
	const accountChanged =
		!before ||
		before.kind !== nextAccount.kind ||
		before.name !== nextAccount.name ||
		before.login !== nextAccount.login ||
		before.connector !== nextAccount.connector;

	// Nodes by vendor reference, and the tenant's own node.
	const byRef = new Map<string, HeldNode>();
	for (const node of holdings.nodes.values())
		if (node.vendorRef && !byRef.has(node.vendorRef)) byRef.set(node.vendorRef, node);
	const kindOf = new Map<string, NodeKind>([...holdings.nodes.values()].map((node) => [node.id, node.kind]));
	let own = ownNode(holdings);

	const newNodes: NewNode[] = [];
	const nodeUpdates: NodeUpdate[] = [];
	const companyNode = new Map<string, string>();
	const siteNode = new Map<string, string>();
	const companies = new Map(data.companies.map((company) => [company.id, company]));

	const addNode = (node: Omit<NewNode, 'id'>): string => {
		const id = options.newId();
		newNodes.push({ id, ...node });
		kindOf.set(id, node.kind);
		return id;
	};
	/** Where the tenant's own node is, created (an MSP named like the tenant) when there is none. */
	const ownNodeId = (): string => {
		if (own) return own.id;
		const name = holdings.tenantName?.trim() || account.name.slice(0, 120);
		const id = addNode({ kind: 'msp', name, parentId: null, country: null });
		own = { id, kind: 'msp', name, parentId: null };
		return id;
	};

	/** The node of a company (created or updated), or null for a distributor, which is never part of the tree. */
	const placeCompany = (company: VendorCompany, index: number, visiting: Set<string>): string | null => {
		if (company.kind === 'distributor') return null;
		const known = companyNode.get(company.id);
		if (known) return known;
		const existing = byRef.get(companyRef(company.id));
		if (existing) {
			const update: { id: string; name?: string; country?: string | null } = { id: existing.id };
			if (existing.name !== company.name) update.name = company.name;
			if (company.country !== null && existing.country !== company.country) update.country = company.country;
			if (update.name !== undefined || update.country !== undefined) nodeUpdates.push(update);
			companyNode.set(company.id, existing.id);
			return existing.id;
		}
		if (visiting.has(company.id)) {
			issues.push({ where: `companies[${index}].parentId`, message: `company "${company.name}" is its own ancestor` });
			return null;
		}
		visiting.add(company.id);
		const parentCompany = company.parentId === null ? undefined : companies.get(company.parentId);
		const parentId = parentCompany
			? placeCompany(parentCompany, data.companies.indexOf(parentCompany), visiting)
			: null;
		let id: string | null = null;
		if (parentId !== null) {
			id = tryPlace(company, parentId, index);
		} else if (MSP_KINDS.includes(company.kind)) {
			// The account's own company: the tenant's own node when it is of the same kind (L6's "under the tenant").
			if (own && own.kind === company.kind && !own.vendorRef) {
				nodeUpdates.push({ id: own.id, vendorRef: companyRef(company.id) });
				id = own.id;
			} else if (isPlacementAllowed(company.kind, null)) {
				id = addNode({
					kind: company.kind,
					name: company.name,
					parentId: null,
					country: company.country,
					vendorRef: companyRef(company.id)
				});
				own ??= { id, kind: company.kind, name: company.name, parentId: null };
			} else id = tryPlace(company, ownNodeId(), index);
		} else {
			id = tryPlace(company, ownNodeId(), index);
		}
		if (id !== null) companyNode.set(company.id, id);
		return id;
	};

	const tryPlace = (company: VendorCompany, parentId: string, index: number): string | null => {
		const parentKind = kindOf.get(parentId) ?? null;
		if (!isPlacementAllowed(company.kind, parentKind)) {
			issues.push({
				where: `companies[${index}]`,
				message: `company "${company.name}" (${company.kind}) cannot be placed under a ${parentKind ?? 'root'} (H2)`
			});
			return null;
		}
		return addNode({
			kind: company.kind,
			name: company.name,
			parentId,
			country: company.country,
			vendorRef: companyRef(company.id)
		});
	};

	data.companies.forEach((company, index) => placeCompany(company, index, new Set()));

	// Sites of business accounts (and of any company that lists them) become site nodes under the company (L10).
	data.companies.forEach((company) => {
		const parentId = companyNode.get(company.id);
		if (!parentId) return;
		for (const site of company.sites) {
			const existing = byRef.get(siteRef(site.id));
			if (existing) {
				if (existing.name !== site.name) nodeUpdates.push({ id: existing.id, name: site.name });
				siteNode.set(site.id, existing.id);
			} else if (kindOf.get(parentId) === 'customer') {
				siteNode.set(
					site.id,
					addNode({ kind: 'site', name: site.name, parentId, country: null, vendorRef: siteRef(site.id) })
				);
			}
		}
	});

	if (issues.length > 0)
		return { ok: false, code: 'invalid_import', message: 'the account cannot be placed in the tree', details: issues };

	// Pools: one per company (MSP-type accounts) or per site (business accounts), found by reference wherever they are now (L8).
	const poolsByRef = new Map<string, LicensePool>();
	for (const pool of holdings.pools)
		if (pool.accountId === account.id && pool.vendorRef) poolsByRef.set(pool.vendorRef, pool);
	const newPools: LicensePool[] = [];
	const poolFor = (companyId: string, siteId: string | null): LicensePool => {
		const company = companies.get(companyId)!;
		const bySite = !mspAccount && siteId !== null;
		const ref = bySite ? siteRef(siteId) : companyRef(companyId);
		const found = poolsByRef.get(ref);
		if (found) return found;
		const site = bySite ? company.sites.find((s) => s.id === siteId) : undefined;
		const groupId = (bySite ? siteNode.get(siteId) : undefined) ?? companyNode.get(companyId) ?? ownNodeId();
		const pool: LicensePool = {
			id: options.newId(),
			name: (site ? `${company.name} – ${site.name}` : company.name).slice(0, 200),
			accountId: account.id,
			groupId,
			vendorRef: ref
		};
		poolsByRef.set(ref, pool);
		newPools.push(pool);
		return pool;
	};

	const accountPools = new Set(holdings.pools.filter((pool) => pool.accountId === account.id).map((pool) => pool.id));
	const held = new Map<string, License>();
	for (const license of holdings.licenses) if (accountPools.has(license.poolId)) held.set(license.publicId, license);

	const writes: License[] = [];
	let added = 0;
	let changed = 0;
	let removed = 0;
	const listed = new Set<string>();
	for (const vendor of data.licenses) {
		listed.add(vendor.publicId);
		const company = companies.get(vendor.companyId)!;
		const ownerId = companyNode.get(company.id) ?? ownNodeId();
		const existing = held.get(vendor.publicId);
		if (existing) {
			// L15: a trial extended in the portal keeps the later of the two expiries.
			const expiresOn =
				existing.extensions > 0 && existing.expiresOn > vendor.expiresOn ? existing.expiresOn : vendor.expiresOn;
			const next: License = {
				...existing,
				product: vendor.product,
				type: vendor.type,
				unitsOrdered: vendor.unitsOrdered,
				unitsActivated: vendor.unitsActivated,
				expiresOn,
				suspended: vendor.suspended,
				ownerId,
				removed: false
			};
			if (!sameLicense(existing, next)) {
				writes.push(next);
				changed++;
			}
			continue;
		}
		const pool = poolFor(vendor.companyId, vendor.siteId);
		writes.push({
			id: options.newId(),
			publicId: vendor.publicId,
			poolId: pool.id,
			product: vendor.product,
			type: vendor.type,
			unitsOrdered: vendor.unitsOrdered,
			unitsActivated: vendor.unitsActivated,
			expiresOn: vendor.expiresOn,
			suspended: vendor.suspended,
			ownerId,
			// L3: licenses of MSP-type accounts are tagged with the company's name; never renamed later (L4).
			tag: mspAccount ? company.name.slice(0, 200) : '',
			removed: false,
			held: false,
			extensions: 0,
			convertedUnits: 0,
			origin: 'vendor'
		});
		added++;
	}
	for (const license of held.values()) {
		if (listed.has(license.publicId) || license.removed || license.origin === 'portal') continue;
		writes.push({ ...license, removed: true });
		removed++;
	}

	const companiesAdded = newNodes.filter((node) => node.kind !== 'site').length;
	return {
		ok: true,
		plan: {
			account: accountChanged ? nextAccount : null,
			newNodes,
			nodeUpdates,
			newPools,
			licenses: writes,
			summary: { accountId: account.id, added, changed, removed, companiesAdded }
		}
	};
}

function sameLicense(a: License, b: License): boolean {
	return (
		a.product === b.product &&
		a.type === b.type &&
		a.unitsOrdered === b.unitsOrdered &&
		a.unitsActivated === b.unitsActivated &&
		a.expiresOn === b.expiresOn &&
		a.suspended === b.suspended &&
		a.ownerId === b.ownerId &&
		a.removed === b.removed
	);
}
