// What a plain value is (S34) and how a map entry is read from its Yjs items (S38), without ever throwing.
import * as Y from 'yjs';

/** Deeper values are not plain: records are shallow, and a deep value would only cost stack and time to look at. */
const MAX_DEPTH = 32;

/**
 * S34: null, a boolean, a finite number, a string, or an array or object (plain prototype) of those. Yjs decodes far more
 * (bigint, Uint8Array, undefined, NaN, objects whose `__proto__` key set their prototype); none of it is JSON, and
 * JSON.stringify would throw on some or silently drop others.
 */
export function isPlainJson(value: unknown, depth = 0): boolean {
	if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
	if (typeof value === 'number') return Number.isFinite(value);
	if (typeof value !== 'object' || depth >= MAX_DEPTH) return false;
	if (Array.isArray(value)) {
		if (Object.getPrototypeOf(value) !== Array.prototype) return false;
		for (const element of value) if (!isPlainJson(element, depth + 1)) return false;
		return true;
	}
	const prototype: unknown = Object.getPrototypeOf(value);
	if (prototype !== Object.prototype && prototype !== null) return false;
	for (const key of Reflect.ownKeys(value)) {
		if (typeof key !== 'string' || key === '__proto__') return false;
		const descriptor = Object.getOwnPropertyDescriptor(value, key);
		if (descriptor === undefined || !descriptor.enumerable || !('value' in descriptor)) return false;
		if (!isPlainJson(descriptor.value, depth + 1)) return false;
	}
	return true;
}

/** Compares two values as JSON; false (never a throw) when either is not plain. */
export function sameJson(a: unknown, b: unknown): boolean {
	if (!isPlainJson(a) || !isPlainJson(b)) return false;
	return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A map entry as the layout sees it. `value`: one plain value (what `map.set(key, plain)` writes: a ContentAny item of
 * one element); `map`: a nested Y.Map (a record); `invalid`: anything else, with the code to report.
 */
export type Entry =
	| { readonly kind: 'absent' }
	| { readonly kind: 'value'; readonly value: unknown }
	| { readonly kind: 'map'; readonly map: Y.Map<unknown> }
	| { readonly kind: 'invalid'; readonly code: 'invalidRecord' | 'invalidShape' };

/** The parts of a shared type (Y.Map, Y.Array, any root) that hold its items. */
export interface SharedItems {
	readonly _map: Map<string, Y.Item>;
	readonly _start: Y.Item | null;
}

const ABSENT: Entry = { kind: 'absent' };

/** Live items of `key` left of its current one: Yjs deletes them when a value replaces them, a crafted update need not. */
/** Are there live items left of `head` (the whole history of the key is walked: for loading, not for every update)? */
export function hasHiddenItems(head: Y.Item): boolean {
	for (let item = head.left; item !== null; item = item.left) if (!item.deleted) return true;
	return false;
}

/** Does the key whose current item is `head` hold other live items? (`hasHiddenItems`, or a cheaper exact check.) */
export type HiddenCheck = (head: Y.Item) => boolean;

/** No check: for reading values of a record whose entries were checked already. */
export const NOT_CHECKED: HiddenCheck = () => false;

/**
 * The hidden-item check of one review, in time proportional to what the reviewed transactions created rather than to the
 * history of each key: a key that was clean after the previous review can only hold a live hidden item now if this
 * update created it, so only items created since (`ranges`, per client) are looked at.
 */
export function newItemsCheck(
	doc: Y.Doc,
	ranges: ReadonlyMap<number, ReadonlyArray<readonly [number, number]>>
): HiddenCheck {
	const byParent = new Map<Y.AbstractType<unknown>, Map<string, Y.Item[]>>();
	for (const [client, spans] of ranges) {
		const structs = doc.store.clients.get(client);
		if (!structs) continue;
		for (const [from, to] of spans) {
			for (let index = Y.findIndexSS(structs, from); index < structs.length; index++) {
				const struct = structs[index]!;
				if (struct.id.clock >= to) break;
				if (!(struct instanceof Y.Item) || struct.parentSub === null) continue;
				if (!(struct.parent instanceof Y.AbstractType)) continue;
				const keys = byParent.get(struct.parent) ?? new Map<string, Y.Item[]>();
				byParent.set(struct.parent, keys);
				const items = keys.get(struct.parentSub) ?? [];
				items.push(struct);
				keys.set(struct.parentSub, items);
			}
		}
	}
	return (head) => {
		if (!(head.parent instanceof Y.AbstractType) || head.parentSub === null) return false;
		const items = byParent.get(head.parent)?.get(head.parentSub) ?? [];
		return items.some((item) => item !== head && !item.deleted);
	};
}

/**
 * S38: reads `key` of a map type from its item, not with `map.get` (which answers the last element of an item that may
 * hold several, and ignores live items left of it, both synced and stored all the same).
 */
export function readEntry(type: SharedItems, key: string, hidden: HiddenCheck = hasHiddenItems): Entry {
	const head = type._map.get(key);
	if (head === undefined) return ABSENT;
	if (hidden(head)) return { kind: 'invalid', code: 'invalidShape' };
	if (head.deleted) return ABSENT;
	const content = head.content;
	if (content.getLength() !== 1) return { kind: 'invalid', code: 'invalidShape' };
	if (content instanceof Y.ContentAny) {
		const value: unknown = content.arr[0];
		return isPlainJson(value) ? { kind: 'value', value } : { kind: 'invalid', code: 'invalidRecord' };
	}
	if (content instanceof Y.ContentType && content.type instanceof Y.Map) return { kind: 'map', map: content.type };
	// Binary, a subdocument, another shared type, an embed: one value, not a plain one. Strings and formats are list content.
	const single =
		content instanceof Y.ContentBinary ||
		content instanceof Y.ContentDoc ||
		content instanceof Y.ContentType ||
		content instanceof Y.ContentEmbed;
	return { kind: 'invalid', code: single ? 'invalidRecord' : 'invalidShape' };
}

/** Deletes the live items of `key` left of its current one (S38); true when there were any. */
export function deleteHiddenItems(type: SharedItems, key: string, transaction: Y.Transaction): boolean {
	const head = type._map.get(key);
	let deleted = false;
	for (let item = head?.left ?? null; item !== null; item = item.left) {
		if (item.deleted) continue;
		item.delete(transaction);
		deleted = true;
	}
	return deleted;
}

/** True when a type has live list content (in a map type it is invisible to readers but synced and stored). */
export function hasListContent(type: SharedItems): boolean {
	for (let item = type._start; item !== null; item = item.right) if (!item.deleted) return true;
	return false;
}
