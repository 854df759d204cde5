// The documents License management reads and changes: through the relay in the server (stored, then broadcast), or
// straight on the store in the operators' CLI (server stopped), the way `tenant create` writes a document.
import * as Y from 'yjs';
import type { Relay } from '../relay/types';
import type { Store } from '../store/types';

export type LicenseDocs = Pick<Relay, 'change' | 'withDoc'>;

async function loadDoc(store: Pick<Store, 'load'>, docName: string): Promise<Y.Doc> {
	const stored = await store.load(docName);
	const doc = new Y.Doc();
	if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
	for (const update of stored.updates) Y.applyUpdate(doc, update);
	return doc;
}

/** Documents on the store alone: a change is appended as ONE update, and only when it changed something. */
export function storeDocs(store: Pick<Store, 'load' | 'append'>): LicenseDocs {
	return {
		async change(docName, fn) {
			const doc = await loadDoc(store, docName);
			const updates: Uint8Array[] = [];
			doc.on('update', (update: Uint8Array) => updates.push(update));
			try {
				doc.transact(() => fn(doc));
				if (updates.length > 0)
					await store.append(docName, updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates));
			} finally {
				doc.destroy();
			}
		},
		async withDoc(docName, fn) {
			const doc = await loadDoc(store, docName);
			try {
				return fn(doc);
			} finally {
				doc.destroy();
			}
		}
	};
}
