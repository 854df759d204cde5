// S6: the local changes the server has not confirmed as durable, kept across reloads so the count stays true offline (F3).
import { z } from 'zod';
import { docNameSchema, type DocName } from '../../schema/ids';

/** The part of the Web Storage API the pending list needs (localStorage in the browser, a stand-in in tests). */
export interface KeyValueStorage {
	getItem(key: string): string | null;
	setItem(key: string, value: string): void;
	removeItem(key: string): void;
}

const storedEntrySchema = z.object({
	client: z.number().int().nonnegative(),
	clock: z.number().int().nonnegative(),
	deletes: z.boolean()
});
const storedListSchema = z.array(storedEntrySchema).max(1_000_000);

interface PendingEntry {
	/** The Yjs client that made the change and its clock after it: covered once the server's state vector reaches it. */
	readonly client: number;
	readonly clock: number;
	/** The change deleted something; a state vector cannot show deletions, so these also wait for the frame that carried them. */
	readonly deletes: boolean;
	/** Socket and frame that carried the deletions to the server (null: not sent on the current socket yet). */
	socket: number | null;
	frame: number | null;
}

const PENDING_PREFIX = 'msp-portal:sync-pending:';
export const pendingStorageKey = (docName: string): string => `${PENDING_PREFIX}${docName}`;

/** Storage whose keys can be listed (localStorage). */
export interface ListableStorage extends KeyValueStorage {
	readonly length: number;
	key(index: number): string | null;
}

/** S27: the documents this device holds unconfirmed changes of, from the pending lists kept in storage. */
export function docsWithPendingChanges(storage: ListableStorage): DocName[] {
	const names: DocName[] = [];
	for (let index = 0; index < storage.length; index += 1) {
		const key = storage.key(index);
		if (key === null || !key.startsWith(PENDING_PREFIX)) continue;
		const name = docNameSchema.safeParse(key.slice(PENDING_PREFIX.length));
		if (name.success) names.push(name.data);
	}
	return names;
}

export class PendingChanges {
	readonly #storage: KeyValueStorage | null;
	readonly #key: string;
	#entries: PendingEntry[];
	readonly #onChange: () => void;

	constructor(storage: KeyValueStorage | null, key: string, onChange: () => void) {
		this.#storage = storage;
		this.#key = key;
		this.#onChange = onChange;
		this.#entries = this.#read();
	}

	get count(): number {
		return this.#entries.length;
	}

	/** The Yjs clients whose changes wait for confirmation: on this device, also those of earlier sessions (S31). */
	clients(): Set<number> {
		return new Set(this.#entries.map((entry) => entry.client));
	}

	/** F2: does the change of `client` at `clock` still wait for the server? (Each entry ends where its transaction ended.) */
	holds(client: number, clock: number): boolean {
		return this.#entries.some((entry) => entry.client === client && entry.clock > clock);
	}

	/** A local transaction happened; `sentOn` is set when it went out at once on an open socket. */
	record(client: number, clock: number, deletes: boolean, sentOn: { socket: number; frame: number } | null): void {
		this.#entries.push({ client, clock, deletes, socket: sentOn?.socket ?? null, frame: sentOn?.frame ?? null });
		this.#changed();
	}

	/** The client sent its sync step 2 on `socket`: it carries the whole delete set, so every deletion not yet sent on it rides along. */
	sentSyncStep2(socket: number, frame: number): void {
		for (const entry of this.#entries) {
			if (entry.deletes && entry.socket !== socket) {
				entry.socket = socket;
				entry.frame = frame;
			}
		}
	}

	/** S5/S6: the server committed everything up to `stateVector` and handled the first `handledFrames` frames of `socket`. */
	acknowledged(stateVector: ReadonlyMap<number, number>, socket: number, handledFrames: number): void {
		const before = this.#entries.length;
		this.#entries = this.#entries.filter((entry) => {
			const structsStored = (stateVector.get(entry.client) ?? 0) >= entry.clock;
			const deletesStored = !entry.deletes || (entry.socket === socket && entry.frame !== null && entry.frame <= handledFrames);
			return !(structsStored && deletesStored);
		});
		if (this.#entries.length !== before) this.#changed();
	}

	/** S127: the entries recorded so far, to be named when the batch that pushed them is answered. */
	entries(): ReadonlySet<object> {
		return new Set<object>(this.#entries);
	}

	/**
	 * S127: a batch pushed the stored copy's changes that the server lacked together with the copy's whole delete set, and
	 * the server committed up to `stateVector`: the structs it reaches are durable, and so is every deletion among `pushed`
	 * (recorded before the copy was read, so the pushed delete set held it). Entries recorded later wait for the next push.
	 */
	acknowledgedPush(stateVector: ReadonlyMap<number, number>, pushed: ReadonlySet<object>): void {
		const before = this.#entries.length;
		this.#entries = this.#entries.filter((entry) => {
			const structsStored = (stateVector.get(entry.client) ?? 0) >= entry.clock;
			const deletesStored = !entry.deletes || pushed.has(entry);
			return !(structsStored && deletesStored);
		});
		if (this.#entries.length !== before) this.#changed();
	}

	#changed(): void {
		this.#write();
		this.#onChange();
	}

	#read(): PendingEntry[] {
		const raw = this.#storage?.getItem(this.#key) ?? null;
		if (raw === null) return [];
		let json: unknown;
		try {
			json = JSON.parse(raw);
		} catch {
			json = null;
		}
		const parsed = storedListSchema.safeParse(json);
		if (!parsed.success) {
			// A damaged record cannot be trusted either way; the next sync re-sends everything the server lacks regardless.
			console.warn(`sync: ignoring an unreadable pending-changes record for ${this.#key}`);
			return [];
		}
		// Sockets of an earlier session mean nothing now: deletions wait for the next sync step 2.
		return parsed.data.map((entry) => ({ ...entry, socket: null, frame: null }));
	}

	#write(): void {
		if (!this.#storage) return;
		try {
			if (this.#entries.length === 0) this.#storage.removeItem(this.#key);
			else
				this.#storage.setItem(
					this.#key,
					JSON.stringify(this.#entries.map(({ client, clock, deletes }) => ({ client, clock, deletes })))
				);
		} catch {
			// Storage full or blocked: the count stays right for this session, it just will not survive a reload.
		}
	}
}
