// Errors every Store implementation throws the same way, so callers (auth, CLI, relay) can tell them apart.

/** Emails are unique across the server. */
export class EmailTakenError extends Error {
	readonly code = 'email_taken';
	constructor() {
		super('a user with this email already exists');
		this.name = 'EmailTakenError';
	}
}

/** A compaction that would drop updates it has not seen, or undo a newer snapshot. */
export class StaleCompactionError extends Error {
	readonly code = 'stale_compaction';
	constructor(docName: string, throughSeq: number, snapshotSeq: number, lastSeq: number) {
		super(`cannot compact ${docName} through ${throughSeq}: snapshot is at ${snapshotSeq}, last update at ${lastSeq}`);
		this.name = 'StaleCompactionError';
	}
}
