// S60-S64, S70: a person's server commands: queued in the outbox and sent when online. A scoped person's changes are
// shown at once in their local view (S63); a tenant-wide person's license commands are only checked on the device, the
// server's change arrives by sync. The screens read what is pending and how each command ended.
import { ScopedCommands } from '$lib/data/device/scoped-commands';
import { checkCommand } from '$lib/data/commands';
import { CommandOutbox, type OutboxOptions } from '$lib/data/device/outbox';
import type { TenantSource } from '$lib/data/device/scoped-tenant';
import { postCommands } from '$lib/api/commands';
import type { Command, CommandInput, CommandRefusal, CommandResult, CommandType } from '$lib/schema/commands';
import type { ImportResult, ImportIssue } from '$lib/schema/license-export';
import type { NodeProfilePatch } from '$lib/schema/tree';

/** A command the server refused (S62): which kind of change, and why, for the notice. */
export interface CommandRefusalNotice {
	readonly id: string;
	readonly type: CommandType;
	readonly code: string;
	readonly message: string;
}

/** S70: how one of this person's commands ended, as the server answered it. */
export interface CommandOutcome {
	readonly id: string;
	readonly type: CommandType;
	/** `applied` also for a retry the server had applied before (`duplicate` without a code). */
	readonly status: 'applied' | 'refused';
	/** What an import or a sync did (absent when the server answered a retry). */
	readonly summary?: ImportResult;
	readonly code?: CommandRefusal;
	readonly message?: string;
	/** Per-entry problems of a refused import. */
	readonly details?: readonly ImportIssue[];
}

/** The outcomes a screen can still ask about; older ones are forgotten. */
const MAX_OUTCOMES = 50;

export interface CommandsStateOptions {
	readonly tenantId: string;
	readonly userId: string;
	/** The tenant data on this device: a scoped person's local view document, or the live tenant document. */
	readonly doc: TenantSource['doc'];
	/**
	 * S63: apply each command to `doc` at once (a scoped view, read-only otherwise). False (S70): the tenant document is
	 * only asked whether it would refuse the command; the server's change arrives by sync.
	 */
	readonly optimistic: boolean;
	/** The first versions' outbox (localStorage), moved into IndexedDB once (S72). */
	readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
	/** Where the outbox is kept; the browser's IndexedDB by default (tests pass fake-indexeddb or null). */
	readonly indexedDB?: IDBFactory | null;
	/** After a refusal: a scoped view still shows the refused change, so the workspace asks the server's truth again. */
	readonly onRefused?: () => void;
	/** Tests send elsewhere; the app posts to /api/commands. */
	readonly send?: (commands: Command[]) => Promise<CommandResult[]>;
}

export class CommandsState {
	readonly #outbox: CommandOutbox;
	readonly #submit: (input: CommandInput) => Command;
	readonly #stop: () => Promise<void>;
	#pending = $state.raw<readonly Command[]>([]);
	#refusals = $state<CommandRefusalNotice[]>([]);
	#outcomes = $state.raw<readonly CommandOutcome[]>([]);
	readonly #onOnline = (): void => this.#outbox.online();

	constructor(options: CommandsStateOptions) {
		const outboxOptions: OutboxOptions = {
			tenantId: options.tenantId,
			userId: options.userId,
			storage: options.storage,
			...(options.indexedDB !== undefined ? { indexedDB: options.indexedDB } : {}),
			send: options.send ?? postCommands,
			onChange: () => (this.#pending = [...this.#outbox.pending]),
			onResult: (command, result) => this.#answered(command, result),
			onRefused: (command, result) => {
				this.#refusals = [
					...this.#refusals,
					{ id: command.id, type: command.type, code: result.code ?? 'invalid', message: result.message ?? '' }
				];
				options.onRefused?.();
			}
		};
		if (options.optimistic) {
			const scoped = new ScopedCommands(options.doc, outboxOptions);
			this.#outbox = scoped.outbox;
			this.#submit = (input) => scoped.submit(input);
			this.#stop = () => scoped.stop();
		} else {
			const outbox = new CommandOutbox(outboxOptions);
			this.#outbox = outbox;
			// A refusal the device can tell already (a third trial extension) is thrown here, and nothing is queued.
			this.#submit = (input) => outbox.enqueue(input, (command) => checkCommand(options.doc, command));
			this.#stop = () => outbox.stop();
		}
		this.#pending = [...this.#outbox.pending];
		if (typeof window !== 'undefined') window.addEventListener('online', this.#onOnline);
		void this.#outbox.drain();
	}

	/** How many changes made on this device the server has not confirmed yet. */
	get pending(): number {
		return this.#pending.length;
	}

	/** S70: those commands themselves, oldest first (e.g. a license whose deletion is pending). */
	get pendingCommands(): readonly Command[] {
		return this.#pending;
	}

	get refusals(): readonly CommandRefusalNotice[] {
		return this.#refusals;
	}

	/** S70: how this person's commands of this session ended, oldest first. */
	get outcomes(): readonly CommandOutcome[] {
		return this.#outcomes;
	}

	/** How the command `id` ended; undefined while it is pending (or long forgotten). */
	outcome(id: string): CommandOutcome | undefined {
		return this.#outcomes.find((outcome) => outcome.id === id);
	}

	dismissRefusals(): void {
		this.#refusals = [];
	}

	dismissOutcome(id: string): void {
		this.#outcomes = this.#outcomes.filter((outcome) => outcome.id !== id);
	}

	/** Queues any command (checked first: a refusal the device can tell is thrown and nothing is queued); answers its id. */
	submit(input: CommandInput): string {
		return this.#submit(input).id;
	}

	updateProfile(customerId: string, patch: NodeProfilePatch): void {
		this.#submit({ type: 'customer.updateProfile', customerId, patch });
	}

	createSite(customerId: string, name: string): string {
		return this.#submit({ type: 'site.create', customerId, name }).id;
	}

	renameSite(siteId: string, name: string): void {
		this.#submit({ type: 'site.rename', siteId, name });
	}

	deleteSite(siteId: string): void {
		this.#submit({ type: 'site.delete', siteId });
	}

	/** Stops sending; resolves when the outbox has closed its storage (before its database may be deleted). */
	destroy(): Promise<void> {
		if (typeof window !== 'undefined') window.removeEventListener('online', this.#onOnline);
		return this.#stop();
	}

	#answered(command: Command, result: CommandResult): void {
		const refused = result.status === 'refused' || (result.status === 'duplicate' && result.code !== undefined);
		const outcome: CommandOutcome = {
			id: command.id,
			type: command.type,
			status: refused ? 'refused' : 'applied',
			...(result.summary ? { summary: result.summary } : {}),
			...(result.code ? { code: result.code } : {}),
			...(result.message ? { message: result.message } : {}),
			...(result.details ? { details: result.details } : {})
		};
		this.#outcomes = [...this.#outcomes, outcome].slice(-MAX_OUTCOMES);
	}
}
