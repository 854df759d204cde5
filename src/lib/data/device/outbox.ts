// S60-S64, S72: the local outbox of server commands: kept in IndexedDB per tenant and person (survives reloads, holds an
// import's whole file, parsed with zod when read), sent in order while online, retried with backoff when the server cannot
// be reached.
import { z } from 'zod';
import {
	commandSchema,
	MAX_COMMANDS_PER_REQUEST,
	type Command,
	type CommandInput,
	type CommandResult
} from '../../schema/commands';

/** Where the first versions kept the outbox (localStorage, one key per tenant and person); moved to IndexedDB once. */
export const legacyOutboxKey = (tenantId: string, userId: string): string => `msp-portal:outbox:${tenantId}:${userId}`;

/** The IndexedDB database of every outbox on this device: one store, each command with its tenant and person. */
export const OUTBOX_DB = 'msp-portal-outbox';
const STORE = 'commands';
const BY_OWNER = 'owner';

/** S64: the first retry after a failed send waits this long, doubling up to MAX_BACKOFF_MS. */
export const FIRST_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 60_000;

type LegacyStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface OutboxOptions {
	readonly tenantId: string;
	readonly userId: string;
	/** Where the outbox is kept; by default the browser's. Null: in this page's memory only (no IndexedDB). */
	readonly indexedDB?: IDBFactory | null;
	/** Where the first versions kept it (localStorage): read once, moved into IndexedDB and removed (S72). */
	readonly storage: LegacyStorage | null;
	/** POST /api/commands; rejects when the server cannot be reached or answers an error (then everything stays queued). */
	readonly send: (commands: Command[]) => Promise<CommandResult[]>;
	/** S62: a command the server refused; it has left the outbox. */
	readonly onRefused?: (command: Command, result: CommandResult) => void;
	/** S70: every answer the server gave (applied, duplicate or refused); the command has left the outbox. */
	readonly onResult?: (command: Command, result: CommandResult) => void;
	/** After every change of what is pending. */
	readonly onChange?: () => void;
	readonly newId?: () => string;
	readonly now?: () => Date;
}

/** One stored command; `seq` (the store's own key generator, shared by every tab) keeps the order. */
interface StoredCommand {
	readonly seq?: number;
	readonly tenantId: string;
	readonly userId: string;
	readonly command: unknown;
}

function requestDone<T>(request: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
	});
}

function transactionDone(transaction: IDBTransaction): Promise<void> {
	return new Promise((resolve, reject) => {
		transaction.oncomplete = () => resolve();
		transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
		transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
	});
}

async function openOutboxDb(factory: IDBFactory): Promise<IDBDatabase> {
	const request = factory.open(OUTBOX_DB, 1);
	request.onupgradeneeded = () => {
		const store = request.result.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true });
		store.createIndex(BY_OWNER, ['tenantId', 'userId']);
	};
	const db = await requestDone(request);
	// Sign-out (here or in another tab) deletes the database: let it, this outbox then keeps to memory.
	db.onversionchange = () => db.close();
	return db;
}

/** S72: every outbox on this device goes (sign-out on a shared tablet); close the outboxes first (`stop`). */
export function forgetOutboxes(factory: IDBFactory | null = globalThis.indexedDB ?? null): Promise<void> {
	if (!factory) return Promise.resolve();
	return new Promise((resolve, reject) => {
		const request = factory.deleteDatabase(OUTBOX_DB);
		request.onsuccess = () => resolve();
		request.onerror = () => reject(request.error ?? new Error('could not delete the outbox'));
		// Blocked: a connection in another tab did not close; the deletion completes when it does.
		request.onblocked = () => resolve();
	});
}

/** The commands of the first versions' localStorage outbox that this version can read. */
function readLegacy(raw: string | null): Command[] {
	if (!raw) return [];
	try {
		const parsed = z.array(z.unknown()).safeParse(JSON.parse(raw));
		return parsed.success ? parseCommands(parsed.data) : [];
	} catch {
		return [];
	}
}

/** A command this version cannot read is dropped rather than sent: the server would refuse the whole request (400). */
function parseCommands(entries: readonly unknown[]): Command[] {
	return entries.flatMap((entry) => {
		const command = commandSchema.safeParse(entry);
		return command.success ? [command.data] : [];
	});
}

/**
 * S64, S66: the next request: oldest first, at most MAX_COMMANDS_PER_REQUEST; an import (a whole file) goes alone, so that
 * every request stays within the server's body limit.
 */
export function nextBatch(pending: readonly Command[]): Command[] {
	const batch: Command[] = [];
	for (const command of pending) {
		if (command.type === 'licenses.import') return batch.length === 0 ? [command] : batch;
		batch.push(command);
		if (batch.length === MAX_COMMANDS_PER_REQUEST) break;
	}
	return batch;
}

export class CommandOutbox {
	readonly #options: OutboxOptions;
	#pending: Command[] = [];
	/** The key of each command kept in IndexedDB. */
	readonly #seqs = new Map<string, number>();
	#db: IDBDatabase | null = null;
	/** Every read and write of IndexedDB, one after the other, in the order they were asked; never rejects. */
	#io: Promise<void>;
	/** S72: resolves with the commands read back from the device (after a reload) once they are pending again. */
	readonly whenLoaded: Promise<readonly Command[]>;
	#sending: Promise<void> | null = null;
	/** True from a send's start until its last step (set back in the same step, so no request is lost in between). */
	#running = false;
	#again = false;
	#backoff = 0;
	#retry: ReturnType<typeof setTimeout> | null = null;
	#stopped = false;

	constructor(options: OutboxOptions) {
		this.#options = options;
		this.whenLoaded = this.#load();
		this.#io = this.whenLoaded.then(() => undefined);
	}

	/** The commands not confirmed by the server yet, oldest first (those kept on the device once `whenLoaded` resolved). */
	get pending(): readonly Command[] {
		return this.#pending;
	}

	/** Resolves once everything enqueued so far is kept on the device (or could not be). */
	persisted(): Promise<void> {
		return this.#io;
	}

	/**
	 * Adds a command (with a new id and the device's time), keeps it on the device, and then tries to send it. `before` runs
	 * first with the command (the optimistic change, or a check); when it throws, nothing is queued.
	 */
	enqueue(input: CommandInput, before?: (command: Command) => void): Command {
		const command = commandSchema.parse({
			...input,
			id: (this.#options.newId ?? (() => crypto.randomUUID()))(),
			at: (this.#options.now ?? (() => new Date()))().toISOString()
		});
		before?.(command);
		this.#pending = [...this.#pending, command];
		this.#options.onChange?.();
		this.#io = this.#io.then(() => this.#keep(command));
		void this.drain();
		return command;
	}

	/**
	 * S60, S64: sends what is pending, in order, until the outbox is empty; on a failure waits (1 s, 2 s, 4 s … 60 s) and tries
	 * again. Calls made while a send runs are folded into it; `online` resets the wait. Only what is kept on the device is
	 * sent (S72: enqueue persists before it sends).
	 */
	drain(): Promise<void> {
		if (this.#stopped) return Promise.resolve();
		if (this.#running && this.#sending) {
			this.#again = true;
			return this.#sending;
		}
		this.#clearRetry();
		this.#running = true;
		this.#sending = this.#run();
		return this.#sending;
	}

	/** The device is back online: try now rather than at the end of the backoff. */
	online(): void {
		this.#backoff = 0;
		void this.drain();
	}

	/** Stops sending; resolves when what was asked of IndexedDB is done and the database is closed. */
	stop(): Promise<void> {
		this.#stopped = true;
		this.#clearRetry();
		return this.#io.then(() => {
			this.#db?.close();
			this.#db = null;
		});
	}

	/** Never rejects; `#running` goes back to false in the very step that ends the run (see `drain`). */
	async #run(): Promise<void> {
		try {
			await this.#sendAll();
		} catch {
			this.#running = false;
			this.#scheduleRetry();
		}
	}

	async #sendAll(): Promise<void> {
		do {
			this.#again = false;
			await this.#io;
			while (this.#pending.length > 0 && !this.#stopped) {
				const batch = nextBatch(this.#pending);
				let results: CommandResult[];
				try {
					results = await this.#options.send(batch);
				} catch {
					// Asked again meanwhile (back online, a new command): one more try now, else wait.
					if (this.#again) break;
					this.#running = false;
					this.#scheduleRetry();
					return;
				}
				this.#backoff = 0;
				if (!this.#settle(batch, results)) {
					this.#running = false;
					this.#scheduleRetry();
					return;
				}
				await this.#io;
			}
		} while (this.#again && !this.#stopped);
		this.#running = false;
	}

	/** Removes the commands the server answered; answers false when it answered none of them (nothing to go on with). */
	#settle(batch: readonly Command[], results: readonly CommandResult[]): boolean {
		const byId = new Map(results.map((result) => [result.id, result]));
		const done: Array<{ command: Command; result: CommandResult }> = [];
		for (const command of batch) {
			const result = byId.get(command.id);
			if (!result) break; // In order: what follows an unanswered command waits for it.
			done.push({ command, result });
		}
		if (done.length === 0) return false;
		const ids = new Set(done.map(({ command }) => command.id));
		this.#pending = this.#pending.filter((command) => !ids.has(command.id));
		this.#io = this.#io.then(() => this.#forget([...ids]));
		this.#options.onChange?.();
		for (const { command, result } of done) {
			if (result.status === 'refused') this.#options.onRefused?.(command, result);
			this.#options.onResult?.(command, result);
		}
		return true;
	}

	#scheduleRetry(): void {
		if (this.#stopped) return;
		this.#backoff = this.#backoff === 0 ? FIRST_BACKOFF_MS : Math.min(this.#backoff * 2, MAX_BACKOFF_MS);
		this.#clearRetry();
		this.#retry = setTimeout(() => {
			this.#retry = null;
			void this.drain();
		}, this.#backoff);
	}

	#clearRetry(): void {
		if (this.#retry !== null) clearTimeout(this.#retry);
		this.#retry = null;
	}

	/**
	 * Reads this person's commands back (oldest first), drops what this version cannot read, and moves the first versions'
	 * localStorage outbox in (once: the key goes when IndexedDB holds its commands). Commands enqueued meanwhile follow.
	 */
	async #load(): Promise<readonly Command[]> {
		const { tenantId, userId, storage } = this.#options;
		const factory = this.#options.indexedDB === undefined ? (globalThis.indexedDB ?? null) : this.#options.indexedDB;
		const legacyKey = legacyOutboxKey(tenantId, userId);
		const legacy = readLegacy(storage?.getItem(legacyKey) ?? null);
		let loaded: Command[] = [];
		try {
			if (factory) this.#db = await openOutboxDb(factory);
		} catch {
			this.#db = null;
		}
		const db = this.#db;
		if (db) {
			try {
				const transaction = db.transaction(STORE, 'readwrite');
				const store = transaction.objectStore(STORE);
				const done = transactionDone(transaction);
				const entries = await requestDone<StoredCommand[]>(
					store.index(BY_OWNER).getAll([tenantId, userId])
				);
				for (const entry of entries) {
					const parsed = commandSchema.safeParse(entry.command);
					if (!parsed.success) {
						store.delete(entry.seq!);
						continue;
					}
					this.#seqs.set(parsed.data.id, entry.seq!);
					loaded.push(parsed.data);
				}
				const known = new Set(loaded.map((command) => command.id));
				const moved = legacy.filter((command) => !known.has(command.id));
				const keys = moved.map((command) => requestDone(store.add(this.#entry(command))));
				for (const [index, key] of (await Promise.all(keys)).entries())
					this.#seqs.set(moved[index]!.id, key as number);
				await done;
				loaded = [...loaded, ...moved];
				if (legacy.length > 0) storage?.removeItem(legacyKey);
			} catch {
				// What IndexedDB could not give back stays where it is; the legacy key stays until it is moved.
				loaded = legacy;
			}
		} else {
			// No IndexedDB: the legacy commands are sent from memory, and their key stays until a later start moves them.
			loaded = legacy;
		}
		const fresh = this.#pending.filter((command) => !loaded.some((old) => old.id === command.id));
		this.#pending = [...loaded, ...fresh];
		if (loaded.length > 0) this.#options.onChange?.();
		return loaded;
	}

	#entry(command: Command): StoredCommand {
		return { tenantId: this.#options.tenantId, userId: this.#options.userId, command };
	}

	/** Keeps one command in IndexedDB (unless it was answered meanwhile); a failure leaves it in memory only. */
	async #keep(command: Command): Promise<void> {
		const db = this.#db;
		if (!db || this.#seqs.has(command.id) || !this.#pending.includes(command)) return;
		try {
			const transaction = db.transaction(STORE, 'readwrite');
			const key = requestDone(transaction.objectStore(STORE).add(this.#entry(command)));
			await transactionDone(transaction);
			this.#seqs.set(command.id, (await key) as number);
		} catch {
			// Quota, a closed database (sign-out elsewhere): the command is still sent from memory.
		}
	}

	async #forget(ids: readonly string[]): Promise<void> {
		const db = this.#db;
		const seqs = ids.flatMap((id) => {
			const seq = this.#seqs.get(id);
			this.#seqs.delete(id);
			return seq === undefined ? [] : [seq];
		});
		if (!db || seqs.length === 0) return;
		try {
			const transaction = db.transaction(STORE, 'readwrite');
			const store = transaction.objectStore(STORE);
			for (const seq of seqs) store.delete(seq);
			await transactionDone(transaction);
		} catch {
			// Left behind: a later load sends it again and the server answers `duplicate` (S61).
		}
	}
}
