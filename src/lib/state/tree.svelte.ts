// The MSP tree as the tree screen reads it: the tenant repository's view, flattened into visible rows with
// expand/collapse and a name filter (C4: clearing the filter shows everyone again).
import { createSubscriber, SvelteMap } from 'svelte/reactivity';
import { fmt } from './locale.svelte';
import type { TenantRepository, TreeView } from '$lib/data/tenant-repository';
import { isInSubtree, isPlacementAllowed } from '$lib/domain/tree';
import { DomainError } from '$lib/domain/errors';
import type {
	CustomerGroup,
	CustomerStatus,
	NewNodeInput,
	NodeKind,
	NodeProfilePatch,
	TreeNode
} from '$lib/schema/tree';
import type { License, LicensePool } from '$lib/schema/licenses';
import { activeRowIndex, flattenTree, licensesByPool, type TreeRow } from './tree-rows';
import type { SummarySource } from './work-filters';

export type { TreeRow } from './tree-rows';

export interface MoveTarget {
	readonly id: string | null;
	readonly node: TreeNode | null;
	readonly path: string;
	readonly current: boolean;
}

type ExpandMode = 'structure' | 'all' | 'none';

/**
 * S63: a scoped person's writes, sent to the server as commands (their tree is a read-only view): customer profiles and
 * sites only; every other write of the tree is refused as read-only.
 */
export interface TreeCommands {
	updateProfile(customerId: string, patch: NodeProfilePatch): void;
	createSite(customerId: string, name: string): string;
	renameSite(siteId: string, name: string): void;
	deleteSite(siteId: string): void;
}

const readOnly = (): DomainError =>
	new DomainError('access.readOnly', 'read-only access: the tenant document cannot be changed');

export class TreeState {
	readonly #repo: TenantRepository;
	readonly #commands: TreeCommands | null;
	#stale = true;
	#cached: TreeView | null = null;
	#subscribe = createSubscriber((update) => {
		this.#stale = true;
		return this.#repo.observe(() => {
			this.#stale = true;
			update();
		});
	});
	#query = $state('');
	#mode = $state<ExpandMode>('structure');
	#overrides = new SvelteMap<string, boolean>();
	/** The row holding keyboard focus, by node id: the list is virtualized, so its element may not exist. */
	#activeId = $state<string | null>(null);
	/** F5: show only these nodes (the customers kept on this device) and their ancestors; null shows every node. */
	only = $state.raw<(() => ReadonlySet<string>) | null>(null);
	#rows = $derived.by(() =>
		flattenTree(
			this.view,
			this.#query.trim().toLocaleLowerCase(),
			(node) => this.isExpanded(node),
			this.only?.() ?? null
		)
	);

	constructor(repo: TenantRepository, commands: TreeCommands | null = null) {
		this.#repo = repo;
		this.#commands = commands;
	}

	/** S63: changes go to the server as commands: only profiles and sites can change, not names or statuses of customers. */
	get writesByCommand(): boolean {
		return this.#commands !== null;
	}

	/** The resolved tree; recomputed only after the document changed. */
	get view(): TreeView {
		this.#subscribe();
		if (!$effect.tracking() || this.#stale || !this.#cached) {
			this.#cached = this.#repo.view();
			this.#stale = false;
		}
		return this.#cached;
	}

	/** P1, P2, P4, P5: the server-written customer summaries of the same replica (the tenant document or the scoped view). */
	get summarySource(): SummarySource {
		return this.#repo;
	}

	get rows(): readonly TreeRow[] {
		return this.#rows;
	}

	get activeId(): string | null {
		return this.#activeId;
	}

	set activeId(id: string | null) {
		this.#activeId = id;
	}

	/** Index in `rows` of the row that is tabbable (roving tabindex); -1 when no row is shown. */
	get activeIndex(): number {
		return activeRowIndex(this.#rows, this.#activeId, (id) => this.parentOf(id));
	}

	get query(): string {
		return this.#query;
	}

	set query(value: string) {
		this.#query = value;
	}

	get size(): number {
		return this.view.nodes.size;
	}

	node(id: string): TreeNode | null {
		return this.view.nodes.get(id) ?? null;
	}

	parentOf(id: string): string | null {
		return this.view.parentOf.get(id) ?? null;
	}

	/** Names from the root down to the node, for context in dialogs. */
	pathOf(id: string | null): string {
		const names: string[] = [];
		const view = this.view;
		for (let current = id, guard = 0; current !== null && guard <= view.nodes.size; guard++) {
			const node = view.nodes.get(current);
			if (!node) break;
			names.unshift(node.name);
			current = view.parentOf.get(current) ?? null;
		}
		return names.join(' › ');
	}

	childrenOf(id: string | null, kind?: NodeKind): TreeNode[] {
		const view = this.view;
		const ids = view.children.get(id) ?? [];
		const out: TreeNode[] = [];
		for (const childId of ids) {
			const node = view.nodes.get(childId);
			if (node && (kind === undefined || node.kind === kind)) out.push(node);
		}
		return out;
	}

	isExpanded(node: TreeNode): boolean {
		const override = this.#overrides.get(node.id);
		if (override !== undefined) return override;
		if (this.#mode === 'all') return true;
		if (this.#mode === 'none') return false;
		return node.kind !== 'customer';
	}

	toggle(id: string): void {
		const node = this.view.nodes.get(id);
		if (node) this.#overrides.set(id, !this.isExpanded(node));
	}

	expand(id: string): void {
		this.#overrides.set(id, true);
	}

	expandAll(): void {
		this.#overrides.clear();
		this.#mode = 'all';
	}

	collapseAll(): void {
		this.#overrides.clear();
		this.#mode = 'none';
	}

	/** H2: where a node may go, excluding its own subtree; the root first when its kind may sit there. */
	moveTargets(id: string): MoveTarget[] {
		const view = this.view;
		const node = view.nodes.get(id);
		if (!node) return [];
		const current = view.parentOf.get(id) ?? null;
		const out: MoveTarget[] = [];
		if (isPlacementAllowed(node.kind, null)) out.push({ id: null, node: null, path: '', current: current === null });
		for (const candidate of view.nodes.values()) {
			if (!isPlacementAllowed(node.kind, candidate.kind)) continue;
			if (isInSubtree(view.parentOf, id, candidate.id)) continue;
			// C7: nothing moves into an unlinked customer.
			if (this.isUnlinked(candidate.id)) continue;
			out.push({
				id: candidate.id,
				node: candidate,
				path: this.pathOf(candidate.id),
				current: current === candidate.id
			});
		}
		return out.sort((a, b) => (a.id === null ? -1 : b.id === null ? 1 : fmt().compare(a.path, b.path)));
	}

	/** How many nodes deleting this one removes (itself included). */
	subtreeSize(id: string): number {
		return this.#repo.subtree(id).length;
	}

	create(input: NewNodeInput): string {
		if (this.#commands) {
			if (input.kind !== 'site' || input.parentId === null) throw readOnly();
			const siteId = this.#commands.createSite(input.parentId, input.name);
			this.expand(input.parentId);
			return siteId;
		}
		const id = this.#repo.createNode(input);
		if (input.parentId) this.expand(input.parentId);
		return id;
	}

	rename(id: string, name: string): void {
		if (!this.#commands) return this.#repo.rename(id, name);
		if (this.node(id)?.kind !== 'site') throw readOnly();
		this.#commands.renameSite(id, name);
	}

	move(id: string, parentId: string | null): void {
		this.#repo.move(id, parentId);
		if (parentId) this.expand(parentId);
	}

	remove(id: string): string[] {
		if (!this.#commands) return this.#repo.remove(id);
		if (this.node(id)?.kind !== 'site') throw readOnly();
		this.#commands.deleteSite(id);
		return [id];
	}

	setStatus(id: string, status: CustomerStatus): void {
		if (this.#commands) throw readOnly();
		this.#repo.setStatus(id, status);
	}

	updateProfile(id: string, patch: NodeProfilePatch): void {
		if (this.#commands) this.#commands.updateProfile(id, patch);
		else this.#repo.updateProfile(id, patch);
	}

	/** C7: the node is an unlinked customer or lies under one: nothing about it can change any more. */
	isUnlinked(id: string): boolean {
		const view = this.view;
		let current: string | null = id;
		for (let depth = 0; current !== null && depth <= view.nodes.size; depth += 1) {
			const node = view.nodes.get(current);
			if (!node) return false;
			if (node.kind === 'customer' && node.status === 'unlinked') return true;
			current = view.parentOf.get(current) ?? null;
		}
		return false;
	}

	/** The tenant's name as its document holds it (null in a scoped view). */
	get tenantName(): string | null {
		this.#subscribe();
		return this.#repo.tenantName;
	}

	/** C5: the tenant's customer groups, by name. */
	get groups(): CustomerGroup[] {
		this.#subscribe();
		return this.#repo.groups();
	}

	/** C5: puts a customer into exactly these groups (customers.edit; the relay checks it). */
	setCustomerGroups(customerId: string, groupIds: readonly string[]): void {
		if (this.#commands) throw readOnly();
		this.#repo.setCustomerGroups(customerId, groupIds);
	}

	/** C5: creates or renames a group (Super Admins: groups.manage; the relay checks it). Returns its id. */
	putGroup(input: { id?: string; name: string }): string {
		if (this.#commands) throw readOnly();
		return this.#repo.putGroup(input);
	}

	/** C5: deletes a group; its customers leave it. */
	deleteGroup(id: string): void {
		if (this.#commands) throw readOnly();
		this.#repo.deleteGroup(id);
	}

	/** C5: how many customers belong to a group. */
	groupSize(groupId: string): number {
		let count = 0;
		for (const node of this.view.nodes.values()) if (node.groups?.includes(groupId)) count += 1;
		return count;
	}

	/** License pools whose access group is one of `groupIds`, each with its licenses (read-only here). */
	poolsFor(groupIds: ReadonlySet<string>): { pool: LicensePool; licenses: License[] }[] {
		this.#subscribe();
		return licensesByPool(
			this.#repo.pools().filter((pool) => groupIds.has(pool.groupId)),
			this.#repo.licenses()
		);
	}
}
