// S60-S64: the local outbox of server commands: kept on the device per tenant and person (survives reloads, parsed with
// zod when read), sent in order while online, retried with backoff when the server cannot be reached.
import { z } from 'zod';
import { commandSchema, type Command, type CommandInput, type CommandResult } from '../schema/commands';
import { MAX_COMMANDS_PER_REQUEST } from '../schema/commands';

/** Where the outbox is kept: one per tenant and person, so a shared device never sends one person's commands as another. */
export const outboxStorageKey = (tenantId: string, userId: string): string => `msp-portal:outbox:${tenantId}:${userId}`;

/** S64: the first retry after a failed send waits this long, doubling up to MAX_BACKOFF_MS. */
export const FIRST_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 60_000;

export interface OutboxOptions {
	readonly tenantId: string;
	readonly userId: string;
	readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
	/** POST /api/commands; rejects when the server cannot be reached or answers an error (then everything stays queued). */
	readonly send: (commands: Command[]) => Promise<CommandResult[]>;
	/** S62: a command the server refused; it has left the outbox. */
	readonly onRefused?: (command: Command, result: CommandResult) => void;
	/** After every change of what is pending. */
	readonly onChange?: () => void;
	readonly newId?: () => string;
	readonly now?: () => Date;
}

export class CommandOutbox {
	readonly #options: OutboxOptions;
	readonly #key: string;
	#pending: Command[];
	#sending: Promise<void> | null = null;
	/** True from a send's start until its last step (set back in the same step, so no request is lost in between). */
	#running = false;
	#again = false;
	#backoff = 0;
	#retry: ReturnType<typeof setTimeout> | null = null;
	#stopped = false;

	constructor(options: OutboxOptions) {
		this.#options = options;
		this.#key = outboxStorageKey(options.tenantId, options.userId);
		this.#pending = this.#read();
	}

	/** The commands not confirmed by the server yet, oldest first. */
	get pending(): readonly Command[] {
		return this.#pending;
	}

	/**
	 * Adds a command (with a new id and the device's time), keeps it on the device, and tries to send it. `before` runs
	 * first with the command (the optimistic change); when it throws, nothing is queued.
	 */
	enqueue(input: CommandInput, before?: (command: Command) => void): Command {
		const command = commandSchema.parse({
			...input,
			id: (this.#options.newId ?? (() => crypto.randomUUID()))(),
			at: (this.#options.now ?? (() => new Date()))().toISOString()
		});
		before?.(command);
		this.#pending = [...this.#pending, command];
		this.#write();
		void this.drain();
		return command;
	}

	/**
	 * S60, S64: sends what is pending, in order, until the outbox is empty; on a failure waits (1 s, 2 s, 4 s … 60 s) and tries
	 * again. Calls made while a send runs are folded into it; `online` resets the wait.
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

	stop(): void {
		this.#stopped = true;
		this.#clearRetry();
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
			while (this.#pending.length > 0 && !this.#stopped) {
				const batch = this.#pending.slice(0, MAX_COMMANDS_PER_REQUEST);
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
			}
		} while (this.#again && !this.#stopped);
		this.#running = false;
	}

	/** Removes the commands the server answered; answers false when it answered none of them (nothing to go on with). */
	#settle(batch: readonly Command[], results: readonly CommandResult[]): boolean {
		const byId = new Map(results.map((result) => [result.id, result]));
		const done = new Set<string>();
		for (const command of batch) {
			const result = byId.get(command.id);
			if (!result) break; // In order: what follows an unanswered command waits for it.
			done.add(command.id);
			if (result.status === 'refused') this.#options.onRefused?.(command, result);
		}
		if (done.size === 0) return false;
		this.#pending = this.#pending.filter((command) => !done.has(command.id));
		this.#write();
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

	#read(): Command[] {
		const raw = this.#options.storage?.getItem(this.#key);
		if (!raw) return [];
		try {
			// A command this version cannot read is dropped rather than sent: the server would refuse it whole (400).
			const parsed = z.array(z.unknown()).safeParse(JSON.parse(raw));
			if (!parsed.success) return [];
			return parsed.data.flatMap((entry) => {
				const command = commandSchema.safeParse(entry);
				return command.success ? [command.data] : [];
			});
		} catch {
			return [];
		}
	}

	#write(): void {
		const storage = this.#options.storage;
		if (this.#pending.length === 0) storage?.removeItem(this.#key);
		else storage?.setItem(this.#key, JSON.stringify(this.#pending));
		this.#options.onChange?.();
	}
}
