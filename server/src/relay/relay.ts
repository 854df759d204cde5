// The websocket relay (docs/sync.md): authenticates and authorizes each socket, syncs documents over y-protocols, stores before it acknowledges.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import type { AccountStore, AuditEntry, DocStore } from '../store/types';
import {
	SocketRefusedError,
	type DocAccess,
	type Principal,
	type Relay,
	type RelayHooks,
	type SocketOwner
} from './types';
import { docNameSchema } from '../../../src/lib/schema/ids';
import { parseStorageName, storageName } from '../store/doc-keys';
import {
	CLOSE,
	MESSAGE_AWARENESS,
	MESSAGE_SYNC,
	encodeAck,
	encodeRejected,
	type RejectedItem
} from '../../../src/lib/data/sync/protocol';
import { TooManyRejectedError, defaultValidators, type DocValidators } from '../validation/index';
import type { AcceptedChange, Review, RoomValidation } from '../validation/types';
import { rewriteAwareness } from './awareness-owner';
import { presenceFor } from './presence';
import { DEFAULT_LIMITS, TokenBucket, type RelayLimits } from './limits';
import { FrameError, parseClientFrame } from './frames';
import { updateChangesDoc } from './read-only';
import { checkEntry, readStored, refusedAnswer, rejectedNotice } from './batch-sync';
import type { BatchAnswer, BatchRequestEntry } from '../../../src/lib/data/sync/batch';
import {
	ROOM_GONE,
	Room,
	SERVER_ORIGIN,
	sendFrame,
	type Connection,
	type Frame,
	type Queued,
	type Sender
} from './room';

export type { RelayLimits } from './limits';

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

export type RelayEvent =
	| { readonly type: 'joined'; readonly docName: string; readonly connection: number }
	| { readonly type: 'left'; readonly docName: string; readonly connection: number }
	| { readonly type: 'refused'; readonly docName: string | null; readonly connection: number; readonly code: number }
	| { readonly type: 'unloaded'; readonly docName: string }
	| { readonly type: 'paused'; readonly docName: string | null; readonly connection: number }
	| { readonly type: 'compacted'; readonly docName: string; readonly throughSeq: number }
	/** C7, H6: an open socket was authorized anew after its tenant's tree changed, and its access changed. */
	| {
			readonly type: 'accessChanged';
			readonly docName: string;
			readonly connection: number;
			readonly access: DocAccess;
	  }
	| {
			readonly type: 'rejected';
			readonly docName: string;
			readonly connection: number;
			readonly items: readonly RejectedItem[];
	  };

/** Frames a connection may send before it has joined its document (authorization and loading take a moment). */
const MAX_BACKLOG = 64;
/** S5: frames handled together and stored with one commit, at most (and at most twice maxFrameBytes of them). */
const MAX_BATCH_FRAMES = 64;
/** Items listed in one rejected message (S24); `total` still counts them all. */
const MAX_REJECTED_LISTED = 1000;
/** Ids named in the one audit row of a frame's undone items (S35). */
const AUDITED_IDS = 20;
/** How long `close()` waits for clients to answer the close handshake before it cuts their sockets. */
const CLOSE_GRACE_MS = 1000;

/** One frame's contribution to a batch's commit: its effective change and the compensation of what was invalid (S23). */
interface BatchPart {
	/** null for a change that came in between frames (e.g. pending structs that integrated), stored with the batch. */
	readonly conn: Sender | null;
	readonly change: Uint8Array | null;
	readonly fix: Uint8Array | null;
	readonly rejected: RejectedItem[];
	/** P17: what the review kept (at most MAX_ACCEPTED_PER_REVIEW listed) and how many in all. */
	readonly accepted: readonly AcceptedChange[];
	readonly acceptedTotal: number;
}

/** S33, S36: a frame whose review failed: its sender is closed with `code`, the document reloads from the store. */
interface ReviewFailure {
	readonly code: number;
	readonly reason: string;
	readonly error: unknown;
}

/** What a batch will store, and who is told what once it is stored (in frame order). */
interface Batch {
	readonly parts: BatchPart[];
	readonly replies: Array<{ readonly conn: Connection; readonly frame: Frame; readonly rejected: RejectedItem[] }>;
}

/** S11: ws closes frames above maxPayload with 1009 itself; the relay's sockets turn that into 4413, final for y-websocket. */
class RelaySocket extends WebSocket {
	override close(code?: number, data?: string | Buffer): void {
		if (code === 1009) super.close(CLOSE.tooLarge, 'frame too large');
		else super.close(code, data);
	}
}

function syncFrame(write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	write(encoder);
	return encoding.toUint8Array(encoder);
}

function awarenessFrame(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
	return encoding.toUint8Array(encoder);
}

/** Bytes of updates the document holds back until their missing dependencies arrive (Yjs keeps them beside the document). */
function pendingBytes(doc: Y.Doc): number {
	return (doc.store.pendingStructs?.update.byteLength ?? 0) + (doc.store.pendingDs?.byteLength ?? 0);
}

/** A private copy of the frame that owns its whole ArrayBuffer (ws hands out views into pooled buffers). */
function copyFrame(data: RawData): Uint8Array {
	if (Array.isArray(data)) {
		const total = data.reduce((sum, part) => sum + part.byteLength, 0);
		const out = new Uint8Array(total);
		let offset = 0;
		for (const part of data) {
			out.set(part, offset);
			offset += part.byteLength;
		}
		return out;
	}
	return data instanceof ArrayBuffer ? new Uint8Array(data.slice(0)) : new Uint8Array(data);
}

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
	const wss = new WebSocketServer<typeof RelaySocket>({
		noServer: true,
		maxPayload: limits.maxFrameBytes,
		WebSocket: RelaySocket
	});
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
		if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(code, reason);
	}

	/** S10: a protocol violation closes that connection only; frames it queued are dropped. */
	function refuse(conn: Connection, code: number, reason: string): void {
		log.warn({ conn: conn.id, doc: conn.room?.name, code, reason }, 'relay refused a connection');
		conn.refused = true;
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
		if (!conn.closed) conn.socket.resume();
	}

	function loadRoom(name: string): Promise<Room> {
		let loading = rooms.get(name);
		if (!loading) {
			loading = Room.load(name, store, (doc) => openValidation(name, doc)).then((room) => {
				watchAwareness(room);
				return room;
			});
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
		for (const conn of room.conns.values()) closeSocket(conn, CLOSE.serverError, reason);
		room.conns.clear();
		unload(room);
	}

	/** S5: append the document's new delta and wait for the commit, then broadcast it. Returns false when the store failed. */
	async function commit(room: Room, from: Connection | null): Promise<boolean> {
		// Server-side changes are trusted (S18): what they wrote becomes the last valid state of the records they touched.
		room.validation?.accept();
		const delta = room.takeDelta();
		if (delta === null) return true;
		treeChanged(room);
		try {
			room.lastSeq = await store.append(room.name, delta);
		} catch (error) {
			failRoom(room, error);
			return false;
		}
		room.broadcast(
			syncFrame((encoder) => syncProtocol.writeUpdate(encoder, delta)),
			from
		);
		room.sinceCompaction += 1;
		return true;
	}

	/** S16: every compactEvery updates the stored updates are replaced by one snapshot of the same state. */
	async function maybeCompact(room: Room): Promise<void> {
		if (room.sinceCompaction < limits.compactEvery || room.closed) return;
		try {
			await store.compact(room.name, Y.encodeStateAsUpdate(room.doc), room.lastSeq);
			room.sinceCompaction = 0;
			emit({ type: 'compacted', docName: room.docName, throughSeq: room.lastSeq });
			log.debug({ doc: room.name, throughSeq: room.lastSeq }, 'document compacted');
		} catch (error) {
			// The updates are still stored; compaction is retried after the next update.
			log.error({ doc: room.name, err: error }, 'compacting a document failed');
		}
	}

	/**
	 * P17, S23, S35: the audit rows of a stored batch, per frame in order: one row per kept change (a summary row for what
	 * is beyond the listed ones), then ONE summary row of what was undone (count, codes, the first ids; no user data).
	 * Written with one `appendAuditBatch`: one transaction per batch, never one per row.
	 */
	async function auditBatch(room: Room, parts: readonly BatchPart[]): Promise<void> {
		if (!options.audit) return;
		const at = clock.now().toISOString();
		const entries: AuditEntry[] = [];
		// A customer document's records are named by their id; the document says whose they are.
		const where = room.docName.startsWith('customer:') ? ` in ${room.docName}` : '';
		for (const part of parts) {
			const principal = part.conn?.principal;
			if (!part.conn || !principal) continue;
			const who = { at, tenantId: principal.tenantId, userId: principal.userId, ip: part.conn.ip };
			for (const change of part.accepted) {
				entries.push({
					...who,
					itemType: change.itemType,
					item: change.id,
					action: change.action,
					description: change.description + where,
					madeAt: change.madeAt
				});
			}
			const unlisted = part.acceptedTotal - part.accepted.length;
			if (unlisted > 0) {
				entries.push({
					...who,
					itemType: 'document',
					item: room.docName,
					action: 'updated',
					description: `${unlisted} further change(s) not listed one by one (${part.acceptedTotal} in one update)`
				});
			}
			if (part.rejected.length > 0) entries.push({ ...who, ...rejectedSummary(room, part.rejected) });
		}
		if (entries.length === 0) return;
		try {
			await options.audit.appendAuditBatch(entries);
		} catch (error) {
			log.error({ doc: room.name, err: error, rows: entries.length }, 'writing the audit log failed');
		}
	}

	/** S35: one row for everything undone in one frame. */
	function rejectedSummary(room: Room, items: readonly RejectedItem[]) {
		const codes = [...new Set(items.map((i) => i.code))];
		const itemTypes = [...new Set(items.map((i) => i.itemType))];
		const listed = items.length > AUDITED_IDS ? `; the first ${AUDITED_IDS} ids listed` : '';
		return {
			itemType: itemTypes.length === 1 ? itemTypes[0]! : 'several',
			item: items
				.slice(0, AUDITED_IDS)
				.map((i) => i.id)
				.join(','),
			action: 'rejected',
			description: `${codes.join(', ')}: ${items.length} change(s) to ${room.docName} undone by the server${listed}`
		};
	}

	/** S23, S24: tells the sender what of its frame was undone (the audit row was written with the batch). */
	function reportRejected(room: Room, conn: Connection, items: RejectedItem[]): void {
		const codes = [...new Set(items.map((i) => i.code))];
		log.info(
			{ conn: conn.id, doc: room.name, userId: conn.principal?.userId, count: items.length, codes },
			'undid invalid changes of a client'
		);
		sendFrame(
			conn,
			encodeRejected({ docName: room.docName, total: items.length, items: items.slice(0, MAX_REJECTED_LISTED) })
		);
		emit({ type: 'rejected', docName: room.docName, connection: conn.id, items });
	}

	function ack(room: Room, conn: Connection, frame: Frame): void {
		sendFrame(conn, encodeAck({ stateVector: Y.encodeStateVector(room.doc), handledFrames: frame.index }));
	}

	/**
	 * S23 (2): after a write connection's update was applied, lets the validator undo what is not valid. Answers the
	 * client's effective change and the compensation (each null when empty) and what was undone, or, when the review
	 * failed, how the frame is refused.
	 */
	function reviewClientUpdate(room: Room, conn: Sender, change: Uint8Array | null): BatchPart | ReviewFailure {
		let review: Review = { rejected: [], accepted: [], acceptedTotal: 0 };
		if (room.validation !== null && conn.principal !== null) {
			const { userId, tenantId, role, permissions } = conn.principal;
			try {
				review = room.validation.review({ userId, tenantId, role, permissions }, limits.maxRejectedPerFrame);
			} catch (error) {
				// S36: the review stopped at the cap, so the frame's work stays bounded; the frame is refused whole.
				if (error instanceof TooManyRejectedError)
					return { code: CLOSE.tooLarge, reason: 'too many invalid changes', error };
				// S33: fails closed. Whatever made the validator throw is nothing it has checked; none of it is stored.
				return { code: CLOSE.malformed, reason: 'update could not be validated', error };
			}
		}
		return { conn, change, fix: room.takeDelta(), ...review };
	}

	/**
	 * S5, S23 (3-7): ONE store.append of everything the batch's updates and compensations changed, awaited until committed;
	 * only then is it broadcast (each connection gets what it does not hold: the others' changes and every compensation),
	 * then each frame's sender gets, in order, its rejected notice and its ack. Answers false when the store failed (S15:
	 * nobody in the batch was acknowledged or told anything).
	 */
	async function flush(room: Room, batch: Batch): Promise<boolean> {
		const parts = batch.parts.splice(0);
		const replies = batch.replies.splice(0);
		const pieces = parts.flatMap((part) => [part.change, part.fix]).filter((u): u is Uint8Array => u !== null);
		if (pieces.length > 0) {
			const delta = pieces.length === 1 ? pieces[0]! : Y.mergeUpdates(pieces);
			try {
				room.lastSeq = await store.append(room.name, delta);
			} catch (error) {
				failRoom(room, error);
				return false;
			}
			room.sinceCompaction += 1;
			if (parts.some((part) => part.conn !== null && part.change !== null)) options.onClientChange?.(room.name);
			const whole = syncFrame((encoder) => syncProtocol.writeUpdate(encoder, delta));
			for (const conn of room.conns.values()) {
				// A sender holds its own change already; it gets the rest (its compensation included), like S23 (4) says.
				const own = parts.some((part) => part.conn === conn && part.change !== null);
				if (!own) {
					sendFrame(conn, whole);
					continue;
				}
				const rest = parts
					.flatMap((part) => (part.conn === conn ? [part.fix] : [part.change, part.fix]))
					.filter((u): u is Uint8Array => u !== null);
				if (rest.length > 0) {
					const update = rest.length === 1 ? rest[0]! : Y.mergeUpdates(rest);
					sendFrame(
						conn,
						syncFrame((encoder) => syncProtocol.writeUpdate(encoder, update))
					);
				}
			}
		}
		// P17: after the commit (only stored changes are audited), before anyone hears of them.
		await auditBatch(room, parts);
		if (parts.some((part) => part.acceptedTotal > 0)) treeChanged(room);
		if (replies.length === 0) return true;
		const stateVector = Y.encodeStateVector(room.doc);
		for (const reply of replies) {
			if (reply.rejected.length > 0) reportRejected(room, reply.conn, reply.rejected);
			sendFrame(reply.conn, encodeAck({ stateVector, handledFrames: reply.frame.index }));
		}
		return true;
	}

	/**
	 * S5: handles a batch of frames (one or several connections) in arrival order. Updates are applied and checked one by
	 * one and committed together by `flush`; a sync step 1 is answered only after what came before it is stored. A
	 * malformed frame closes its connection only (S10) and contributes nothing; the rest of the batch goes on.
	 */
	async function handleBatch(room: Room, entries: readonly Queued[]): Promise<void> {
		const batch: Batch = { parts: [], replies: [] };
		for (const { conn, frame } of entries) {
			if (room.closed) return;
			if (conn.refused) continue;
			let message;
			try {
				message = parseClientFrame(frame.bytes, limits.maxAwarenessBytes);
			} catch (error) {
				if (error instanceof FrameError) {
					refuse(conn, error.code, error.message);
					continue;
				}
				throw error;
			}
			switch (message.type) {
				case 'syncStep1': {
					// The answer holds the whole document: what the batch applied so far is stored first (S5).
					if (!(await flush(room, batch))) return;
					const answer = syncFrame((encoder) => {
						encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
						encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(room.doc, message.stateVector));
					});
					sendFrame(conn, answer);
					ack(room, conn, frame);
					break;
				}
				case 'syncStep2':
				case 'update': {
					if (conn.access !== 'write') {
						// S8: a read-only connection may only confirm what the server already has.
						if (updateChangesDoc(room.doc, message.update)) refuse(conn, CLOSE.forbidden, 'read-only');
						else batch.replies.push({ conn, frame, rejected: [] });
						break;
					}
					// What the batch changed before this frame, so that this frame's change is its own.
					const before = room.takeDelta();
					if (before !== null)
						batch.parts.push({ conn: null, change: before, fix: null, rejected: [], accepted: [], acceptedTotal: 0 });
					try {
						Y.applyUpdate(room.doc, message.update, conn);
					} catch {
						// The update decoded but Yjs could not integrate it: the in-memory document may hold part of it, so it
						// is dropped with the rest of the batch (nothing of it stored or acked) and reloaded from the store.
						refuse(conn, CLOSE.malformed, 'update could not be applied');
						room.takeDelta();
						failRoom(room, null, 'an update could not be applied');
						return;
					}
					if (pendingBytes(room.doc) > limits.maxFrameBytes) {
						// S10: structs waiting for a missing dependency stay in memory, unstored, and grow with every such frame.
						refuse(conn, CLOSE.tooLarge, 'too much data waits for missing updates');
						room.takeDelta();
						failRoom(room, null, 'too much data waits for missing updates');
						return;
					}
					const part = reviewClientUpdate(room, conn, room.takeDelta());
					if ('reason' in part) {
						// S33, S36: the document holds the unchecked update (and maybe half a compensation): like an update Yjs
						// could not integrate, nothing of the batch is stored or acked and the document reloads from the store.
						refuse(conn, part.code, part.reason);
						room.takeDelta();
						failRoom(room, part.error, `refused an update (${part.reason})`, 'document reloaded');
						return;
					}
					batch.parts.push(part);
					batch.replies.push({ conn, frame, rejected: part.rejected });
					break;
				}
				case 'awareness':
					handleAwareness(room, conn, message.update);
					break;
				case 'queryAwareness':
					answerQueryAwareness(room, conn);
					break;
			}
		}
		if (!(await flush(room, batch))) return;
		await maybeCompact(room);
	}

	/**
	 * S121: one entry of a batch request, in its document's queue. A pushed update goes through the same apply, review
	 * (S21-S24) and commit (`flush`: one append, then the broadcast to the document's sockets, then the audit rows) as a
	 * socket's update frame; the answer is read from the document after that commit (S5: it holds only what is stored).
	 */
	async function answerBatchEntry(
		room: Room,
		sender: Sender,
		access: 'read' | 'write',
		entry: BatchRequestEntry
	): Promise<BatchAnswer> {
		const { docName } = entry;
		let rejected: RejectedItem[] = [];
		if (entry.update !== null) {
			if (access !== 'write') {
				// S8: someone who may only read may only confirm what the server already holds.
				if (updateChangesDoc(room.doc, entry.update)) return refusedAnswer(docName, CLOSE.forbidden, 'read-only');
			} else {
				const pushed = await commitPushed(room, sender, entry.update);
				if ('code' in pushed) return refusedAnswer(docName, pushed.code, pushed.reason);
				rejected = pushed.rejected;
			}
		}
		return {
			docName,
			status: 'ok',
			update: Y.encodeStateAsUpdate(room.doc, entry.stateVector),
			stateVector: Y.encodeStateVector(room.doc),
			head: room.lastSeq,
			rejected: rejectedNotice(docName, rejected)
		};
	}

	/** S121: a batch's pushed update, handled as `handleBatch` handles one update frame of a write connection. */
	async function commitPushed(
		room: Room,
		sender: Sender,
		update: Uint8Array
	): Promise<{ rejected: RejectedItem[] } | { code: number; reason: string }> {
		const parts: BatchPart[] = [];
		const before = room.takeDelta();
		if (before !== null)
			parts.push({ conn: null, change: before, fix: null, rejected: [], accepted: [], acceptedTotal: 0 });
		try {
			Y.applyUpdate(room.doc, update, sender);
		} catch {
			room.takeDelta();
			failRoom(room, null, 'an update could not be applied');
			return { code: CLOSE.malformed, reason: 'update could not be applied' };
		}
		if (pendingBytes(room.doc) > limits.maxFrameBytes) {
			room.takeDelta();
			failRoom(room, null, 'too much data waits for missing updates');
			return { code: CLOSE.tooLarge, reason: 'too much data waits for missing updates' };
		}
		const part = reviewClientUpdate(room, sender, room.takeDelta());
		if ('reason' in part) {
			room.takeDelta();
			failRoom(room, part.error, `refused an update (${part.reason})`, 'document reloaded');
			return { code: part.code, reason: part.reason };
		}
		parts.push(part);
		if (part.rejected.length > 0)
			log.info(
				{ doc: room.name, userId: sender.principal?.userId, count: part.rejected.length },
				'undid invalid changes of a batch request'
			);
		if (!(await flush(room, { parts, replies: [] }))) return { code: CLOSE.serverError, reason: 'storage failed' };
		await maybeCompact(room);
		return { rejected: part.rejected };
	}

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
			return await run(name, (room) => answerBatchEntry(room, sender, access, entry));
		} catch (error) {
			if (error instanceof RelayClosedError) return refusedAnswer(docName, CLOSE.goingAway, 'server shutting down');
			log.error({ doc: name, err: error }, 'answering a batch entry failed');
			return refusedAnswer(docName, CLOSE.serverError, 'server error');
		}
	}

	/**
	 * S25, S30, S43: applies what of a connection's awareness update is its own to say. Each state must parse as presence
	 * (the zod schema the app reads it with) and is rewritten from the account (the person's email; no name nobody checked);
	 * ids another person's connection introduced, ids beyond maxAwarenessClients and states that would take the document's
	 * presence beyond maxPresenceBytesPerDoc are dropped. Removals (a null state) of the connection's own ids always pass.
	 */
	function handleAwareness(room: Room, conn: Connection, awarenessUpdate: Uint8Array): void {
		const principal = conn.principal;
		if (principal === null) return;
		try {
			let roomForNew = limits.maxAwarenessClients - conn.awarenessClients.size;
			let total = room.presenceTotal;
			const { update, dropped } = rewriteAwareness(awarenessUpdate, (client, state) => {
				if (ownedByOther(room, conn, client)) return null;
				const before = room.presenceBytes.get(client) ?? 0;
				if (state === 'null') {
					total -= before;
					return state;
				}
				const rewritten = presenceFor(state, principal);
				if (rewritten === null) return null;
				if (!conn.awarenessClients.has(client)) {
					roomForNew -= 1;
					if (roomForNew < 0) return null;
				}
				if (total - before + rewritten.length > limits.maxPresenceBytesPerDoc) return null;
				total += rewritten.length - before;
				return rewritten;
			});
			if (dropped > 0)
				log.warn(
					{ conn: conn.id, doc: room.docName, dropped },
					"ignored awareness entries that are not this connection's to set"
				);
			if (update !== null) awarenessProtocol.applyAwarenessUpdate(room.awareness, update, conn);
		} catch {
			refuse(conn, CLOSE.malformed, 'malformed awareness update');
		}
	}

	/**
	 * S43: "query awareness" costs the relay the encoding of every state of the document: answered from a cache that lives
	 * until the presence changes, and at most once per queryAwarenessIntervalMs per connection (more are ignored).
	 */
	function answerQueryAwareness(room: Room, conn: Connection): void {
		const now = clock.now().getTime();
		if (now - conn.lastQueryAt < limits.queryAwarenessIntervalMs) return;
		conn.lastQueryAt = now;
		room.presenceAnswer ??= awarenessFrame(room.awareness, [...room.awareness.getStates().keys()]);
		sendFrame(conn, room.presenceAnswer);
	}

	/** The next batch from the inbox: every frame that is ready, up to MAX_BATCH_FRAMES or twice maxFrameBytes (at least one). */
	function takeBatch(room: Room): Queued[] {
		let bytes = 0;
		let count = 0;
		for (const { frame } of room.inbox) {
			if (count >= MAX_BATCH_FRAMES || (count > 0 && bytes + frame.bytes.byteLength > limits.maxFrameBytes * 2)) break;
			bytes += frame.bytes.byteLength;
			count += 1;
		}
		return room.inbox.splice(0, count);
	}

	/** Frames of a document that left memory are dropped (their connections were closed, S10, S15, S20). */
	function dropInbox(room: Room): void {
		for (const { conn, frame } of room.inbox.splice(0)) release(conn, frame.bytes.byteLength);
	}

	/** S5: one task in the document's queue handles one batch; the next batch queues behind tasks that came meanwhile. */
	function scheduleDrain(room: Room): void {
		if (room.drainScheduled || room.closed || room.inbox.length === 0) return;
		room.drainScheduled = true;
		void room
			.enqueue(async (r) => {
				// Lets the event loop deliver the frames that are already readable on every socket, so that they share this
				// batch's commit (a synchronous fsync holds every socket's frames back until it is done).
				await new Promise<void>((resolve) => setImmediate(resolve));
				r.drainScheduled = false;
				const entries = takeBatch(r);
				try {
					await handleBatch(r, entries);
				} catch (error) {
					// A bug: the document may hold changes that were not stored, which must never be served (S15).
					failRoom(r, error, 'handling frames failed');
				} finally {
					for (const { conn, frame } of entries) release(conn, frame.bytes.byteLength);
				}
			})
			.then(
				() => {
					if (room.closed) dropInbox(room);
					else scheduleDrain(room);
				},
				(error: unknown) => log.error({ doc: room.name, err: error }, 'draining a document inbox failed')
			);
	}

	/** S4: runs in the document's queue, so the stored state is loaded before the first answer. */
	async function join(room: Room, conn: Connection): Promise<void> {
		if (conn.closed) return;
		room.idle?.cancel();
		room.idle = null;
		room.conns.set(conn.socket, conn);
		conn.room = room;
		const backlog = conn.backlog;
		conn.backlog = [];
		emit({ type: 'joined', docName: room.docName, connection: conn.id });
		sendFrame(
			conn,
			syncFrame((encoder) => syncProtocol.writeSyncStep1(encoder, room.doc))
		);
		const present = [...room.awareness.getStates().keys()];
		if (present.length > 0) sendFrame(conn, awarenessFrame(room.awareness, present));
		// Handled in order after the answers above, in the next batch (S4).
		for (const frame of backlog) room.inbox.push({ conn, frame });
		scheduleDrain(room);
	}

	/**
	 * S25: is `client` an awareness id that an open connection of another person introduced? The same person may take over
	 * their own id: a reconnecting replica keeps its client id while the server may not have noticed the old socket is gone.
	 */
	function ownedByOther(room: Room, conn: Connection, client: number): boolean {
		for (const other of room.conns.values()) {
			if (other === conn || !other.awarenessClients.has(client)) continue;
			if (other.principal?.userId !== conn.principal?.userId) return true;
		}
		return false;
	}

	function watchAwareness(room: Room): void {
		room.awareness.on(
			'update',
			({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
				const owner = [...room.conns.values()].find((conn) => conn === origin);
				if (owner) {
					for (const client of [...added, ...updated]) {
						// Taken over (S25): the previous connection must not remove it for everyone when it closes.
						for (const other of room.conns.values()) if (other !== owner) other.awarenessClients.delete(client);
						owner.awarenessClients.add(client);
					}
					for (const client of removed) owner.awarenessClients.delete(client);
				}
				// S43: what each state weighs, so that the document's presence stays bounded.
				const states = room.awareness.getStates();
				for (const client of [...added, ...updated, ...removed]) {
					const state = states.get(client);
					const bytes = state === undefined ? 0 : JSON.stringify(state).length;
					room.presenceTotal += bytes - (room.presenceBytes.get(client) ?? 0);
					if (bytes === 0) room.presenceBytes.delete(client);
					else room.presenceBytes.set(client, bytes);
				}
				room.presenceAnswer = null;
				// Sent to everyone, the sender too: y-websocket drops a connection that hears nothing for 30 s.
				room.broadcast(awarenessFrame(room.awareness, [...added, ...updated, ...removed]), null);
			}
		);
	}

	function onFrame(conn: Connection, data: RawData, isBinary: boolean): void {
		if (conn.closed || conn.refused) return;
		if (!isBinary) return refuse(conn, CLOSE.malformed, 'text frames are not part of the protocol');
		const bytes = copyFrame(data);
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
		room.inbox.push({ conn, frame });
		scheduleDrain(room);
	}

	function onClose(conn: Connection): void {
		if (conn.closed) return;
		conn.closed = true;
		conn.ping?.cancel();
		conn.sessionCheck?.cancel();
		connections.delete(conn);
		if (conn.ip !== null) openByAddress.remove(conn.ip);
		if (conn.principal !== null) openByUser.remove(conn.principal.userId);
		if (conn.slow)
			log.warn({ conn: conn.id, doc: conn.room?.name }, 'cut a connection that did not read what it was sent');
		const room = conn.room;
		if (room === null || room.closed) return;
		room.conns.delete(conn.socket);
		if (conn.awarenessClients.size > 0) {
			awarenessProtocol.removeAwarenessStates(room.awareness, [...conn.awarenessClients], null);
		}
		if (room.conns.size === 0) scheduleIdleUnload(room);
		emit({ type: 'left', docName: room.docName, connection: conn.id });
	}

	function schedulePing(conn: Connection): void {
		conn.ping = clock.setTimeout(() => {
			if (conn.closed) return;
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
		if (conn.closed || closing) return;
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
			await run(storageName(principal.tenantId, docName), async (room) => {
				await join(room, conn);
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
		if (conn.closed || principal === null) return;
		let fresh: Principal | null;
		try {
			fresh = await hooks.revalidate(principal);
		} catch (error) {
			if (error instanceof SocketRefusedError) return refuse(conn, error.closeCode, error.message);
			log.error({ conn: conn.id, err: error }, 'checking a session failed');
			return watchSession(conn, { ...principal, validUntil: clock.now().getTime() + limits.pingIntervalMs });
		}
		if (conn.closed) return;
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
							!conn.closed &&
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
		if (conn.closed || access === conn.access) return;
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

	function accept(socket: WebSocket, req: IncomingMessage, rawName: string | null): void {
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
			closed: false,
			refused: false,
			alive: true,
			ping: null,
			queuedBytes: 0,
			paused: false,
			maxBufferedBytes: limits.maxBufferedBytes,
			slow: false
		};
		connections.add(conn);
		if (ip !== null) openByAddress.add(ip);
		socket.on('message', (data, isBinary) => onFrame(conn, data, isBinary));
		socket.on('close', () => onClose(conn));
		socket.on('error', (error) => log.debug({ conn: conn.id, err: error }, 'socket error'));
		socket.on('pong', () => {
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
			const path = new URL(req.url ?? '/', 'http://relay').pathname;
			if (!path.startsWith('/sync/')) {
				socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
				return;
			}
			let rawName: string | null;
			try {
				rawName = decodeURIComponent(path.slice('/sync/'.length));
			} catch {
				rawName = null;
			}
			// Accepted first and refused with a close code: a browser cannot read an HTTP status of a failed upgrade.
			wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req, rawName));
		},

		async change(docName, fn) {
			await run(docName, async (room) => {
				let failure: unknown = null;
				try {
					room.doc.transact(() => fn(room.doc), SERVER_ORIGIN);
				} catch (error) {
					failure = error;
				}
				// What fn did before it threw is in memory, so it is stored too: memory and store never differ.
				const stored = await commit(room, null);
				if (failure !== null) throw failure;
				if (!stored) throw new Error(`storing a change of ${docName} failed`);
				await maybeCompact(room);
			});
		},

		encodeState(docName) {
			return run(docName, (room) => Y.encodeStateAsUpdate(room.doc));
		},

		withDoc(docName, fn) {
			return run(docName, async (room) => {
				const result = fn(room.doc);
				await commit(room, null);
				return result;
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
				if (conn.closed || principal === null) continue;
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
						if (conn.socket.readyState === conn.socket.CLOSED) return resolve();
						conn.socket.once('close', () => resolve());
						const cut = setTimeout(() => conn.socket.terminate(), CLOSE_GRACE_MS);
						cut.unref?.();
						conn.socket.once('close', () => clearTimeout(cut));
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
			await new Promise<void>((resolve) => wss.close(() => resolve()));
		}
	};
}
