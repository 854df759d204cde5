// Clients for relay tests: y-websocket replicas in Node (ws, no BroadcastChannel, no IndexedDB unless asked) and raw sockets.
import NodeWebSocket from 'ws';
import * as Y from 'yjs';
import { openReplica, type ReplicaOptions } from '../../src/lib/data/device/replica';
import { memoryStorage } from '../../src/lib/data/device/testing';

export { memoryStorage };
import type { Replica, ReplicaStatus } from '../../src/lib/data/sync/types';
import type { DocName } from '../../src/lib/schema/ids';

/** A `ws` class that sends the given headers (a cookie, an Origin) with its upgrade, as a browser would. */
export function socketWithHeaders(headers: Record<string, string>): typeof WebSocket {
	class WithHeaders extends NodeWebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers });
		}
	}
	return WithHeaders as unknown as typeof WebSocket;
}

export function openTestReplica(
	syncUrl: string,
	docName: DocName,
	cookie: string | null,
	extra: Partial<ReplicaOptions> = {}
): Replica {
	return openReplica(docName, {
		serverUrl: syncUrl,
		persistence: false,
		storage: memoryStorage(),
		WebSocketPolyfill: socketWithHeaders(cookie === null ? {} : { cookie }),
		maxBackoffTime: 100,
		reconnectJitterMs: 20,
		...extra
	});
}

/** Resolves with the first status (now or later) that satisfies `predicate`. */
export function waitForStatus(replica: Replica, predicate: (status: ReplicaStatus) => boolean): Promise<ReplicaStatus> {
	return new Promise((resolve) => {
		if (predicate(replica.status())) return resolve(replica.status());
		const off = replica.onStatus((status) => {
			if (!predicate(status)) return;
			off();
			resolve(status);
		});
	});
}

/** Connected, synced and nothing pending: everything local is durable on the server. */
export const settled = (replica: Replica): Promise<ReplicaStatus> =>
	waitForStatus(replica, (s) => s.connection === 'online');

/** Resolves when `predicate(doc)` holds, checking after every update of the doc. */
export function waitForDoc(doc: Y.Doc, predicate: (doc: Y.Doc) => boolean): Promise<void> {
	return new Promise((resolve) => {
		if (predicate(doc)) return resolve();
		const check = (): void => {
			if (!predicate(doc)) return;
			doc.off('afterTransaction', check);
			resolve();
		};
		doc.on('afterTransaction', check);
	});
}

export interface RawClient {
	readonly socket: NodeWebSocket;
	readonly frames: Uint8Array[];
	readonly opened: Promise<void>;
	readonly closed: Promise<{ code: number; reason: string }>;
	/** Resolves with the first received frame (already received or later) that satisfies `predicate`. */
	nextFrame(predicate: (frame: Uint8Array) => boolean): Promise<Uint8Array>;
	send(bytes: Uint8Array | string): void;
}

/** A bare websocket that records every frame: for what y-websocket would never send, and to count the bytes a refused socket got. */
export function rawClient(url: string, headers: Record<string, string> = {}): RawClient {
	const socket = new NodeWebSocket(url, { headers });
	const frames: Uint8Array[] = [];
	const waiters: Array<{ predicate: (frame: Uint8Array) => boolean; resolve: (frame: Uint8Array) => void }> = [];
	socket.binaryType = 'nodebuffer';
	socket.on('message', (data: Buffer) => {
		const frame = new Uint8Array(data);
		frames.push(frame);
		for (const waiter of [...waiters]) {
			if (waiter.predicate(frame)) {
				waiters.splice(waiters.indexOf(waiter), 1);
				waiter.resolve(frame);
			}
		}
	});
	const opened = new Promise<void>((resolve, reject) => {
		socket.once('open', () => resolve());
		socket.once('error', reject);
	});
	// A test may cut a socket that never opened; that is not a failure of the test.
	opened.catch(() => undefined);
	socket.on('error', () => undefined);
	const closed = new Promise<{ code: number; reason: string }>((resolve) => {
		socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
	});
	return {
		socket,
		frames,
		opened,
		closed,
		nextFrame(predicate) {
			const seen = frames.find(predicate);
			if (seen) return Promise.resolve(seen);
			return new Promise((resolve) => waiters.push({ predicate, resolve }));
		},
		send(bytes) {
			if (socket.readyState === socket.CONNECTING) void opened.then(() => socket.send(bytes));
			else socket.send(bytes);
		}
	};
}
