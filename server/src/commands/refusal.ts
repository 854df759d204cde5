// S62: a command refused inside (or before) the document's change: thrown to leave the documents untouched.
import type { CommandRefusal } from '../../../src/lib/schema/commands';

export class Refusal extends Error {
	constructor(
		readonly code: CommandRefusal,
		message: string
	) {
		super(message);
	}
}
