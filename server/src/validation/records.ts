// The machinery behind every document validator (S21, S22): finds what a transaction touched, checks it, and undoes what is invalid.
import * as Y from 'yjs';
import type { z } from 'zod';
import { VALIDATION_ORIGIN, type RejectedItem, type RolePolicy, type RoomValidation, type Writer } from './types';

/** Something wrong with a record. `field`: only that field is wrong and can be put back; absent: the whole record is. */
export interface Issue {
	readonly code: string;
	readonly field?: string;
}

export interface CheckContext {
	readonly doc: Y.Doc;
	/** The record's last valid value (plain JSON), if it ever had one. */
	readonly previous: unknown;
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

function isYType(value: unknown): boolean {
	return value instanceof Y.AbstractType;
}

function sameJson(a: unknown, b: unknown): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

/** Deletes every live entry of a shared type (map entries and list content); true when there was any. */
function clearContent(
	type: { readonly _map: Map<string, Y.Item>; readonly _start: Y.Item | null },
	transaction: Y.Transaction,
	which: 'map' | 'list' | 'both'
): boolean {
	let cleared = false;
	if (which !== 'list') {
		for (const item of type._map.values()) {
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

function isNew(ranges: NewRanges, client: number, clock: number): boolean {
	return (ranges.get(client) ?? []).some(([from, to]) => clock >= from && clock < to);
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
	readonly #onTransaction = (transaction: Y.Transaction): void => this.#collect(transaction);

	constructor(doc: Y.Doc, collections: readonly Collection[], policy: RolePolicy) {
		this.#doc = doc;
		this.#policy = policy;
		for (const collection of collections) {
			this.#collections.set(collection.root, collection);
			if (collection.shape === 'array') {
				doc.getArray(collection.root).forEach((value) => {
					const issues = this.#arrayIssues(collection, value);
					const id = collection.idOf(value) ?? 'unknown';
					if (issues.length > 0)
						this.invalidAtLoad.push({ itemType: collection.itemType, id: clip(id), code: issues[0]!.code });
				});
				continue;
			}
			const known = new Map<string, Known>();
			this.#lastValid.set(collection.root, known);
			for (const [id, value] of doc.getMap<unknown>(collection.root)) {
				const issues = this.#recordIssues(collection, id, value, undefined);
				if (issues.length === 0) known.set(id, snapshot(value));
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

	review(writer: Writer): RejectedItem[] {
		const dirty = this.#dirty;
		const created = this.#created;
		this.#dirty = new Map();
		this.#created = new Map();
		const rejected: RejectedItem[] = [];
		if (dirty.size === 0) return rejected;
		this.#doc.transact((transaction) => {
			for (const [name, keys] of dirty) {
				const collection = this.#collections.get(name);
				const type = this.#doc.share.get(name);
				if (collection === undefined) {
					if (type && clearContent(type, transaction, 'both'))
						rejected.push({ itemType: SHARED_TYPE, id: clip(name), code: 'unknownType' });
					continue;
				}
				if (collection.shape === 'array') {
					// Map entries in an array type are invisible to readers but still synced: not allowed.
					if (type && [...keys].some((key) => key !== null) && clearContent(type, transaction, 'map')) {
						rejected.push({ itemType: SHARED_TYPE, id: clip(name), code: 'invalidShape' });
					}
					if (keys.has(null)) rejected.push(...this.#reviewArray(collection, created, writer));
					continue;
				}
				if (keys.has(null) && type && clearContent(type, transaction, 'list')) {
					rejected.push({ itemType: SHARED_TYPE, id: clip(name), code: 'invalidShape' });
				}
				for (const key of keys) {
					if (key === null) continue;
					const item = this.#reviewRecord(collection, key, writer);
					if (item) rejected.push(item);
				}
			}
		}, VALIDATION_ORIGIN);
		return rejected;
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
				const value = root.get(key);
				if (value === undefined) known.delete(key);
				else if (this.#recordIssues(collection, key, value, known.get(key)?.json).length === 0)
					known.set(key, snapshot(value));
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

	#recordIssues(collection: MapCollection, id: string, value: unknown, previous: unknown): Issue[] {
		if (collection.record === 'value') {
			return isYType(value) ? [{ code: 'invalidRecord' }] : collection.check(id, value, { doc: this.#doc, previous });
		}
		if (!(value instanceof Y.Map)) return [{ code: 'invalidRecord' }];
		// Fields hold plain values; a shared type inside a record would be a second, unchecked way to change it.
		const nested: Issue[] = [];
		for (const [field, fieldValue] of value.entries())
			if (isYType(fieldValue)) nested.push({ code: 'invalidRecord', field });
		if (nested.length > 0) return nested;
		return collection.check(id, value.toJSON(), { doc: this.#doc, previous });
	}

	#arrayIssues(collection: ArrayCollection, value: unknown): Issue[] {
		return isYType(value) ? [{ code: 'invalidRecord' }] : collection.check(value);
	}

	/** S22: a touched record is kept when valid, else put back to its last valid state, or deleted when it never had one. */
	#reviewRecord(collection: MapCollection, id: string, writer: Writer): RejectedItem | null {
		const root = this.#doc.getMap<unknown>(collection.root);
		const lastValid = this.#lastValid.get(collection.root)!;
		const known = lastValid.get(id);
		const current = root.get(id);
		const itemType = collection.itemType;
		if (current === undefined) {
			if (known === undefined || this.#policy(writer, { itemType, id, deleted: true })) {
				lastValid.delete(id);
				return null;
			}
			this.#recreate(collection, id, known);
			return { itemType, id: clip(id), code: 'notPermitted' };
		}
		let issues = this.#recordIssues(collection, id, current, known?.json);
		if (issues.length === 0 && !this.#policy(writer, { itemType, id, deleted: false }))
			issues = [{ code: 'notPermitted' }];
		if (issues.length === 0) {
			lastValid.set(id, snapshot(current));
			return null;
		}
		const rejected = { itemType, id: clip(id), code: issues[0]!.code };
		if (known === undefined) {
			root.delete(id);
			return rejected;
		}
		if (collection.record === 'value' || !(current instanceof Y.Map) || current !== known.map) {
			this.#recreate(collection, id, known);
			return rejected;
		}
		// The same record with some bad fields: put back only those, so that valid edits of other fields survive.
		const fields = issues.map((issue) => issue.field);
		if (fields.every((field) => field !== undefined)) {
			for (const field of new Set(fields)) putBack(current, field, known.json);
			if (this.#recordIssues(collection, id, current, known.json).length === 0) {
				lastValid.set(id, snapshot(current));
				return rejected;
			}
		}
		for (const field of [...current.keys()]) putBack(current, field, known.json);
		for (const field of Object.keys(asObject(known.json))) putBack(current, field, known.json);
		lastValid.set(id, snapshot(current));
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

	/** New entries of an array that are invalid are deleted (highest index first, so the indexes stay right). */
	#reviewArray(collection: ArrayCollection, created: NewRanges, writer: Writer): RejectedItem[] {
		const array = this.#doc.getArray<unknown>(collection.root);
		const doomed: Array<{ index: number; item: RejectedItem }> = [];
		let index = 0;
		for (let item = array._start; item !== null; item = item.right) {
			if (item.deleted || !item.countable) continue;
			const values: unknown[] = item.content.getContent();
			values.forEach((value, offset) => {
				if (isNew(created, item.id.client, item.id.clock + offset)) {
					const id = clip(collection.idOf(value) ?? 'unknown');
					let issues = this.#arrayIssues(collection, value);
					if (issues.length === 0 && !this.#policy(writer, { itemType: collection.itemType, id, deleted: false })) {
						issues = [{ code: 'notPermitted' }];
					}
					if (issues.length > 0)
						doomed.push({ index: index + offset, item: { itemType: collection.itemType, id, code: issues[0]!.code } });
				}
			});
			index += values.length;
		}
		for (const { index: at } of [...doomed].reverse()) array.delete(at, 1);
		return doomed.map(({ item }) => item);
	}
}

function snapshot(value: unknown): Known {
	return value instanceof Y.Map ? { json: value.toJSON(), map: value } : { json: value, map: null };
}

function asObject(json: unknown): Record<string, unknown> {
	return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
}

/** Sets `field` of `record` back to its value in `json`, or removes it when `json` does not have it. */
function putBack(record: Y.Map<unknown>, field: string, json: unknown): void {
	const previous = asObject(json);
	if (!Object.hasOwn(previous, field)) {
		if (record.has(field)) record.delete(field);
		return;
	}
	const current = record.get(field);
	if (isYType(current) || !sameJson(current, previous[field])) record.set(field, previous[field]);
}
