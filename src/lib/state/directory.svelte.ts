// C1, C3, C4, P2, P3, P7, P10: the customer directory as screens read it: every customer of the local replica (the tenant
// document, or a scoped person's view: then read-only) with its license status, products, tags, groups and the server's
// figures; search, filters, sort and the figure window (all in the URL); the selection and the actions people may take.
import { createSubscriber, SvelteSet } from 'svelte/reactivity';
import type { TenantRepository } from '$lib/data/tenant-repository';
import { csvBlob, toCsv } from '$lib/data/csv';
import { DomainError } from '$lib/domain/errors';
import { canLaunchCustomer, partnerAssistance } from '$lib/domain/customer-account';
import { isCustomerEditable } from '$lib/domain/customer-status';
import { smartTagSchema } from '$lib/schema/tree';
import type { CommandInput } from '$lib/schema/commands';
import { m } from '$lib/paraglide/messages.js';
import type { TreeState } from './tree.svelte';
import type { TenantDay } from './tenant-day.svelte';
import { billingLabel, statusLabel } from './labels';
import { licenseStateLabel } from './license-labels';
import {
	DEFAULT_SORT,
	DEFAULT_WINDOW,
	DirectoryIndex,
	directoryEntries,
	directoryRows,
	failedJobCounts,
	isFiltered,
	shownProducts,
	windowBounds,
	type CustomerLicenseStatus,
	type DirectoryEntry,
	type DirectoryFilters,
	type DirectorySort,
	type DirectorySortColumn,
	type DirectorySource,
	type DirectoryView,
	type FigureWindow
} from './directory-rows';

export type { CustomerLicenseStatus, DirectoryEntry, DirectorySortColumn, FigureWindow } from './directory-rows';

/** The server commands the directory sends (P7 "start a backup"). */
export interface DirectoryCommands {
	submit(input: CommandInput): string;
}

export interface DirectoryStateOptions {
	/** The workspace's repository of the tenant document (or the scoped view, read-only). */
	readonly repo: TenantRepository;
	readonly tree: TreeState;
	readonly day: TenantDay;
	readonly commands: DirectoryCommands | null;
	/** H6: the person reads a view of part of the tree: the directory is read-only. */
	readonly scoped: boolean;
	/** P16 tree.edit: invite (add) and remove customers. */
	readonly canEditTree: boolean;
	/** P16 customers.edit, tenant-wide: tags, services, backups. */
	readonly canEditCustomers: boolean;
	/** For tests: the clock of the figure windows. */
	readonly now?: () => Date;
	/** F5: the customers kept on this device (the "On this device" filter). */
	readonly pinned?: () => ReadonlySet<string>;
}

/** P7: why "Open the customer's portal" is not offered for a customer (null: it is). */
export type LaunchRefusal = 'assistanceOff' | 'noConsole' | 'unlinked' | null;

/** What removing a customer takes with it (P7 confirmation). */
export interface RemovalPreview {
	readonly name: string;
	readonly sites: number;
	/** License pools on it or its sites: they must be moved or deleted first (L8, L11). */
	readonly pools: number;
}

/** The figures' "now" is looked at again this often while a screen shows them (a 24 h window moves). */
const FIGURE_TICK_MS = 60_000;

const readOnly = (): DomainError =>
	new DomainError('access.readOnly', 'read-only access: customers cannot be changed here');

export class DirectoryState {
	readonly scoped: boolean;
	/** P7: invite and remove customers. */
	readonly canEditTree: boolean;
	/** P10: tags (bulk), P7: add a service, start a backup. */
	readonly canEditCustomers: boolean;
	readonly #repo: TenantRepository;
	readonly #tree: TreeState;
	readonly #day: TenantDay;
	readonly #commands: DirectoryCommands | null;
	readonly #now: () => Date;
	readonly #pinned: () => ReadonlySet<string>;

	#active = false;
	#stale = true;
	#cached: DirectorySource | null = null;
	#subscribe = createSubscriber((update) => {
		this.#active = true;
		this.#stale = true;
		const off = this.#repo.observe(() => {
			this.#stale = true;
			update();
		});
		return () => {
			this.#active = false;
			off();
		};
	});
	#minute = $state(0);
	#tick = createSubscriber((update) => {
		const timer = setInterval(() => {
			this.#minute++;
			update();
		}, FIGURE_TICK_MS);
		return () => clearInterval(timer);
	});

	query = $state('');
	tag = $state('');
	groupId = $state('');
	licenseStatus = $state<CustomerLicenseStatus | ''>('');
	billingType = $state<DirectoryFilters['billingType']>('');
	myProtection = $state(false);
	/** F5: only customers kept on this device. */
	onDevice = $state(false);
	#sort = $state.raw<DirectorySort>(DEFAULT_SORT);
	window = $state.raw<FigureWindow>(DEFAULT_WINDOW);
	readonly #selected = new SvelteSet<string>();

	/** Per-customer derived fields: once per document change (or new day), never per keystroke. */
	#entries = $derived.by(() => directoryEntries(this.source, this.#day.today));
	#bounds = $derived.by(() => {
		this.#tick();
		void this.#minute;
		return windowBounds(this.window, this.#now(), this.#day.timeZone);
	});
	#index = $derived(
		new DirectoryIndex(this.#entries, failedJobCounts(this.#entries, this.#bounds.from, this.#bounds.to))
	);
	#filters = $derived<DirectoryFilters>({
		query: this.query,
		tag: this.tag,
		groupId: this.groupId,
		licenseStatus: this.licenseStatus,
		billingType: this.billingType,
		myProtection: this.myProtection,
		onDevice: this.onDevice
	});
	#rows = $derived.by(() =>
		directoryRows(this.#index, this.#filters, this.#sort, this.#filters.onDevice ? this.#pinned() : undefined)
	);

	constructor(options: DirectoryStateOptions) {
		this.#repo = options.repo;
		this.#tree = options.tree;
		this.#day = options.day;
		this.#commands = options.commands;
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a clock read on demand, not state
		this.#now = options.now ?? (() => new Date());
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- an empty set nobody writes
		this.#pinned = options.pinned ?? (() => new Set());
		this.scoped = options.scoped;
		this.canEditTree = !options.scoped && options.canEditTree;
		this.canEditCustomers = !options.scoped && options.canEditCustomers;
	}

	/** The tree, licenses, groups and summaries of the replica; cached while a screen watches the document. */
	get source(): DirectorySource {
		this.#subscribe();
		if (this.#stale || !this.#cached || !this.#active) {
			const view = this.#tree.view;
			this.#cached = {
				nodes: view.nodes,
				parentOf: view.parentOf,
				pools: this.#repo.pools(),
				licenses: this.#repo.licenses(),
				groups: this.#repo.groups(),
				summaries: this.#repo.summaries()
			};
			this.#stale = !this.#active;
		}
		return this.#cached;
	}

	get index(): DirectoryIndex {
		return this.#index;
	}

	/** Indexes into `index.entries` of the customers shown, in order. */
	get rows(): readonly number[] {
		return this.#rows;
	}

	get total(): number {
		return this.#entries.length;
	}

	get shown(): number {
		return this.#rows.length;
	}

	get tags(): readonly string[] {
		return this.#index.tags;
	}

	get groups(): DirectorySource['groups'] {
		return this.source.groups;
	}

	/** The tenant's day (for the export's file name). */
	get today(): string {
		return this.#day.today;
	}

	// Search, filters, sort, window.

	get sort(): DirectorySort {
		return this.#sort;
	}
	get filtered(): boolean {
		return isFiltered(this.#filters);
	}

	/** P2, P7: sorts by `column`; the same column again reverses. Figures start with the most first. */
	sortBy(column: DirectorySortColumn): void {
		const current = this.#sort;
		this.#sort =
			current.column === column
				? { column, descending: !current.descending }
				: { column, descending: column !== 'name' };
	}

	clearFilters(): void {
		this.query = '';
		this.tag = '';
		this.groupId = '';
		this.licenseStatus = '';
		this.billingType = '';
		this.myProtection = false;
		this.onDevice = false;
	}

	/** Everything the URL holds. */
	get view(): DirectoryView {
		return { filters: this.#filters, sort: this.#sort, window: this.window };
	}

	applyView(view: DirectoryView): void {
		const { filters } = view;
		this.query = filters.query;
		this.tag = filters.tag;
		this.groupId = filters.groupId;
		this.licenseStatus = filters.licenseStatus;
		this.billingType = filters.billingType;
		this.myProtection = filters.myProtection;
		this.onDevice = filters.onDevice;
		this.#sort = view.sort;
		this.window = view.window;
	}

	/** P2: failed jobs of the entry at `i` in the figure window. */
	failedJobs(i: number): number {
		return this.#index.failedJobs[i] ?? 0;
	}

	/** C3: the products shown for an entry. */
	products(entry: DirectoryEntry): readonly string[] {
		return shownProducts(entry, this.myProtection);
	}

	// Selection (multi-select for bulk actions).

	get selected(): ReadonlySet<string> {
		return this.#selected;
	}

	isSelected(id: string): boolean {
		return this.#selected.has(id);
	}

	toggleSelected(id: string): void {
		if (this.#selected.has(id)) this.#selected.delete(id);
		else this.#selected.add(id);
	}

	/** True when every shown customer is selected (and some are shown). */
	get allShownSelected(): boolean {
		if (this.#rows.length === 0 || this.#selected.size < this.#rows.length) return false;
		const entries = this.#index.entries;
		return this.#rows.every((i) => this.#selected.has(entries[i]!.id));
	}

	/** Selects every shown customer, or (all of them being selected) unselects them. */
	toggleAllShown(): void {
		const entries = this.#index.entries;
		const all = this.allShownSelected;
		for (const i of this.#rows) {
			const id = entries[i]!.id;
			if (all) this.#selected.delete(id);
			else this.#selected.add(id);
		}
	}

	clearSelection(): void {
		this.#selected.clear();
	}

	/** The selected customers that still exist, in the list's order. */
	selectedEntries(): DirectoryEntry[] {
		return this.#index.order(this.#sort).reduce<DirectoryEntry[]>((out, i) => {
			const entry = this.#index.entries[i]!;
			if (this.#selected.has(entry.id)) out.push(entry);
			return out;
		}, []);
	}

	/** The customers the filters let through, in order. */
	shownEntries(): DirectoryEntry[] {
		return this.#rows.map((i) => this.#index.entries[i]!);
	}

	entry(id: string): DirectoryEntry | null {
		return this.#index.entries.find((entry) => entry.id === id) ?? null;
	}

	// Export (P7).

	/** P7: the CSV of `entries` with the figures of the current window. */
	csv(entries: readonly DirectoryEntry[]): string {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup, not state
		const place = new Map(this.#index.entries.map((entry, i) => [entry.id, i]));
		const header = [
			m.directory_col_name(),
			m.directory_col_status(),
			m.directory_col_country(),
			m.directory_col_license(),
			m.directory_col_products(),
			m.directory_col_tags(),
			m.directory_col_groups(),
			m.directory_col_billing(),
			m.directory_csv_failed_jobs({ window: this.windowLabel }),
			m.directory_col_requests(),
			m.directory_col_accounts()
		];
		const rows = entries.map((entry) => [
			entry.name,
			statusLabel(entry.status),
			entry.country,
			licenseStatusLabel(entry.licenseStatus),
			this.products(entry).join('; '),
			entry.tags.join('; '),
			entry.groups.join('; '),
			entry.billingType ? billingLabel(entry.billingType) : '',
			this.failedJobs(place.get(entry.id) ?? -1),
			entry.openRequests,
			entry.accounts.join('; ')
		]);
		return toCsv(header, rows);
	}

	/** The export as a file's bytes (UTF-8 with its BOM). */
	csvBlob(entries: readonly DirectoryEntry[]): Blob {
		return csvBlob(this.csv(entries));
	}

	/** The file name of an export: `customers-<day>.csv`, or the customer's name for one. */
	csvFileName(single?: DirectoryEntry): string {
		const base = single
			? single.name
					.normalize('NFD')
					.replace(/\p{M}/gu, '')
					.replace(/[^A-Za-z0-9]+/g, '-')
					.replace(/^-|-$/g, '')
					.toLowerCase() || 'customer'
			: 'customers';
		return `${base}-${this.#day.today}.csv`;
	}

	get windowLabel(): string {
		const window = this.window;
		switch (window.kind) {
			case '24h':
				return m.directory_window_24h();
			case '7d':
				return m.directory_window_7d();
			case '30d':
				return m.directory_window_30d();
			case 'custom':
				return m.directory_window_range({ from: window.from || '…', to: window.to || '…' });
		}
	}

	// Actions (P7, P10). Each is checked here; the relay and the server check again.

	/** P7, C2: why the customer's portal cannot be opened (null: it can). */
	launchRefusal(entry: DirectoryEntry): LaunchRefusal {
		const node = entry.node;
		if (!isCustomerEditable(node.status)) return 'unlinked';
		if (!partnerAssistance(node).on) return 'assistanceOff';
		if (!canLaunchCustomer(node)) return 'noConsole';
		return null;
	}

	/** P10: adds a smart tag to each customer (tenant-wide people with customers.edit). Returns how many changed. */
	addTag(ids: Iterable<string>, tag: string): number {
		const parsed = this.#tagFor(tag);
		return this.#retag(ids, (tags) => (tags.includes(parsed) ? null : [...tags, parsed]));
	}

	/** P10: removes a smart tag from each customer. Returns how many changed. */
	removeTag(ids: Iterable<string>, tag: string): number {
		const parsed = this.#tagFor(tag);
		return this.#retag(ids, (tags) => (tags.includes(parsed) ? tags.filter((t) => t !== parsed) : null));
	}

	/** P7: asks the backup integration for a backup of all the customer's services (a server command, queued offline). */
	startBackup(customerId: string): string {
		if (!this.canEditCustomers || !this.#commands) throw readOnly();
		return this.#commands.submit({ type: 'customer.startBackup', customerId, serviceId: null });
	}

	/** P7: what removing the customer takes with it. */
	removalPreview(customerId: string): RemovalPreview | null {
		const node = this.#tree.node(customerId);
		if (!node || node.kind !== 'customer') return null;
		const sites = this.#tree.childrenOf(customerId, 'site');
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup, not state
		const groups = new Set([customerId, ...sites.map((site) => site.id)]);
		return {
			name: node.name,
			sites: sites.length,
			pools: this.source.pools.filter((pool) => groups.has(pool.groupId)).length
		};
	}

	/** P7: removes the customer with its sites (the tree's delete: refused while license pools sit on it). */
	remove(customerId: string): void {
		if (!this.canEditTree) throw readOnly();
		if (this.#tree.node(customerId)?.kind !== 'customer')
			throw new DomainError('tree.nodeNotFound', `no customer ${customerId}`, { id: customerId });
		this.#tree.remove(customerId);
		this.#selected.delete(customerId);
	}

	#tagFor(tag: string): string {
		if (!this.canEditCustomers) throw readOnly();
		const parsed = smartTagSchema.safeParse(tag);
		if (!parsed.success) throw new DomainError('tree.invalidInput', parsed.error.issues[0]?.message ?? 'invalid tag');
		return parsed.data;
	}

	#retag(ids: Iterable<string>, next: (tags: readonly string[]) => readonly string[] | null): number {
		let changed = 0;
		for (const id of ids) {
			const node = this.#repo.node(id);
			if (!node || node.kind !== 'customer' || !isCustomerEditable(node.status)) continue;
			const tags = next(node.tags ?? []);
			if (tags === null) continue;
			this.#repo.setTags(id, tags);
			changed++;
		}
		return changed;
	}
}

/** C1: a customer's license status in words. */
export function licenseStatusLabel(status: CustomerLicenseStatus): string {
	return status === 'none' ? m.directory_license_none() : licenseStateLabel(status);
}
