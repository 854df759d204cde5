// Forgetting this device's copies of documents: all of them at sign-out, so the next person on a shared tablet finds none;
// those outside a narrowed grant when the person's access changed (H6, P16).
import type { DocName } from '../../schema/ids';
import { deleteDatabase } from './idb-requests';
import { deviceDocStore } from './idb-doc-store';
import { oldDocDatabases } from './idb-migration';
import { pendingStorageKey } from './pending';
import { forgetSyncedHeads } from './synced-heads';

/**
 * Keys of other local data kept per tenant (the scoped view, H6; the outbox of server commands, S60; the audit months of
 * the user activity report, P8) that go at sign-out too.
 */
const TENANT_KEY_PREFIXES = ['msp-portal:view:', 'msp-portal:outbox:', 'msp-portal:reports:'];

/** The documents this device keeps a copy of, in its one store (S130). */
export async function localDocNames(): Promise<DocName[]> {
	return deviceDocStore().list();
}

/** S133: every copy goes: the one store's records and increments, and any per-document database left from y-indexeddb. */
export async function forgetLocalReplicas(): Promise<void> {
	await deviceDocStore().clear();
	if (typeof indexedDB !== 'undefined') {
		const factory = indexedDB;
		await Promise.all((await oldDocDatabases(factory)).map((name) => deleteDatabase(factory, name)));
	}
	if (typeof localStorage === 'undefined') return;
	forgetSyncedHeads(localStorage);
	for (let i = localStorage.length - 1; i >= 0; i--) {
		const key = localStorage.key(i);
		if (key !== null && TENANT_KEY_PREFIXES.some((prefix) => key.startsWith(prefix))) localStorage.removeItem(key);
	}
}

/** S133: deletes these documents' local copies and their unconfirmed-change lists (close their replicas first). */
export async function forgetDocs(names: readonly DocName[]): Promise<void> {
	await deviceDocStore().delete(names);
	if (typeof indexedDB !== 'undefined') {
		const factory = indexedDB;
		const forget = new Set(names);
		const old = (await oldDocDatabases(factory)).filter((name) => forget.has(name));
		await Promise.all(old.map((name) => deleteDatabase(factory, name)));
	}
	if (typeof localStorage === 'undefined') return;
	for (const name of names) localStorage.removeItem(pendingStorageKey(name));
}
