// One loaded document on the relay (S140, S144): its Y.Doc and presence, its connections, the serial queue all its work
// runs through (S4, S5), and the ONE commit path of everything that changes it: a socket's frames, a batch request's
// pushed update (S121) and the server's own changes (S18) are applied, reviewed, appended, broadcast, audited and
// acknowledged by `commit`.
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import type { DocStore } from '../store/types';
import { parseStorageName } from '../store/doc-keys';
import { TooManyRejectedError } from '../validation/index';
import type { Review, RoomValidation } from '../validation/types';
import { CLOSE, MESSAGE_SYNC, encodeAck, encodeRejected, type RejectedItem } from '../../../src/lib/data/sync/protocol';
import type { BatchAnswer, BatchRequestEntry } from '../../../src/lib/data/sync/batch';
import type { RelayLimits } from './limits';
import type { RelayEvent } from './types';
import type { TransportSocket } from './transport';
import { sendFrame, type Connection, type Frame, type Queued, type Sender } from './connection';
import type { CommitPart } from './audit-rows';
import { RoomPresence } from './room-presence';
import { FrameError, parseClientFrame } from './frames';
import { updateChangesDoc } from './read-only';
import { refusedAnswer, rejectedNotice } from './batch-sync';
import { HeldDeletions } from './held-deletions';

/** Transaction origin of what the relay reads from its own store. */
export const LOAD_ORIGIN = Symbol('relay-load');
/** Transaction origin of server-side changes (`relay.change`). */
export const SERVER_ORIGIN = 'server';
/** Returned by `Room.enqueue` when the room was unloaded before the task ran. */
export const ROOM_GONE = Symbol('room-gone');

/** S5: frames handled together and stored with one commit, at most (and at most twice maxFrameBytes of them). */
const MAX_BATCH_FRAMES = 64;
/** Items listed in one rejected message (S24); `total` still counts them all. */
const MAX_REJECTED_LISTED = 1000;

/** What the room needs from the relay around it. */
export interface RoomHost {
	readonly store: DocStore;
	readonly log: Logger;
	readonly clock: Clock;
	readonly limits: RelayLimits;
	emit(event: RelayEvent): void;
	/** S10: closes a connection that broke the protocol; frames it queued are dropped. */
	refuse(conn: Connection, code: number, reason: string): void;
	/** S15: the document may hold what is not stored: it leaves memory and its connections are closed with 1011. */
	fail(room: Room, error: unknown, what?: string, reason?: string): void;
	/** P17, S35: records a commit's audit rows (one store call). */
	audit(room: Room, parts: readonly CommitPart[]): Promise<void>;
	/** P1: a commit held a client's change. */
	clientChanged(room: Room): void;
	/** C7, H6: a commit may have changed the tenant's tree. */
	treeChanged(room: Room): void;
	/** S26: a connection's frame was handled (or dropped); its bytes no longer count against it. */
	release(conn: Connection, bytes: number): void;
}

/** A sender's frame, answered after the commit: its rejected notice (S24), then its ack (S5). */
interface Reply {
	readonly conn: Connection;
	readonly frame: Frame;
	readonly rejected: RejectedItem[];
}

/** S10, S33, S36: an update that could not be applied or reviewed; the document must reload from the store. */
interface ApplyFailure {
	readonly code: number;
	readonly reason: string;
	readonly error: unknown;
	/** What the log says. */
	readonly what: string;
	/** The reason the document's other connections are closed with. */
	readonly closeReason: string;
}

function syncFrame(write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	write(encoder);
	return encoding.toUint8Array(encoder);
}

const updateFrame = (update: Uint8Array): Uint8Array =>
	syncFrame((encoder) => syncProtocol.writeUpdate(encoder, update));

/**
 * Bytes of updates the document holds back until their missing dependencies arrive (Yjs keeps them beside the document,
 * the room keeps their deletions, S23).
 */
function pendingBytes(doc: Y.Doc, held: HeldDeletions): number {
	return (doc.store.pendingStructs?.update.byteLength ?? 0) + (doc.store.pendingDs?.byteLength ?? 0) + held.bytes;
}

const merged = (updates: readonly Uint8Array[]): Uint8Array =>
	updates.length === 1 ? updates[0]! : Y.mergeUpdates([...updates]);

export class Room {
	/** The storage name (S40): `tenant:<id>` or `<tenantId>/customer:<id>`. */
	readonly name: string;
	/** The name clients use for it (S1), in events and in the rejected notice (S24). */
	readonly docName: string;
	readonly doc: Y.Doc;
	readonly presence: RoomPresence;
	readonly conns = new Map<TransportSocket, Connection>();
	/** S14: the idle-unload timer the relay's registry runs while nobody is connected. */
	idle: { cancel(): void } | null = null;
	readonly #host: RoomHost;
	#lastSeq: number;
	#sinceCompaction: number;
	#closed = false;
	/** S21: checks what clients change; null when no validator is registered for the document's kind. */
	#validation: RoomValidation | null = null;
	/** S5: frames of joined connections not handled yet, in arrival order; drained in batches by a task in the queue. */
	#inbox: Queued[] = [];
	/** A drain task is in the queue and has not started yet: frames arriving now will be in its batch. */
	#drainScheduled = false;
	#chain: Promise<unknown> = Promise.resolve();
	#collected: Uint8Array[] = [];
	/** S23: deletions of updates whose structs wait for a missing dependency, applied when they integrate. */
	readonly #held = new HeldDeletions();

	private constructor(name: string, doc: Y.Doc, stored: { lastSeq: number; updates: number }, host: RoomHost) {
		this.name = name;
		this.docName = parseStorageName(name)?.docName ?? name;
		this.doc = doc;
		this.#host = host;
		this.#lastSeq = stored.lastSeq;
		this.#sinceCompaction = stored.updates;
		this.presence = new RoomPresence(doc, {
			limits: host.limits,
			log: host.log.child({ doc: name }),
			connections: () => this.conns.values(),
			broadcast: (frame) => this.#broadcast(frame),
			refuse: (conn, code, reason) => host.refuse(conn, code, reason)
		});
		doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin !== LOAD_ORIGIN) this.#collected.push(update);
		});
	}

	/** S4: the whole stored state (snapshot, then updates in order) is in the document before the room exists. */
	static async load(
		name: string,
		host: RoomHost,
		openValidation: (doc: Y.Doc) => RoomValidation | null = () => null
	): Promise<Room> {
		const stored = await host.store.load(name);
		const doc = new Y.Doc({ gc: true });
		if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot, LOAD_ORIGIN);
		for (const update of stored.updates) Y.applyUpdate(doc, update, LOAD_ORIGIN);
		const room = new Room(name, doc, { lastSeq: stored.lastSeq, updates: stored.updates.length }, host);
		// S22: opened on the stored state, so its last valid records are what the store holds.
		room.#validation = openValidation(doc);
		return room;
	}

	/** S32: the sequence number of the last committed update. */
	get head(): number {
		return this.#lastSeq;
	}

	get closed(): boolean {
		return this.#closed;
	}

	/** Runs `task` after every task queued before it; S5 rests on this: one message at a time per document. */
	enqueue<T>(task: (room: Room) => Promise<T> | T): Promise<T | typeof ROOM_GONE> {
		const next = this.#chain.then(() => (this.#closed ? ROOM_GONE : task(this)));
		this.#chain = next.then(
			() => undefined,
			() => undefined
		);
		return next;
	}

	/** S4: runs in the document's queue, so the stored state is loaded before the first answer. */
	join(conn: Connection): void {
		this.idle?.cancel();
		this.idle = null;
		this.conns.set(conn.socket, conn);
		conn.room = this;
		conn.phase = 'joined';
		const backlog = conn.backlog;
		conn.backlog = [];
		this.#host.emit({ type: 'joined', docName: this.docName, connection: conn.id });
		sendFrame(
			conn,
			syncFrame((encoder) => syncProtocol.writeSyncStep1(encoder, this.doc))
		);
		const present = this.presence.presentFrame();
		if (present !== null) sendFrame(conn, present);
		// Handled in order after the answers above, in the next batch (S4).
		for (const frame of backlog) this.#inbox.push({ conn, frame });
		this.#scheduleDrain();
	}

	/** S13: a closed connection leaves; answers how many are left. */
	leave(conn: Connection): number {
		this.conns.delete(conn.socket);
		this.presence.leave(conn);
		return this.conns.size;
	}

	/** S5: a joined connection's frame waits in the inbox for the next batch. */
	receive(conn: Connection, frame: Frame): void {
		this.#inbox.push({ conn, frame });
		this.#scheduleDrain();
	}

	/** S15: every connection is closed (1011 `reason`); the registry unloads the room next. */
	closeConnections(reason: string): void {
		for (const conn of this.conns.values()) {
			if (conn.socket.state === 'open' || conn.socket.state === 'connecting')
				conn.socket.close(CLOSE.serverError, reason);
		}
		this.conns.clear();
	}

	destroy(): void {
		this.#closed = true;
		this.idle?.cancel();
		this.idle = null;
		this.#validation?.destroy();
		this.presence.destroy();
		this.doc.destroy();
		// Frames of a document that left memory are dropped (their connections were closed, S10, S15, S20).
		for (const { conn, frame } of this.#inbox.splice(0)) this.#host.release(conn, frame.bytes.byteLength);
	}

	/**
	 * S18: runs a server-side change in this (queued) task and commits it like any other change. Server changes are
	 * trusted: what they wrote becomes the last valid state of the records they touched. Answers false when the store
	 * failed. What `fn` did before it threw is in memory, so it is committed too (memory and store never differ).
	 */
	async changeByServer<T>(
		fn: (doc: Y.Doc) => T
	): Promise<{ stored: boolean; outcome: { ok: true; value: T } | { ok: false; error: unknown } }> {
		let outcome: { ok: true; value: T } | { ok: false; error: unknown };
		try {
			let value!: T;
			this.doc.transact(() => {
				value = fn(this.doc);
			}, SERVER_ORIGIN);
			outcome = { ok: true, value };
		} catch (error) {
			outcome = { ok: false, error };
		}
		this.#validation?.accept();
		const delta = this.#takeDelta();
		if (delta === null) return { stored: true, outcome };
		const part: CommitPart = { conn: null, change: delta, fix: null, rejected: [], accepted: [], acceptedTotal: 0 };
		const stored = await this.commit([part], [], true);
		if (stored) await this.compactIfDue();
		return { stored, outcome };
	}

	/**
	 * S121: one entry of a batch request. A pushed update goes through the same apply and review (S21-S24) and the same
	 * `commit` as a socket's update frame; the answer is read from the document after that commit (S5).
	 */
	async answerBatch(sender: Sender, access: 'read' | 'write', entry: BatchRequestEntry): Promise<BatchAnswer> {
		const { docName } = entry;
		let rejected: RejectedItem[] = [];
		if (entry.update !== null) {
			if (access !== 'write') {
				// S8: someone who may only read may only confirm what the server already holds.
				if (updateChangesDoc(this.doc, entry.update)) return refusedAnswer(docName, CLOSE.forbidden, 'read-only');
			} else {
				const parts = this.#partsBefore();
				const applied = this.#apply(sender, entry.update);
				if ('code' in applied) {
					this.#host.fail(this, applied.error, applied.what, applied.closeReason);
					return refusedAnswer(docName, applied.code, applied.reason);
				}
				if (applied.rejected.length > 0)
					this.#host.log.info(
						{ doc: this.name, userId: sender.principal?.userId, count: applied.rejected.length },
						'undid invalid changes of a batch request'
					);
				if (!(await this.commit([...parts, applied], [])))
					return refusedAnswer(docName, CLOSE.serverError, 'storage failed');
				await this.compactIfDue();
				rejected = applied.rejected;
			}
		}
		return {
			docName,
			status: 'ok',
			update: Y.encodeStateAsUpdate(this.doc, entry.stateVector),
			stateVector: Y.encodeStateVector(this.doc),
			head: this.#lastSeq,
			rejected: rejectedNotice(docName, rejected)
		};
	}

	/**
	 * S5, S23 (3-7): THE commit. ONE store.append of everything the parts changed (their changes and compensations),
	 * awaited until committed; only then is it broadcast (each connection gets what it does not hold: the others' changes
	 * and every compensation), then the audit rows are written, then each frame's sender gets, in order, its rejected
	 * notice and its ack. Answers false when the store failed (S15: nobody was acknowledged or told anything, and the
	 * document left memory).
	 */
	async commit(parts: readonly CommitPart[], replies: readonly Reply[], byServer = false): Promise<boolean> {
		const pieces = parts.flatMap((part) => [part.change, part.fix]).filter((u): u is Uint8Array => u !== null);
		if (pieces.length > 0) {
			const delta = merged(pieces);
			try {
				this.#lastSeq = await this.#host.store.append(this.name, delta);
			} catch (error) {
				this.#host.fail(this, error);
				return false;
			}
			this.#sinceCompaction += 1;
			if (parts.some((part) => part.conn !== null && part.change !== null)) this.#host.clientChanged(this);
			const whole = updateFrame(delta);
			for (const conn of this.conns.values()) {
				// A sender holds its own change already; it gets the rest (its compensation included), like S23 (4) says.
				// A change that may hold others' waiting updates (S23, `echo`) is not only its own.
				const mine = (part: CommitPart): boolean => part.conn === conn && part.change !== null && part.echo !== true;
				if (!parts.some(mine)) {
					sendFrame(conn, whole);
					continue;
				}
				const rest = parts
					.flatMap((part) => (mine(part) ? [part.fix] : [part.change, part.fix]))
					.filter((u): u is Uint8Array => u !== null);
				if (rest.length > 0) sendFrame(conn, updateFrame(merged(rest)));
			}
		}
		// P17: after the commit (only stored changes are audited), before anyone hears of them.
		await this.#host.audit(this, parts);
		if ((byServer && pieces.length > 0) || parts.some((part) => part.acceptedTotal > 0)) this.#host.treeChanged(this);
		if (replies.length === 0) return true;
		const stateVector = Y.encodeStateVector(this.doc);
		for (const reply of replies) {
			if (reply.rejected.length > 0) this.#reportRejected(reply.conn, reply.rejected);
			sendFrame(reply.conn, encodeAck({ stateVector, handledFrames: reply.frame.index }));
		}
		return true;
	}

	/** S16: every compactEvery updates the stored updates are replaced by one snapshot of the same state. */
	async compactIfDue(): Promise<void> {
		if (this.#sinceCompaction < this.#host.limits.compactEvery || this.#closed) return;
		try {
			await this.#host.store.compact(this.name, Y.encodeStateAsUpdate(this.doc), this.#lastSeq);
			this.#sinceCompaction = 0;
			this.#host.emit({ type: 'compacted', docName: this.docName, throughSeq: this.#lastSeq });
			this.#host.log.debug({ doc: this.name, throughSeq: this.#lastSeq }, 'document compacted');
		} catch (error) {
			// The updates are still stored; compaction is retried after the next update.
			this.#host.log.error({ doc: this.name, err: error }, 'compacting a document failed');
		}
	}

	/** The effective change made since the last call (what the document gained), or null when nothing changed. */
	#takeDelta(): Uint8Array | null {
		const collected = this.#collected;
		this.#collected = [];
		if (collected.length === 0) return null;
		return merged(collected);
	}

	/** What the document gained before the next update (e.g. pending structs that integrated), committed with it. */
	#partsBefore(): CommitPart[] {
		const before = this.#takeDelta();
		return before === null
			? []
			: [{ conn: null, change: before, fix: null, rejected: [], accepted: [], acceptedTotal: 0 }];
	}

	/**
	 * S10, S23 (1-2): applies a writer's update (already decoded whole) and lets the validator undo what is not valid.
	 * Answers the sender's effective change and the compensation, or, when Yjs could not integrate it, too much waits
	 * for missing updates, or the review failed, how it is refused: the document may then hold part of it, so the
	 * caller refuses the sender and fails the room (nothing of its batch is stored or acked).
	 */
	#apply(sender: Sender, update: Uint8Array): CommitPart | ApplyFailure {
		const { limits } = this.#host;
		// S23: what waited may integrate with this update; it is not the sender's, so the sender must get it too.
		const echo = this.#held.waiting(this.doc);
		try {
			// S23: an update whose structs cannot integrate yet is applied without its deletions until they do.
			this.#held.apply(this.doc, update, sender);
		} catch (error) {
			this.#takeDelta();
			return {
				code: CLOSE.malformed,
				reason: 'update could not be applied',
				error,
				what: 'an update could not be applied',
				closeReason: 'storage failed'
			};
		}
		if (pendingBytes(this.doc, this.#held) > limits.maxFrameBytes) {
			// S10: structs waiting for a missing dependency stay in memory, unstored, and grow with every such update.
			this.#takeDelta();
			const reason = 'too much data waits for missing updates';
			return { code: CLOSE.tooLarge, reason, error: null, what: reason, closeReason: 'storage failed' };
		}
		const change = this.#takeDelta();
		let review: Review = { rejected: [], accepted: [], acceptedTotal: 0 };
		if (this.#validation !== null && sender.principal !== null) {
			const { userId, tenantId, role, permissions } = sender.principal;
			try {
				review = this.#validation.review({ userId, tenantId, role, permissions }, limits.maxRejectedPerFrame);
			} catch (error) {
				this.#takeDelta();
				// S36: the review stopped at the cap, so the work stays bounded; the update is refused whole. S33: anything
				// else that made the validator throw is nothing it has checked; none of it is stored.
				const reason =
					error instanceof TooManyRejectedError ? 'too many invalid changes' : 'update could not be validated';
				const code = error instanceof TooManyRejectedError ? CLOSE.tooLarge : CLOSE.malformed;
				return { code, reason, error, what: `refused an update (${reason})`, closeReason: 'document reloaded' };
			}
		}
		return { conn: sender, change, fix: this.#takeDelta(), ...(echo ? { echo } : {}), ...review };
	}

	/** S23, S24: tells the sender what of its frame was undone (the audit row was written with the commit). */
	#reportRejected(conn: Connection, items: RejectedItem[]): void {
		const codes = [...new Set(items.map((i) => i.code))];
		this.#host.log.info(
			{ conn: conn.id, doc: this.name, userId: conn.principal?.userId, count: items.length, codes },
			'undid invalid changes of a client'
		);
		sendFrame(
			conn,
			encodeRejected({ docName: this.docName, total: items.length, items: items.slice(0, MAX_REJECTED_LISTED) })
		);
		this.#host.emit({ type: 'rejected', docName: this.docName, connection: conn.id, items });
	}

	/** Sends a frame to every open connection of the room. */
	#broadcast(frame: Uint8Array): void {
		for (const conn of this.conns.values()) sendFrame(conn, frame);
	}

	/**
	 * S5: handles a batch of frames (one or several connections) in arrival order. Updates are applied and checked one by
	 * one and committed together by `commit`; a sync step 1 is answered only after what came before it is stored. A
	 * malformed frame closes its connection only (S10) and contributes nothing; the rest of the batch goes on.
	 */
	async #handleFrames(entries: readonly Queued[]): Promise<void> {
		let parts: CommitPart[] = [];
		let replies: Reply[] = [];
		const flush = async (): Promise<boolean> => {
			const stored = await this.commit(parts, replies);
			parts = [];
			replies = [];
			return stored;
		};
		for (const { conn, frame } of entries) {
			if (this.#closed) return;
			if (conn.refusal !== null) continue;
			let message;
			try {
				message = parseClientFrame(frame.bytes, this.#host.limits.maxAwarenessBytes);
			} catch (error) {
				if (error instanceof FrameError) {
					this.#host.refuse(conn, error.code, error.message);
					continue;
				}
				throw error;
			}
			switch (message.type) {
				case 'syncStep1': {
					// The answer holds the whole document: what the batch applied so far is stored first (S5).
					if (!(await flush())) return;
					const answer = syncFrame((encoder) => {
						encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
						encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(this.doc, message.stateVector));
					});
					sendFrame(conn, answer);
					sendFrame(conn, encodeAck({ stateVector: Y.encodeStateVector(this.doc), handledFrames: frame.index }));
					break;
				}
				case 'syncStep2':
				case 'update': {
					if (conn.access !== 'write') {
						// S8: a read-only connection may only confirm what the server already has.
						if (updateChangesDoc(this.doc, message.update)) this.#host.refuse(conn, CLOSE.forbidden, 'read-only');
						else replies.push({ conn, frame, rejected: [] });
						break;
					}
					// What the batch changed before this frame, so that this frame's change is its own.
					parts.push(...this.#partsBefore());
					const applied = this.#apply(conn, message.update);
					if ('code' in applied) {
						this.#host.refuse(conn, applied.code, applied.reason);
						this.#host.fail(this, applied.error, applied.what, applied.closeReason);
						return;
					}
					parts.push(applied);
					replies.push({ conn, frame, rejected: applied.rejected });
					break;
				}
				case 'awareness':
					this.presence.handle(conn, message.update);
					break;
				case 'queryAwareness':
					this.presence.answerQuery(conn, this.#host.clock.now().getTime());
					break;
			}
		}
		if (!(await flush())) return;
		await this.compactIfDue();
	}

	/** The next batch from the inbox: every frame that is ready, up to MAX_BATCH_FRAMES or twice maxFrameBytes (at least one). */
	#takeBatch(): Queued[] {
		let bytes = 0;
		let count = 0;
		const limit = this.#host.limits.maxFrameBytes * 2;
		for (const { frame } of this.#inbox) {
			if (count >= MAX_BATCH_FRAMES || (count > 0 && bytes + frame.bytes.byteLength > limit)) break;
			bytes += frame.bytes.byteLength;
			count += 1;
		}
		return this.#inbox.splice(0, count);
	}

	/** S5: one task in the document's queue handles one batch; the next batch queues behind tasks that came meanwhile. */
	#scheduleDrain(): void {
		if (this.#drainScheduled || this.#closed || this.#inbox.length === 0) return;
		this.#drainScheduled = true;
		void this.enqueue(async () => {
			// Lets the event loop deliver the frames that are already readable on every socket, so that they share this
			// batch's commit (a synchronous fsync holds every socket's frames back until it is done).
			await new Promise<void>((resolve) => setImmediate(resolve));
			this.#drainScheduled = false;
			const entries = this.#takeBatch();
			try {
				await this.#handleFrames(entries);
			} catch (error) {
				// A bug: the document may hold changes that were not stored, which must never be served (S15).
				this.#host.fail(this, error, 'handling frames failed');
			} finally {
				for (const { conn, frame } of entries) this.#host.release(conn, frame.bytes.byteLength);
			}
		}).then(
			() => this.#scheduleDrain(),
			(error: unknown) => this.#host.log.error({ doc: this.name, err: error }, 'draining a document inbox failed')
		);
	}
}
