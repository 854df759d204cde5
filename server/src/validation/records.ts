// The machinery behind every document validator (S21, S22): finds what a transaction touched, checks it, and undoes what is invalid.
import * as Y from 'yjs';
import type { z } from 'zod';
import {
	VALIDATION_ORIGIN,
	type RejectedItem,
	type Review,
	type RolePolicy,
	type RoomValidation,
	type Writer
} from './types';
import { Acceptances, describeNewEntry, describeRecordChange, MAX_ACCEPTED_PER_REVIEW } from './accepted';
import {
	deleteHiddenItems,
	hasListContent,
	isPlainJson,
	readEntry,
	hasHiddenItems,
	newItemsCheck,
	NOT_CHECKED,
	type HiddenCheck,
	sameJson,
	type Entry,
	type SharedItems
} from './plain';

/** Something wrong with a record. `field`: only that field is wrong and can be put back; absent: the whole record is. */
export interface Issue {
	readonly code: string;
	readonly field?: string;
}

export interface CheckContext {
	readonly doc: Y.Doc;
	/** The record's last valid value (plain JSON), if it ever had one. */
	readonly previous: unknown;
	/**
	 * Only while a client's change is reviewed (absent when a document loads or a server change is accepted): the last
	 * valid value of another record of the same collection, for rules that depend on it (C7: a customer's status).
	 */
	readonly lastValidOf?: (id: string) => unknown;
}

/**
 * A root Y.Map whose entries are records keyed by id: `fields` records are a Y.Map of plain field values each (so that
 * concurrent edits of different fields merge), `value` records are one plain value.
 */
export interface MapCollection {
	readonly shape: 'map';
	readonly root: string;
	readonly itemType: string;
	readonly record: 'fields' | 'value';
	/** Issues of the record (plain JSON: a `fields` record's toJSON, or the `value`); empty when it is valid. */
	check(id: string, value: unknown, context: CheckContext): Issue[];
}

/** A root Y.Array of plain values (notes): entries are never edited in place, so an invalid new entry is deleted. */
export interface ArrayCollection {
	readonly shape: 'array';
	readonly root: string;
	readonly itemType: string;
	check(value: unknown): Issue[];
	/** The entry's id for the audit log and the client, when it has a usable one. */
	idOf(value: unknown): string | null;
}

export type Collection = MapCollection | ArrayCollection;

/** Item type of a whole top-level shared type (an unknown one, or a known one holding content of the wrong shape). */
export const SHARED_TYPE = 'sharedType';

/** Maps zod's issues to fields; an unknown key is an issue of that key's field, so only it is removed. */
export function zodIssues(error: z.ZodError): Issue[] {
	const issues: Issue[] = [];
	for (const issue of error.issues) {
		if (issue.code === 'unrecognized_keys') {
			for (const key of issue.keys) issues.push({ code: 'unknownField', field: key });
			continue;
		}
		const head = issue.path[0];
		issues.push(typeof head === 'string' ? { code: 'invalidRecord', field: head } : { code: 'invalidRecord' });
	}
	return issues;
}

/** Ids on the wire are at most 64 characters (a key written by a client may be anything). */
function clip(id: string): string {
	return id.length === 0 ? '-' : id.slice(0, 64);
}

/** S36: thrown by `review` as soon as one update has more undone items than allowed; the relay refuses the whole frame. */
export class TooManyRejectedError extends Error {
	constructor(readonly limit: number) {
		super(`more than ${limit} changes of one update would be undone`);
		this.name = 'TooManyRejectedError';
	}
}

/** The undone items of one review, counted as they are found so that the review stops at the cap (S36). */
class Rejections {
	readonly items: RejectedItem[] = [];
	constructor(readonly max: number) {}

	add(item: RejectedItem): void {
		this.items.push(item);
		if (this.items.length > this.max) throw new TooManyRejectedError(this.max);
	}
}

/** Deletes every live entry of a shared type (map entries and list content); true when there was any. */
function clearContent(type: SharedItems, transaction: Y.Transaction, which: 'map' | 'list' | 'both'): boolean {
	let cleared = false;
	if (which !== 'list') {
		for (const [key, item] of type._map) {
			if (deleteHiddenItems(type, key, transaction)) cleared = true;
			if (item.deleted) continue;
			item.delete(transaction);
			cleared = true;
		}
	}
	if (which !== 'map') {
		for (let item = type._start; item !== null; item = item.right) {
			if (item.deleted) continue;
			item.delete(transaction);
			cleared = true;
		}
	}
	return cleared;
}

interface Known {
	readonly json: unknown;
	/** The Y.Map of a `fields` record that held this state: a record replaced by another Y.Map is recreated, not patched. */
	readonly map: Y.Map<unknown> | null;
}

/** Clock ranges a transaction created, per client: which entries of an array are new. */
type NewRanges = Map<number, Array<readonly [number, number]>>;

/** Does [clock, clock + length) overlap what the reviewed transactions created? */
function isNew(ranges: NewRanges, client: number, clock: number, length = 1): boolean {
	return (ranges.get(client) ?? []).some(([from, to]) => clock < to && clock + length > from);
}

export class CollectionsValidation implements RoomValidation {
	readonly invalidAtLoad: RejectedItem[] = [];
	readonly #doc: Y.Doc;
	readonly #policy: RolePolicy;
	readonly #collections = new Map<string, Collection>();
	readonly #lastValid = new Map<string, Map<string, Known>>();
	/** Per top-level name, the keys touched since the last review (null: list content). */
	#dirty = new Map<string, Set<string | null>>();
	#created: NewRanges = new Map();
	/** S38: how a review finds live items hidden beside a key's current one (only among what it created, see plain.ts). */
	#hidden: HiddenCheck = hasHiddenItems;
	readonly #onTransaction = (transaction: Y.Transaction): void => this.#collect(transaction);

	constructor(doc: Y.Doc, collections: readonly Collection[], policy: RolePolicy) {
		this.#doc = doc;
		this.#policy = policy;
		for (const collection of collections) {
			this.#collections.set(collection.root, collection);
			if (collection.shape === 'array') {
				const array = doc.getArray<unknown>(collection.root);
				for (let item = array._start; item !== null; item = item.right) {
					if (item.deleted) continue;
					for (const value of arrayValues(item)) {
						const code = this.#arrayValueCode(collection, value);
						if (code !== null)
							this.invalidAtLoad.push({ itemType: collection.itemType, id: arrayId(collection, value), code });
					}
				}
				continue;
			}
			const known = new Map<string, Known>();
			this.#lastValid.set(collection.root, known);
			const root = doc.getMap<unknown>(collection.root);
			for (const id of root._map.keys()) {
				const entry = readEntry(root, id);
				if (entry.kind === 'absent') continue;
				const issues = this.#recordIssues(collection, id, entry, undefined);
				if (issues.length === 0) known.set(id, snapshot(entry));
				else this.invalidAtLoad.push({ itemType: collection.itemType, id: clip(id), code: issues[0]!.code });
			}
		}
		for (const [name, type] of doc.share) {
			if (this.#collections.has(name)) continue;
			if (type._map.size > 0 || type._start !== null)
				this.invalidAtLoad.push({ itemType: SHARED_TYPE, id: clip(name), code: 'unknownType' });
		}
		doc.on('afterTransaction', this.#onTransaction);
	}

	review(writer: Writer, maxRejected = Number.POSITIVE_INFINITY, maxAccepted = MAX_ACCEPTED_PER_REVIEW): Review {
		const dirty = this.#dirty;
		const created = this.#created;
		this.#dirty = new Map();
		this.#created = new Map();
		const rejected = new Rejections(maxRejected);
		const accepted = new Acceptances(maxAccepted);
		const result = (): Review => ({
			rejected: rejected.items,
			accepted: accepted.items,
			acceptedTotal: accepted.total
		});
		if (dirty.size === 0) return result();
		this.#hidden = newItemsCheck(this.#doc, created);
		try {
			this.#transactReview(dirty, created, writer, rejected, accepted);
		} finally {
			this.#hidden = hasHiddenItems;
		}
		return result();
	}

	#transactReview(
		dirty: Map<string, Set<string | null>>,
		created: NewRanges,
		writer: Writer,
		rejected: Rejections,
		accepted: Acceptances
	): void {
		this.#doc.transact((transaction) => {
			for (const [name, keys] of dirty) {
				const collection = this.#collections.get(name);
				const type = this.#doc.share.get(name);
				if (collection === undefined) {
					if (type && clearContent(type, transaction, 'both'))
						rejected.add({ itemType: SHARED_TYPE, id: clip(name), code: 'unknownType' });
					continue;
				}
				if (collection.shape === 'array') {
					// Map entries in an array type are invisible to readers but still synced: not allowed.
					if (type && [...keys].some((key) => key !== null) && clearContent(type, transaction, 'map')) {
						rejected.add({ itemType: SHARED_TYPE, id: clip(name), code: 'invalidShape' });
					}
					if (keys.has(null)) this.#reviewArray(collection, created, writer, transaction, rejected, accepted);
					continue;
				}
				if (keys.has(null) && type && clearContent(type, transaction, 'list')) {
					rejected.add({ itemType: SHARED_TYPE, id: clip(name), code: 'invalidShape' });
				}
				for (const key of keys) {
					if (key === null) continue;
					const item = this.#reviewRecord(collection, key, writer, transaction, accepted);
					if (item) rejected.add(item);
				}
			}
		}, VALIDATION_ORIGIN);
	}

	accept(): void {
		const dirty = this.#dirty;
		this.#dirty = new Map();
		this.#created = new Map();
		for (const [name, keys] of dirty) {
			const collection = this.#collections.get(name);
			if (collection?.shape !== 'map') continue;
			const known = this.#lastValid.get(name)!;
			const root = this.#doc.getMap<unknown>(name);
			for (const key of keys) {
				if (key === null) continue;
				const entry = readEntry(root, key);
				if (entry.kind === 'absent') known.delete(key);
				// S71: the server may do what a client may not (a sync lowers units the vendor lowered): only the record's own
				// validity counts here, not the rules about how it may change since its last valid state.
				else if (this.#recordIssues(collection, key, entry, undefined).length === 0) known.set(key, snapshot(entry));
			}
		}
	}

	destroy(): void {
		this.#doc.off('afterTransaction', this.#onTransaction);
		this.#lastValid.clear();
		this.#dirty.clear();
	}

	/** Notes what a transaction touched: the top-level key of every changed type, and the clock ranges it created. */
	#collect(transaction: Y.Transaction): void {
		if (transaction.origin === VALIDATION_ORIGIN) return;
		for (const [client, after] of transaction.afterState) {
			const before = transaction.beforeState.get(client) ?? 0;
			if (after <= before) continue;
			const ranges = this.#created.get(client) ?? [];
			ranges.push([before, after]);
			this.#created.set(client, ranges);
		}
		for (const [type, keys] of transaction.changed) {
			if (type._item === null) {
				for (const key of keys) this.#touch(Y.findRootTypeKey(type), key);
				continue;
			}
			// A change inside a record (or deeper): the record is the entry of the top-level type that holds it.
			let top: Y.Item = type._item;
			while (top.parent instanceof Y.AbstractType && top.parent._item !== null) top = top.parent._item;
			if (top.parent instanceof Y.AbstractType) this.#touch(Y.findRootTypeKey(top.parent), top.parentSub);
		}
	}

	#touch(name: string, key: string | null): void {
		const keys = this.#dirty.get(name) ?? new Set<string | null>();
		keys.add(key);
		this.#dirty.set(name, keys);
	}

	/** Issues of a record read from its entry (S34, S38: only plain values, each the single value of its item). */
	#recordIssues(collection: MapCollection, id: string, entry: Entry, previous: unknown, inReview = false): Issue[] {
		if (entry.kind === 'absent') return [];
		if (entry.kind === 'invalid') return [{ code: entry.code }];
		const known = this.#lastValid.get(collection.root);
		const context: CheckContext = inReview
			? { doc: this.#doc, previous, lastValidOf: (other) => known?.get(other)?.json }
			: { doc: this.#doc, previous };
		if (collection.record === 'value') {
			return entry.kind === 'value' ? collection.check(id, entry.value, context) : [{ code: 'invalidRecord' }];
		}
		if (entry.kind !== 'map') return [{ code: 'invalidRecord' }];
		// List content in a record is invisible to readers but synced and stored.
		if (hasListContent(entry.map)) return [{ code: 'invalidShape' }];
		// Fields hold plain values; a shared type inside a record would be a second, unchecked way to change it.
		const issues: Issue[] = [];
		for (const field of entry.map._map.keys()) {
			const fieldEntry = readEntry(entry.map, field, this.#hidden);
			if (fieldEntry.kind === 'value' || fieldEntry.kind === 'absent') continue;
			issues.push({ code: fieldEntry.kind === 'map' ? 'invalidRecord' : fieldEntry.code, field });
		}
		if (issues.length > 0) return issues;
		return collection.check(id, recordJson(entry.map), context);
	}

	/** The code of an array value that is not a valid plain entry, or null when it is one (S34, S37). */
	#arrayValueCode(collection: ArrayCollection, value: unknown): string | null {
		if (value === NOT_A_VALUE) return 'invalidShape';
		if (!isPlainJson(value)) return 'invalidRecord';
		return collection.check(value)[0]?.code ?? null;
	}

	/** S22: a touched record is kept when valid, else put back to its last valid state, or deleted when it never had one. */
	#reviewRecord(
		collection: MapCollection,
		id: string,
		writer: Writer,
		transaction: Y.Transaction,
		accepted: Acceptances
	): RejectedItem | null {
		const root = this.#doc.getMap<unknown>(collection.root);
		const lastValid = this.#lastValid.get(collection.root)!;
		const known = lastValid.get(id);
		const entry = readEntry(root, id, this.#hidden);
		const itemType = collection.itemType;
		if (entry.kind === 'absent') {
			if (known === undefined || this.#policy(writer, { itemType, id, deleted: true, before: known.json })) {
				lastValid.delete(id);
				if (known !== undefined) accepted.add(describeRecordChange(itemType, clip(id), known.json, undefined)!);
				return null;
			}
			this.#recreate(collection, id, known);
			return { itemType, id: clip(id), code: 'notPermitted' };
		}
		let issues = this.#recordIssues(collection, id, entry, known?.json, true);
		if (
			issues.length === 0 &&
			!this.#policy(writer, { itemType, id, deleted: false, before: known?.json, after: entryJson(entry) })
		)
			issues = [{ code: 'notPermitted' }];
		if (issues.length === 0) {
			const kept = snapshot(entry);
			lastValid.set(id, kept);
			const change = describeRecordChange(itemType, clip(id), known?.json, kept.json);
			if (change !== null) accepted.add(change);
			return null;
		}
		const rejected = { itemType, id: clip(id), code: issues[0]!.code };
		// S38: earlier values of the entry that a crafted update left alive go whatever happens next.
		deleteHiddenItems(root, id, transaction);
		if (known === undefined) {
			root.delete(id);
			return rejected;
		}
		if (collection.record === 'value' || entry.kind !== 'map' || entry.map !== known.map) {
			this.#recreate(collection, id, known);
			return rejected;
		}
		// The same record with some bad fields: put back only those, so that valid edits of other fields survive.
		const current = entry.map;
		clearContent(current, transaction, 'list');
		const fields = issues.map((issue) => issue.field);
		if (fields.every((field) => field !== undefined)) {
			for (const field of new Set(fields)) putBack(current, field, known.json, transaction);
			const after = readEntry(root, id, this.#hidden);
			if (this.#recordIssues(collection, id, after, known.json, true).length === 0) {
				lastValid.set(id, snapshot(after));
				return rejected;
			}
		}
		for (const field of [...current._map.keys()]) putBack(current, field, known.json, transaction);
		for (const field of Object.keys(asObject(known.json))) putBack(current, field, known.json, transaction);
		lastValid.set(id, { json: known.json, map: current });
		return rejected;
	}

	#recreate(collection: MapCollection, id: string, known: Known): void {
		const root = this.#doc.getMap<unknown>(collection.root);
		if (collection.record === 'value') {
			root.set(id, known.json);
			return;
		}
		const fresh = new Y.Map<unknown>();
		root.set(id, fresh);
		for (const [field, value] of Object.entries(asObject(known.json))) fresh.set(field, value);
		this.#lastValid.get(collection.root)!.set(id, { json: known.json, map: fresh });
	}

	/**
	 * S37: every new value of an array that is not a valid plain entry is deleted, exactly that value: by its Yjs id (the
	 * item split around it), never by an index that format items, strings or other entries in front of it would shift.
	 * Anything but a plain value (shared types, strings, formats, embeds, binary, subdocuments) is deleted whole.
	 */
	#reviewArray(
		collection: ArrayCollection,
		created: NewRanges,
		writer: Writer,
		transaction: Y.Transaction,
		rejected: Rejections,
		accepted: Acceptances
	): void {
		const array = this.#doc.getArray<unknown>(collection.root);
		const itemType = collection.itemType;
		const doomed: Y.ID[] = [];
		const whole: Y.Item[] = [];
		for (let item = array._start; item !== null; item = item.right) {
			if (item.deleted) continue;
			const { client, clock } = item.id;
			if (!(item.content instanceof Y.ContentAny)) {
				if (!isNew(created, client, clock, item.length)) continue;
				whole.push(item);
				rejected.add({ itemType, id: 'unknown', code: 'invalidShape' });
				continue;
			}
			const values: unknown[] = item.content.arr;
			for (let offset = 0; offset < values.length; offset++) {
				if (!isNew(created, client, clock + offset)) continue;
				const value = values[offset];
				const id = arrayId(collection, value);
				let code = this.#arrayValueCode(collection, value);
				if (code === null && !this.#policy(writer, { itemType, id, deleted: false })) code = 'notPermitted';
				if (code === null) {
					accepted.add(describeNewEntry(itemType, id, value));
					continue;
				}
				doomed.push(Y.createID(client, clock + offset));
				rejected.add({ itemType, id, code });
			}
		}
		for (const item of whole) item.delete(transaction);
		for (const id of doomed) {
			const target = Y.getItemCleanStart(transaction, id);
			if (target.length > 1) Y.getItemCleanStart(transaction, Y.createID(id.client, id.clock + 1));
			target.delete(transaction);
		}
		// Items were deleted directly, as Yjs's UndoManager does: the array's cached index positions are stale.
		if ((whole.length > 0 || doomed.length > 0) && array._searchMarker) array._searchMarker.length = 0;
	}
}

/** Stands for a list item that holds no plain value at all (a string, a format, a shared type, binary, an embed). */
const NOT_A_VALUE: unique symbol = Symbol('not-a-value');

function arrayValues(item: Y.Item): unknown[] {
	return item.content instanceof Y.ContentAny ? item.content.arr : [NOT_A_VALUE];
}

function arrayId(collection: ArrayCollection, value: unknown): string {
	return clip(value === NOT_A_VALUE ? 'unknown' : (collection.idOf(value) ?? 'unknown'));
}

/** A `fields` record's plain JSON read from its entries (only called once every field is a plain value). */
function recordJson(map: Y.Map<unknown>): Record<string, unknown> {
	const json: Record<string, unknown> = {};
	for (const field of map._map.keys()) {
		const entry = readEntry(map, field, NOT_CHECKED);
		if (entry.kind === 'value')
			Object.defineProperty(json, field, { value: entry.value, enumerable: true, writable: true, configurable: true });
	}
	return json;
}

/** The entry as plain JSON for the role check (a record map's fields, or its value). */
function entryJson(entry: Entry): unknown {
	if (entry.kind === 'map') return recordJson(entry.map);
	return entry.kind === 'value' ? entry.value : undefined;
}

function snapshot(entry: Entry): Known {
	if (entry.kind === 'map') return { json: recordJson(entry.map), map: entry.map };
	return { json: entry.kind === 'value' ? entry.value : null, map: null };
}

function asObject(json: unknown): Record<string, unknown> {
	return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
}

/** Sets `field` of `record` back to its value in `json`, or removes it when `json` does not have it (S22, S38). */
function putBack(record: Y.Map<unknown>, field: string, json: unknown, transaction: Y.Transaction): void {
	const previous = asObject(json);
	deleteHiddenItems(record, field, transaction);
	const entry = readEntry(record, field, NOT_CHECKED);
	if (!Object.hasOwn(previous, field)) {
		if (entry.kind !== 'absent') record.delete(field);
		return;
	}
	if (entry.kind !== 'value' || !sameJson(entry.value, previous[field])) record.set(field, previous[field]);
}
