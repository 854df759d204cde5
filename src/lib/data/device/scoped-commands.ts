// S63: server commands on a scoped device: each change is applied at once to the local view document (which is never
// synced) and queued in the outbox; a view written over it later gets the unconfirmed changes applied again.
import type * as Y from 'yjs';
import type { Command, CommandInput } from '../../schema/commands';
import { applyCommand } from '../commands';
import { CommandOutbox, type OutboxOptions } from './outbox';
import { VIEW_ORIGIN } from '../scoped-view';

/** Transaction origin of a command's optimistic change in the local view document. */
export const OUTBOX_ORIGIN = 'outbox';

export class ScopedCommands {
	readonly outbox: CommandOutbox;
	readonly #doc: Y.Doc;
	#stopped = false;
	readonly #onTransaction = (transaction: Y.Transaction): void => {
		if (transaction.origin === VIEW_ORIGIN) this.#apply(this.outbox.pending);
	};

	constructor(doc: Y.Doc, options: OutboxOptions) {
		this.#doc = doc;
		this.outbox = new CommandOutbox(options);
		doc.on('afterTransaction', this.#onTransaction);
		// S72: the view cached on the device was written before the commands kept in IndexedDB were read back. (Commands
		// submitted meanwhile are applied already.)
		void this.outbox.whenLoaded.then((loaded) => {
			if (!this.#stopped) this.#apply(loaded);
		});
	}

	/** Shows the change at once and queues it; a change the local view cannot take throws (a DomainError), nothing queued. */
	submit(input: CommandInput): Command {
		return this.outbox.enqueue(input, (command) => this.#applyLocally(command));
	}

	/** Resolves once the outbox has closed its storage. */
	stop(): Promise<void> {
		this.#stopped = true;
		this.#doc.off('afterTransaction', this.#onTransaction);
		return this.outbox.stop();
	}

	#applyLocally(command: Command): void {
		this.#doc.transact(() => applyCommand(this.#doc, command), OUTBOX_ORIGIN);
	}

	#apply(commands: readonly Command[]): void {
		for (const command of commands) {
			try {
				this.#applyLocally(command);
			} catch {
				// No longer applicable to what the server sent (the customer went, the site exists): the server will answer.
			}
		}
	}
}
