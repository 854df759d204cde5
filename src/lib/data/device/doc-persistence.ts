// S131, S132: a live replica's document kept in the one store. Loading applies the stored pieces with an origin of its
// own; every later update is gathered until the end of the task (a burst is one write) and appended as an increment;
// once the increments outweigh the record, the record is rewritten from the document and the increments go, in one
// transaction. Opening a document and editing nothing writes nothing.
import * as Y from 'yjs';
import type { DocName } from '../../schema/ids';
import type { LocalDocStore, StoredParts } from './doc-store';

export interface DocPersistenceOptions {
	/** Compact also after this many increments, however small (default 500). */
	maxIncrements?: number;
}

export interface DocPersistence {
	/** Resolves once the stored copy is in the document: with when this device last completed a sync of it, or null. */
	readonly whenLoaded: Promise<{ syncedAt: string | null }>;
	/** The origin of the transactions that apply stored state (never the relay's). */
	readonly origin: object;
	/** S29: remembers that a sync with the server completed (written with the next write, or now). */
	markSynced(at: string): void;
	/** Resolves once everything gathered so far is written. */
	flush(): Promise<void>;
	/** Writes what is gathered, then stops listening. */
	destroy(): Promise<void>;
}

const DEFAULT_MAX_INCREMENTS = 500;

export function persistDoc(
	store: LocalDocStore,
	docName: DocName,
	doc: Y.Doc,
	options: DocPersistenceOptions = {}
): DocPersistence {
	const maxIncrements = options.maxIncrements ?? DEFAULT_MAX_INCREMENTS;
	const origin = { persistence: docName };
	/** Ids of the stored pieces this document already holds: compaction applies only the others (another tab's, the catch-up's). */
	let held = new Set<string>();
	let hasRecord = false;
	let recordBytes = 0;
	let incrementBytes = 0;
	let incrementCount = 0;
	let gathered: Uint8Array[] = [];
	let syncedAt: string | null = null;
	let scheduled = false;
	let writing: Promise<void> = Promise.resolve();
	let stopped = false;

	const onUpdate = (update: Uint8Array, updateOrigin: unknown): void => {
		if (updateOrigin === origin) return;
		gathered.push(update);
		schedule();
	};
	doc.on('update', onUpdate);

	function applyUnheld(stored: StoredParts | null): void {
		const unheld = stored?.parts.filter((part) => !held.has(part.id)) ?? [];
		if (unheld.length === 0) return;
		// One transaction: observers see the stored copy at once, as one change.
		Y.transact(
			doc,
			() => {
				for (const part of unheld) Y.applyUpdate(doc, part.update, origin);
			},
			origin,
			false
		);
	}

	const whenLoaded = store.readParts(docName).then(
		(stored) => {
			applyUnheld(stored);
			held = new Set(stored?.parts.map((part) => part.id));
			hasRecord = stored !== null && stored.recordBytes > 0;
			recordBytes = stored?.recordBytes ?? 0;
			incrementBytes = stored?.incrementBytes ?? 0;
			incrementCount = stored?.incrementCount ?? 0;
			return { syncedAt: stored?.syncedAt ?? null };
		},
		(error: unknown) => {
			console.warn(`local store: could not read ${docName} (${String(error)})`);
			return { syncedAt: null };
		}
	);

	function schedule(): void {
		if (scheduled || stopped) return;
		scheduled = true;
		// The end of the task: a loop of edits, or the relay's sync step 2 with many updates, is one write.
		setTimeout(() => {
			scheduled = false;
			void flush();
		}, 0);
	}

	async function write(): Promise<void> {
		await whenLoaded;
		const updates = gathered;
		const at = syncedAt;
		gathered = [];
		syncedAt = null;
		if (updates.length === 0 && at === null) return;
		const size = updates.reduce((sum, u) => sum + u.byteLength, 0);
		try {
			if (!hasRecord || at !== null || incrementCount + 1 > maxIncrements || incrementBytes + size > recordBytes) {
				const record = await store.compact(
					docName,
					(stored) => {
						applyUnheld(stored);
						return Y.encodeStateAsUpdate(doc);
					},
					at ?? undefined
				);
				held = new Set([record.id]);
				hasRecord = true;
				recordBytes = record.update.byteLength;
				incrementBytes = 0;
				incrementCount = 0;
			} else {
				const increment = await store.append(docName, updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates));
				held.add(increment.id);
				incrementBytes += increment.update.byteLength;
				incrementCount += 1;
			}
		} catch (error) {
			// Kept for the next write (quota, a closing database); the document itself holds them meanwhile.
			console.warn(`local store: could not write ${docName} (${String(error)})`);
			gathered = [...updates, ...gathered];
			syncedAt ??= at;
		}
	}

	function flush(): Promise<void> {
		writing = writing.then(write);
		return writing;
	}

	return {
		whenLoaded,
		origin,
		markSynced(at) {
			syncedAt = at;
			schedule();
		},
		flush,
		async destroy() {
			stopped = true;
			doc.off('update', onUpdate);
			await flush();
		}
	};
}
