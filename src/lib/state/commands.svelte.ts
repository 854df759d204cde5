// S60-S64: a scoped person's changes to tenant-document data as server commands: shown at once in the local view,
// queued in the outbox, sent when online; the pending count and the refusals for the screens.
import { ScopedCommands } from '$lib/data/scoped-commands';
import type { TenantSource } from '$lib/data/scoped-tenant';
import { postCommands } from '$lib/api/commands';
import type { Command, CommandResult, CommandType } from '$lib/schema/commands';
import type { NodeProfilePatch } from '$lib/schema/tree';

/** A command the server refused (S62): which kind of change, and why, for the notice. */
export interface CommandRefusalNotice {
	readonly id: string;
	readonly type: CommandType;
	readonly code: string;
	readonly message: string;
}

export interface CommandsStateOptions {
	readonly tenantId: string;
	readonly userId: string;
	/** The scoped view's local document: commands are applied to it optimistically. */
	readonly doc: TenantSource['doc'];
	readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
	/** After a refusal: the view still shows the refused change, so the workspace asks the server's truth again. */
	readonly onRefused?: () => void;
	/** Tests send elsewhere; the app posts to /api/commands. */
	readonly send?: (commands: Command[]) => Promise<CommandResult[]>;
}

export class CommandsState {
	readonly #commands: ScopedCommands;
	#pending = $state(0);
	#refusals = $state<CommandRefusalNotice[]>([]);
	readonly #onOnline = (): void => this.#commands.outbox.online();

	constructor(options: CommandsStateOptions) {
		this.#commands = new ScopedCommands(options.doc, {
			tenantId: options.tenantId,
			userId: options.userId,
			storage: options.storage,
			send: options.send ?? postCommands,
			onChange: () => (this.#pending = this.#commands.outbox.pending.length),
			onRefused: (command, result) => {
				this.#refusals = [
					...this.#refusals,
					{ id: command.id, type: command.type, code: result.code ?? 'invalid', message: result.message ?? '' }
				];
				options.onRefused?.();
			}
		});
		this.#pending = this.#commands.outbox.pending.length;
		if (typeof window !== 'undefined') window.addEventListener('online', this.#onOnline);
		void this.#commands.outbox.drain();
	}

	/** Changes made on this device that the server has not confirmed yet. */
	get pending(): number {
		return this.#pending;
	}

	get refusals(): readonly CommandRefusalNotice[] {
		return this.#refusals;
	}

	dismissRefusals(): void {
		this.#refusals = [];
	}

	updateProfile(customerId: string, patch: NodeProfilePatch): void {
		this.#commands.submit({ type: 'customer.updateProfile', customerId, patch });
	}

	createSite(customerId: string, name: string): string {
		return this.#commands.submit({ type: 'site.create', customerId, name }).id;
	}

	renameSite(siteId: string, name: string): void {
		this.#commands.submit({ type: 'site.rename', siteId, name });
	}

	deleteSite(siteId: string): void {
		this.#commands.submit({ type: 'site.delete', siteId });
	}

	destroy(): void {
		if (typeof window !== 'undefined') window.removeEventListener('online', this.#onOnline);
		this.#commands.stop();
	}
}
