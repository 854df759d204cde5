// Test doubles for the sync layer, shared by its unit tests and the integration tests (never imported by the app).
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import type { DocName } from '../../schema/ids';
import type { ListableStorage } from './pending';
import type { Replica, ReplicaStatus } from '../sync/types';

/** A status: online, loaded, synced once, nothing pending, unless `patch` says otherwise. */
export const replicaStatus = (patch: Partial<ReplicaStatus> = {}): ReplicaStatus => ({
	connection: 'online',
	pending: 0,
	loaded: true,
	syncedOnce: true,
	refusal: null,
	rejected: null,
	...patch
});

/** A replica whose status the test sets (`set` replaces it: `replicaStatus(patch)`); records connects, disconnects and destroys. */
export function fakeReplica(docName: DocName, initial: Partial<ReplicaStatus> = {}) {
	const doc = new Y.Doc();
	const listeners = new Set<(s: ReplicaStatus) => void>();
	let current = replicaStatus(initial);
	const calls: string[] = [];
	const replica: Replica = {
		docName,
		doc,
		whenLoaded: Promise.resolve(),
		sources: { fromRelay: () => false, unconfirmedClients: () => [] },
		awareness: new Awareness(doc),
		status: () => current,
		onStatus(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		connect: () => calls.push('connect'),
		disconnect: () => calls.push('disconnect'),
		async destroy() {
			calls.push('destroy');
		}
	};
	return {
		replica,
		calls,
		get destroyed(): boolean {
			return calls.includes('destroy');
		},
		set(patch: Partial<ReplicaStatus>) {
			current = replicaStatus(patch);
			for (const listener of listeners) listener(current);
		}
	};
}

/** localStorage in memory, keys listable, with the items open to the test. */
export function memoryStorage(entries: Record<string, string> = {}): ListableStorage & {
	readonly items: Map<string, string>;
} {
	const items = new Map(Object.entries(entries));
	return {
		items,
		get length() {
			return items.size;
		},
		key: (index) => [...items.keys()][index] ?? null,
		getItem: (key) => items.get(key) ?? null,
		setItem: (key, value) => void items.set(key, value),
		removeItem: (key) => void items.delete(key)
	};
}
