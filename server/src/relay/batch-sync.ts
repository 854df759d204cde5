// S120-S125: the parts of the batched catch-up (POST /api/sync/batch) that need no loaded document: checking an entry
// before anything is done for it, and answering a read of a document nobody has loaded from the store alone.
import * as Y from 'yjs';
import { CLOSE, type RejectedItem, type RejectedMessage } from '../../../src/lib/data/sync/protocol';
import type { BatchAnswer, BatchRequestEntry } from '../../../src/lib/data/sync/batch';
import type { DocName } from '../../../src/lib/schema/ids';
import type { DocStore } from '../store/types';
import type { DocAccess } from './types';

/** Items listed in a rejected notice (S24); `total` still counts them all. */
const MAX_REJECTED_LISTED = 1000;
/** What `Y.encodeStateAsUpdate` answers for an empty document. */
const EMPTY_UPDATE = new Uint8Array([0, 0]);

export function refusedAnswer(docName: DocName, code: number, reason: string): BatchAnswer {
	return { docName, status: 'refused', code, reason };
}

/**
 * S121, S123: an entry is refused before anything is loaded for it: no access (4403), a customer the tenant's tree does
 * not hold (1013, the same answer for another tenant's, S40), a state vector or update that does not decode (4400), an
 * update above the frame limit (4413). `access` null: authorizing failed (1011). Answers null when the entry may go on.
 */
export function checkEntry(
	entry: BatchRequestEntry,
	access: DocAccess | null,
	maxUpdateBytes: number
): BatchAnswer | null {
	const { docName } = entry;
	if (access === null) return refusedAnswer(docName, CLOSE.serverError, 'server error');
	if (access === 'none') return refusedAnswer(docName, CLOSE.forbidden, 'no access to this document');
	if (access === 'unknown') return refusedAnswer(docName, CLOSE.tryAgainLater, 'unknown document, try later');
	try {
		Y.decodeStateVector(entry.stateVector);
	} catch {
		return refusedAnswer(docName, CLOSE.malformed, 'malformed state vector');
	}
	if (entry.update === null) return null;
	if (entry.update.byteLength > maxUpdateBytes) return refusedAnswer(docName, CLOSE.tooLarge, 'update too large');
	try {
		// Y.applyUpdate reads lazily and can integrate half a garbage update before it throws (S10, frames.ts).
		Y.decodeUpdate(entry.update);
	} catch {
		return refusedAnswer(docName, CLOSE.malformed, 'malformed update');
	}
	return null;
}

/**
 * S122: a read of a document that is not loaded, from the store alone (no Y.Doc, no room): the snapshot and the updates
 * after it, as the store committed them in one read, merged, then diffed against the device's state vector. Whatever a
 * concurrent commit adds is either in that read or comes with the next exchange: the store only holds committed updates
 * (S5), so the answer never holds anything that was not stored.
 */
export async function readStored(
	store: DocStore,
	name: string,
	docName: DocName,
	stateVector: Uint8Array
): Promise<BatchAnswer> {
	const stored = await store.load(name);
	const parts = stored.snapshot === null ? [...stored.updates] : [stored.snapshot, ...stored.updates];
	const merged = parts.length === 0 ? EMPTY_UPDATE : parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
	return {
		docName,
		status: 'ok',
		update: Y.diffUpdate(merged, stateVector),
		stateVector: Y.encodeStateVectorFromUpdate(merged),
		head: stored.lastSeq,
		rejected: null
	};
}

/** S24 in an answer: what the server undid of the entry's update, or null. */
export function rejectedNotice(docName: DocName, items: readonly RejectedItem[]): RejectedMessage | null {
	if (items.length === 0) return null;
	return { docName, total: items.length, items: items.slice(0, MAX_REJECTED_LISTED) };
}
