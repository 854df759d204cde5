// F5 (S135-S139): what a person chose to keep on this device ("make available offline"): a customer, a customer group
// (C5) or a subtree of the MSP tree. Stored as chosen, per person per tenant, in localStorage (parsed on read) and resolved
// to customers whenever the tree is read, so a group or subtree pin covers its customers now and later. Also the holder
// that keeps pinned customers' replicas open (a background lease each), and the time each last synced.
import { z } from 'zod';
import { customerDocName, docNameSchema, entityIdSchema, type DocName } from '../../schema/ids';
import type { ReplicaLease, ReplicaSet } from './replica-set';
import type { ReplicaStatus } from '../sync/types';

export const PIN_KINDS = ['customer', 'group', 'node'] as const;
export type PinKind = (typeof PIN_KINDS)[number];

/** A bound on what one device keeps per person: a pin is a deliberate choice, a few dozen at most in practice. */
export const MAX_PINS = 500;

/**
 * S137: pinned customers held live at once (one websocket each). The relay allows a person 64 sockets over all their
 * devices (`maxSocketsPerUser`), so more would be refused; the rest are kept by the catch-up, first in every run.
 */
export const MAX_LIVE_PINS = 24;

export const pinSchema = z.object({
	kind: z.enum(PIN_KINDS),
	id: entityIdSchema,
	/** When it was pinned (ISO 8601). */
	at: z.iso.datetime()
});
export type Pin = z.infer<typeof pinSchema>;
export type PinTarget = Pick<Pin, 'kind' | 'id'>;

const storedPinsSchema = z.object({
	v: z.literal(1),
	pins: z.array(pinSchema).max(MAX_PINS),
	/** S138: per customer document, when its live replica last reached `online` (ISO 8601). */
	syncedAt: z.record(docNameSchema, z.iso.datetime())
});
type StoredPins = z.infer<typeof storedPinsSchema>;

export type PinStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Sign-out forgets every key under this prefix (`local-data.ts`). */
export const PINS_KEY_PREFIX = 'msp-portal:pins:';

export const pinsStorageKey = (tenantId: string, userId: string): string => `${PINS_KEY_PREFIX}${tenantId}:${userId}`;

const sameTarget = (a: PinTarget, b: PinTarget): boolean => a.kind === b.kind && a.id === b.id;

/** One person's pins in one tenant on this device. Writes go to storage at once (pins change by hand, rarely). */
export class PinStore {
	readonly #storage: PinStorage | null;
	readonly #key: string;
	#data: StoredPins;

	constructor(storage: PinStorage | null, tenantId: string, userId: string) {
		this.#storage = storage;
		this.#key = pinsStorageKey(tenantId, userId);
		this.#data = this.#read();
	}

	/** S135: a damaged or foreign entry reads as no pins (and is replaced at the next write); never half of it. */
	#read(): StoredPins {
		const empty: StoredPins = { v: 1, pins: [], syncedAt: {} };
		const raw = this.#storage?.getItem(this.#key);
		if (raw === null || raw === undefined) return empty;
		try {
			const parsed = storedPinsSchema.safeParse(JSON.parse(raw));
			if (parsed.success) return parsed.data;
		} catch {
			// Not JSON: falls through to the warning.
		}
		console.warn('pins: the stored pins of this device did not parse and were set aside');
		return empty;
	}

	#write(): void {
		this.#storage?.setItem(this.#key, JSON.stringify(this.#data));
	}

	list(): readonly Pin[] {
		return this.#data.pins;
	}

	has(target: PinTarget): boolean {
		return this.#data.pins.some((pin) => sameTarget(pin, target));
	}

	/** Adds a pin; false when it is there already or the bound is reached. */
	add(target: PinTarget, at: Date): boolean {
		if (this.has(target) || this.#data.pins.length >= MAX_PINS) return false;
		const pin = pinSchema.parse({ kind: target.kind, id: target.id, at: at.toISOString() });
		this.#data = { ...this.#data, pins: [...this.#data.pins, pin] };
		this.#write();
		return true;
	}

	remove(target: PinTarget): boolean {
		const pins = this.#data.pins.filter((pin) => !sameTarget(pin, target));
		if (pins.length === this.#data.pins.length) return false;
		this.#data = { ...this.#data, pins };
		this.#write();
		return true;
	}

	/** Removes every pin `keep` refuses; answers those removed. */
	retain(keep: (pin: Pin) => boolean): Pin[] {
		const removed = this.#data.pins.filter((pin) => !keep(pin));
		if (removed.length === 0) return [];
		this.#data = { ...this.#data, pins: this.#data.pins.filter(keep) };
		this.#write();
		return removed;
	}

	syncedAt(docName: DocName): string | null {
		return this.#data.syncedAt[docName] ?? null;
	}

	/** S138: records when a pinned document was last in sync; sync times of documents no longer pinned go. */
	noteSynced(docName: DocName, at: Date, pinned: ReadonlySet<DocName>): void {
		const syncedAt: Record<DocName, string> = { [docName]: at.toISOString() };
		for (const [name, time] of Object.entries(this.#data.syncedAt) as [DocName, string][])
			if (name !== docName && pinned.has(name)) syncedAt[name] = time;
		this.#data = { ...this.#data, syncedAt };
		this.#write();
	}
}

/** The part of the tree resolution reads: the resolved view (the tenant document's, or a scoped person's view). */
export interface PinTree {
	readonly nodes: ReadonlyMap<string, { readonly kind: string; readonly groups?: readonly string[] }>;
	readonly parentOf: ReadonlyMap<string, string | null>;
}

export interface ResolvedPins {
	/** Each pinned customer with the pins that cover it, in pin order (a customer's own pin first when it has one). */
	readonly customers: ReadonlyMap<string, readonly Pin[]>;
	/** Pins whose customer, group or node the tree does not hold (deleted, or outside the person's grant). */
	readonly missing: readonly Pin[];
}

/**
 * S135: the customers the pins cover in `tree` now: a customer pin its customer, a group pin the customers in the group
 * (C5), a node pin every customer in the node's subtree. Linear in customers times depth.
 */
export function resolvePins(pins: readonly Pin[], tree: PinTree, groupIds: ReadonlySet<string>): ResolvedPins {
	const customers = new Map<string, Pin[]>();
	const missing: Pin[] = [];
	const byGroup = new Map<string, Pin>();
	const byNode = new Map<string, Pin>();
	const cover = (customerId: string, pin: Pin): void => {
		const list = customers.get(customerId);
		if (!list) customers.set(customerId, [pin]);
		else if (!list.includes(pin)) list.push(pin);
	};
	for (const pin of pins) {
		const node = pin.kind === 'group' ? null : tree.nodes.get(pin.id);
		if (pin.kind === 'customer') {
			if (node?.kind === 'customer') cover(pin.id, pin);
			else missing.push(pin);
		} else if (pin.kind === 'group') {
			if (groupIds.has(pin.id)) byGroup.set(pin.id, pin);
			else missing.push(pin);
		} else if (node && node.kind !== 'site') byNode.set(pin.id, pin);
		else missing.push(pin);
	}
	if (byGroup.size === 0 && byNode.size === 0) return { customers, missing };
	for (const [id, node] of tree.nodes) {
		if (node.kind !== 'customer') continue;
		for (const groupId of node.groups ?? []) {
			const pin = byGroup.get(groupId);
			if (pin) cover(id, pin);
		}
		if (byNode.size === 0) continue;
		// The parent chain is bounded by the tree's size, so a loop in a damaged view cannot hang this.
		let current: string | null = id;
		for (let guard = 0; current !== null && guard <= tree.nodes.size; guard++) {
			const pin = byNode.get(current);
			if (pin) cover(id, pin);
			current = tree.parentOf.get(current) ?? null;
		}
	}
	// A customer's own pin first, then the order the pins were made in.
	const order = new Map(pins.map((pin, i) => [pin, pin.kind === 'customer' ? i - pins.length : i]));
	for (const list of customers.values()) list.sort((a, b) => order.get(a)! - order.get(b)!);
	return { customers, missing };
}

/** The pinned customers' documents, customers pinned one by one first (they go live first, S137). */
export function pinnedDocNames(resolved: ResolvedPins): DocName[] {
	const direct: DocName[] = [];
	const covered: DocName[] = [];
	for (const [customerId, pins] of resolved.customers)
		(pins[0]?.kind === 'customer' ? direct : covered).push(customerDocName(customerId));
	return [...direct, ...covered];
}

export interface PinnedHolder {
	/** Holds these documents live (see `createPinnedHolder`); lets go of the others. */
	hold(docNames: readonly DocName[]): void;
	/** Documents held live now. */
	held(): DocName[];
	destroy(): Promise<void>;
}

export interface PinnedHolderOptions {
	readonly maxLive?: number;
	/** Every status of a held document (S138 records the sync time from it). */
	readonly onStatus: (docName: DocName, status: ReplicaStatus) => void;
	/** A document is not held live any more. */
	readonly onReleased?: (docName: DocName) => void;
}

/** S138: a document is in sync with the server: its copy is loaded, connected, and nothing local waits. */
export const inSync = (status: ReplicaStatus): boolean =>
	status.loaded && status.connection === 'online' && status.pending === 0;

/** Leases of the live budget that go round the pinned customers beyond it (S137). */
const ROTATING = 4;

/**
 * S137: keeps pinned customers' replicas open and syncing through background leases of the replica set (they do not count
 * in the indicator's state), so what changes on the server reaches this device at once. Up to `maxLive` at a time: the
 * first `maxLive - 4` documents for good; when there are more, 4 leases go round the rest, each held until it is in sync
 * once and then let go for the next (the catch-up keeps them up to date afterwards).
 */
export function createPinnedHolder(set: ReplicaSet, options: PinnedHolderOptions): PinnedHolder {
	const maxLive = Math.max(ROTATING + 1, options.maxLive ?? MAX_LIVE_PINS);
	const leases = new Map<DocName, { lease: ReplicaLease; off: () => void }>();
	/** Documents beyond the permanent ones, in order, and those of them synced once already. */
	let queue: DocName[] = [];
	const rotated = new Set<DocName>();
	let permanent = new Set<DocName>();

	const letGo = (docName: DocName): Promise<void> => {
		const held = leases.get(docName);
		if (!held) return Promise.resolve();
		leases.delete(docName);
		held.off();
		options.onReleased?.(docName);
		// S27: a replica with unconfirmed changes stays open in the set until they are confirmed.
		return held.lease.release();
	};
	const take = (docName: DocName): void => {
		const lease = set.acquire(docName, { background: true });
		const off = lease.replica.onStatus((status) => onStatus(docName, status));
		leases.set(docName, { lease, off });
		onStatus(docName, lease.replica.status());
	};
	function onStatus(docName: DocName, status: ReplicaStatus): void {
		options.onStatus(docName, status);
		if (permanent.has(docName) || !inSync(status) || !leases.has(docName)) return;
		rotated.add(docName);
		void letGo(docName);
		fill();
	}
	const rotating = (): number => [...leases.keys()].filter((docName) => !permanent.has(docName)).length;
	function fill(): void {
		// Counted each time: a document already in sync is let go (and the next taken) inside `take`.
		for (const docName of queue) {
			if (rotating() >= ROTATING) return;
			if (!leases.has(docName) && !rotated.has(docName)) take(docName);
		}
	}
	return {
		hold(docNames) {
			const unique = [...new Set(docNames)];
			const fixed = unique.length > maxLive ? maxLive - ROTATING : maxLive;
			permanent = new Set(unique.slice(0, fixed));
			queue = unique.slice(fixed);
			const wanted = new Set(queue);
			for (const docName of [...leases.keys()])
				if (!permanent.has(docName) && !wanted.has(docName)) void letGo(docName);
			for (const docName of [...rotated]) if (!wanted.has(docName)) rotated.delete(docName);
			for (const docName of permanent) if (!leases.has(docName)) take(docName);
			fill();
		},
		held: () => [...leases.keys()],
		async destroy() {
			queue = [];
			permanent = new Set();
			await Promise.all([...leases.keys()].map(letGo));
		}
	};
}
