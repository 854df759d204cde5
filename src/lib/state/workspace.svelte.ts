// The signed-in person's open documents: the live tenant replica with its tree and sync state, and customer replicas
// opened while a customer page is shown. Handed to pages through Svelte context.
import { isTenantWide, writesDocument } from '$lib/domain/access';
import { getContext, setContext, untrack } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import { TenantRepository } from '$lib/data/tenant-repository';
import { CustomerRepository } from '$lib/data/customer-repository';
import type { ReplicaLease, ReplicaSet } from '$lib/data/device/replica-set';
import { createCatchUp, type CatchUp } from '$lib/data/device/catch-up';
import { createBatchSync, type BatchOutcome } from '$lib/data/device/batch-sync';
import { CatchUpScheduler } from '$lib/data/device/catch-up-scheduler';
import type { LocalDocStore } from '$lib/data/device/doc-store';
import { deviceDocStore } from '$lib/data/device/idb-doc-store';
import { PendingChanges, docsWithPendingChanges, pendingStorageKey } from '$lib/data/device/pending';
import { SyncedHeads } from '$lib/data/device/synced-heads';
import { forgetDocs, forgetLocalReplicas, localDocNames } from '$lib/data/device/local-data';
import { forgetOutboxes } from '$lib/data/device/outbox';
import { openScopedTenant, type TenantSource } from '$lib/data/device/scoped-tenant';
import type { ScopedView } from '$lib/schema/view';
import type { Grant, Permission } from '$lib/schema/access';
import { fetchScopedView, fetchSyncHeads } from '$lib/api/client';
import type { Replica } from '$lib/data/sync/types';
import { customerDocName, parseDocName, tenantDocName, type DocName } from '$lib/schema/ids';
import { m } from '$lib/paraglide/messages.js';
import { TreeState } from './tree.svelte';
import { SyncState } from './sync.svelte';
import { CustomerState } from './customer.svelte';
import { ReplicaStatusState } from './replica-status.svelte';
import { CatchUpState } from './catch-up.svelte';
import { ConcurrentEditsState } from './concurrent-edits.svelte';
import { CommandsState } from './commands.svelte';
import { joinPresence } from '$lib/data/presence';
import type { PresenceUser } from '$lib/schema/presence';
import { PresenceState } from './presence.svelte';
import { deviceStorage } from './device-storage.svelte';
import { LicensesState } from './licenses.svelte';
import { licenseCommandsOver } from './license-outbox.svelte';
import { tenantDay } from './tenant-day.svelte';
import { DashboardState } from './dashboard.svelte';
import { InsightRulesState } from './insight-rules.svelte';
import { DirectoryState } from './directory.svelte';
import { SmartTagsState } from './smart-tags.svelte';
import { BillingState } from './billing.svelte';
import { CustomReportsState } from './reports/custom.svelte';
import { InsightReportState } from './reports/insights.svelte';
import { session } from './session.svelte';
import { TENANT_LOADED_MARK, TENANT_OPEN_MARK } from './perf-marks';
import { PinsState } from './pins.svelte';
import { PinStore } from '$lib/data/device/pins';

export interface OpenCustomer {
	readonly replica: Replica;
	readonly state: CustomerState;
	readonly status: ReplicaStatusState;
	/** F4: who else has this customer open; this person is announced until `release()`. */
	readonly presence: PresenceState;
	release(): void;
}

/** Who the workspace is for, as far as it decides what it opens and offers (P16, H6). */
export interface WorkspaceAccess {
	readonly tenantId: string;
	readonly permissions: readonly Permission[];
	readonly grants: readonly Grant[];
	/** The person (their outbox of server commands is theirs alone, S60). */
	readonly userId?: string;
}

export class Workspace {
	readonly tenantId: string;
	/**
	 * H6: the person's grant is narrower than the tenant: the device holds a read-only view of the covered tree and
	 * licenses (GET /api/view) instead of the tenant document, and the customer documents the grant covers.
	 */
	readonly scoped: boolean;
	/** P16: the MSP tree's structure may be changed here (add, move, delete nodes); the relay checks every change (S21). */
	readonly canEdit: boolean;
	/**
	 * P16: customers' profiles and sites may be changed (Help Desk too). Tenant-wide in the tenant document; for a scoped
	 * person with customers.edit through server commands (S60-S64).
	 */
	readonly canEditProfiles: boolean;
	/**
	 * S60-S64, S70: the person's outbox of server commands (license commands for everyone; a scoped person's profile and
	 * site changes too). Null only when the person is not known (no user id).
	 */
	readonly commands: CommandsState | null;
	/** P16: customers' contacts and notes (their own documents) may be changed. */
	readonly canEditCustomers: boolean;
	/** H6: local copies removed because the person's grant no longer covers them, for the notice (0: none). */
	removedForAccess = $state(0);
	readonly tree: TreeState;
	/** L8-L16: License management over the same replica (the tenant document or the view). */
	readonly licenses: LicensesState;
	/** P1, P2: the dashboard's figures over the same replica; made when a screen first asks for it. */
	#dashboard: DashboardState | null = null;
	/** P11: the insight rules and their findings over the same replica; made when a screen first asks for it. */
	#insights: InsightRulesState | null = null;
	readonly #canEditSettings: boolean;
	#smartTags: SmartTagsState | null = null;
	/** P10: customers.edit on the whole tenant changes tags across customers. */
	readonly #canEditTags: boolean;
	/** P15: billing profiles over the same document; made when the billing screen first asks for it. */
	#billing: BillingState | null = null;
	readonly #canEditBilling: boolean;
	/** P8: custom reports over the same replica; made when a screen first asks for it. */
	#customReports: CustomReportsState | null = null;
	/** P8, P11: the insight report over the same replica; made when a screen first asks for it. */
	#insightReport: InsightReportState | null = null;
	/** P8: custom reports may be saved, renamed and deleted (reports.edit on the whole tenant). */
	readonly canSaveReports: boolean;
	/** C1, C3, C4, P2, P3, P7, P10: the customer directory over the same replica (read-only for a scoped person). */
	readonly directory: DirectoryState;
	readonly sync: SyncState;
	/** S28: customers brought into the local copy in the background, so their pages work offline (F1). */
	readonly catchUp: CatchUpState;
	/** F2 (S31): fields this device and another one changed at the same time, for the notice. */
	readonly concurrentEdits: ConcurrentEditsState;
	/** F5, F7 (S135-S139): customers this person keeps on this device, held live while the workspace runs. */
	readonly pins: PinsState;
	readonly #set: ReplicaSet;
	/** P16: the person changes something in customer documents (contacts, notes, services: customers.edit; requests). */
	readonly #writesCustomerDocs: boolean;
	readonly #catchUp: CatchUp;
	/** S28, S32, S129: when the catch-up runs and over which customers. */
	readonly #scheduler: CatchUpScheduler;
	readonly #repo: TenantRepository;
	readonly #tenant: TenantSource;
	/** Leases this workspace holds, by document, for the per-document sync details. */
	readonly #open = new SvelteMap<DocName, { replica: Replica; count: number }>();
	#loaded = $state(false);
	#destroying: Promise<void> | null = null;

	/** `store`: this device's copies of the documents (S126: the catch-up writes into the one store the replicas read). */
	constructor(access: WorkspaceAccess, set: ReplicaSet, store: LocalDocStore = deviceDocStore()) {
		const { tenantId, permissions } = access;
		this.tenantId = tenantId;
		this.scoped = !isTenantWide(access.grants);
		// P16: write controls show for what the role may change; the relay checks every change anyway (S21).
		this.canEdit = !this.scoped && permissions.includes('tree.edit');
		const byCommand = this.scoped && permissions.includes('customers.edit') && access.userId !== undefined;
		this.canEditProfiles =
			byCommand || (!this.scoped && (permissions.includes('tree.edit') || permissions.includes('customers.edit')));
		this.canEditCustomers = permissions.includes('customers.edit');
		this.#canEditSettings = !this.scoped && permissions.includes('settings.edit');
		this.#canEditTags = !this.scoped && permissions.includes('customers.edit');
		this.#canEditBilling = !this.scoped && permissions.includes('billing.edit');
		this.canSaveReports = !this.scoped && permissions.includes('reports.edit');
		this.#writesCustomerDocs = writesDocument(permissions, 'customer');
		this.#set = set;
		// The cold-open benchmark (bench/cold-open.ts) reads these two marks: the tenant's copy opened and loaded.
		performance.mark(TENANT_OPEN_MARK);
		const scopedTenant = this.scoped ? this.#openScoped(tenantId) : null;
		this.#tenant = scopedTenant ?? this.#openTenantDocument(tenantId);
		this.commands =
			access.userId === undefined
				? null
				: new CommandsState({
						tenantId,
						userId: access.userId,
						doc: this.#tenant.doc,
						// S63: a scoped view shows each command at once; the tenant document gets the server's change by sync (S70).
						optimistic: scopedTenant !== null,
						storage: typeof localStorage === 'undefined' ? null : localStorage,
						onRefused: scopedTenant ? () => void scopedTenant.refresh() : undefined
					});
		// Screens hide write actions the person may not make; the repositories refuse too, so nothing lands locally. A scoped
		// view is never written through the repository: its changes are server commands.
		this.#repo = new TenantRepository(this.#tenant.doc, {
			readOnly: this.scoped || !(this.canEditProfiles || permissions.includes('groups.manage'))
		});
		this.tree = new TreeState(this.#repo, byCommand ? this.commands : null);
		this.licenses = this.#openLicenses(access);
		// F5 (S135-S139): pins per person per tenant; resolved over the tree the person reads (a scoped person's view).
		this.pins = new PinsState({
			store: new PinStore(typeof localStorage === 'undefined' ? null : localStorage, tenantId, access.userId ?? ''),
			set,
			view: () => this.#repo.view(),
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a lookup made per call, not state
			groupIds: () => new Set(this.#repo.groups().map((group) => group.id)),
			observe: (listener) => this.#repo.observe(listener),
			whenLoaded: this.#tenant.whenLoaded,
			// F7: what each pinned customer takes on this device.
			sizes: () => store.sizes()
		});
		this.directory = new DirectoryState({
			pinned: () => this.pins.customerIds,
			repo: this.#repo,
			tree: this.tree,
			day: tenantDay,
			commands: this.commands,
			scoped: this.scoped,
			canEditTree: this.canEdit,
			canEditCustomers: !this.scoped && permissions.includes('customers.edit')
		});
		// The details list what this workspace holds, and any other document still holding unconfirmed changes (S27).
		this.sync = new SyncState(set, () =>
			set.openReplicas().filter((replica) => this.#open.has(replica.docName) || replica.status().pending > 0)
		);
		const storage = typeof localStorage === 'undefined' ? null : localStorage;
		this.#catchUp = createCatchUp(
			createBatchSync({
				store,
				fetch: (url, init) => fetch(url, init),
				pendingStorage: storage,
				isLive: (docName) => set.isOpen(docName)
			})
		);
		this.#scheduler = this.#scheduleCatchUp(set, new SyncedHeads(storage, tenantId));
		this.catchUp = new CatchUpState(this.#catchUp);
		this.concurrentEdits = new ConcurrentEditsState(set, this.#repo);
		// F7: signed in, this device holds the tenant's data: ask the browser to keep it under storage pressure.
		deviceStorage.requestPersistence();
		void this.#tenant.whenLoaded.then(() => {
			performance.mark(TENANT_LOADED_MARK);
			this.#loaded = true;
			if (this.#destroying) return;
			this.#notePending();
			this.#scheduler.start();
		});
	}

	/**
	 * P16: licenses.edit changes licenses (tenant-wide people write a tag into the document, everything else is a server
	 * command); licenses.sync on the whole tenant imports and synchronizes accounts.
	 */
	#openLicenses(access: WorkspaceAccess): LicensesState {
		const canEdit = access.permissions.includes('licenses.edit');
		const canSync = !this.scoped && access.permissions.includes('licenses.sync');
		const commands = (canEdit || canSync) && this.commands ? licenseCommandsOver(this.commands) : null;
		const repo = new TenantRepository(this.#tenant.doc, { readOnly: this.scoped || !canEdit });
		return new LicensesState({
			repo,
			tree: this.tree,
			commands,
			scoped: this.scoped,
			canEdit,
			canSync,
			day: tenantDay
		});
	}

	/** The tenant document as a live replica (a tenant-wide grant). */
	#openTenantDocument(tenantId: string): TenantSource {
		const lease = this.#acquire(tenantDocName(tenantId));
		return {
			doc: lease.replica.doc,
			whenLoaded: lease.replica.whenLoaded,
			status: () => lease.replica.status(),
			onStatus: (listener) => lease.replica.onStatus(listener),
			release: () => lease.release()
		};
	}

	/** H6: the covered part of the tenant, read-only, from the server's view (cached on the device for offline use). */
	#openScoped(tenantId: string): TenantSource & { refresh(): Promise<void> } {
		return openScopedTenant({
			tenantId,
			fetchView: fetchScopedView,
			storage: typeof localStorage === 'undefined' ? null : localStorage,
			onFresh: (view) => void this.#forgetOutside(view)
		});
	}

	/**
	 * H6, P16: after the person's grant narrowed, this device removes its copies of what it may no longer read (the tenant
	 * document, customers outside the view) and says so. Only with a view fresh from the server, never from the cache.
	 */
	async #forgetOutside(view: ScopedView): Promise<void> {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup, not state
		const keep = new Set<DocName>(view.nodes.filter((n) => n.kind === 'customer').map((n) => customerDocName(n.id)));
		const outside = (await localDocNames()).filter((docName) => !keep.has(docName));
		if (outside.length === 0 || this.#destroying) return;
		await forgetDocs(outside);
		this.removedForAccess = outside.filter((docName) => docName.startsWith('customer:')).length;
	}

	/** S27, S127: changes made on this device in an earlier page or session count as pending until a catch-up pushes them. */
	#notePending(): void {
		for (const docName of this.#pendingDocs()) {
			const pending = new PendingChanges(localStorage, pendingStorageKey(docName), () => undefined);
			this.#set.noteBackground(docName, { pending: pending.count });
		}
	}

	/** Documents not open here with unconfirmed changes in their pending lists (S6). */
	#pendingDocs(): DocName[] {
		if (typeof localStorage === 'undefined') return [];
		const tenantDoc = tenantDocName(this.tenantId);
		return docsWithPendingChanges(localStorage).filter(
			(docName) => docName !== tenantDoc && !this.#set.isOpen(docName)
		);
	}

	/**
	 * S28, S32: each time the tenant document is back in sync with the relay, every customer document catches up too; so
	 * does a customer that appears in the tree, and all of them again every few minutes while connected.
	 */
	#scheduleCatchUp(set: ReplicaSet, syncedHeads: SyncedHeads): CatchUpScheduler {
		return new CatchUpScheduler({
			catchUp: this.#catchUp,
			documents: () => this.#customerDocs(),
			// F5: pinned customers go first.
			priority: () => this.pins.customerDocNames(),
			pendingDocs: () => this.#pendingDocs(),
			connection: () => this.#tenant.status().connection,
			onConnection: (listener) => this.#tenant.onStatus(listener),
			onDocumentsChanged: (listener) => this.#repo.observe(listener),
			heads: (docs) => fetchSyncHeads(docs),
			syncedHeads,
			onOutcome: (outcome) => this.#noteOutcome(set, outcome)
		});
	}

	/** S127, S24: pushed changes still unconfirmed count in the indicator; what the server undid of them is shown. */
	#noteOutcome(set: ReplicaSet, outcome: BatchOutcome): void {
		if (outcome.result === 'synced') {
			const rejected = outcome.rejected
				? { at: Date.now(), total: outcome.rejected.total, items: outcome.rejected.items }
				: null;
			set.noteBackground(outcome.docName, { pending: outcome.pending, rejected });
		} else if (outcome.result === 'failed' && outcome.live) {
			// Too large for a batch: the live path uploads it and closes it once confirmed (S27).
			set.flush(outcome.docName);
		}
	}

	#customerDocs(): DocName[] {
		return this.#repo.customerIds().map((id) => customerDocName(id));
	}

	get dashboard(): DashboardState {
		this.#dashboard ??= new DashboardState({
			repo: this.#repo,
			tree: this.tree,
			licenses: this.licenses,
			day: tenantDay
		});
		return this.#dashboard;
	}

	get insights(): InsightRulesState {
		this.#insights ??= new InsightRulesState({
			repo: new TenantRepository(this.#tenant.doc, { readOnly: !this.#canEditSettings }),
			canEdit: this.#canEditSettings
		});
		return this.#insights;
	}

	/** P10: the smart tags (with their colours) over the same replica; made when a screen first asks for it. */
	get smartTags(): SmartTagsState {
		this.#smartTags ??= new SmartTagsState({ repo: this.#repo, tree: this.tree, canEdit: this.#canEditTags });
		return this.#smartTags;
	}

	/** P15: billing profiles and assignments (written with billing.edit in the tenant document) and the reports sent. */
	get billing(): BillingState {
		this.#billing ??= new BillingState({
			repo: new TenantRepository(this.#tenant.doc, { readOnly: !this.#canEditBilling }),
			tree: this.tree,
			canEdit: this.#canEditBilling
		});
		return this.#billing;
	}

	get customReports(): CustomReportsState {
		this.#customReports ??= new CustomReportsState({
			repo: new TenantRepository(this.#tenant.doc, { readOnly: !this.canSaveReports }),
			tree: this.tree,
			licenses: this.licenses,
			day: tenantDay,
			canSave: this.canSaveReports,
			author: () => session.me?.email ?? ''
		});
		return this.#customReports;
	}

	get insightReport(): InsightReportState {
		this.#insightReport ??= new InsightReportState({ repo: this.#repo, tree: this.tree, day: tenantDay });
		return this.#insightReport;
	}

	/** True once the tenant's local copy has been read, so that an empty tree means empty, not loading. */
	get loaded(): boolean {
		return this.#loaded;
	}

	/**
	 * Opens `customer:<id>` as a live replica until `release()` (the customer page calls it when it goes away), and
	 * announces `viewer` there to the others who have it open (F4, S30).
	 */
	openCustomer(customerId: string, viewer: PresenceUser): OpenCustomer {
		const lease = this.#acquire(customerDocName(customerId));
		const presence = joinPresence(lease.replica.awareness, viewer);
		return {
			replica: lease.replica,
			state: new CustomerState(
				new CustomerRepository(lease.replica.doc, {
					// C7: an unlinked customer's document is read-only for good, also when it is unlinked while open.
					// P16: service requests are Help Desk work; a role with serviceRequests.edit alone works them too.
					readOnly: () => !this.#writesCustomerDocs || this.tree.isUnlinked(customerId)
				})
			),
			status: new ReplicaStatusState(lease.replica),
			presence: new PresenceState(presence),
			release: () => {
				// Before the lease goes: the replica may stay open (S27, S28) with nobody on the page.
				presence.leave();
				void lease.release();
			}
		};
	}

	/**
	 * Sign-out on this device: closes every replica, then deletes this device's copies of the documents, so the next person
	 * on a shared tablet finds none of them.
	 */
	async destroyAndForget(): Promise<void> {
		await this.destroy();
		await forgetLocalReplicas();
		// S72: the outbox of server commands (closed by destroy) goes too.
		await forgetOutboxes();
	}

	/** A person-readable name for a document in the sync details. */
	docLabel(docName: DocName): string {
		const parsed = parseDocName(docName);
		if (!parsed || parsed.kind === 'tenant') return m.sync_doc_tenant();
		return m.sync_doc_customer({ name: this.tree.node(parsed.id)?.name ?? parsed.id });
	}

	/** Closes every replica; safe to call more than once (sign-out closes it before the layout does). */
	destroy(): Promise<void> {
		this.#destroying ??= (async () => {
			this.#scheduler.stop();
			const outboxClosed = this.commands?.destroy();
			this.licenses.destroy();
			this.concurrentEdits.destroy();
			await this.pins.destroy();
			await outboxClosed;
			await this.#tenant.release();
			await this.#set.destroy();
		})();
		return this.#destroying;
	}

	/** Called from effects (a page opening its customer): reads here must not make that effect depend on the map it writes. */
	#acquire(docName: DocName): ReplicaLease {
		return untrack(() => this.#acquireUntracked(docName));
	}

	#acquireUntracked(docName: DocName): ReplicaLease {
		const lease = this.#set.acquire(docName);
		const entry = this.#open.get(docName);
		this.#open.set(docName, { replica: lease.replica, count: (entry?.count ?? 0) + 1 });
		let released = false;
		return {
			replica: lease.replica,
			release: async () => {
				if (released) return;
				released = true;
				const current = untrack(() => this.#open.get(docName));
				if (current && current.count > 1) this.#open.set(docName, { ...current, count: current.count - 1 });
				else this.#open.delete(docName);
				await lease.release();
			}
		};
	}
}

const KEY = Symbol('workspace');

export function setWorkspace(getter: () => Workspace | null): void {
	setContext(KEY, getter);
}

/** The current workspace, or null while signed out. Call during component init; read the getter reactively. */
export function getWorkspace(): () => Workspace | null {
	return getContext<() => Workspace | null>(KEY);
}
