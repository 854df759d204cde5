// Forgetting this device's copies of documents: all of them at sign-out, so the next person on a shared tablet finds none;
// those outside a narrowed grant when the person's access changed (H6, P16).
import { docNameSchema, type DocName } from '../../schema/ids';
import { pendingStorageKey } from './pending';
import { forgetSyncedHeads } from './synced-heads';

/**
 * Keys of other local data kept per tenant (the scoped view, H6; the outbox of server commands, S60; the audit months of
 * the user activity report, P8) that go at sign-out too.
 */
const TENANT_KEY_PREFIXES = ['msp-portal:view:', 'msp-portal:outbox:', 'msp-portal:reports:', 'msp-portal:pins:'];

/** y-indexeddb keeps one IndexedDB database per document, named after it (tenant:<id>, customer:<id>). */
export async function localDocNames(): Promise<DocName[]> {
	if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return [];
	const databases = await indexedDB.databases();
	return databases.map((db) => db.name).filter((name): name is DocName => docNameSchema.safeParse(name).success);
}

export async function forgetLocalReplicas(): Promise<void> {
	await forgetDocs(await localDocNames());
	if (typeof localStorage === 'undefined') return;
	forgetSyncedHeads(localStorage);
	for (let i = localStorage.length - 1; i >= 0; i--) {
		const key = localStorage.key(i);
		if (key !== null && TENANT_KEY_PREFIXES.some((prefix) => key.startsWith(prefix))) localStorage.removeItem(key);
	}
}

/** Deletes these documents' local copies and their unconfirmed-change lists (close their replicas first). */
export async function forgetDocs(names: readonly DocName[]): Promise<void> {
	if (typeof indexedDB === 'undefined') return;
	await Promise.all(names.map(deleteDatabase));
	if (typeof localStorage === 'undefined') return;
	for (const name of names) localStorage.removeItem(pendingStorageKey(name));
}

function deleteDatabase(name: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const request = indexedDB.deleteDatabase(name);
		request.onsuccess = () => resolve();
		request.onerror = () => reject(request.error ?? new Error(`could not delete ${name}`));
		// Blocked: a connection is still open (another tab); the deletion completes when it closes.
		request.onblocked = () => resolve();
	});
}
