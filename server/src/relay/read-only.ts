// S8: would an update change a document? Used to refuse writes of read-only connections while letting their no-op sync step 2 through.
import * as Y from 'yjs';

/**
 * True when `update` holds a struct the document does not have, or deletes an item the document has not deleted.
 * A client's sync step 2 always carries its whole delete set (Y.encodeStateAsUpdate does), so deletions are compared
 * with the document's own delete set rather than counted. `update` must already have been checked with Y.decodeUpdate.
 */
export function updateChangesDoc(doc: Y.Doc, update: Uint8Array): boolean {
	const { structs, ds } = Y.decodeUpdate(update);
	const stateVector = Y.decodeStateVector(Y.encodeStateVector(doc));
	for (const struct of structs) {
		// A Skip marks a gap in the sender's encoding, not content.
		if (struct instanceof Y.Skip) continue;
		if ((stateVector.get(struct.id.client) ?? 0) < struct.id.clock + struct.length) return true;
	}
	if (ds.clients.size === 0) return false;
	const own = Y.createDeleteSetFromStructStore(doc.store);
	return !Y.equalDeleteSets(own, Y.mergeDeleteSets([own, ds]));
}
