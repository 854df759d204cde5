// Forgetting this device's copies of documents at sign-out, so the next person on a shared tablet finds none of them.
import { docNameSchema } from '../../schema/ids';
import { pendingStorageKey } from './pending';
import { forgetSyncedHeads } from './synced-heads';

/** y-indexeddb keeps one IndexedDB database per document, named after it (tenant:<id>, customer:<id>). */
export async function forgetLocalReplicas(): Promise<void> {
	if (typeof indexedDB === 'undefined') return;
	const databases = typeof indexedDB.databases === 'function' ? await indexedDB.databases() : [];
	const names = databases.map((db) => db.name).filter((name): name is string => docNameSchema.safeParse(name).success);
	await Promise.all(names.map(deleteDatabase));
	if (typeof localStorage === 'undefined') return;
	for (const name of names) localStorage.removeItem(pendingStorageKey(name));
	forgetSyncedHeads(localStorage);
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
