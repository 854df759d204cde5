// P15: the billing screen's state: the tenant's billing profiles and which customers each bills (from the local replica,
// so it works offline; written with billing.edit, the relay checks), and the reports the server sent (online only).
import { createSubscriber } from 'svelte/reactivity';
import { fmt } from './locale.svelte';
import { ApiRequestError } from '$lib/api/client';
import { fetchBillingSends } from '$lib/api/billing';
import type { TenantRepository } from '$lib/data/tenant-repository';
import type { BillingProfile, BillingProfileInput, BillingSend } from '$lib/schema/billing';
import type { TreeNode } from '$lib/schema/tree';
import type { TreeState } from './tree.svelte';

export type BillingHistoryError = 'offline' | 'forbidden' | 'failed';

/** A customer as the assignment list shows it. */
export interface BillableCustomer {
	readonly id: string;
	readonly name: string;
	/** The admin contact's email: without one, reports are skipped. */
	readonly email: string | null;
	/** The profile that bills it, or null. */
	readonly profileId: string | null;
}

export interface BillingStateOptions {
	readonly repo: TenantRepository;
	readonly tree: TreeState;
	readonly canEdit: boolean;
	/** Reads the history from the server (tests pass their own). */
	readonly fetchSends?: typeof fetchBillingSends;
}

export class BillingState {
	readonly canEdit: boolean;
	readonly #repo: TenantRepository;
	readonly #tree: TreeState;
	readonly #fetchSends: typeof fetchBillingSends;
	#stale = true;
	#profiles: BillingProfile[] = [];
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a cache replaced whole; the subscriber is its signal
	#assignments: ReadonlyMap<string, string> = new Map();
	#subscribe = createSubscriber((update) => {
		this.#stale = true;
		return this.#repo.observe(() => {
			this.#stale = true;
			update();
		});
	});
	#sends = $state.raw<readonly BillingSend[]>([]);
	#loading = $state(false);
	#loaded = $state(false);
	#error = $state<BillingHistoryError | null>(null);
	#generation = 0;

	constructor(options: BillingStateOptions) {
		this.#repo = options.repo;
		this.#tree = options.tree;
		this.canEdit = options.canEdit;
		this.#fetchSends = options.fetchSends ?? fetchBillingSends;
	}

	#read(): void {
		this.#subscribe();
		if ($effect.tracking() && !this.#stale) return;
		this.#profiles = this.#repo.billingProfiles();
		this.#assignments = this.#repo.billingAssignments();
		this.#stale = false;
	}

	/** The tenant's profiles, by name. */
	get profiles(): readonly BillingProfile[] {
		this.#read();
		return this.#profiles;
	}

	profile(id: string): BillingProfile | null {
		return this.profiles.find((profile) => profile.id === id) ?? null;
	}

	/** Every customer that can be billed (not unlinked, C7), by name, with its profile. */
	get customers(): readonly BillableCustomer[] {
		this.#read();
		const out: BillableCustomer[] = [];
		for (const node of this.#tree.view.nodes.values()) {
			if (node.kind !== 'customer' || node.status === 'unlinked') continue;
			out.push(billable(node, this.#assignments.get(node.id) ?? null));
		}
		return out.sort((a, b) => fmt().compare(a.name, b.name) || a.id.localeCompare(b.id));
	}

	/** The customers `profileId` bills, by name. */
	customersOf(profileId: string): readonly BillableCustomer[] {
		return this.customers.filter((customer) => customer.profileId === profileId);
	}

	/** Creates or replaces a profile; answers its id. Throws DomainError when refused. */
	save(input: BillingProfileInput): string {
		return this.#repo.putBillingProfile(input);
	}

	delete(id: string): void {
		this.#repo.deleteBillingProfile(id);
	}

	/** Bills these customers with `profileId` (null: takes them off billing). */
	assign(customerIds: readonly string[], profileId: string | null): void {
		this.#repo.assignBilling(customerIds, profileId);
	}

	/** The server's record of reports, newest first (empty until loaded). */
	get sends(): readonly BillingSend[] {
		return this.#sends;
	}

	sendsOf(profileId: string): readonly BillingSend[] {
		return this.#sends.filter((send) => send.profileId === profileId);
	}

	get loading(): boolean {
		return this.#loading;
	}

	get loaded(): boolean {
		return this.#loaded;
	}

	get error(): BillingHistoryError | null {
		return this.#error;
	}

	/** Loads the history from the server (offline: the error says so and the profiles stay usable). */
	async refresh(): Promise<void> {
		const generation = ++this.#generation;
		this.#loading = true;
		this.#error = null;
		try {
			const sends = await this.#fetchSends({ limit: 1000 });
			if (generation !== this.#generation) return;
			this.#sends = sends;
			this.#loaded = true;
		} catch (error) {
			if (generation !== this.#generation) return;
			this.#error = errorKind(error);
		} finally {
			if (generation === this.#generation) this.#loading = false;
		}
	}
}

function billable(node: TreeNode, profileId: string | null): BillableCustomer {
	const email = node.contact?.email.trim() ?? '';
	return { id: node.id, name: node.name, email: email === '' ? null : email, profileId };
}

function errorKind(error: unknown): BillingHistoryError {
	if (!(error instanceof ApiRequestError)) return 'failed';
	if (error.isNetwork) return 'offline';
	if (error.status === 403) return 'forbidden';
	return 'failed';
}
