// Random edits of every kind, made through the app's repositories on one peer's replicas: tree moves, profiles, groups,
// tags, license tags (TenantRepository), contacts, notes, services and requests (CustomerRepository), and license
// commands the server applies (S65). Every edit is one a tenant-wide admin may make, so the relay must keep all of them.
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../src/lib/domain/errors';
import { childKindsFor, isPlacementAllowed } from '../../src/lib/domain/tree';
import type { CustomerRepository } from '../../src/lib/data/customer-repository';
import type { TenantRepository } from '../../src/lib/data/tenant-repository';
import { SERVICE_KINDS, REQUEST_STATUSES } from '../../src/lib/schema/customer';
import type { Command, CommandInput } from '../../src/lib/schema/commands';
import type { NodeKind, NodeProfilePatch } from '../../src/lib/schema/tree';

export type Random = () => number;

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const sorted = (ids: Iterable<string>): string[] => [...ids].sort();
const subset = <T>(random: Random, items: readonly T[]): T[] => items.filter(() => random() < 0.4);

/** What the final check compares with: every id any peer created or deleted. */
export interface Ledger {
	readonly nodesCreated: Set<string>;
	readonly nodesDeleted: Set<string>;
	readonly contactsCreated: Map<string, string>;
	readonly contactsDeleted: Set<string>;
	readonly notes: Map<string, string>;
	readonly requestNotes: Map<string, string>;
	/** Customers whose documents the peers hold open: never deleted, or their sockets would be refused. */
	readonly protectedNodes: ReadonlySet<string>;
}

export interface EditContext {
	readonly random: Random;
	readonly tenant: TenantRepository;
	/** The customer documents' repositories of this peer, by customer document name. */
	readonly customers: ReadonlyMap<string, CustomerRepository>;
	readonly ledger: Ledger;
	readonly author: string;
	readonly label: string;
	/** A license command, applied by the server (S65). */
	command(command: Command): Promise<'applied' | 'refused'>;
}

/** What an edit did: written (a change the relay must keep), refused locally (a rule said no), or nothing to do. */
export type EditOutcome = 'written' | 'refusedLocally' | 'skipped' | 'commandApplied' | 'commandRefused';

type Edit = (ctx: EditContext) => EditOutcome | Promise<EditOutcome>;

const COUNTRIES = ['DE', 'ES', 'PL', 'IT', 'AT', 'FR'] as const;
const TAGS = ['vip', 'backup', 'eu', 'new', 'audit'] as const;

function nodeIds(ctx: EditContext, kind?: NodeKind): string[] {
	const { nodes } = ctx.tenant.view();
	return sorted([...nodes.values()].filter((n) => kind === undefined || n.kind === kind).map((n) => n.id));
}

const createNode: Edit = (ctx) => {
	const { nodes } = ctx.tenant.view();
	const parentId = pick(ctx.random, [null, ...sorted(nodes.keys())]);
	const kinds = childKindsFor(parentId === null ? null : nodes.get(parentId)!.kind);
	if (kinds.length === 0) return 'skipped';
	const id = ctx.tenant.createNode({ kind: pick(ctx.random, kinds), name: `${ctx.label} node`, parentId });
	ctx.ledger.nodesCreated.add(id);
	return 'written';
};

const move: Edit = (ctx) => {
	const { nodes } = ctx.tenant.view();
	const ids = sorted(nodes.keys());
	if (ids.length === 0) return 'skipped';
	const node = nodes.get(pick(ctx.random, ids))!;
	const parents = [null, ...ids].filter(
		(p) => p !== node.id && isPlacementAllowed(node.kind, p === null ? null : nodes.get(p)!.kind)
	);
	ctx.tenant.move(node.id, pick(ctx.random, parents));
	return 'written';
};

const rename: Edit = (ctx) => {
	const ids = nodeIds(ctx);
	if (ids.length === 0) return 'skipped';
	ctx.tenant.rename(pick(ctx.random, ids), `${ctx.label} renamed`);
	return 'written';
};

const profile: Edit = (ctx) => {
	const ids = nodeIds(ctx);
	if (ids.length === 0) return 'skipped';
	const r = ctx.random;
	const patch: NodeProfilePatch = {};
	if (r() < 0.5) patch.country = pick(r, COUNTRIES);
	if (r() < 0.5) patch.address = `${ctx.label} street`;
	if (r() < 0.4)
		patch.contact = { name: `${ctx.label} admin`, email: `admin-${Math.floor(r() * 100)}@fuzz.example`, phone: '' };
	if (r() < 0.3) patch.partnerAssistance = r() < 0.5;
	ctx.tenant.updateProfile(pick(r, ids), patch);
	return 'written';
};

const status: Edit = (ctx) => {
	const ids = nodeIds(ctx, 'customer');
	if (ids.length === 0) return 'skipped';
	// Not `unlinked`: C7 makes it read-only for good, so later edits of it would be refused, not fuzzed.
	ctx.tenant.setStatus(pick(ctx.random, ids), pick(ctx.random, ['notSetUp', 'normal'] as const));
	return 'written';
};

const tags: Edit = (ctx) => {
	const ids = nodeIds(ctx, 'customer');
	if (ids.length === 0) return 'skipped';
	ctx.tenant.setTags(pick(ctx.random, ids), subset(ctx.random, TAGS));
	return 'written';
};

const remove: Edit = (ctx) => {
	const ids = nodeIds(ctx);
	if (ids.length === 0) return 'skipped';
	const id = pick(ctx.random, ids);
	if (ctx.tenant.subtree(id).some((n) => ctx.ledger.protectedNodes.has(n.id))) return 'skipped';
	for (const gone of ctx.tenant.remove(id)) ctx.ledger.nodesDeleted.add(gone);
	return 'written';
};

const group: Edit = (ctx) => {
	const groups = ctx.tenant.groups();
	const customers = nodeIds(ctx, 'customer');
	if (groups.length === 0 || customers.length === 0 || ctx.random() < 0.3) {
		ctx.tenant.putGroup({ name: `${ctx.label} group` });
		return 'written';
	}
	const chosen = subset(ctx.random, sorted(groups.map((g) => g.id)));
	ctx.tenant.setCustomerGroups(pick(ctx.random, customers), chosen);
	return 'written';
};

const licenseTag: Edit = (ctx) => {
	const licenses = sorted(ctx.tenant.licenses().map((l) => l.id));
	if (licenses.length === 0) return 'skipped';
	ctx.tenant.setLicenseTag(pick(ctx.random, licenses), `${ctx.label} tag`);
	return 'written';
};

const licenseCommand: Edit = async (ctx) => {
	const licenses = [...ctx.tenant.licenses()].sort((a, b) => a.id.localeCompare(b.id));
	if (licenses.length === 0) return 'skipped';
	const license = pick(ctx.random, licenses);
	const r = ctx.random();
	const input: CommandInput =
		r < 0.25
			? { type: 'license.extendTrial', licenseId: license.id }
			: r < 0.45
				? { type: 'licenses.suspendCompany', companyId: license.ownerId, suspended: ctx.random() < 0.5 }
				: r < 0.65
					? { type: 'license.setTag', licenseId: license.id, tag: `${ctx.label} command tag` }
					: r < 0.8
						? { type: 'license.convertTrial', licenseId: license.id, units: 1 }
						: { type: 'licensePool.move', poolId: license.poolId, groupId: pick(ctx.random, nodeIds(ctx)) };
	const result = await ctx.command({ ...input, id: randomUUID(), at: new Date().toISOString() } as Command);
	return result === 'applied' ? 'commandApplied' : 'commandRefused';
};

function customerOf(ctx: EditContext): CustomerRepository {
	return ctx.customers.get(pick(ctx.random, sorted(ctx.customers.keys())))!;
}

const contact: Edit = (ctx) => {
	const repo = customerOf(ctx);
	const ids = sorted(repo.contacts().map((c) => c.id));
	const r = ctx.random();
	const input = { name: `${ctx.label} contact`, role: 'IT', email: '', phone: `+34 ${Math.floor(r * 1000)}` };
	if (ids.length === 0 || r < 0.45) {
		ctx.ledger.contactsCreated.set(repo.addContact(input), ctx.label);
	} else if (r < 0.9) {
		repo.updateContact(pick(ctx.random, ids), input);
	} else {
		const id = pick(ctx.random, ids);
		repo.removeContact(id);
		ctx.ledger.contactsDeleted.add(id);
	}
	return 'written';
};

const note: Edit = (ctx) => {
	ctx.ledger.notes.set(customerOf(ctx).addNote(`${ctx.label} note`, ctx.author), ctx.label);
	return 'written';
};

const service: Edit = (ctx) => {
	const repo = customerOf(ctx);
	const services = repo.services();
	if (services.length === 0 || ctx.random() < 0.3) {
		repo.addService(pick(ctx.random, SERVICE_KINDS));
		return 'written';
	}
	const one = pick(
		ctx.random,
		[...services].sort((a, b) => a.id.localeCompare(b.id))
	);
	repo.setServiceStatus(one.id, one.status === 'active' ? 'paused' : 'active');
	return 'written';
};

const request: Edit = (ctx) => {
	const repo = customerOf(ctx);
	const requests = sorted(repo.serviceRequests().map((s) => s.id));
	const r = ctx.random();
	if (requests.length === 0 || r < 0.35) {
		repo.createServiceRequest({ subject: `${ctx.label} request`, details: 'fuzz' }, ctx.author);
	} else if (r < 0.65) {
		repo.setRequestStatus(pick(ctx.random, requests), pick(ctx.random, REQUEST_STATUSES));
	} else {
		const id = repo.addRequestNote(pick(ctx.random, requests), `${ctx.label} request note`, ctx.author);
		ctx.ledger.requestNotes.set(id, ctx.label);
	}
	return 'written';
};

/** Weighted: tree moves most, since concurrent moves are where a node could get lost (H7). */
const EDITS: ReadonlyArray<readonly [number, Edit]> = [
	[8, createNode],
	[12, move],
	[5, rename],
	[6, profile],
	[3, status],
	[3, tags],
	[2, remove],
	[3, group],
	[3, licenseTag],
	[4, licenseCommand],
	[8, contact],
	[6, note],
	[3, service],
	[5, request]
];
const TOTAL = EDITS.reduce((sum, [weight]) => sum + weight, 0);

/** One random edit on `ctx`'s peer. A rule of the app that refuses it (a DomainError) is no failure: the peer's view said no. */
export async function randomEdit(ctx: EditContext): Promise<EditOutcome> {
	let roll = ctx.random() * TOTAL;
	const edit = EDITS.find(([weight]) => (roll -= weight) < 0)?.[1] ?? EDITS[0]![1];
	try {
		return await edit(ctx);
	} catch (error) {
		if (error instanceof DomainError) return 'refusedLocally';
		throw error;
	}
}
