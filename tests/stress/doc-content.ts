// What a stored document holds, as plain data that two stores can be compared by: every live item of every top-level
// type (map entries and list content alike, shared types inside followed), so that an undone change (S22) that left
// only deleted items behind compares equal, while any live leftover of a bad update does not.
import * as Y from 'yjs';
import type { DocStore } from '../../server/src/store/types';

type Shared = { readonly _map: Map<string, Y.Item>; readonly _start: Y.Item | null };

function contentValues(item: Y.Item): unknown[] {
	const content = item.content;
	if (content instanceof Y.ContentType) return [typeContent(content.type as unknown as Shared)];
	if (content instanceof Y.ContentFormat) return [{ format: content.key, value: content.value }];
	if (content instanceof Y.ContentDoc) return [{ subdoc: content.doc?.guid ?? null }];
	if (content instanceof Y.ContentBinary) return [{ binary: Array.from(content.content) }];
	return content
		.getContent()
		.map((value: unknown) =>
			value instanceof Uint8Array
				? { binary: Array.from(value) }
				: value instanceof Y.Doc
					? { subdoc: value.guid }
					: value
		);
}

function typeContent(type: Shared): { map: Record<string, unknown[]>; list: unknown[] } | null {
	const map: Record<string, unknown[]> = {};
	for (const key of [...type._map.keys()].sort()) {
		// A map entry's item may hold several values (S38); earlier items of the key may still be live too.
		const values: unknown[] = [];
		for (let item: Y.Item | null = type._map.get(key) ?? null; item !== null; item = item.left)
			if (!item.deleted) values.push(...contentValues(item));
		if (values.length > 0) map[key] = values;
	}
	const list: unknown[] = [];
	for (let item = type._start; item !== null; item = item.right) if (!item.deleted) list.push(...contentValues(item));
	return Object.keys(map).length === 0 && list.length === 0 ? null : { map, list };
}

/** Bigints, undefined and non-finite numbers named, so that they compare as themselves. */
function replacer(_key: string, value: unknown): unknown {
	if (typeof value === 'bigint') return `bigint:${value}`;
	if (value === undefined) return 'undefined';
	if (typeof value === 'number' && !Number.isFinite(value)) return `number:${value}`;
	return value;
}

/** The live content of `doc` as one string; empty top-level types (an unknown type emptied by S22) are left out. */
export function contentOf(doc: Y.Doc): string {
	const roots: Record<string, unknown> = {};
	for (const name of [...doc.share.keys()].sort()) {
		const content = typeContent(doc.share.get(name) as unknown as Shared);
		if (content !== null) roots[name] = content;
	}
	return JSON.stringify(roots, replacer);
}

export async function storedBytes(store: DocStore, name: string): Promise<Uint8Array[]> {
	const stored = await store.load(name);
	return [...(stored.snapshot ? [stored.snapshot] : []), ...stored.updates];
}

export const sameBytes = (a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean =>
	a.length === b.length && a.every((bytes, i) => Buffer.compare(bytes, b[i]!) === 0);

export async function storedContent(store: DocStore, name: string): Promise<string> {
	const doc = new Y.Doc();
	for (const update of await storedBytes(store, name)) Y.applyUpdate(doc, update);
	return contentOf(doc);
}
