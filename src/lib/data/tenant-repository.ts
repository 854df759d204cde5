// Typed access to a tenant document: the MSP tree with profiles (H1-H7), and the license pools it holds.
// The only code that reads or writes the tenant's Y.Maps; screens and the server go through it.
import * as Y from 'yjs';
import {
	newNodeInputSchema,
	nodeNameSchema,
	nodeProfilePatchSchema,
	treeNodeSchema,
	customerStatusSchema,
	licensePoolSchema,
	licenseRecordSchema,
	fromLicenseRecord,
	toLicenseRecord,
	entityIdSchema,
	licenseAccountSchema,
	placementSchema,
	vendorRefSchema,
	type CustomerStatus,
	licenseTagSchema,
	type License,
	type LicenseInput,
	type LicenseAccount,
	type LicensePool,
	type NewNodeInput,
	type NodeProfilePatch,
	type Placement,
	type TreeNode
} from '../schema';
import { customerGroupSchema, smartTagSchema, smartTagsSchema, type CustomerGroup } from '../schema/tree';
import { smartTagRecordSchema, type SmartTagColour } from '../schema/smart-tags';
import { customerSummarySchema, type CustomerSummary } from '../schema/customer-summary';
import { MAX_INSIGHT_RULES, insightRuleSchema, type InsightRule } from '../schema/insights';
import { effectiveInsightRules } from '../domain/insights';
import {
	billingAssignmentSchema,
	billingProfileSchema,
	type BillingProfile,
	type BillingProfileInput
} from '../schema/billing';
import { REPORT_LIMITS, savedReportSchema, type SavedReport } from '../schema/reports';
import { DomainError } from '../domain/errors';
import {
	assertPlacementAllowed,
	childrenIndex,
	isInSubtree,
	nextMoveTimestamp,
	resolveTree,
	subtreeOf
} from '../domain/tree';
import type { AdminContact, NodeKind } from '../schema/tree';
import {
	parseFieldEdits,
	sameJson,
	watchConcurrentEdits,
	watchDeletedRecordEdits,
	type ChangeSources,
	type FieldConflict
} from './concurrent-edits';

const NODES = 'nodes';
const POOLS = 'pools';
const LICENSES = 'licenses';
const ACCOUNTS = 'accounts';
const LICENSE_TAGS = 'licenseTags';
const META = 'meta';
/** C5: customer groups, one plain record per group. */
const GROUPS = 'customerGroups';
/** P1, P2, P4, P5: what the server keeps per customer (written only by the server). */
const SUMMARIES = 'customerSummaries';
/** P11: the tenant's insight rules, one plain record per rule (a built-in's id overrides it). */
const INSIGHT_RULES = 'insightRules';
/** P10: the tag registry, tag name -> { colour }. */
const SMART_TAGS = 'smartTags';
/** P15: billing profiles, one plain record per profile. */
const BILLING_PROFILES = 'billingProfiles';
/** P15: which profile bills a customer: customer id -> profile id (one value per customer, so assignments merge). */
const BILLING_ASSIGNMENTS = 'billingAssignments';
/** P8: custom reports saved in the tenant, one plain record per report (reports.edit). */
const SAVED_REPORTS = 'savedReports';

/** The tree as a screen reads it: every valid node with its effective parent, children sorted by name. */
export interface TreeView {
	readonly nodes: ReadonlyMap<string, TreeNode>;
	readonly parentOf: ReadonlyMap<string, string | null>;
	readonly children: ReadonlyMap<string | null, readonly string[]>;
	/** Nodes shown elsewhere than their last move asked (H7 cycle or deleted parent). */
	readonly displaced: ReadonlySet<string>;
	/** Records that failed validation; kept in the document, left out of the view. */
	readonly invalid: readonly string[];
}

export type NodeRecordMap = Y.Map<unknown>;

/** F2: the node fields that hold the admin contact, one per part, so that each part merges on its own. */
const CONTACT_FIELDS = { name: 'contactName', email: 'contactEmail', phone: 'contactPhone' } as const;
const NO_CONTACT: AdminContact = { name: '', email: '', phone: '' };

/** How far up the tree C7 looks for an unlinked customer (H2 puts sites directly under customers; a crafted tree may be deeper). */
const MAX_DEPTH = 64;

/** The node fields a person edits (kind and createdAt never change). */
const NODE_FIELDS = treeNodeSchema.omit({ id: true, kind: true, createdAt: true }).shape;
const parseNodeEdits = (conflicts: readonly FieldConflict[]) => parseFieldEdits(NODE_FIELDS, conflicts);
/** F2 (S31): a node field that this device and another one set concurrently, with both values. */
export type NodeFieldEdit = ReturnType<typeof parseNodeEdits>[number];

/** F2: a node another device deleted while this device's edit of it was not confirmed yet (the edit is lost). */
export interface DeletedNodeEdit {
	readonly id: string;
	/** Its name just before the deletion, when it had a valid one. */
	readonly name: string | null;
}

export interface TenantRepositoryOptions {
	newId?: () => string;
	now?: () => Date;
	/** H2 by default. Tests of the H7 cycle resolution relax it, since H2's layered kinds alone never form a cycle. */
	assertPlacement?: (kind: NodeKind, parentKind: NodeKind | null) => void;
	/** A read-only user's replica: every write throws `access.readOnly` before touching the document (the relay refuses it anyway). */
	readOnly?: boolean;
}

export class TenantRepository {
	readonly #doc: Y.Doc;
	readonly #newId: () => string;
	readonly #now: () => Date;
	readonly #assertPlacement: (kind: NodeKind, parentKind: NodeKind | null) => void;
	readonly #readOnly: boolean;

	constructor(doc: Y.Doc, options: TenantRepositoryOptions = {}) {
		this.#doc = doc;
		this.#readOnly = options.readOnly ?? false;
		this.#newId = options.newId ?? (() => crypto.randomUUID());
		this.#now = options.now ?? (() => new Date());
		this.#assertPlacement = options.assertPlacement ?? assertPlacementAllowed;
	}

	get #nodes(): Y.Map<NodeRecordMap> {
		return this.#doc.getMap(NODES);
	}

	/** Calls `listener` after every change to the tree, the pools, the licenses or the tag registry; returns the unsubscribe. */
	observe(listener: () => void): () => void {
		const maps = [
			this.#nodes,
			this.#doc.getMap(POOLS),
			this.#doc.getMap(LICENSES),
			this.#doc.getMap(LICENSE_TAGS),
			this.#doc.getMap(ACCOUNTS),
			this.#doc.getMap(META),
			this.#doc.getMap(GROUPS),
			this.#doc.getMap(SUMMARIES),
			this.#doc.getMap(INSIGHT_RULES),
			this.#doc.getMap(SMART_TAGS),
			this.#doc.getMap(BILLING_PROFILES),
			this.#doc.getMap(BILLING_ASSIGNMENTS),
			this.#doc.getMap(SAVED_REPORTS)
		];
		for (const map of maps) map.observeDeep(listener);
		return () => {
			for (const map of maps) map.unobserveDeep(listener);
		};
	}

	/** F2 (S31): calls `listener` when a change from the relay and an edit made on this device set the same node field concurrently. */
	watchConcurrentEdits(sources: ChangeSources, listener: (edits: NodeFieldEdit[]) => void): () => void {
		return watchConcurrentEdits(this.#doc, this.#nodes, sources, (conflicts) => {
			const edits = parseNodeEdits(conflicts);
			if (edits.length > 0) listener(edits);
		});
	}

	/** F2: calls `listener` when a change from the relay deleted nodes that held an edit of this device not confirmed yet. */
	watchDeletedEdits(sources: ChangeSources, listener: (nodes: DeletedNodeEdit[]) => void): () => void {
		return watchDeletedRecordEdits(this.#doc, this.#nodes, sources, (records) =>
			listener(
				records.map(({ recordId, fields }) => {
					const name = nodeNameSchema.safeParse(fields.name);
					return { id: recordId, name: name.success ? name.data : null };
				})
			)
		);
	}

	get tenantName(): string | null {
		const name = this.#doc.getMap(META).get('tenantName');
		return typeof name === 'string' ? name : null;
	}

	setTenantName(name: string): void {
		this.#assertWritable();
		this.#doc.getMap(META).set('tenantName', nodeNameSchema.parse(name));
	}

	/** Ids of the customer nodes, without resolving the tree (the background catch-up lists them often, S28). */
	customerIds(): string[] {
		const ids: string[] = [];
		for (const [id, record] of this.#nodes)
			if (record instanceof Y.Map && record.get('kind') === 'customer' && entityIdSchema.safeParse(id).success)
				ids.push(id);
		return ids;
	}

	/** Reads one node record, or null when absent or invalid. */
	node(id: string): TreeNode | null {
		const record = this.#nodes.get(id);
		if (!(record instanceof Y.Map)) return null;
		const parsed = treeNodeSchema.safeParse({ id, ...record.toJSON() });
		return parsed.success ? withContact(parsed.data) : null;
	}

	/** C7: true when the node is an unlinked customer or lies under one: then it is read-only for good. */
	isUnlinked(id: string): boolean {
		return this.#unlinkedAncestor(id) !== null;
	}

	view(): TreeView {
		const nodes = new Map<string, TreeNode>();
		const invalid: string[] = [];
		for (const [id, record] of this.#nodes) {
			const parsed = record instanceof Y.Map ? treeNodeSchema.safeParse({ id, ...record.toJSON() }) : null;
			if (parsed?.success) nodes.set(id, withContact(parsed.data));
			else invalid.push(id);
		}
		const { parentOf, displaced } = resolveTree(nodes.values());
		const children = childrenIndex(parentOf, (id) => nodes.get(id)!.name.toLocaleLowerCase());
		return { nodes, parentOf, children, displaced, invalid };
	}

	/** H1, H2: creates a node under a parent that accepts its kind. Returns the new id. */
	createNode(input: NewNodeInput): string {
		this.#assertWritable();
		const parsed = newNodeInputSchema.safeParse(input);
		if (!parsed.success) throw new DomainError('tree.invalidInput', parsed.error.issues[0]?.message ?? 'invalid node');
		const { kind, name, parentId, ...profile } = parsed.data;
		// One record is read, not the whole view: bulk creation (an import, the demo seed) stays linear.
		const parent = parentId === null ? null : this.node(parentId);
		if (parentId !== null && parent === null) throw new DomainError('tree.parentNotFound', `no node ${parentId}`, { id: parentId });
		this.#assertPlacement(kind, parent?.kind ?? null);
		if (parentId !== null) this.#assertLinked(parentId);

		const id = this.#newId();
		const record = new Y.Map<unknown>();
		this.#doc.transact(() => {
			this.#nodes.set(id, record);
			record.set('kind', kind);
			record.set('name', name);
			record.set('placement', this.#placement(parentId, null));
			record.set('createdAt', this.#now().toISOString());
			if (kind === 'customer') record.set('status', profile.status ?? 'notSetUp');
			for (const [key, value] of Object.entries(profile)) {
				if (value !== undefined && key !== 'status') setProfileField(record, key, value);
			}
		});
		return id;
	}

	/**
	 * H1, H2, L6, L7: creates many nodes at once (an import), each with its own id, parents before children (a parent is an
	 * existing node or one earlier in the list). Linear: the move clock is read once. Nothing is written when one is refused.
	 */
	createNodes(inputs: readonly (NewNodeInput & { id: string })[]): void {
		this.#assertWritable();
		const kinds = new Map<string, NodeKind>();
		const parsed = inputs.map(({ id, ...input }) => {
			const result = newNodeInputSchema.safeParse(input);
			if (!result.success) throw new DomainError('tree.invalidInput', result.error.issues[0]?.message ?? 'invalid node');
			if (!entityIdSchema.safeParse(id).success || this.#nodes.has(id) || kinds.has(id))
				throw new DomainError('tree.invalidInput', `node id ${id} is taken or invalid`);
			const { parentId, kind } = result.data;
			const parentKind = parentId === null ? null : (kinds.get(parentId) ?? this.node(parentId)?.kind);
			if (parentKind === undefined) throw new DomainError('tree.parentNotFound', `no node ${parentId}`, { id: parentId ?? '' });
			this.#assertPlacement(kind, parentKind);
			if (parentId !== null && !kinds.has(parentId)) this.#assertLinked(parentId);
			kinds.set(id, kind);
			return { id, ...result.data };
		});
		let ts = nextMoveTimestamp(this.#placements());
		const createdAt = this.#now().toISOString();
		this.#doc.transact(() => {
			for (const { id, kind, name, parentId, status, ...profile } of parsed) {
				const record = new Y.Map<unknown>();
				this.#nodes.set(id, record);
				record.set('kind', kind);
				record.set('name', name);
				record.set('placement', { parent: parentId, prev: null, ts: ts++, client: this.#doc.clientID });
				record.set('createdAt', createdAt);
				if (kind === 'customer') record.set('status', status ?? 'notSetUp');
				for (const [key, value] of Object.entries(profile)) if (value !== undefined) setProfileField(record, key, value);
			}
		});
	}

	/** L7: records which vendor company or site a node stands for (the license sync finds it again by it). */
	linkVendor(id: string, vendorRef: string): void {
		this.#assertWritable();
		this.#record(id).set('vendorRef', vendorRefSchema.parse(vendorRef));
	}

	/** H4: the display name of any node can be edited. */
	rename(id: string, name: string): void {
		this.#assertWritable();
		const parsed = nodeNameSchema.safeParse(name);
		if (!parsed.success) throw new DomainError('tree.invalidInput', parsed.error.issues[0]?.message ?? 'invalid name');
		const record = this.#record(id);
		this.#assertLinked(id);
		record.set('name', parsed.data);
	}

	/** H3 */
	setStatus(id: string, status: CustomerStatus): void {
		this.#assertWritable();
		const node = this.node(id);
		if (!node) throw new DomainError('tree.nodeNotFound', `no node ${id}`, { id });
		if (node.kind !== 'customer') throw new DomainError('tree.invalidInput', 'only customers have a status');
		const next = customerStatusSchema.parse(status);
		// C7: unlinking is for good; setting `unlinked` again changes nothing.
		if (node.status === 'unlinked' && next === 'unlinked') return;
		this.#assertLinked(id);
		this.#record(id).set('status', next);
	}

	updateProfile(id: string, patch: NodeProfilePatch): void {
		this.#assertWritable();
		const parsed = nodeProfilePatchSchema.safeParse(patch);
		if (!parsed.success) throw new DomainError('tree.invalidInput', parsed.error.issues[0]?.message ?? 'invalid profile');
		const record = this.#record(id);
		this.#assertLinked(id);
		const { contact, ...fields } = parsed.data;
		const before = contact === undefined ? NO_CONTACT : (this.node(id)?.contact ?? NO_CONTACT);
		this.#doc.transact(() => {
			// An unchanged field is not written again: the old value would compete with another device's edit of it (F2).
			for (const [key, value] of Object.entries(fields))
				if (value !== undefined && !sameJson(record.get(key), value)) record.set(key, value);
			// F2: only the parts of the admin contact that changed (a phone edited here, an email elsewhere: both stay).
			if (contact !== undefined) {
				const next = contact ?? NO_CONTACT;
				for (const part of ['name', 'email', 'phone'] as const)
					if (next[part] !== before[part]) record.set(CONTACT_FIELDS[part], next[part]);
			}
		});
	}

	/** H2, H7: moves a node with its subtree; refused when the target does not accept the kind or lies inside the subtree. */
	move(id: string, newParentId: string | null): void {
		this.#assertWritable();
		const view = this.view();
		const node = this.#requireNode(view, id, 'tree.nodeNotFound');
		const parentKind = newParentId === null ? null : this.#requireNode(view, newParentId, 'tree.parentNotFound').kind;
		this.#assertPlacement(node.kind, parentKind);
		// C7: nothing moves out of an unlinked customer, nor into one.
		this.#assertLinked(id);
		if (newParentId !== null) this.#assertLinked(newParentId);
		if (newParentId !== null && isInSubtree(view.parentOf, id, newParentId)) {
			throw new DomainError('tree.cycle', 'a node cannot be moved into its own subtree', { name: node.name });
		}
		if (view.parentOf.get(id) === newParentId) return;
		this.#record(id).set('placement', this.#placement(newParentId, view.parentOf.get(id) ?? null));
	}

	/** The node and everything under it, as deleting it would remove them. */
	subtree(id: string): TreeNode[] {
		const view = this.view();
		return subtreeOf(view.children, id)
			.map((nodeId) => view.nodes.get(nodeId))
			.filter((node): node is TreeNode => node !== undefined);
	}

	/** Deletes a node with its subtree. Refused while license pools sit in the subtree (they are moved or deleted first, L8/L11). */
	remove(id: string): string[] {
		this.#assertWritable();
		const view = this.view();
		this.#requireNode(view, id, 'tree.nodeNotFound');
		// C7: an unlinked customer may be deleted whole (tree.edit), but nothing is taken out from under it.
		const unlinked = this.#unlinkedAncestor(id);
		if (unlinked !== null && unlinked.id !== id)
			throw new DomainError('customer.unlinked', 'the customer is unlinked and read-only', { name: unlinked.name });
		const doomed = subtreeOf(view.children, id);
		const doomedSet = new Set(doomed);
		const pools = this.pools().filter((pool) => doomedSet.has(pool.groupId));
		if (pools.length > 0) {
			throw new DomainError('tree.hasLicensePools', `move or delete its ${pools.length} license pool(s) first`, {
				count: pools.length
			});
		}
		this.#doc.transact(() => {
			for (const nodeId of doomed) this.#nodes.delete(nodeId);
		});
		return doomed;
	}

	accounts(): LicenseAccount[] {
		return parseValues(this.#doc.getMap(ACCOUNTS), licenseAccountSchema);
	}

	pools(): LicensePool[] {
		return parseValues(this.#doc.getMap(POOLS), licensePoolSchema);
	}

	/** Every license as people see it: a tag edited by hand (L4) in place of the imported one. */
	licenses(): License[] {
		const tags = this.#doc.getMap<unknown>(LICENSE_TAGS);
		const out = this.licenseRecords();
		if (tags.size === 0) return out;
		return out.map((license) => {
			const tag = tags.get(license.id);
			return typeof tag === 'string' && licenseTagSchema.safeParse(tag).success ? { ...license, tag } : license;
		});
	}

	/** The licenses as stored, with the tag as imported (L3): what a sync compares and writes. */
	licenseRecords(): License[] {
		const out: License[] = [];
		for (const [id, value] of this.#doc.getMap(LICENSES)) {
			const license = parseLicenseRecord(id, value);
			if (license) out.push(license);
		}
		return out;
	}

	/** One stored license (tag as imported), or null. */
	licenseRecord(id: string): License | null {
		return parseLicenseRecord(id, this.#doc.getMap(LICENSES).get(id));
	}

	/** L4: edits a license's tag by hand; kept beside the record so that a concurrent sync cannot overwrite it. */
	setLicenseTag(licenseId: string, tag: string): void {
		this.#assertWritable();
		if (!this.#doc.getMap(LICENSES).has(licenseId))
			throw new DomainError('license.notFound', `no license ${licenseId}`, { id: licenseId });
		const parsed = licenseTagSchema.safeParse(tag);
		if (!parsed.success) throw new DomainError('license.invalidInput', parsed.error.issues[0]?.message ?? 'invalid tag');
		this.#doc.getMap(LICENSE_TAGS).set(licenseId, parsed.data);
	}

	/** Writes accounts, pools and licenses as plain records (one entry per license keeps the document compact). */
	putLicenseData(data: { accounts?: LicenseAccount[]; pools?: LicensePool[]; licenses?: readonly LicenseInput[] }): void {
		this.#assertWritable();
		this.#doc.transact(() => {
			for (const account of data.accounts ?? []) this.#doc.getMap(ACCOUNTS).set(account.id, licenseAccountSchema.parse(account));
			for (const pool of data.pools ?? []) this.#doc.getMap(POOLS).set(pool.id, licensePoolSchema.parse(pool));
			for (const license of data.licenses ?? []) this.#doc.getMap(LICENSES).set(license.id, toLicenseRecord(license));
		});
	}

	/** L11: removes licenses (with their hand-edited tags), pools and accounts, in one transaction. */
	deleteLicenseData(data: { accountIds?: readonly string[]; poolIds?: readonly string[]; licenseIds?: readonly string[] }): void {
		this.#assertWritable();
		this.#doc.transact(() => {
			for (const id of data.licenseIds ?? []) {
				this.#doc.getMap(LICENSES).delete(id);
				this.#doc.getMap(LICENSE_TAGS).delete(id);
			}
			for (const id of data.poolIds ?? []) this.#doc.getMap(POOLS).delete(id);
			for (const id of data.accountIds ?? []) this.#doc.getMap(ACCOUNTS).delete(id);
		});
	}

	/** C5: the tenant's customer groups, by name. */
	groups(): CustomerGroup[] {
		return parseValues(this.#doc.getMap(GROUPS), customerGroupSchema).sort(
			(a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)
		);
	}

	group(id: string): CustomerGroup | null {
		const parsed = customerGroupSchema.safeParse(this.#doc.getMap(GROUPS).get(id));
		return parsed.success && parsed.data.id === id ? parsed.data : null;
	}

	/** C5: creates or renames a group (Super Admins only; the relay checks `groups.manage`). Returns its id. */
	putGroup(input: { id?: string; name: string }): string {
		this.#assertWritable();
		const id = input.id ?? this.#newId();
		const parsed = customerGroupSchema.safeParse({ id, name: input.name });
		if (!parsed.success) throw new DomainError('tree.invalidInput', parsed.error.issues[0]?.message ?? 'invalid group');
		this.#doc.getMap(GROUPS).set(id, parsed.data);
		return id;
	}

	/** C5: deletes a group; its customers leave it. */
	deleteGroup(id: string): void {
		this.#assertWritable();
		this.#doc.transact(() => {
			this.#doc.getMap(GROUPS).delete(id);
			for (const [nodeId, record] of this.#nodes) {
				if (!(record instanceof Y.Map)) continue;
				const groups = record.get('groups');
				// C7: an unlinked customer keeps what it had (the relay would undo the change anyway).
				if (Array.isArray(groups) && groups.includes(id) && !this.isUnlinked(nodeId))
					this.#setCustomerList(nodeId, 'groups', groups.filter((group) => group !== id));
			}
		});
	}

	/** C5: the groups a customer belongs to (existing groups only, sorted, each once). */
	setCustomerGroups(customerId: string, groupIds: readonly string[]): void {
		this.#assertWritable();
		for (const id of groupIds)
			if (!this.group(id)) throw new DomainError('tree.invalidInput', `no customer group ${id}`, { id });
		this.#setCustomerList(customerId, 'groups', groupIds);
	}

	/** P10: a customer's smart tags (sorted, each once). */
	setTags(customerId: string, tags: readonly string[]): void {
		this.#assertWritable();
		const parsed = smartTagsSchema.safeParse(tags);
		if (!parsed.success) throw new DomainError('tree.invalidInput', parsed.error.issues[0]?.message ?? 'invalid tags');
		this.#setCustomerList(customerId, 'tags', parsed.data);
	}

	/** P10: the registered tags' colours (entries that do not parse are left out). */
	smartTagColours(): Map<string, SmartTagColour> {
		const out = new Map<string, SmartTagColour>();
		for (const [tag, value] of this.#doc.getMap(SMART_TAGS)) {
			const parsed = smartTagRecordSchema.safeParse(value);
			if (parsed.success && smartTagSchema.safeParse(tag).data === tag) out.set(tag, parsed.data.colour);
		}
		return out;
	}

	/** P10: a tag's colour; null takes it out of the registry (the tag is shown without a colour). */
	setSmartTagColour(tag: string, colour: SmartTagColour | null): void {
		this.#assertWritable();
		const name = this.#tagName(tag);
		if (colour === null) this.#doc.getMap(SMART_TAGS).delete(name);
		else this.#doc.getMap(SMART_TAGS).set(name, smartTagRecordSchema.parse({ colour }));
	}

	/**
	 * P10 (S105): renames `from` to `to` on every customer carrying it, in one transaction. When `to` is in use already this
	 * merges the two: a customer carrying both ends with one. `to` keeps its colour, or takes `from`'s. Unlinked customers
	 * (C7) keep theirs. Answers how many customers changed.
	 */
	renameSmartTag(from: string, to: string): number {
		this.#assertWritable();
		const [source, target] = [this.#tagName(from), this.#tagName(to)];
		if (source === target) return 0;
		let changed = 0;
		this.#doc.transact(() => {
			changed = this.#rewriteTags(source, (tags) => tags.map((tag) => (tag === source ? target : tag)));
			const registry = this.#doc.getMap(SMART_TAGS);
			const colour = smartTagRecordSchema.safeParse(registry.get(source));
			if (colour.success && !smartTagRecordSchema.safeParse(registry.get(target)).success)
				registry.set(target, colour.data);
			registry.delete(source);
		});
		return changed;
	}

	/** P10 (S105): takes `tag` off every customer and out of the registry, in one transaction; answers how many changed. */
	deleteSmartTag(tag: string): number {
		this.#assertWritable();
		const name = this.#tagName(tag);
		let changed = 0;
		this.#doc.transact(() => {
			changed = this.#rewriteTags(name, (tags) => tags.filter((each) => each !== name));
			this.#doc.getMap(SMART_TAGS).delete(name);
		});
		return changed;
	}

	#tagName(tag: string): string {
		const parsed = smartTagSchema.safeParse(tag);
		if (!parsed.success) throw new DomainError('tree.invalidInput', parsed.error.issues[0]?.message ?? 'invalid tag');
		return parsed.data;
	}

	/** Rewrites the tags of every linked customer that carries `tag` (inside the caller's transaction). */
	#rewriteTags(tag: string, rewrite: (tags: string[]) => string[]): number {
		let changed = 0;
		for (const [nodeId, record] of this.#nodes) {
			if (!(record instanceof Y.Map) || record.get('kind') !== 'customer') continue;
			const tags = smartTagsSchema.safeParse(record.get('tags'));
			if (!tags.success || !tags.data.includes(tag) || this.isUnlinked(nodeId)) continue;
			this.#setCustomerList(nodeId, 'tags', rewrite(tags.data));
			changed += 1;
		}
		return changed;
	}

	/** A sorted, unique list field of a customer node, written only when it changed (F2: no competing rewrite). */
	#setCustomerList(customerId: string, field: 'tags' | 'groups', values: readonly string[]): void {
		const node = this.node(customerId);
		if (!node) throw new DomainError('tree.nodeNotFound', `no node ${customerId}`, { id: customerId });
		if (node.kind !== 'customer') throw new DomainError('tree.invalidInput', `only customers have ${field}`);
		this.#assertLinked(customerId);
		const next = [...new Set(values)].sort((a, b) => a.localeCompare(b));
		const record = this.#record(customerId);
		if (sameJson(record.get(field) ?? [], next)) return;
		if (next.length === 0) record.delete(field);
		else record.set(field, next);
	}

	/** P1, P2: the server's summary of each customer (absent until the server wrote one). */
	summaries(): Map<string, CustomerSummary> {
		const out = new Map<string, CustomerSummary>();
		for (const [id, value] of this.#doc.getMap(SUMMARIES)) {
			const summary = parseSummary(value);
			if (summary) out.set(id, summary);
		}
		return out;
	}

	summary(customerId: string): CustomerSummary | null {
		return parseSummary(this.#doc.getMap(SUMMARIES).get(customerId));
	}

	/** The server writes a customer's summary (the relay undoes any client's write of one). */
	putSummary(customerId: string, summary: CustomerSummary): void {
		this.#assertWritable();
		this.#doc.getMap(SUMMARIES).set(customerId, customerSummarySchema.parse(summary));
	}

	deleteSummary(customerId: string): void {
		this.#assertWritable();
		this.#doc.getMap(SUMMARIES).delete(customerId);
	}

	/** P11: the rules in force: the built-ins (overridden by a record of their id), then the tenant's own by name. */
	insightRules(): InsightRule[] {
		return effectiveInsightRules(this.insightRuleRecords());
	}

	/** P11: the tenant's own records (custom rules and built-in overrides), each valid one under its own id. */
	insightRuleRecords(): InsightRule[] {
		const out: InsightRule[] = [];
		for (const [id, value] of this.#doc.getMap(INSIGHT_RULES)) {
			const parsed = insightRuleSchema.safeParse(value);
			if (parsed.success && parsed.data.id === id) out.push(parsed.data);
		}
		return out;
	}

	/**
	 * P11: creates or changes a rule (settings.edit; the relay checks it). A built-in's id writes its override. Refuses a
	 * new rule beyond MAX_INSIGHT_RULES. Returns its id.
	 */
	putInsightRule(input: Omit<InsightRule, 'id'> & { id?: string }): string {
		this.#assertWritable();
		const id = input.id ?? this.#newId();
		const parsed = insightRuleSchema.safeParse({ ...input, id });
		if (!parsed.success) throw new DomainError('tree.invalidInput', parsed.error.issues[0]?.message ?? 'invalid rule');
		const rules = this.insightRules();
		const existing = rules.find((rule) => rule.id === id);
		if (existing && existing.kind !== parsed.data.kind)
			throw new DomainError('tree.invalidInput', 'the kind of a rule does not change');
		if (!existing && rules.length >= MAX_INSIGHT_RULES)
			throw new DomainError('tree.invalidInput', `at most ${MAX_INSIGHT_RULES} insight rules`);
		this.#doc.getMap(INSIGHT_RULES).set(id, parsed.data);
		return id;
	}

	/** P11: deletes a custom rule, or resets a built-in to its defaults (its override goes). */
	deleteInsightRule(id: string): void {
		this.#assertWritable();
		this.#doc.getMap(INSIGHT_RULES).delete(id);
	}

	/** P15: the tenant's billing profiles, by name. */
	billingProfiles(): BillingProfile[] {
		const out: BillingProfile[] = [];
		for (const [id, value] of this.#doc.getMap(BILLING_PROFILES)) {
			const parsed = billingProfileSchema.safeParse(value);
			if (parsed.success && parsed.data.id === id) out.push(parsed.data);
		}
		return out.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
	}

	billingProfile(id: string): BillingProfile | null {
		const parsed = billingProfileSchema.safeParse(this.#doc.getMap(BILLING_PROFILES).get(id));
		return parsed.success && parsed.data.id === id ? parsed.data : null;
	}

	/** P15: creates or replaces a profile (billing.edit; the relay checks it and the schema again). Returns its id. */
	putBillingProfile(input: BillingProfileInput): string {
		this.#assertWritable();
		const id = input.id ?? this.#newId();
		const parsed = billingProfileSchema.safeParse({ ...input, id });
		if (!parsed.success)
			throw new DomainError('billing.invalidInput', parsed.error.issues[0]?.message ?? 'invalid billing profile');
		this.#doc.getMap(BILLING_PROFILES).set(id, parsed.data);
		return id;
	}

	/** P15: deletes a profile and takes its customers off it, in one transaction. */
	deleteBillingProfile(id: string): void {
		this.#assertWritable();
		const assignments = this.#doc.getMap<unknown>(BILLING_ASSIGNMENTS);
		this.#doc.transact(() => {
			this.#doc.getMap(BILLING_PROFILES).delete(id);
			for (const [customerId, profileId] of [...assignments.entries()])
				if (profileId === id) assignments.delete(customerId);
		});
	}

	/**
	 * P15: customer id -> profile id, for customers that are customer nodes and profiles that exist (an assignment left
	 * behind by a concurrent deletion of either is ignored).
	 */
	billingAssignments(): Map<string, string> {
		const out = new Map<string, string>();
		const profiles = this.#doc.getMap(BILLING_PROFILES);
		for (const [customerId, value] of this.#doc.getMap<unknown>(BILLING_ASSIGNMENTS)) {
			const parsed = billingAssignmentSchema.safeParse(value);
			if (!parsed.success || !profiles.has(parsed.data)) continue;
			const record = this.#nodes.get(customerId);
			if (record instanceof Y.Map && record.get('kind') === 'customer') out.set(customerId, parsed.data);
		}
		return out;
	}

	/**
	 * P15: bills these customers with `profileId` (null: with no profile), in one transaction. A customer has at most one
	 * profile: assigning it to another moves it. Refused for a node that is not a customer, an unlinked customer (C7) or
	 * an unknown profile, before anything is written.
	 */
	assignBilling(customerIds: readonly string[], profileId: string | null): void {
		this.#assertWritable();
		if (profileId !== null && this.billingProfile(profileId) === null)
			throw new DomainError('billing.invalidInput', `no billing profile ${profileId}`, { id: profileId });
		for (const customerId of customerIds) {
			const node = this.node(customerId);
			if (!node) throw new DomainError('tree.nodeNotFound', `no node ${customerId}`, { id: customerId });
			if (node.kind !== 'customer') throw new DomainError('billing.invalidInput', 'only customers are billed');
			this.#assertLinked(customerId);
		}
		const assignments = this.#doc.getMap<unknown>(BILLING_ASSIGNMENTS);
		this.#doc.transact(() => {
			for (const customerId of customerIds) {
				// Unchanged values are not written again: they would compete with another device's choice (F2).
				if (profileId === null) {
					if (assignments.has(customerId)) assignments.delete(customerId);
				} else if (assignments.get(customerId) !== profileId) assignments.set(customerId, profileId);
			}
		});
	}

	/** P8: the tenant's saved custom reports, by name; a record that does not parse (an unknown field, S21) is left out. */
	savedReports(): SavedReport[] {
		return parseValues(this.#doc.getMap(SAVED_REPORTS), savedReportSchema).sort(
			(a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)
		);
	}

	savedReport(id: string): SavedReport | null {
		const parsed = savedReportSchema.safeParse(this.#doc.getMap(SAVED_REPORTS).get(id));
		return parsed.success && parsed.data.id === id ? parsed.data : null;
	}

	/** P8: a stored report as it is, valid or not (undefined when there is none), so a screen can say why it cannot run. */
	rawSavedReport(id: string): unknown {
		return this.#doc.getMap(SAVED_REPORTS).get(id);
	}

	/**
	 * P8: saves a report whole (created, renamed, changed): one value per report, so two devices renaming it converge on
	 * one of the names and reports saved on different devices both stay (S100-S102).
	 */
	putSavedReport(report: SavedReport): void {
		this.#assertWritable();
		const parsed = savedReportSchema.safeParse(report);
		if (!parsed.success)
			throw new DomainError('report.invalidInput', parsed.error.issues[0]?.message ?? 'invalid report');
		const reports = this.#doc.getMap(SAVED_REPORTS);
		if (!reports.has(parsed.data.id) && reports.size >= REPORT_LIMITS.savedReports)
			throw new DomainError('report.limit', 'too many saved reports', { limit: REPORT_LIMITS.savedReports });
		reports.set(parsed.data.id, parsed.data);
	}

	deleteSavedReport(id: string): void {
		this.#assertWritable();
		this.#doc.getMap(SAVED_REPORTS).delete(id);
	}

	/** C7: refuses a change to an unlinked customer or anything under it. */
	#assertLinked(id: string): void {
		const customer = this.#unlinkedAncestor(id);
		if (customer !== null)
			throw new DomainError('customer.unlinked', 'the customer is unlinked and read-only', { name: customer.name });
	}

	/** The unlinked customer that is `id` or lies above it (by the stored parents), or null. */
	#unlinkedAncestor(id: string): TreeNode | null {
		let current: string | null = id;
		for (let depth = 0; current !== null && depth < MAX_DEPTH; depth += 1) {
			const record = this.#nodes.get(current);
			if (!(record instanceof Y.Map)) return null;
			if (record.get('kind') === 'customer' && record.get('status') === 'unlinked') return this.node(current);
			const placement = placementSchema.safeParse(record.get('placement'));
			current = placement.success ? placement.data.parent : null;
		}
		return null;
	}

	#assertWritable(): void {
		if (this.#readOnly) throw new DomainError('access.readOnly', 'read-only access: the tenant document cannot be changed');
	}

	#record(id: string): NodeRecordMap {
		const record = this.#nodes.get(id);
		if (!(record instanceof Y.Map)) throw new DomainError('tree.nodeNotFound', `no node ${id}`, { id });
		return record;
	}

	#requireNode(view: TreeView, id: string, code: 'tree.nodeNotFound' | 'tree.parentNotFound'): TreeNode {
		const node = view.nodes.get(id);
		if (!node) throw new DomainError(code, `no node ${id}`, { id });
		return node;
	}

	#placement(parent: string | null, prev: string | null): Placement {
		return { parent, prev, ts: nextMoveTimestamp(this.#placements()), client: this.#doc.clientID };
	}

	/** Every well-formed placement in the document, for the Lamport clock (no full parse: this runs on every write). */
	*#placements(): Iterable<Placement> {
		for (const record of this.#nodes.values()) {
			if (!(record instanceof Y.Map)) continue;
			const parsed = placementSchema.safeParse(record.get('placement'));
			if (parsed.success) yield parsed.data;
		}
	}
}

/** F2: a profile field as stored: the admin contact goes into its per-part fields (absent parts are not written). */
function setProfileField(record: NodeRecordMap, key: string, value: unknown): void {
	if (key !== 'contact') {
		record.set(key, value);
		return;
	}
	const contact = value as AdminContact | null;
	if (contact === null) return;
	for (const part of ['name', 'email', 'phone'] as const)
		if (contact[part] !== '') record.set(CONTACT_FIELDS[part], contact[part]);
}

/** F2: the node as screens read it: the admin contact put together from its parts (a record from before F2: its one value). */
function withContact(node: TreeNode): TreeNode {
	const { contactName, contactEmail, contactPhone } = node;
	if (contactName === undefined && contactEmail === undefined && contactPhone === undefined) return node;
	const base = node.contact ?? NO_CONTACT;
	const contact = { name: contactName ?? base.name, email: contactEmail ?? base.email, phone: contactPhone ?? base.phone };
	const empty = contact.name === '' && contact.email === '' && contact.phone === '';
	return { ...node, contact: empty ? null : contact };
}

/**
 * A stored license record parsed once: a record is a plain array that Yjs hands out as the same object until it is
 * replaced, so re-reading 20,000 licenses after each change parses only the changed ones (the rest come from here).
 */
const parsedLicenses = new WeakMap<object, { id: string; license: License | null }>();

function parseLicenseRecord(id: string, value: unknown): License | null {
	if (typeof value !== 'object' || value === null) return null;
	const cached = parsedLicenses.get(value);
	if (cached && cached.id === id) return cached.license;
	const parsed = licenseRecordSchema.safeParse(value);
	const license =
		parsed.success && entityIdSchema.safeParse(id).success ? Object.freeze(fromLicenseRecord(id, parsed.data)) : null;
	parsedLicenses.set(value, { id, license });
	return license;
}

/** Summaries are rewritten whole: parsed once per stored value, like license records. */
const parsedSummaries = new WeakMap<object, CustomerSummary | null>();

function parseSummary(value: unknown): CustomerSummary | null {
	if (typeof value !== 'object' || value === null) return null;
	const cached = parsedSummaries.get(value);
	if (cached !== undefined) return cached;
	const parsed = customerSummarySchema.safeParse(value);
	const summary = parsed.success ? Object.freeze(parsed.data) : null;
	parsedSummaries.set(value, summary);
	return summary;
}

function parseValues<T>(map: Y.Map<unknown>, schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }): T[] {
	const out: T[] = [];
	for (const value of map.values()) {
		const parsed = schema.safeParse(value);
		if (parsed.success) out.push(parsed.data);
	}
	return out;
}
