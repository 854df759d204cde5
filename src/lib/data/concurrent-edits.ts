// F2 (S31): notices when a change from the relay and an edit made on this device set the same field concurrently,
// on both sides of the merge: where the other device's value replaced ours, and where ours stayed and theirs was dropped.
import * as Y from 'yjs';
import type { z } from 'zod';

/** What a replica knows about where its document's changes come from. */
export interface ChangeSources {
	/** True for a transaction applied by the relay's connection (y-websocket's provider is its origin); false for the IndexedDB load. */
	fromRelay(origin: unknown): boolean;
	/** Yjs client ids of earlier sessions of this device whose changes the server has not confirmed yet (S6). */
	unconfirmedClients(): Iterable<number>;
	/**
	 * F2: is the change of `client` at `clock` one of this device's that the server has not confirmed yet (S6)? Without
	 * it, every change of this session and of the unconfirmed earlier ones counts.
	 */
	isUnconfirmed?(client: number, clock: number): boolean;
}

/** F2: a record that a change from the relay deleted while it held this device's unconfirmed edit of it. */
export interface DeletedRecordEdit {
	readonly recordId: string;
	/** The record's fields as they were just before the deletion (plain values only), to name it. */
	readonly fields: Readonly<Record<string, unknown>>;
}

/** One field of one record that two devices set concurrently; every replica keeps the same value (Yjs decides). */
export interface FieldConflict {
	readonly recordId: string;
	readonly field: string;
	/** The value the document holds now, on every device. */
	readonly kept: unknown;
	/**
	 * The concurrent value that was not kept, or null when its content never reached this device: a value that lost on
	 * the relay's copy is dropped there (Yjs gc) before it is forwarded, so the device whose value stayed may learn only
	 * that another device's concurrent edit was not kept.
	 */
	readonly notKept: { readonly value: unknown } | null;
	/** True when this device's value is the one kept; false when this device's value was replaced. */
	readonly keptOurs: boolean;
}

/**
 * How far back through one field's earlier values the search goes. A field's values form a list in the document (one
 * item per write); a field rewritten more often than this still converges, only a conflict that deep goes unreported.
 */
const MAX_WALK = 1000;

/**
 * The field conflicts a transaction brought into `records` (a map of records, each a `Y.Map` of fields). `own` are the
 * Yjs clients that wrote on this device. In a `Y.Map` every write of a key is an item whose `origin` is the item its
 * writer replaced; concurrent writes share an earlier origin, Yjs orders them by client id and the last one wins.
 */
export function findConcurrentEdits<Entry>(
	transaction: Y.Transaction,
	records: Y.Map<Entry>,
	own: ReadonlySet<number>
): FieldConflict[] {
	const conflicts: FieldConflict[] = [];
	for (const [type, keys] of transaction.changed) {
		const record = type._item;
		if (!(type instanceof Y.Map) || record === null || record.parent !== records || record.parentSub === null) continue;
		if (record.deleted) continue;
		for (const key of keys) {
			if (key === null) continue;
			const conflict = conflictAt(transaction, type, key, own);
			if (conflict) conflicts.push({ recordId: record.parentSub, field: key, ...conflict });
		}
	}
	return conflicts;
}

type Outcome = Pick<FieldConflict, 'kept' | 'notKept' | 'keptOurs'>;

function conflictAt(transaction: Y.Transaction, map: Y.Map<unknown>, key: string, own: ReadonlySet<number>): Outcome | null {
	const current = map._map.get(key);
	if (current === undefined || current.deleted) return null;
	const isNew = (item: Y.Item): boolean => item.id.clock >= (transaction.beforeState.get(item.id.client) ?? 0);

	if (isNew(current)) {
		// The relay's value is the field's value now. The value before it is the first older item to its left.
		if (own.has(current.id.client)) return null;
		let previous: Y.Item | null = current.left;
		for (let steps = 0; previous !== null && isNew(previous) && steps < MAX_WALK; steps += 1) previous = previous.left;
		if (previous === null || isNew(previous) || !own.has(previous.id.client)) return null;
		// A field deleted earlier held no value of ours to replace.
		if (!Y.isDeleted(transaction.deleteSet, previous.id)) return null;
		if (replaced(current, previous)) return null;
		return outcome(current, previous, false);
	}

	// Our value stayed. A concurrent write from elsewhere that lost sits to its left, deleted as it arrived.
	if (!own.has(current.id.client)) return null;
	let item: Y.Item | null = current.left;
	for (let steps = 0; item !== null && steps < MAX_WALK; item = item.left, steps += 1) {
		if (isNew(item)) {
			if (!own.has(item.id.client)) return outcome(current, item, true);
		} else if (!own.has(item.id.client)) {
			// Older history from elsewhere: what lies beyond it was settled before this transaction.
			return null;
		}
	}
	return null;
}

/**
 * True when `later`'s writer had seen `earlier` (a sequential edit, not a conflict). Follows the origins from `later`
 * leftwards: reaching `earlier` means it was seen; passing it means the chain started before it.
 */
function replaced(later: Y.Item, earlier: Y.Item): boolean {
	let cursor = later;
	for (let scan = later.left, steps = 0; cursor.origin !== null && scan !== null && steps < MAX_WALK; scan = scan.left, steps += 1) {
		if (containsId(scan, cursor.origin)) {
			if (scan === earlier) return true;
			cursor = scan;
		} else if (scan === earlier) {
			return false;
		}
	}
	return false;
}

function containsId(item: Y.Item, id: Y.ID): boolean {
	return item.id.client === id.client && id.clock >= item.id.clock && id.clock < item.id.clock + item.length;
}

function outcome(keptItem: Y.Item, notKeptItem: Y.Item, keptOurs: boolean): Outcome | null {
	const kept = plainValue(keptItem);
	// A nested shared type is not a field value.
	if (kept === null) return null;
	if (notKeptItem.content instanceof Y.ContentDeleted) return { kept: kept.value, notKept: null, keptOurs };
	const notKept = plainValue(notKeptItem);
	// Both devices wrote the same value: nothing was lost.
	if (notKept === null || sameJson(kept.value, notKept.value)) return null;
	return { kept: kept.value, notKept, keptOurs };
}

function plainValue(item: Y.Item): { value: unknown } | null {
	if (!(item.content instanceof Y.ContentAny)) return null;
	const values: unknown[] = item.content.getContent();
	const value = values[values.length - 1];
	return value instanceof Y.AbstractType ? null : { value };
}

/** Deep equality of JSON values, independent of key order. */
export function sameJson(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Array.isArray(a) !== Array.isArray(b)) return false;
	const aKeys = Object.keys(a);
	const bKeys = Object.keys(b);
	if (aKeys.length !== bKeys.length) return false;
	const aRecord = a as Record<string, unknown>;
	const bRecord = b as Record<string, unknown>;
	return aKeys.every((key) => Object.hasOwn(bRecord, key) && sameJson(aRecord[key], bRecord[key]));
}

/**
 * Calls `listener` with the field conflicts of every transaction the relay applies to `records`. Local edits and the
 * IndexedDB load are never conflicts. Runs after the observers and before Yjs drops the content of deleted items.
 */
export function watchConcurrentEdits<Entry>(
	doc: Y.Doc,
	records: Y.Map<Entry>,
	sources: ChangeSources,
	listener: (conflicts: FieldConflict[]) => void
): () => void {
	const onTransaction = (transaction: Y.Transaction): void => {
		if (transaction.local || !sources.fromRelay(transaction.origin)) return;
		// Most transactions touch other parts of the document (licenses, notes): nothing to look at, nothing to build.
		if (![...transaction.changed.keys()].some((type) => type._item?.parent === records)) return;
		const own = new Set([doc.clientID, ...sources.unconfirmedClients()]);
		const conflicts = findConcurrentEdits(transaction, records, own);
		if (conflicts.length > 0) listener(conflicts);
	};
	doc.on('afterTransaction', onTransaction);
	return () => doc.off('afterTransaction', onTransaction);
}

/** A conflict whose values parsed with their field's schema, typed per field. */
export type FieldEdit<Fields> = {
	[K in keyof Fields & string]: {
		readonly recordId: string;
		readonly field: K;
		readonly kept: Fields[K];
		readonly notKept: { readonly value: Fields[K] } | null;
		readonly keptOurs: boolean;
	};
}[keyof Fields & string];

/** The conflicts of known fields whose both values parse; anything else is left out (the relay undoes invalid values, S22). */
export function parseFieldEdits<Shape extends Record<string, z.ZodType>>(
	fields: Shape,
	conflicts: readonly FieldConflict[]
): FieldEdit<{ [K in keyof Shape]: z.output<Shape[K]> }>[] {
	const edits: FieldEdit<{ [K in keyof Shape]: z.output<Shape[K]> }>[] = [];
	for (const conflict of conflicts) {
		if (!Object.hasOwn(fields, conflict.field)) continue;
		const schema = fields[conflict.field]!;
		const kept = schema.safeParse(conflict.kept);
		const notKept = conflict.notKept === null ? null : schema.safeParse(conflict.notKept.value);
		if (!kept.success || (notKept !== null && !notKept.success)) continue;
		const edit = { ...conflict, kept: kept.data, notKept: notKept === null ? null : { value: notKept.data } };
		// The field name and both values were checked against the same schema entry just above.
		edits.push(edit as FieldEdit<{ [K in keyof Shape]: z.output<Shape[K]> }>);
	}
	return edits;
}

/**
 * F2: calls `listener` when a change from the relay deletes records of `records` that hold an edit of this device the
 * server had not confirmed when the deletion arrived. The server stores and confirms in order (S5): an edit it had not
 * confirmed was not seen by the device that deleted the record, so the edit is lost, and said so instead of silently.
 * Runs before Yjs drops the content of the deleted items, so the record can still be named.
 */
export function watchDeletedRecordEdits<Entry>(
	doc: Y.Doc,
	records: Y.Map<Entry>,
	sources: ChangeSources,
	listener: (deleted: DeletedRecordEdit[]) => void
): () => void {
	const onTransaction = (transaction: Y.Transaction): void => {
		if (transaction.local || !sources.fromRelay(transaction.origin)) return;
		const root: unknown = records;
		const keys = [...transaction.changed].find(([type]) => type === root)?.[1];
		if (keys === undefined) return;
		const earlier = new Set([doc.clientID, ...sources.unconfirmedClients()]);
		const unconfirmed = (id: Y.ID): boolean =>
			sources.isUnconfirmed ? sources.isUnconfirmed(id.client, id.clock) : earlier.has(id.client);
		const deleted: DeletedRecordEdit[] = [];
		for (const key of keys) {
			if (key === null) continue;
			// The record's item may have been replaced since; every item of the key this transaction deleted counts.
			for (let item = records._map.get(key) ?? null; item !== null; item = item.left) {
				if (!Y.isDeleted(transaction.deleteSet, item.id) || !(item.content instanceof Y.ContentType)) continue;
				const record = item.content.type;
				if (!(record instanceof Y.Map)) continue;
				const edited = recordItems(record).some((field) => unconfirmed(field.id));
				if (edited) deleted.push({ recordId: key, fields: recordFields(record) });
				break;
			}
		}
		if (deleted.length > 0) listener(deleted);
	};
	doc.on('afterTransaction', onTransaction);
	return () => doc.off('afterTransaction', onTransaction);
}

/** Every item ever written into a record's fields (the current ones and those they replaced). */
function recordItems(record: Y.Map<unknown>): Y.Item[] {
	const items: Y.Item[] = [];
	for (const last of record._map.values())
		for (let item: Y.Item | null = last, steps = 0; item !== null && steps < MAX_WALK; item = item.left, steps += 1)
			items.push(item);
	return items;
}

/** The last value of each field of a record (deleted with it, but still there until the transaction ends). */
function recordFields(record: Y.Map<unknown>): Record<string, unknown> {
	const fields: Record<string, unknown> = {};
	for (const [key, item] of record._map) {
		const value = item.content instanceof Y.ContentAny ? plainValue(item) : null;
		if (value !== null) Object.defineProperty(fields, key, { value: value.value, enumerable: true });
	}
	return fields;
}
