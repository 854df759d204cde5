// S25: a connection announces presence only for awareness client ids no other person's open connection has introduced;
// S30, S43: and only as the person it signed in as, in the shape the app reads (the relay rewrites each entry).
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
 * Passes each entry of `update` through `decide`: the state (JSON text; `null` for a removal) to apply instead, or null to
 * drop the entry. Answers the update to apply (the same bytes when nothing changed), null when nothing is left, and how many
 * entries were dropped.
 */
export function rewriteAwareness(
	update: Uint8Array,
	decide: (client: number, state: string) => string | null
): { readonly update: Uint8Array | null; readonly dropped: number } {
	const entries = readEntries(update);
	const kept: AwarenessEntry[] = [];
	let changed = false;
	for (const entry of entries) {
		const state = decide(entry.client, entry.state);
		if (state === null) continue;
		if (state !== entry.state) changed = true;
		kept.push(state === entry.state ? entry : { ...entry, state });
	}
	const dropped = entries.length - kept.length;
	if (dropped === 0 && !changed) return { update, dropped };
	return { update: kept.length === 0 ? null : writeEntries(kept), dropped };
}
