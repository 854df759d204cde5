// S23 (found by the convergence fuzz, S149): Yjs keeps an update's structs aside while one of their dependencies is
// missing (an earlier update of the same client, the item they were inserted next to), but it applies the update's
// deletions at once. A field set is "insert the new value, delete the old one": applied alone, the deletion leaves the
// record without the field, the review (S22) finds it invalid and "compensates" a valid edit. So an update whose structs
// do not all integrate is applied without its deletions; they are held here, in memory beside the room (like the structs
// Yjs holds, never stored), and applied in the transaction in which those structs integrate.
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';

interface Held {
	/** The update's delete set alone, as an update. */
	readonly deletions: Uint8Array;
	/** Per client, the clock the document's state must reach: every struct of the update has integrated. */
	readonly needs: ReadonlyMap<number, number>;
}

type Struct = Y.Item | Y.GC | Y.Skip;

/** Per client, where the update's structs end (a Skip is a gap that is not the update's, so it does not count). */
function endsOf(structs: readonly Struct[]): Map<number, number> {
	const ends = new Map<number, number>();
	for (const struct of structs) {
		if (struct instanceof Y.Skip) continue;
		const { client, clock } = struct.id;
		ends.set(client, Math.max(ends.get(client) ?? 0, clock + struct.length));
	}
	return ends;
}

/** Does an id point at something the document does not hold and the update does not bring? */
const missing = (doc: Y.Doc, brings: ReadonlyMap<number, number>, id: Y.ID | null): boolean =>
	id !== null && id.clock >= Math.max(Y.getState(doc.store, id.client), brings.get(id.client) ?? 0);

/**
 * True when some struct of the update cannot integrate now (Yjs's own dependency rule: its client's earlier clocks, its
 * left and right origins, its parent item). It may answer true for what would integrate (a Skip, an order Yjs resolves
 * itself): the caller then takes the slower path, which decides from the document's state after the structs applied.
 */
function mayWait(doc: Y.Doc, structs: readonly Struct[]): boolean {
	const brings = new Map<number, number>();
	for (const struct of structs) {
		const { client, clock } = struct.id;
		if (struct instanceof Y.Skip) return true;
		const reached = Math.max(Y.getState(doc.store, client), brings.get(client) ?? 0);
		if (clock > reached) return true;
		brings.set(client, Math.max(reached, clock + struct.length));
	}
	for (const struct of structs) {
		if (!(struct instanceof Y.Item)) continue;
		if (missing(doc, brings, struct.origin) || missing(doc, brings, struct.rightOrigin)) return true;
		if (struct.parent instanceof Y.ID && missing(doc, brings, struct.parent)) return true;
	}
	return false;
}

/** The update's structs alone (its delete set left empty), written as Yjs writes them (v1). */
function structsOnly(structs: readonly Struct[]): Uint8Array {
	const encoder = new Y.UpdateEncoderV1();
	const runs: Struct[][] = [];
	for (const struct of structs) {
		const run = runs.at(-1);
		if (run !== undefined && run[0]!.id.client === struct.id.client) run.push(struct);
		else runs.push([struct]);
	}
	encoding.writeVarUint(encoder.restEncoder, runs.length);
	for (const run of runs) {
		encoding.writeVarUint(encoder.restEncoder, run.length);
		encoder.writeClient(run[0]!.id.client);
		encoding.writeVarUint(encoder.restEncoder, run[0]!.id.clock);
		for (const struct of run) struct.write(encoder, 0);
	}
	encoding.writeVarUint(encoder.restEncoder, 0);
	return encoder.toUint8Array();
}

/** The update's delete set alone: diffUpdate against a state vector past every struct keeps only the deletions. */
function deletionsOnly(update: Uint8Array, structs: readonly Struct[]): Uint8Array {
	const beyond = new Map<number, number>();
	for (const struct of structs) {
		const end = struct.id.clock + struct.length;
		if (end > (beyond.get(struct.id.client) ?? 0)) beyond.set(struct.id.client, end);
	}
	const stateVector = encoding.createEncoder();
	encoding.writeVarUint(stateVector, beyond.size);
	for (const [client, clock] of beyond) {
		encoding.writeVarUint(stateVector, client);
		encoding.writeVarUint(stateVector, clock);
	}
	return Y.diffUpdate(update, encoding.toUint8Array(stateVector));
}

/** The deletions a room holds back until their structs integrate (one per loaded document; bounded by the room, S10). */
export class HeldDeletions {
	#held: Held[] = [];

	/** Bytes held: they count with what Yjs holds against maxFrameBytes (S10). */
	get bytes(): number {
		return this.#held.reduce((sum, held) => sum + held.deletions.byteLength, 0);
	}

	/** Something of an earlier update waits (its structs or deletions): the next update may complete it. */
	waiting(doc: Y.Doc): boolean {
		return this.#held.length > 0 || doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
	}

	/**
	 * Applies a decoded-valid update (S10) in one transaction of `origin`: whole when all its structs integrate now;
	 * otherwise its structs, and its deletions once they integrate. Deletions held earlier whose structs integrated in this
	 * transaction are applied in it too, so the review sees each client transaction whole.
	 */
	apply(doc: Y.Doc, update: Uint8Array, origin: unknown): void {
		const { structs } = Y.decodeUpdate(update) as { structs: Struct[] };
		doc.transact(() => {
			if (!mayWait(doc, structs)) Y.applyUpdate(doc, update, origin);
			else {
				Y.applyUpdate(doc, structsOnly(structs), origin);
				const ends = endsOf(structs);
				const deletions = deletionsOnly(update, structs);
				if (this.#integrated(doc, ends)) Y.applyUpdate(doc, deletions, origin);
				else this.#held.push({ deletions, needs: ends });
			}
			if (this.#held.length === 0) return;
			const ready = this.#held.filter((held) => this.#integrated(doc, held.needs));
			if (ready.length === 0) return;
			this.#held = this.#held.filter((held) => !ready.includes(held));
			Y.applyUpdate(doc, Y.mergeUpdates(ready.map((held) => held.deletions)), origin);
		}, origin);
	}

	#integrated(doc: Y.Doc, needs: ReadonlyMap<number, number>): boolean {
		for (const [client, clock] of needs) if (Y.getState(doc.store, client) < clock) return false;
		return true;
	}
}
