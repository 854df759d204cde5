// S25: a connection announces presence only for awareness client ids no other person's open connection has introduced;
// S30: and only as the person it signed in as.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

interface AwarenessEntry {
	readonly client: number;
	readonly clock: number;
	readonly state: string;
}

/** The entries of an awareness update (already checked whole by `parseClientFrame`, S10). */
function readEntries(update: Uint8Array): AwarenessEntry[] {
	const decoder = decoding.createDecoder(update);
	const count = decoding.readVarUint(decoder);
	const entries: AwarenessEntry[] = [];
	for (let i = 0; i < count; i++) {
		entries.push({
			client: decoding.readVarUint(decoder),
			clock: decoding.readVarUint(decoder),
			state: decoding.readVarString(decoder)
		});
	}
	return entries;
}

function writeEntries(entries: readonly AwarenessEntry[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const entry of entries) {
		encoding.writeVarUint(encoder, entry.client);
		encoding.writeVarUint(encoder, entry.clock);
		encoding.writeVarString(encoder, entry.state);
	}
	return encoding.toUint8Array(encoder);
}

/**
 * Drops the entries of `update` whose client id `ownedByOther` says belongs to another person's connection (their presence
 * cannot be overwritten or removed). Answers the update to apply (the same bytes when nothing was dropped), null when nothing
 * is left, and how many entries were dropped.
 */
export function filterForeignAwareness(
	update: Uint8Array,
	ownedByOther: (client: number, state: string) => boolean
): { readonly update: Uint8Array | null; readonly dropped: number } {
	const entries = readEntries(update);
	const kept = entries.filter((entry) => !ownedByOther(entry.client, entry.state));
	if (kept.length === entries.length) return { update, dropped: 0 };
	return { update: kept.length === 0 ? null : writeEntries(kept), dropped: entries.length - kept.length };
}

/**
 * S30: does an awareness state (JSON text) claim to be a person other than `email`? Only `user.email` is looked at; a state
 * that does not parse, or names no email, claims nobody (clients ignore it, S30).
 */
export function claimsAnotherPerson(state: string, email: string): boolean {
	let parsed: unknown;
	try {
		parsed = JSON.parse(state);
	} catch {
		return false;
	}
	if (typeof parsed !== 'object' || parsed === null || !('user' in parsed)) return false;
	const user = (parsed as { user: unknown }).user;
	if (typeof user !== 'object' || user === null || !('email' in user)) return false;
	const claimed = (user as { email: unknown }).email;
	return typeof claimed !== 'string' || claimed.toLowerCase() !== email.toLowerCase();
}
