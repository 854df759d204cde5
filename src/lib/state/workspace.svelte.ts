// The signed-in person's open documents: the live tenant replica with its tree and sync state, and customer replicas
// opened while a customer page is shown. Handed to pages through Svelte context.
import { getContext, setContext, untrack } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import { TenantRepository } from '$lib/data/tenant-repository';
import { CustomerRepository } from '$lib/data/customer-repository';
import type { ReplicaLease, ReplicaSet } from '$lib/data/sync/replica-set';
import type { Replica } from '$lib/data/sync/types';
import { customerDocName, parseDocName, tenantDocName, type DocName } from '$lib/schema/ids';
import type { Role } from '$lib/schema/api';
import { m } from '$lib/paraglide/messages.js';
import { TreeState } from './tree.svelte';
import { SyncState } from './sync.svelte';
import { CustomerState } from './customer.svelte';
import { ReplicaStatusState } from './replica-status.svelte';

export interface OpenCustomer {
	readonly replica: Replica;
	readonly state: CustomerState;
	readonly status: ReplicaStatusState;
	release(): void;
}

export class Workspace {
	readonly tenantId: string;
	/** Owners and admins change the tenant's data; a readOnly user only reads it (the relay refuses their writes, S8). */
	readonly canEdit: boolean;
	readonly tree: TreeState;
	readonly sync: SyncState;
	readonly #set: ReplicaSet;
	readonly #tenant: ReplicaLease;
	/** Leases this workspace holds, by document, for the per-document sync details. */
	readonly #open = new SvelteMap<DocName, { replica: Replica; count: number }>();
	#loaded = $state(false);
	#destroying: Promise<void> | null = null;

	constructor(tenantId: string, set: ReplicaSet, role: Role) {
		this.tenantId = tenantId;
		this.canEdit = role === 'owner' || role === 'admin';
		this.#set = set;
		this.#tenant = this.#acquire(tenantDocName(tenantId));
		// Screens hide write actions when !canEdit; the repositories refuse too, so nothing lands in the local copy.
		this.tree = new TreeState(new TenantRepository(this.#tenant.replica.doc, { readOnly: !this.canEdit }));
		this.sync = new SyncState(set, () => [...this.#open.values()].map((entry) => entry.replica));
		void this.#tenant.replica.whenLoaded.then(() => (this.#loaded = true));
	}

	/** True once the tenant's local copy has been read, so that an empty tree means empty, not loading. */
	get loaded(): boolean {
		return this.#loaded;
	}

	/** Opens `customer:<id>` as a live replica until `release()` (the customer page calls it when it goes away). */
	openCustomer(customerId: string): OpenCustomer {
		const lease = this.#acquire(customerDocName(customerId));
		return {
			replica: lease.replica,
			state: new CustomerState(new CustomerRepository(lease.replica.doc, { readOnly: !this.canEdit })),
			status: new ReplicaStatusState(lease.replica),
			release: () => void lease.release()
		};
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
