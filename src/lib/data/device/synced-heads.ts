// S32: per document, the server head (last committed update) this device last caught up to, so that the background
// catch-up opens only documents that changed since. One localStorage entry per tenant, parsed with zod on read.
import { z } from 'zod';
import { docNameSchema, type DocName } from '../../schema/ids';
import type { KeyValueStorage, ListableStorage } from './pending';

const PREFIX = 'msp-portal:sync-heads:';
export const syncedHeadsKey = (tenantId: string): string => `${PREFIX}${tenantId}`;

const storedSchema = z.record(docNameSchema, z.number().int().nonnegative());

/** Writes are gathered for this long: a run over thousands of documents writes the map a few times, not per document. */
const WRITE_DELAY_MS = 1000;

export class SyncedHeads {
	readonly #storage: KeyValueStorage | null;
	readonly #key: string;
	/** Read from storage on first use: the workspace is built at start-up, the first catch-up comes later. */
	#loaded: Map<DocName, number> | null = null;
	#timer: ReturnType<typeof setTimeout> | null = null;

	constructor(storage: KeyValueStorage | null, tenantId: string) {
		this.#storage = storage;
		this.#key = syncedHeadsKey(tenantId);
	}

	get #heads(): Map<DocName, number> {
		this.#loaded ??= this.#read();
		return this.#loaded;
	}

	get(docName: DocName): number | undefined {
		return this.#heads.get(docName);
	}

	/** The documents whose server head differs from the one this device caught up to (or that it never caught up). */
	changed(serverHeads: ReadonlyMap<DocName, number>): DocName[] {
		return [...serverHeads].filter(([docName, head]) => this.#heads.get(docName) !== head).map(([docName]) => docName);
	}

	/** `docName` is now in the local copy up to at least `head`. */
	set(docName: DocName, head: number): void {
		this.#heads.set(docName, head);
		this.#timer ??= setTimeout(() => this.flush(), WRITE_DELAY_MS);
	}

	flush(): void {
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = null;
		try {
			this.#storage?.setItem(this.#key, JSON.stringify(Object.fromEntries(this.#heads)));
		} catch {
			// Storage full or blocked: the next run syncs more documents than needed, nothing is lost.
		}
	}

	#read(): Map<DocName, number> {
		const raw = this.#storage?.getItem(this.#key) ?? null;
		if (raw === null) return new Map();
		let json: unknown = null;
		try {
			json = JSON.parse(raw);
		} catch {
			// Unreadable: treated as empty, so every document is caught up again.
		}
		const parsed = storedSchema.safeParse(json);
		return parsed.success ? new Map(Object.entries(parsed.data) as Array<[DocName, number]>) : new Map();
	}
}

/** Sign-out: forgets every tenant's synced heads along with the local copies they describe. */
export function forgetSyncedHeads(storage: ListableStorage): void {
	const keys: string[] = [];
	for (let index = 0; index < storage.length; index += 1) {
		const key = storage.key(index);
		if (key?.startsWith(PREFIX)) keys.push(key);
	}
	for (const key of keys) storage.removeItem(key);
}
