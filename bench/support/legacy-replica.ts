// The benchmark baseline (bench/catch-up.ts): the live replica as it was before the one store (S130), with y-indexeddb
// keeping one database per document. Frozen copy of src/lib/data/device/replica.ts at c2e330c; not used by the app.
// Opens one live document: a Y.Doc kept in IndexedDB, synced through y-websocket with jittered reconnects, with a truthful status (F3).
import * as Y from 'yjs';
import { z } from 'zod';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import type { DocName } from '../../src/lib/schema/ids';
import { MESSAGE_ACK, MESSAGE_REJECTED, readAckBody, readRejectedBody } from '../../src/lib/data/sync/protocol';
import { PendingChanges, pendingStorageKey, type KeyValueStorage } from '../../src/lib/data/device/pending';
import { trackedSocketClass, type TrackedSocketInfo } from '../../src/lib/data/device/tracked-socket';
import type { ConnectionState, Replica, ReplicaStatus } from '../../src/lib/data/sync/types';

export interface ReplicaOptions {
	/** The relay's sync endpoint, e.g. `wss://portal.example/sync`; y-websocket appends `/<docName>`. */
	serverUrl: string;
	/** Connect at once (default true). */
	connect?: boolean;
	/** Keep a local copy in IndexedDB (default: when `indexedDB` exists). */
	persistence?: boolean;
	/** Where the pending list survives reloads (default: `localStorage` when it exists; null keeps it in memory). */
	storage?: KeyValueStorage | null;
	/** The WebSocket class (default: the browser's; `ws` in Node). */
	WebSocketPolyfill?: typeof WebSocket;
	/** Upper bound of y-websocket's exponential backoff (default 2500 ms). */
	maxBackoffTime?: number;
	/** S17: each reconnect waits an extra random 0..reconnectJitterMs (default: maxBackoffTime). */
	reconnectJitterMs?: number;
	/** Random source for the jitter (tests make it deterministic). */
	random?: () => number;
	params?: Record<string, string>;
}

const DEFAULT_MAX_BACKOFF_MS = 2500;

function defaultStorage(): KeyValueStorage | null {
	try {
		return typeof localStorage === 'undefined' ? null : localStorage;
	} catch {
		// Some browsers throw on access when storage is disabled.
		return null;
	}
}

/** Key in y-indexeddb's custom store: when this device last completed a sync with the server. */
const SYNCED_AT_KEY = 'syncedAt';
const syncedAtSchema = z.iso.datetime();

export function openLegacyReplica(docName: DocName, options: ReplicaOptions): Replica {
	const doc = new Y.Doc();
	const listeners = new Set<(status: ReplicaStatus) => void>();
	const usePersistence = options.persistence ?? typeof indexedDB !== 'undefined';
	const persistence = usePersistence ? new IndexeddbPersistence(docName, doc) : null;
	const maxBackoffTime = options.maxBackoffTime ?? DEFAULT_MAX_BACKOFF_MS;
	const jitter = options.reconnectJitterMs ?? maxBackoffTime;
	const random = options.random ?? Math.random;
	const Base = options.WebSocketPolyfill ?? globalThis.WebSocket;
	if (Base === undefined) throw new Error('no WebSocket implementation: pass WebSocketPolyfill');

	let loaded = persistence === null;
	let syncedOnce = false;
	let refusal: ReplicaStatus['refusal'] = null;
	let rejected: ReplicaStatus['rejected'] = null;
	let current: TrackedSocketInfo | null = null;
	let destroyed = false;
	/** S29: the replica connects only once its local copy is loaded, so sync step 1 carries this device's state vector. */
	let wantConnected = options.connect ?? true;
	let last: ReplicaStatus | null = null;

	const notify = (): void => {
		if (destroyed) return;
		const next = status();
		if (last && sameStatus(last, next)) return;
		last = next;
		for (const listener of listeners) listener(next);
	};

	const pending = new PendingChanges(
		options.storage === undefined ? defaultStorage() : options.storage,
		pendingStorageKey(docName),
		notify
	);

	const WebSocketClass = trackedSocketClass(Base, {
		delayFor: (attempt) => (attempt === 0 ? 0 : Math.floor(random() * jitter)),
		onCreated: (socket) => {
			current = socket;
		},
		onSent: (socket, frame, isSyncStep2) => {
			if (isSyncStep2) pending.sentSyncStep2(socket.id, frame);
		}
	});

	const provider = new WebsocketProvider(options.serverUrl, docName, doc, {
		connect: false,
		disableBc: true,
		maxBackoffTime,
		WebSocketPolyfill: WebSocketClass,
		...(options.params ? { params: options.params } : {})
	});

	// S5: the relay's ack. y-websocket calls handlers as (encoder, decoder, provider, emitSynced, type); writing nothing answers nothing.
	provider.messageHandlers[MESSAGE_ACK] = (_encoder, decoder) => {
		const socket = current;
		if (socket === null) return;
		try {
			const ack = readAckBody(decoder);
			pending.acknowledged(Y.decodeStateVector(ack.stateVector), socket.id, ack.handledFrames);
		} catch {
			console.warn(`sync: ignoring a malformed ack for ${docName}`);
		}
	};

	// S24: the relay undid some of our changes (its compensating update arrives just before); parsed with zod, shown by the UI.
	provider.messageHandlers[MESSAGE_REJECTED] = (_encoder, decoder) => {
		try {
			const message = readRejectedBody(decoder);
			if (message.docName !== docName) return;
			rejected = { at: Date.now(), total: message.total, items: message.items };
			notify();
		} catch {
			console.warn(`sync: ignoring a malformed rejected message for ${docName}`);
		}
	};
	// Registered after the provider's own handler, so a change made while connected has already gone out when this runs.
	const onUpdate = (_update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction): void => {
		if (!transaction.local) return;
		const clock = Y.getState(doc.store, doc.clientID);
		const deletes = transaction.deleteSet.clients.size > 0;
		const socket = current;
		const sentOn =
			provider.wsconnected && socket !== null && socket.readyState === 1
				? { socket: socket.id, frame: socket.sentFrames }
				: null;
		pending.record(doc.clientID, clock, deletes, sentOn);
	};
	doc.on('update', onUpdate);

	provider.on('status', notify);
	provider.on('sync', (isSynced: boolean) => {
		if (isSynced && !syncedOnce) {
			syncedOnce = true;
			void persistence?.set(SYNCED_AT_KEY, new Date().toISOString()).catch(() => undefined);
		}
		notify();
	});
	provider.on('connection-close', notify);
	provider.on('closed', (event) => {
		refusal = { code: event.code, reason: event.reason };
		notify();
	});

	const whenLoaded: Promise<void> = persistence
		? persistence.whenSynced
				.then(() => persistence.get(SYNCED_AT_KEY))
				.then((value: unknown) => {
					// An IndexedDB record: trusted only when it parses.
					if (syncedAtSchema.safeParse(value).success) syncedOnce = true;
				})
				.catch(() => undefined)
				.then(() => {
					loaded = true;
					notify();
				})
		: Promise.resolve();

	function connection(): ConnectionState {
		if (refusal) return 'refused';
		if (!provider.wsconnected) return 'offline';
		return provider.synced && pending.count === 0 ? 'online' : 'syncing';
	}

	function status(): ReplicaStatus {
		return { connection: connection(), pending: pending.count, loaded, syncedOnce, refusal, rejected };
	}

	void whenLoaded.then(() => {
		if (!destroyed && wantConnected) provider.connect();
	});

	return {
		docName,
		doc,
		whenLoaded,
		// y-websocket applies the relay's updates with the provider as origin; y-indexeddb uses its persistence instance.
		sources: {
			fromRelay: (origin) => origin === provider,
			unconfirmedClients: () => pending.clients(),
			isUnconfirmed: (client, clock) => pending.holds(client, clock)
		},
		awareness: provider.awareness,
		status,
		onStatus(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		connect() {
			refusal = null;
			wantConnected = true;
			if (loaded) provider.connect();
			notify();
		},
		disconnect() {
			wantConnected = false;
			provider.disconnect();
			notify();
		},
		async destroy() {
			destroyed = true;
			listeners.clear();
			doc.off('update', onUpdate);
			provider.destroy();
			if (persistence) await persistence.destroy();
			doc.destroy();
		}
	};
}

function sameStatus(a: ReplicaStatus, b: ReplicaStatus): boolean {
	return (
		a.connection === b.connection &&
		a.pending === b.pending &&
		a.loaded === b.loaded &&
		a.syncedOnce === b.syncedOnce &&
		a.refusal?.code === b.refusal?.code &&
		a.refusal?.reason === b.refusal?.reason &&
		a.rejected === b.rejected
	);
}
