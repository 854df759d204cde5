// L8-L15: License management as the screens read it: every license of the local replica (the tenant document, or a scoped
// person's view) with its state on the tenant's day, counts per state, filters, sort and groups, the commands waiting in
// the outbox per row, and the actions people may take (each checked here before it is sent).
import { createSubscriber } from 'svelte/reactivity';
import { fmt } from './locale.svelte';
import type { TenantRepository } from '$lib/data/tenant-repository';
import { holdingsOf } from '$lib/data/licenses/import';
import { DomainError } from '$lib/domain/errors';
import { planLicenseImport, type PlanOutcome } from '$lib/domain/license-plan';
import type { LicenseState } from '$lib/domain/license-state';
import type { LicenseExport } from '$lib/schema/license-export';
import {
	licenseTagSchema,
	type License,
	type LicenseAccount,
	type LicensePool,
	type LicenseType
} from '$lib/schema/licenses';
import type { Command } from '$lib/schema/commands';
import type { TreeState } from './tree.svelte';
import type { TenantDay } from './tenant-day.svelte';
import type { LicenseCommandInput, LicenseCommands, LicenseRefusal } from './license-outbox.svelte';
import {
	countByState,
	isFiltered,
	LicenseIndex,
	licenseDeletionPreview,
	licenseEntries,
	licenseListRows,
	NO_FILTERS,
	poolsWithLicenses,
	pendingIndex,
	toggled,
	type DeletionPreview,
	type PendingChange,
	type LicenseEntry,
	type LicenseFilters,
	type LicenseListRow,
	type LicenseSort,
	type LicenseSource,
	type PoolWithLicenses,
	type SortColumn
} from './license-rows';
import { companySuspension, trialConversion, trialExtension } from './license-actions';

export type { LicenseEntry, LicenseListRow, PendingChange, PoolWithLicenses, SortColumn } from './license-rows';

export interface LicensesStateOptions {
	/** Writes only for tenant-wide people with licenses.edit (a tag, L4); read-only otherwise. */
	readonly repo: TenantRepository;
	/** The tree's resolved view: names of owners, license users (L9) and access groups. */
	readonly tree: TreeState;
	/** S60: where license commands go; null when this person may send none. */
	readonly commands: LicenseCommands | null;
	/** H6: the person holds a view, not the tenant document: every change is a command. */
	readonly scoped: boolean;
	/** P16: licenses.edit (tags, deletion, pools, suspension, trials). */
	readonly canEdit: boolean;
	/** P16: licenses.sync on the whole tenant (import, vendor API, "Synchronize licenses"). */
	readonly canSync: boolean;
	readonly day: TenantDay;
}

/** A node a pool can be moved to (L8): any access group of the tree. */
export interface PoolTarget {
	readonly id: string;
	readonly kind: string;
	readonly path: string;
	readonly current: boolean;
}

const readOnly = (): DomainError =>
	new DomainError('access.readOnly', 'read-only access: licenses cannot be changed here');

export class LicensesState {
	readonly canEdit: boolean;
	readonly canSync: boolean;
	readonly scoped: boolean;
	readonly #repo: TenantRepository;
	readonly #tree: TreeState;
	readonly #commands: LicenseCommands | null;
	readonly #day: TenantDay;

	#active = false;
	#stale = true;
	#cached: LicenseSource | null = null;
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

	#query = $state('');
	#product = $state('');
	#accountId = $state('');
	#type = $state<LicenseType | ''>('');
	#user = $state('');
	#customerId = $state('');
	#states = $state.raw<ReadonlySet<LicenseState>>(NO_FILTERS.states);
	#sort = $state.raw<LicenseSort>({ column: 'publicId', descending: false });
	#grouped = $state(true);

	/** Per-license derived fields: once per document change (or new day), never per filter or sort. */
	#entries = $derived.by(() => licenseEntries(this.source, this.#day.today));
	#index = $derived(new LicenseIndex(this.#entries));
	#counts = $derived(countByState(this.#entries));
	#filters = $derived<LicenseFilters>({
		states: this.#states,
		product: this.#product,
		accountId: this.#accountId,
		type: this.#type,
		user: this.#user,
		query: this.#query,
		customerId: this.#customerId
	});
	#rows = $derived(licenseListRows(this.#index, this.#filters, this.#sort, this.#grouped, this.source));
	#pending = $derived.by(() => pendingIndex(this.#commands?.pending ?? [], this.source));

	constructor(options: LicensesStateOptions) {
		this.#repo = options.repo;
		this.#tree = options.tree;
		this.#commands = options.commands;
		this.#day = options.day;
		this.scoped = options.scoped;
		this.canEdit = options.canEdit && (!options.scoped || options.commands !== null);
		this.canSync = options.canSync && options.commands !== null;
	}

	/**
	 * The licenses, pools, accounts and tree of the replica. Cached while a screen watches the document (every change
	 * marks it stale); read without a watcher, it is read afresh.
	 */
	get source(): LicenseSource {
		this.#subscribe();
		if (this.#stale || !this.#cached || !this.#active) {
			const view = this.#tree.view;
			this.#cached = {
				licenses: this.#repo.licenses(),
				pools: this.#repo.pools(),
				accounts: this.#repo.accounts(),
				nodes: view.nodes,
				parentOf: view.parentOf
			};
			this.#stale = !this.#active;
		}
		return this.#cached;
	}

	/** The tenant's day the states are computed for (L14). */
	get today(): string {
		return this.#day.today;
	}

	get timeZone(): string {
		return this.#day.timeZone;
	}

	get total(): number {
		return this.#entries.length;
	}

	/** Every license with its derived fields (L14 state on the tenant's day, L9 license user): the dashboard reads them. */
	get entries(): readonly LicenseEntry[] {
		return this.#entries;
	}

	/** L14: licenses per state, over everything this person sees (not narrowed by the filters). */
	get counts(): Readonly<Record<LicenseState, number>> {
		return this.#counts;
	}

	get rows(): readonly LicenseListRow[] {
		return this.#rows;
	}

	/** How many licenses the filters let through. */
	get shown(): number {
		let count = 0;
		for (const row of this.#rows) if (row.kind === 'license') count++;
		return count;
	}

	get accounts(): readonly LicenseAccount[] {
		return this.source.accounts;
	}

	get products(): readonly string[] {
		return this.#index.products;
	}

	get types(): readonly LicenseType[] {
		return this.#index.types;
	}

	get licenseUsers(): readonly string[] {
		return this.#index.users;
	}

	/** L9, L13: the pools whose access group is one of `groupIds` (a customer and its sites), each with its licenses. */
	poolsIn(groupIds: ReadonlySet<string>): PoolWithLicenses[] {
		return poolsWithLicenses(this.#entries, this.source, groupIds);
	}

	// Filters, search and sort.

	get query(): string {
		return this.#query;
	}
	set query(value: string) {
		this.#query = value;
	}
	get product(): string {
		return this.#product;
	}
	set product(value: string) {
		this.#product = value;
	}
	get accountId(): string {
		return this.#accountId;
	}
	set accountId(value: string) {
		this.#accountId = value;
	}
	get type(): LicenseType | '' {
		return this.#type;
	}
	set type(value: LicenseType | '') {
		this.#type = value;
	}
	get user(): string {
		return this.#user;
	}
	set user(value: string) {
		this.#user = value;
	}
	/** P7 "manage licenses" from the directory: the licenses of one customer and its sites ('' for all). */
	get customerId(): string {
		return this.#customerId;
	}
	set customerId(value: string) {
		this.#customerId = value;
	}
	get grouped(): boolean {
		return this.#grouped;
	}
	set grouped(value: boolean) {
		this.#grouped = value;
	}
	get states(): ReadonlySet<LicenseState> {
		return this.#states;
	}
	get sort(): LicenseSort {
		return this.#sort;
	}
	get filtered(): boolean {
		return isFiltered(this.#filters);
	}

	/** L14: a state's count at the top is a toggle: shows (also) that state, or stops showing it. */
	toggleState(state: LicenseState): void {
		this.#states = toggled(this.#states, state);
	}

	/** Sorts by `column`; the same column again reverses the order. */
	sortBy(column: SortColumn): void {
		const current = this.#sort;
		this.#sort = { column, descending: current.column === column ? !current.descending : false };
	}

	clearFilters(): void {
		this.#query = '';
		this.#product = '';
		this.#accountId = '';
		this.#type = '';
		this.#user = '';
		this.#customerId = '';
		this.#states = NO_FILTERS.states;
	}

	// What the outbox holds.

	/** S60: changes of this license waiting for the server. */
	pendingFor(entry: LicenseEntry): readonly PendingChange[] {
		return this.#pending.of(entry);
	}

	/** L8: a move of this pool waiting for the server. */
	poolMovePending(poolId: string): boolean {
		return this.#pending.pools.has(poolId);
	}

	/** Pending import and sync commands, for the import dialog and the accounts. */
	pendingOfType<T extends Command['type']>(type: T): Extract<Command, { type: T }>[] {
		return (this.#commands?.pending ?? []).filter(
			(command): command is Extract<Command, { type: T }> => command.type === type
		);
	}

	/** The server's answer to a command sent from this device, or null while it waits. */
	outcome(commandId: string): ReturnType<LicenseCommands['outcome']> {
		return this.#commands?.outcome(commandId) ?? null;
	}

	/**
	 * S62: license commands the server refused (they changed nothing), for the notice; imports and syncs show theirs in
	 * their own dialog and panel.
	 */
	get refusals(): readonly LicenseRefusal[] {
		return (this.#commands?.refusals ?? []).filter(
			({ command }) => command.type !== 'licenses.import' && command.type !== 'licenses.sync'
		);
	}

	dismissRefusals(): void {
		this.#commands?.dismissRefusals();
	}

	/** S70: this person's license changes the server applied in this session (the rows show the result). */
	get applied(): readonly Pick<Command, 'id' | 'type'>[] {
		return this.#commands?.applied ?? [];
	}

	dismissApplied(): void {
		this.#commands?.dismissApplied();
	}

	isPending(commandId: string): boolean {
		return (this.#commands?.pending ?? []).some((command) => command.id === commandId);
	}

	// Lookups for dialogs.

	license(licenseId: string): License | null {
		return this.source.licenses.find((license) => license.id === licenseId) ?? null;
	}

	pool(poolId: string): LicensePool | null {
		return this.source.pools.find((pool) => pool.id === poolId) ?? null;
	}

	nodeName(nodeId: string): string {
		return this.source.nodes.get(nodeId)?.name ?? '';
	}

	pathOf(nodeId: string | null): string {
		return this.#tree.pathOf(nodeId);
	}

	/** L11: everything deleting this license takes with it. */
	deletionPreview(licenseId: string): DeletionPreview | null {
		return licenseDeletionPreview(this.source, licenseId);
	}

	/** L14: whether the company's licenses would be suspended or resumed (null: it owns none). */
	companySuspension(companyId: string): 'suspend' | 'resume' | null {
		return companySuspension(this.source.licenses.filter((license) => license.ownerId === companyId));
	}

	/** How many licenses a company owns. */
	licensesOwnedBy(companyId: string): number {
		let count = 0;
		for (const license of this.source.licenses) if (license.ownerId === companyId && !license.removed) count++;
		return count;
	}

	/** L8: where a pool can go: every node of the tree (or view) this person sees, by path. */
	poolTargets(poolId: string): PoolTarget[] {
		const pool = this.pool(poolId);
		const out: PoolTarget[] = [];
		for (const node of this.source.nodes.values())
			out.push({ id: node.id, kind: node.kind, path: this.#tree.pathOf(node.id), current: node.id === pool?.groupId });
		return out.sort((a, b) => fmt().compare(a.path, b.path));
	}

	/** L1-L3, L6, L10: what importing `data` would change here, before anything is sent (the same plan the server runs). */
	previewImport(data: LicenseExport): PlanOutcome {
		return planLicenseImport(holdingsOf(this.#repo), data, { newId: () => crypto.randomUUID() });
	}

	// Actions. Each is checked here and refused with a DomainError the screen shows; the server checks again.

	/** L4: a tag edited by hand: in the tenant document for tenant-wide people, as a command for scoped ones. */
	setTag(licenseId: string, tag: string): void {
		if (!this.canEdit) throw readOnly();
		const parsed = licenseTagSchema.safeParse(tag);
		if (!parsed.success)
			throw new DomainError('license.invalidInput', parsed.error.issues[0]?.message ?? 'invalid tag');
		if (this.scoped) this.#submit({ type: 'license.setTag', licenseId, tag: parsed.data });
		else this.#repo.setLicenseTag(licenseId, parsed.data);
	}

	/** L11: deletes the license and every pool of its account. */
	deleteLicense(licenseId: string): string {
		this.#requireLicense(licenseId);
		return this.#submit({ type: 'license.delete', licenseId });
	}

	/** L8: a whole pool goes to another access group (never a single license). */
	movePool(poolId: string, groupId: string): string {
		const pool = this.pool(poolId);
		if (!pool) throw new DomainError('license.notFound', `no pool ${poolId}`, { id: poolId });
		if (!this.source.nodes.has(groupId))
			throw new DomainError('tree.nodeNotFound', `no node ${groupId}`, { id: groupId });
		if (pool.groupId === groupId) throw new DomainError('license.invalidInput', 'the pool is there already');
		return this.#submit({ type: 'licensePool.move', poolId, groupId });
	}

	/** L14: suspends (or resumes) every license the company owns. */
	suspendCompany(companyId: string, suspended: boolean): string {
		if (!this.source.nodes.has(companyId))
			throw new DomainError('tree.nodeNotFound', `no node ${companyId}`, { id: companyId });
		return this.#submit({ type: 'licenses.suspendCompany', companyId, suspended });
	}

	/** L15: +30 days, at most twice. */
	extendTrial(licenseId: string): string {
		const check = trialExtension(this.#requireLicense(licenseId));
		if (!check.ok) throw new DomainError('license.trialRule', `the trial cannot be extended (${check.reason})`);
		return this.#submit({ type: 'license.extendTrial', licenseId });
	}

	/** L15: converts `units` of a trial (whole or in part) to a paid license. */
	convertTrial(licenseId: string, units: number): string {
		const check = trialConversion(this.#requireLicense(licenseId));
		if (!check.ok || !Number.isInteger(units) || units < 1 || units > check.max)
			throw new DomainError('license.trialRule', 'the trial cannot be converted that way');
		return this.#submit({ type: 'license.convertTrial', licenseId, units });
	}

	/** L1-L3: sends an import file's text (checked and previewed on the device first) to the server. */
	importFile(fileName: string, format: 'json' | 'csv', text: string): string {
		if (!this.canSync) throw readOnly();
		return this.#submit({ type: 'licenses.import', fileName: fileName.slice(0, 255), format, text });
	}

	/** L12: "Synchronize licenses" for one account. */
	syncAccount(accountId: string): string {
		if (!this.canSync) throw readOnly();
		return this.#submit({ type: 'licenses.sync', accountId });
	}

	destroy(): void {
		this.#commands?.destroy();
	}

	#requireLicense(licenseId: string): License {
		const license = this.license(licenseId);
		if (!license) throw new DomainError('license.notFound', `no license ${licenseId}`, { id: licenseId });
		return license;
	}

	#submit(input: LicenseCommandInput): string {
		const isSync = input.type === 'licenses.import' || input.type === 'licenses.sync';
		if (!this.#commands || (!isSync && !this.canEdit)) throw readOnly();
		return this.#commands.submit(input);
	}
}
