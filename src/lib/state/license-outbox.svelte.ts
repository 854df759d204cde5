// S60-S64 for License management: the one place where the license screens meet the outbox of server commands. They
// submit license commands here and read what is still pending and what the server answered.
//
// Interim: the app's CommandsState exists today only for scoped people and offers no generic submit, so this keeps its
// own CommandOutbox (the same class, its own storage key beside the person's outbox, forgotten at sign-out with it). When
// CommandsState carries license commands for every workspace, `createLicenseCommands` answers an adapter over it instead,
// and nothing else changes.
import { CommandOutbox, outboxStorageKey } from '$lib/data/outbox';
import { postCommands } from '$lib/api/commands';
import type { Command, CommandInput, CommandResult } from '$lib/schema/commands';
import { SvelteMap } from 'svelte/reactivity';

/** The license commands of the union (S60): what these screens send. */
export type LicenseCommandInput = Extract<
	CommandInput,
	{
		type:
			| 'licenses.import'
			| 'licenses.sync'
			| 'license.delete'
			| 'licensePool.move'
			| 'licenses.suspendCompany'
			| 'license.extendTrial'
			| 'license.convertTrial'
			| 'license.setTag';
	}
>;

/** What the license screens need of the outbox. */
export interface LicenseCommands {
	/** Queues a command (kept on the device, sent when online); answers its id. Throws when the command is invalid. */
	submit(input: LicenseCommandInput): string;
	/** Commands the server has not answered yet, oldest first (reactive). */
	readonly pending: readonly Command[];
	/** The server's answer to a command sent from this device since the app started, or null (reactive). */
	outcome(id: string): CommandResult | null;
	/** S62: commands the server refused since the app started (they changed nothing), oldest first (reactive). */
	readonly refusals: readonly LicenseRefusal[];
	dismissRefusals(): void;
	destroy(): void;
}

export interface LicenseRefusal {
	readonly command: Command;
	readonly result: CommandResult;
}

export interface LicenseCommandsOptions {
	readonly tenantId: string;
	readonly userId: string;
	readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
	/** Tests send elsewhere; the app posts to /api/commands. */
	readonly send?: (commands: Command[]) => Promise<CommandResult[]>;
}

/** Interim: a suffix that keeps these commands apart from the person's other outbox (same prefix: forgotten at sign-out). */
const LICENSE_OUTBOX_SUFFIX = ':licenses';

class OutboxLicenseCommands implements LicenseCommands {
	readonly #outbox: CommandOutbox;
	#pending = $state.raw<readonly Command[]>([]);
	readonly #outcomes = new SvelteMap<string, CommandResult>();
	#refusals = $state.raw<readonly LicenseRefusal[]>([]);
	readonly #onOnline = (): void => this.#outbox.online();

	constructor(options: LicenseCommandsOptions) {
		const send = options.send ?? postCommands;
		this.#outbox = new CommandOutbox({
			tenantId: options.tenantId,
			userId: `${options.userId}${LICENSE_OUTBOX_SUFFIX}`,
			storage: options.storage,
			// Every answer is kept (not only refusals): an import or a sync shows its summary, a refusal its details.
			send: async (commands) => {
				const results = await send(commands);
				for (const result of results) this.#outcomes.set(result.id, result);
				return results;
			},
			onChange: () => (this.#pending = this.#outbox.pending),
			onRefused: (command, result) => (this.#refusals = [...this.#refusals, { command, result }])
		});
		this.#pending = this.#outbox.pending;
		if (typeof window !== 'undefined') window.addEventListener('online', this.#onOnline);
		void this.#outbox.drain();
	}

	submit(input: LicenseCommandInput): string {
		return this.#outbox.enqueue(input).id;
	}

	get pending(): readonly Command[] {
		return this.#pending;
	}

	outcome(id: string): CommandResult | null {
		return this.#outcomes.get(id) ?? null;
	}

	get refusals(): readonly LicenseRefusal[] {
		return this.#refusals;
	}

	dismissRefusals(): void {
		this.#refusals = [];
	}

	destroy(): void {
		if (typeof window !== 'undefined') window.removeEventListener('online', this.#onOnline);
		this.#outbox.stop();
	}
}

/** The license commands of one person in one tenant. */
export function createLicenseCommands(options: LicenseCommandsOptions): LicenseCommands {
	return new OutboxLicenseCommands(options);
}

/** Where the interim outbox is kept (tests read it). */
export const licenseOutboxKey = (tenantId: string, userId: string): string =>
	outboxStorageKey(tenantId, `${userId}${LICENSE_OUTBOX_SUFFIX}`);
