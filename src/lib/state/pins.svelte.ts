// F5, F7 (S135-S139): the customers this person keeps on this device, as screens read them: what is pinned, which
// customers that covers now, whether each is on this device and when it last synced, its stored size; and the pinned
// customers held live while the workspace runs.
import { SvelteMap } from 'svelte/reactivity';
import {
	createPinnedHolder,
	inSync,
	pinnedDocNames,
	resolvePins,
	type Pin,
	type PinStore,
	type PinTarget,
	type PinTree,
	type ResolvedPins
} from '$lib/data/device/pins';
import type { ReplicaSet } from '$lib/data/device/replica-set';
import type { ReplicaStatus } from '$lib/data/sync/types';
import { DomainError } from '$lib/domain/errors';
import { customerDocName, type DocName } from '$lib/schema/ids';

export type { Pin, PinKind, PinTarget } from '$lib/data/device/pins';

/** S138: a sync time is written to storage at most this often per document (a live replica is in sync after every ack). */
const NOTE_EVERY_MS = 10_000;

export interface PinsStateOptions {
	readonly store: PinStore;
	readonly set: ReplicaSet;
	/** The resolved tree the person reads (the tenant document's, or a scoped person's view: what their grant covers). */
	readonly view: () => PinTree;
	/** C5: the tenant's customer groups (none in a scoped view). */
	readonly groupIds: () => ReadonlySet<string>;
	/** Called on every change of the tree or the groups. */
	readonly observe: (listener: () => void) => () => void;
	/** The tree's local copy has been read (before that an empty tree means "not read yet", so nothing is dropped). */
	readonly whenLoaded: Promise<void>;
	/** F7: bytes stored per document (`LocalDocStore.sizes()`), when the store offers it. */
	readonly sizes?: (() => Promise<ReadonlyMap<DocName, number>>) | null;
	readonly now?: () => Date;
	readonly maxLive?: number;
}

/** What a customer's row and page show about it being on this device. */
export interface OfflineStatus {
	/** Pinned by itself, or covered by a group or subtree pin. */
	readonly pinned: boolean;
	/** The pins that cover it (its own first). */
	readonly pins: readonly Pin[];
	/** When its copy was last in sync with the server (ms since the epoch), null when not yet. */
	readonly syncedAt: number | null;
	/** Held live and in sync right now. */
	readonly live: boolean;
	/** F7: bytes its copy takes on this device, when known. */
	readonly bytes: number | null;
}

const EMPTY: ResolvedPins = { customers: new Map(), missing: [] };

export class PinsState {
	readonly #store: PinStore;
	readonly #options: PinsStateOptions;
	readonly #now: () => Date;
	readonly #holder;
	#pins = $state.raw<readonly Pin[]>([]);
	#resolved = $state.raw<ResolvedPins>(EMPTY);
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- replaced whole on each resolution, never changed in place
	#ids = $derived(new Set(this.#resolved.customers.keys()));
	/** S138: when each pinned document was last in sync (ms). */
	readonly #syncedAt = new SvelteMap<DocName, number>();
	/** Held documents in sync right now. */
	readonly #live = new SvelteMap<DocName, boolean>();
	/** When each sync time was last written to storage (ms). */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping of the writes; no screen reads it
	readonly #noted = new Map<DocName, number>();
	#sizes = $state.raw<ReadonlyMap<DocName, number> | null>(null);
	/** S136: pins dropped because the tree no longer holds what they name (grant narrowed, or deleted), for the notice. */
	dropped = $state(0);
	#loaded = false;
	#stopped = false;
	#scheduled = false;
	#stopObserving: () => void = () => undefined;

	constructor(options: PinsStateOptions) {
		this.#options = options;
		this.#store = options.store;
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a clock read on demand, not state
		this.#now = options.now ?? (() => new Date());
		this.#pins = this.#store.list();
		for (const pin of this.#pins) {
			if (pin.kind !== 'customer') continue;
			const at = this.#store.syncedAt(customerDocName(pin.id));
			if (at !== null) this.#syncedAt.set(customerDocName(pin.id), Date.parse(at));
		}
		this.#holder = createPinnedHolder(options.set, {
			maxLive: options.maxLive,
			onStatus: (docName, status) => this.#onStatus(docName, status),
			onReleased: (docName) => this.#live.delete(docName)
		});
		void options.whenLoaded.then(() => {
			if (this.#stopped) return;
			this.#loaded = true;
			this.#stopObserving = options.observe(() => this.#schedule());
			this.#recompute();
		});
	}

	/** Every pin as chosen (customers, groups, subtrees). */
	get pins(): readonly Pin[] {
		return this.#pins;
	}

	/** The customers the pins cover now. */
	get customerIds(): ReadonlySet<string> {
		return this.#ids;
	}

	/** For the catch-up's priority (S136): pinned customers' documents, those pinned one by one first. */
	customerDocNames(): DocName[] {
		return pinnedDocNames(this.#resolved);
	}

	isPinned(target: PinTarget): boolean {
		return this.#pins.some((pin) => pin.kind === target.kind && pin.id === target.id);
	}

	status(customerId: string): OfflineStatus {
		const docName = customerDocName(customerId);
		const pins = this.#resolved.customers.get(customerId) ?? [];
		return {
			pinned: pins.length > 0,
			pins,
			syncedAt: this.#syncedAt.get(docName) ?? null,
			live: this.#live.get(docName) === true,
			bytes: this.#sizes?.get(docName) ?? null
		};
	}

	/** F7: bytes the pinned customers take on this device, when the store tells. */
	get pinnedBytes(): number | null {
		const sizes = this.#sizes;
		if (!sizes) return null;
		let total = 0;
		for (const id of this.#ids) total += sizes.get(customerDocName(id)) ?? 0;
		return total;
	}

	/**
	 * F5: keeps `target` on this device. S136: only what the person's tree holds can be pinned: a scoped person's tree is the
	 * view of their grant, so nothing outside it.
	 */
	pin(target: PinTarget): void {
		if (!this.#inTree(target))
			throw new DomainError('tree.nodeNotFound', `nothing to pin: ${target.kind} ${target.id}`, { id: target.id });
		if (this.#store.add(target, this.#now())) this.#recompute();
	}

	unpin(target: PinTarget): void {
		if (this.#store.remove(target)) this.#recompute();
	}

	toggle(target: PinTarget): void {
		if (this.isPinned(target)) this.unpin(target);
		else this.pin(target);
	}

	dismissDropped(): void {
		this.dropped = 0;
	}

	/** F7: reads the stored size of each document again (the storage panel calls it when shown). */
	async refreshSizes(): Promise<void> {
		const sizes = this.#options.sizes;
		if (!sizes) return;
		try {
			this.#sizes = await sizes();
		} catch {
			this.#sizes = null;
		}
	}

	async destroy(): Promise<void> {
		this.#stopped = true;
		this.#stopObserving();
		await this.#holder.destroy();
	}

	#inTree(target: PinTarget): boolean {
		if (target.kind === 'group') return this.#options.groupIds().has(target.id);
		const node = this.#options.view().nodes.get(target.id);
		return target.kind === 'customer' ? node?.kind === 'customer' : node !== undefined && node.kind !== 'site';
	}

	/** Tree changes come in bursts (a sync step, an import): resolved once per task. */
	#schedule(): void {
		if (this.#scheduled) return;
		this.#scheduled = true;
		queueMicrotask(() => {
			this.#scheduled = false;
			if (!this.#stopped) this.#recompute();
		});
	}

	#recompute(): void {
		if (this.#stopped) return;
		let pins = this.#store.list();
		if (pins.length === 0 && this.#resolved.customers.size === 0) {
			this.#pins = pins;
			return;
		}
		const view = this.#options.view();
		let resolved = resolvePins(pins, view, this.#options.groupIds());
		// S136: once the tree is read, a pin of something it no longer holds goes (an empty tree is not trusted to say so).
		if (this.#loaded && view.nodes.size > 0 && resolved.missing.length > 0) {
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup, not state
			const missing = new Set(resolved.missing);
			this.dropped += this.#store.retain((pin) => !missing.has(pin)).length;
			pins = this.#store.list();
			resolved = { customers: resolved.customers, missing: [] };
		}
		this.#pins = pins;
		this.#resolved = resolved;
		const docNames = pinnedDocNames(resolved);
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup, not state
		const pinned = new Set(docNames);
		for (const docName of [...this.#syncedAt.keys()]) if (!pinned.has(docName)) this.#syncedAt.delete(docName);
		for (const docName of docNames) {
			if (this.#syncedAt.has(docName)) continue;
			const at = this.#store.syncedAt(docName);
			if (at !== null) this.#syncedAt.set(docName, Date.parse(at));
		}
		if (this.#loaded) this.#holder.hold(docNames);
	}

	/** S138: a held document in sync records the time (in storage at most every 10 s). */
	#onStatus(docName: DocName, status: ReplicaStatus): void {
		const live = inSync(status);
		if ((this.#live.get(docName) ?? false) !== live) this.#live.set(docName, live);
		if (!live) return;
		const now = this.#now();
		this.#syncedAt.set(docName, now.getTime());
		const noted = this.#noted.get(docName);
		if (noted !== undefined && now.getTime() - noted < NOTE_EVERY_MS) return;
		this.#noted.set(docName, now.getTime());
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- handed over and read once, not state
		this.#store.noteSynced(docName, now, new Set(pinnedDocNames(this.#resolved)));
	}
}
