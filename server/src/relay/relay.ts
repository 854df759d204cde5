// The websocket relay (docs/sync.md): authenticates and authorizes each socket, syncs documents over y-protocols, stores before it acknowledges.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as Y from 'yjs';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import type { AccountStore, DocStore } from '../store/types';
import {
	SocketRefusedError,
	type Principal,
	type Relay,
	type RelayEvent,
	type RelayHooks,
	type SocketOwner
} from './types';
import { docNameSchema } from '../../../src/lib/schema/ids';
import { parseStorageName, storageName } from '../store/doc-keys';
import { CLOSE } from '../../../src/lib/data/sync/protocol';
import { defaultValidators, type DocValidators } from '../validation/index';
import type { RoomValidation } from '../validation/types';
import { DEFAULT_LIMITS, TokenBucket, type RelayLimits } from './limits';
import { syncPathDocName, type TransportSocket } from './transport';
import { createWsAcceptor } from './ws-transport';
import { checkEntry, readStored, refusedAnswer } from './batch-sync';
import type { BatchAnswer, BatchRequestEntry } from '../../../src/lib/data/sync/batch';
import { ROOM_GONE, Room, type RoomHost } from './room';
import { isClosed, type Connection, type Frame, type Sender } from './connection';
import { auditRows } from './audit-rows';

export type { RelayLimits } from './limits';
export type { RelayEvent } from './types';

export interface RelayOptions {
	store: DocStore;
	hooks: RelayHooks;
	clock: Clock;
	log: Logger;
	limits?: Partial<RelayLimits>;
	/** S21: a validator per document kind; default `defaultValidators()`; null: the relay does not look into documents. */
	validators?: DocValidators | null;
	/**
	 * Where accepted (P17) and undone (S23) client changes are recorded, in one `appendAuditBatch` per batch; the server
	 * passes its Store. Without it they are only logged.
	 */
	audit?: Pick<AccountStore, 'appendAuditBatch'>;
	/** Observes the relay's lifecycle (tests wait on it instead of sleeping; metrics can count it). */
	onEvent?: (event: RelayEvent) => void;
	/** Told the storage name of a document once a batch holding a client's change to it is stored (summaries, P1). */
	onClientChange?: (docName: string) => void;
}

/** Frames a connection may send before it has joined its document (authorization and loading take a moment). */
const MAX_BACKLOG = 64;
/** How long `close()` waits for clients to answer the close handshake before it cuts their sockets. */
const CLOSE_GRACE_MS = 1000;

/** Counts per key (S42: open sockets per address and per person), forgetting keys that drop to zero. */
class Tally {
	readonly #counts = new Map<string, number>();
	count(key: string): number {
		return this.#counts.get(key) ?? 0;
	}
	add(key: string): void {
		this.#counts.set(key, this.count(key) + 1);
	}
	remove(key: string): void {
		const next = this.count(key) - 1;
		if (next > 0) this.#counts.set(key, next);
		else this.#counts.delete(key);
	}
}

/** What `change`, `withDoc` and `encodeState` answer once `close()` has been called. */
export class RelayClosedError extends Error {
	constructor() {
		super('the relay is closed');
		this.name = 'RelayClosedError';
	}
}

export function createRelay(options: RelayOptions): Relay {
	const { store, hooks, clock, log } = options;
	const emit = (event: RelayEvent): void => options.onEvent?.(event);
	const limits: RelayLimits = { ...DEFAULT_LIMITS, ...options.limits };
	const validators = options.validators === undefined ? defaultValidators() : options.validators;
	const acceptor = createWsAcceptor(limits.maxFrameBytes, (error) => log.debug({ err: error }, 'socket error'));
	const rooms = new Map<string, Promise<Room>>();
	const connections = new Set<Connection>();
	/** S42: open connections per address (from accept) and per person (from admission), kept as they open and close. */
	const openByAddress = new Tally();
	const openByUser = new Tally();
	let nextConnectionId = 1;
	let closing = false;
	/** C7, H6: per tenant, the access check of open customer sockets that runs now (see `treeChanged`). */
	const accessChecks = new Map<string, { again: boolean }>();

	function closeSocket(conn: Connection, code: number, reason: string): void {
		const { socket } = conn;
		if (socket.state === 'open' || socket.state === 'connecting') socket.close(code, reason);
	}

	/** S10: a protocol violation closes that connection only; frames it queued are dropped. */
	function refuse(conn: Connection, code: number, reason: string): void {
		log.warn({ conn: conn.id, doc: conn.room?.name, code, reason }, 'relay refused a connection');
		conn.refusal ??= { code, reason };
		closeSocket(conn, code, reason);
		emit({ type: 'refused', docName: conn.docName, connection: conn.id, code });
	}

	/** S26: counts a received frame until it is handled; a connection far ahead of the store stops being read (TCP pushes back). */
	function hold(conn: Connection, bytes: number): void {
		conn.queuedBytes += bytes;
		if (conn.paused || conn.queuedBytes <= limits.maxQueuedBytes) return;
		conn.paused = true;
		conn.socket.pause();
		log.debug({ conn: conn.id, doc: conn.room?.name, queuedBytes: conn.queuedBytes }, 'paused reading a connection');
		emit({ type: 'paused', docName: conn.docName, connection: conn.id });
	}

	function release(conn: Connection, bytes: number): void {
		conn.queuedBytes -= bytes;
		if (!conn.paused || conn.queuedBytes > limits.maxQueuedBytes / 2) return;
		conn.paused = false;
		if (!isClosed(conn)) conn.socket.resume();
	}

	function loadRoom(name: string): Promise<Room> {
		let loading = rooms.get(name);
		if (!loading) {
			loading = Room.load(name, roomHost, (doc) => openValidation(name, doc));
			rooms.set(name, loading);
			loading.catch((error: unknown) => {
				log.error({ doc: name, err: error }, 'loading a document failed');
				rooms.delete(name);
			});
		}
		return loading;
	}

	/** S22: the validator of the document's kind, opened on the stored state; records already invalid there are only logged. */
	function openValidation(name: string, doc: Y.Doc): RoomValidation | null {
		const kind = parseStorageName(name)?.kind;
		const validator = kind === undefined ? undefined : validators?.get(kind);
		if (validator === undefined) return null;
		const validation = validator.open(doc);
		const invalid = validation.invalidAtLoad;
		if (invalid.length > 0) {
			log.warn(
				{ doc: name, count: invalid.length, items: invalid.slice(0, 20) },
				'the stored document holds invalid records; they are left as they are'
			);
		}
		return validation;
	}

	function unload(room: Room): void {
		if (room.closed) return;
		rooms.delete(room.name);
		room.destroy();
		log.debug({ doc: room.name }, 'document unloaded');
		emit({ type: 'unloaded', docName: room.docName });
	}

	/** S14: a document nobody is connected to leaves memory after idleUnloadMs. */
	function scheduleIdleUnload(room: Room): void {
		room.idle?.cancel();
		room.idle = clock.setTimeout(() => {
			room.idle = null;
			void room.enqueue((r) => {
				if (r.conns.size === 0) unload(r);
			});
		}, limits.idleUnloadMs);
	}

	/** Runs `task` in the document's queue, loading the document first; retries when the room was unloaded meanwhile. */
	async function run<T>(name: string, task: (room: Room) => Promise<T> | T): Promise<T> {
		for (;;) {
			// S20: after close() no document is loaded again (the caller closes the store next).
			if (closing) throw new RelayClosedError();
			const room = await loadRoom(name);
			const result = await room.enqueue(task);
			if (result === ROOM_GONE) continue;
			if (room.conns.size === 0 && room.idle === null && !room.closed) scheduleIdleUnload(room);
			return result;
		}
	}

	/** S15: the store failed; nothing half-stored may be served, so the document leaves memory and its clients reconnect. */
	function failRoom(room: Room, error: unknown, what = 'storing an update failed', reason = 'storage failed'): void {
		log.error({ doc: room.name, err: error }, `${what}; unloading the document`);
		room.closeConnections(reason);
		unload(room);
	}

	/** What every room needs from the relay: the store, the limits, and the relay's side of refusals, failures and audit. */
	const roomHost: RoomHost = {
		store,
		log,
		clock,
		limits,
		emit,
		refuse,
		fail: failRoom,
		release,
		clientChanged: (room) => options.onClientChange?.(room.name),
		treeChanged,
		async audit(room, parts) {
			if (!options.audit) return;
			const entries = auditRows(room.docName, parts, clock.now().toISOString());
			if (entries.length === 0) return;
			try {
				await options.audit.appendAuditBatch(entries);
			} catch (error) {
				log.error({ doc: room.name, err: error, rows: entries.length }, 'writing the audit log failed');
			}
		}
	};

	/** S122: a read of a document nobody has loaded comes from the store; anything else runs in the document's queue. */
	async function answerEntry(
		principal: Principal,
		sender: Sender,
		access: 'read' | 'write',
		entry: BatchRequestEntry
	): Promise<BatchAnswer> {
		const { docName } = entry;
		const name = storageName(principal.tenantId, docName);
		try {
			if (closing) throw new RelayClosedError();
			if (entry.update === null && !rooms.has(name)) return await readStored(store, name, docName, entry.stateVector);
			return await run(name, (room) => room.answerBatch(sender, access, entry));
		} catch (error) {
			if (error instanceof RelayClosedError) return refusedAnswer(docName, CLOSE.goingAway, 'server shutting down');
			log.error({ doc: name, err: error }, 'answering a batch entry failed');
			return refusedAnswer(docName, CLOSE.serverError, 'server error');
		}
	}

	function onFrame(conn: Connection, bytes: Uint8Array, isBinary: boolean): void {
		if (isClosed(conn) || conn.refusal !== null) return;
		if (!isBinary) return refuse(conn, CLOSE.malformed, 'text frames are not part of the protocol');
		if (bytes.byteLength > limits.maxFrameBytes) return refuse(conn, CLOSE.tooLarge, 'frame too large');
		if (!conn.bucket.take()) return refuse(conn, CLOSE.rateLimited, 'too many messages');
		conn.received += 1;
		const frame: Frame = { index: conn.received, bytes };
		const room = conn.room;
		if (room === null) {
			if (conn.backlog.length >= MAX_BACKLOG) return refuse(conn, CLOSE.rateLimited, 'too many messages before sync');
			conn.backlog.push(frame);
			hold(conn, bytes.byteLength);
			return;
		}
		if (room.closed) return;
		hold(conn, bytes.byteLength);
		room.receive(conn, frame);
	}

	function onClose(conn: Connection): void {
		if (isClosed(conn)) return;
		conn.phase = 'closed';
		conn.ping?.cancel();
		conn.sessionCheck?.cancel();
		connections.delete(conn);
		if (conn.ip !== null) openByAddress.remove(conn.ip);
		if (conn.principal !== null) openByUser.remove(conn.principal.userId);
		if (conn.slow)
			log.warn({ conn: conn.id, doc: conn.room?.name }, 'cut a connection that did not read what it was sent');
		const room = conn.room;
		if (room === null || room.closed) return;
		if (room.leave(conn) === 0) scheduleIdleUnload(room);
		emit({ type: 'left', docName: room.docName, connection: conn.id });
	}

	function schedulePing(conn: Connection): void {
		conn.ping = clock.setTimeout(() => {
			if (isClosed(conn)) return;
			if (!conn.alive) {
				conn.socket.terminate();
				return;
			}
			conn.alive = false;
			conn.socket.ping();
			schedulePing(conn);
		}, limits.pingIntervalMs);
	}

	async function admit(conn: Connection, req: IncomingMessage, rawName: string | null): Promise<void> {
		const parsedName = rawName === null ? null : docNameSchema.safeParse(rawName);
		if (!parsedName?.success) return refuse(conn, CLOSE.malformed, 'invalid document name');
		const docName = parsedName.data;
		let principal: Principal | null;
		let access;
		try {
			principal = await hooks.authenticate(req);
			access = principal === null ? null : await hooks.authorize(principal, docName);
		} catch (error) {
			if (error instanceof SocketRefusedError) return refuse(conn, error.closeCode, error.message);
			log.error({ conn: conn.id, doc: docName, err: error }, 'authorizing a connection failed');
			return closeSocket(conn, CLOSE.serverError, 'server error');
		}
		if (principal === null || access === null) return refuse(conn, CLOSE.notAuthenticated, 'not signed in');
		if (access === 'none') return refuse(conn, CLOSE.forbidden, 'no access to this document');
		// S40: also what another tenant's customer id answers, so that nobody learns whether it exists.
		if (access === 'unknown') return closeSocket(conn, CLOSE.tryAgainLater, 'unknown document, try later');
		if (isClosed(conn) || closing) return;
		// S42: one person's sockets are bounded; a replica told to come back later reconnects with backoff (S17).
		if (openByUser.count(principal.userId) >= limits.maxSocketsPerUser)
			return closeSocket(conn, CLOSE.tryAgainLater, 'too many connections, try later');
		conn.access = access;
		conn.principal = principal;
		openByUser.add(principal.userId);
		conn.docName = docName;
		watchSession(conn, principal);
		log.debug({ conn: conn.id, doc: docName, userId: principal.userId, access }, 'connection admitted');
		try {
			// S4: in the document's queue, so the stored state is loaded before the first answer.
			await run(storageName(principal.tenantId, docName), (room) => {
				if (!isClosed(conn)) room.join(conn);
			});
		} catch (error) {
			if (error instanceof RelayClosedError) return closeSocket(conn, CLOSE.goingAway, 'server shutting down');
			log.error({ conn: conn.id, doc: docName, err: error }, 'opening a document failed');
			closeSocket(conn, CLOSE.serverError, 'server error');
		}
	}

	/**
	 * S41: a socket lives no longer than its session. At the session's `validUntil` the relay asks whether it still holds
	 * (it may have slid): if so it looks again at the new end, if not the socket is closed with 4401.
	 */
	function watchSession(conn: Connection, principal: Principal): void {
		conn.sessionCheck?.cancel();
		const wait = Math.max(0, principal.validUntil - clock.now().getTime()) + 1;
		conn.sessionCheck = clock.setTimeout(() => {
			conn.sessionCheck = null;
			void recheck(conn);
		}, wait);
	}

	async function recheck(conn: Connection): Promise<void> {
		const principal = conn.principal;
		if (isClosed(conn) || principal === null) return;
		let fresh: Principal | null;
		try {
			fresh = await hooks.revalidate(principal);
		} catch (error) {
			if (error instanceof SocketRefusedError) return refuse(conn, error.closeCode, error.message);
			log.error({ conn: conn.id, err: error }, 'checking a session failed');
			return watchSession(conn, { ...principal, validUntil: clock.now().getTime() + limits.pingIntervalMs });
		}
		if (isClosed(conn)) return;
		if (fresh === null) return endSession(conn, 'session ended');
		// P16, H6: a changed role or grant may change what this socket may read or write: it ends, the device reconnects
		// and is authorized anew (a document outside the new grant is then refused, and the app removes its copy).
		if (
			fresh.role !== principal.role ||
			JSON.stringify(fresh.grants) !== JSON.stringify(principal.grants) ||
			// A custom role whose permissions a Super Admin changed (P16): same name, other rights.
			JSON.stringify(fresh.permissions) !== JSON.stringify(principal.permissions)
		) {
			log.info({ conn: conn.id, doc: conn.docName }, "closed a socket whose person's access changed");
			return refuse(conn, CLOSE.accessChanged, 'access changed');
		}
		conn.principal = fresh;
		watchSession(conn, fresh);
	}

	/**
	 * C7, H6: what a socket may do with a customer document follows the tenant's tree (an unlinked customer is read-only,
	 * one outside the grant is not readable). After a change of a tenant document was stored, the open write sockets of
	 * that tenant's customer documents are authorized anew, one run per tenant at a time (a change during a run asks for
	 * one more): a socket now `read` becomes read-only in place (S8 refuses its next write; the app already shows the
	 * customer read-only), one no longer allowed at all closes with 4409.
	 */
	function treeChanged(room: Room): void {
		const stored = parseStorageName(room.name);
		if (stored?.kind !== 'tenant' || closing) return;
		const tenantId = stored.tenantId;
		const running = accessChecks.get(tenantId);
		if (running) {
			running.again = true;
			return;
		}
		const check = { again: true };
		accessChecks.set(tenantId, check);
		void (async () => {
			try {
				while (check.again && !closing) {
					check.again = false;
					const open = [...connections].filter(
						(conn) =>
							!isClosed(conn) &&
							conn.access === 'write' &&
							conn.principal?.tenantId === tenantId &&
							conn.docName !== null &&
							conn.docName.startsWith('customer:')
					);
					for (const conn of open) await reauthorize(conn);
				}
			} catch (error) {
				log.error({ tenantId, err: error }, 'checking the access of open sockets failed');
			} finally {
				accessChecks.delete(tenantId);
			}
		})();
	}

	async function reauthorize(conn: Connection): Promise<void> {
		const { principal, docName } = conn;
		if (principal === null || docName === null) return;
		const access = await hooks.authorize(principal, docName);
		if (isClosed(conn) || access === conn.access) return;
		emit({ type: 'accessChanged', docName, connection: conn.id, access });
		if (access === 'read') {
			log.info({ conn: conn.id, doc: docName }, 'a socket became read-only: its document may no longer be changed');
			conn.access = 'read';
			return;
		}
		refuse(conn, CLOSE.accessChanged, 'access changed');
	}

	/** S41: 4401 is final for y-websocket; the app then asks the person to sign in again (S9). */
	function endSession(conn: Connection, reason: string): void {
		log.info({ conn: conn.id, doc: conn.docName }, 'closed a socket whose session ended');
		refuse(conn, CLOSE.notAuthenticated, reason);
	}

	function accept(socket: TransportSocket, req: IncomingMessage, rawName: string | null): void {
		const ip = req.socket.remoteAddress ?? null;
		// S42: sockets from one address are bounded before anything else is done for them.
		if (ip !== null && openByAddress.count(ip) >= limits.maxSocketsPerAddress) {
			socket.close(CLOSE.tryAgainLater, 'too many connections, try later');
			return;
		}
		const conn: Connection = {
			id: nextConnectionId++,
			socket,
			bucket: new TokenBucket(clock, limits.framesPerSecond, limits.frameBurst),
			access: null,
			principal: null,
			ip,
			docName: null,
			sessionCheck: null,
			lastQueryAt: Number.NEGATIVE_INFINITY,
			room: null,
			backlog: [],
			received: 0,
			awarenessClients: new Set(),
			phase: 'admitting',
			refusal: null,
			alive: true,
			ping: null,
			queuedBytes: 0,
			paused: false,
			maxBufferedBytes: limits.maxBufferedBytes,
			slow: false
		};
		connections.add(conn);
		if (ip !== null) openByAddress.add(ip);
		socket.onMessage((frame, isBinary) => onFrame(conn, frame, isBinary));
		socket.onClose(() => onClose(conn));
		socket.onPong(() => {
			conn.alive = true;
		});
		schedulePing(conn);
		void admit(conn, req, rawName);
	}

	return {
		handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
			if (closing) {
				socket.destroy();
				return;
			}
			const path = syncPathDocName(req.url ?? '/');
			if (path === null) {
				socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
				return;
			}
			// Accepted first and refused with a close code: a browser cannot read an HTTP status of a failed upgrade.
			acceptor.upgrade(req, socket, head, (transport) => accept(transport, req, path.rawName));
		},

		acceptSocket(socket, req) {
			if (closing) {
				socket.terminate();
				return;
			}
			accept(socket, req, syncPathDocName(req.url ?? '/')?.rawName ?? null);
		},

		async change(docName, fn) {
			await run(docName, async (room) => {
				const { stored, outcome } = await room.changeByServer(fn);
				if (!outcome.ok) throw outcome.error;
				if (!stored) throw new Error(`storing a change of ${docName} failed`);
			});
		},

		encodeState(docName) {
			return run(docName, (room) => Y.encodeStateAsUpdate(room.doc));
		},

		withDoc(docName, fn) {
			return run(docName, async (room) => {
				// Anything fn changed is a server change, committed like one (S18).
				const { outcome } = await room.changeByServer(fn);
				if (!outcome.ok) throw outcome.error;
				return outcome.value;
			});
		},

		async syncBatch(principal, ip, entries) {
			const sender: Sender = { principal, ip };
			// S121: as for a socket, each document is authorized for the session (S2, S40).
			const accesses = await Promise.all(
				entries.map((entry) =>
					hooks.authorize(principal, entry.docName).catch((error: unknown) => {
						log.error({ doc: entry.docName, err: error }, 'authorizing a batch entry failed');
						return null;
					})
				)
			);
			const answers: BatchAnswer[] = [];
			let answeredBytes = 0;
			// S124: one entry after the other, each on its own: a refused entry changes nothing and fails nothing else.
			for (const [index, entry] of entries.entries()) {
				if (answers.length > 0 && answeredBytes > limits.maxBatchAnswerBytes) {
					answers.push(refusedAnswer(entry.docName, CLOSE.tryAgainLater, 'answer full, ask again'));
					continue;
				}
				const access = accesses[index] ?? null;
				const answer =
					checkEntry(entry, access, limits.maxFrameBytes) ??
					(access === 'read' || access === 'write'
						? await answerEntry(principal, sender, access, entry)
						: refusedAnswer(entry.docName, CLOSE.serverError, 'server error'));
				if (answer.status === 'ok') answeredBytes += answer.update.byteLength;
				answers.push(answer);
			}
			return answers;
		},

		disconnect(owner: SocketOwner, reason: string) {
			let closed = 0;
			for (const conn of [...connections]) {
				const principal = conn.principal;
				if (isClosed(conn) || principal === null) continue;
				const matches =
					'sessionId' in owner ? principal.sessionId === owner.sessionId : principal.userId === owner.userId;
				if (!matches) continue;
				endSession(conn, reason);
				closed += 1;
			}
			return closed;
		},

		async recheckSessions(userId?: string) {
			const which = [...connections].filter((conn) => userId === undefined || conn.principal?.userId === userId);
			await Promise.all(which.map((conn) => recheck(conn)));
		},

		stats() {
			return { loadedDocs: rooms.size, connections: connections.size };
		},

		async close() {
			closing = true;
			const open = [...connections];
			const closed = open.map(
				(conn) =>
					new Promise<void>((resolve) => {
						if (conn.socket.state === 'closed') return resolve();
						const cut = setTimeout(() => conn.socket.terminate(), CLOSE_GRACE_MS);
						cut.unref?.();
						conn.socket.onClose(() => {
							clearTimeout(cut);
							resolve();
						});
					})
			);
			for (const conn of open) closeSocket(conn, CLOSE.goingAway, 'server shutting down');
			// In-flight appends finish before the store may be closed by the caller.
			const loaded = await Promise.allSettled([...rooms.values()]);
			await Promise.all(
				loaded.map((result) => (result.status === 'fulfilled' ? result.value.enqueue(() => undefined) : undefined))
			);
			for (const result of loaded) if (result.status === 'fulfilled') unload(result.value);
			await Promise.all(closed);
			await acceptor.close();
		}
	};
}
