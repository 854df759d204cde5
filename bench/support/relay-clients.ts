// Raw y-protocols clients for the load run and the relay benchmark: one ws socket and one Y.Doc each (no y-websocket, no
// IndexedDB), so one process drives hundreds. Each writer overwrites one field of its own contact; a shared ledger per
// document records when each edit was sent, so every receiver knows the fan-out latency of each edit it integrates and
// every sender the edit-to-ack latency (from the relay's ack, S5). Works against our relay and the stock y-websocket server.
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import {
	MESSAGE_ACK,
	MESSAGE_REJECTED,
	MESSAGE_SYNC,
	SYNC_STEP_1,
	SYNC_STEP_2,
	SYNC_UPDATE,
	readAckBody
} from '../../src/lib/data/sync/protocol';
import { CUSTOMER_ROOTS } from '../../src/lib/data/customer-doc';

/** The transaction origin of a client's own edits: only those go out as update frames. */
const LOCAL = Symbol('local edit');
/** Applied from the server: never sent back. */
const REMOTE = Symbol('from the server');

export interface SentEdit {
	/** The writer's clock after the edit: a doc whose state for the writer reaches it holds the edit. */
	readonly clock: number;
	readonly sentAt: number;
	/** Receivers that have not integrated it yet; 0 means it reached every other client of the document. */
	remaining: number;
	readonly onComplete: (() => void) | null;
}

/** Every edit sent on one document, per writer, in order; the receivers' pointers into it. */
export class EditLedger {
	readonly #edits = new Map<number, SentEdit[]>();
	/** Receivers per document, minus the writer itself, wait for each edit. */
	#receivers = 0;
	/** Only edits sent at or after this instant count toward the latency samples (warm-up before it). */
	measureFrom = Number.POSITIVE_INFINITY;
	readonly fanOut: number[] = [];
	completed = 0;

	join(): void {
		this.#receivers += 1;
	}

	record(writer: number, clock: number, sentAt: number, onComplete: (() => void) | null): SentEdit {
		const edit: SentEdit = { clock, sentAt, remaining: this.#receivers - 1, onComplete };
		let list = this.#edits.get(writer);
		if (!list) this.#edits.set(writer, (list = []));
		list.push(edit);
		return edit;
	}

	/** Called by a receiver after it applied an update: counts the edits it now holds that it did not hold before. */
	received(receiver: ReceiverCursor, doc: Y.Doc, now: number): void {
		for (const [writer, list] of this.#edits) {
			if (writer === doc.clientID) continue;
			const state = Y.getState(doc.store, writer);
			let next = receiver.next.get(writer) ?? 0;
			while (next < list.length && list[next]!.clock <= state) {
				const edit = list[next]!;
				if (edit.sentAt >= this.measureFrom) this.fanOut.push(now - edit.sentAt);
				edit.remaining -= 1;
				if (edit.remaining === 0) {
					this.completed += 1;
					edit.onComplete?.();
				}
				next += 1;
			}
			receiver.next.set(writer, next);
		}
	}

	/** Each writer's clock after its last edit: what every final state must reach. */
	finalClocks(): Map<number, number> {
		const clocks = new Map<number, number>();
		for (const [writer, list] of this.#edits) if (list.length > 0) clocks.set(writer, list.at(-1)!.clock);
		return clocks;
	}

	sentCount(): number {
		let count = 0;
		for (const list of this.#edits.values()) count += list.length;
		return count;
	}
}

export interface ReceiverCursor {
	readonly next: Map<number, number>;
}

export interface SyncClientOptions {
	/** ws URL of the document (`ws://host/sync/customer:x` for ours, `ws://host/<name>` for the stock server). */
	readonly url: string;
	readonly headers?: Record<string, string>;
	/** Source address on the loopback (127.0.0.x): spreads sockets over addresses as an office of several NATs would. */
	readonly localAddress?: string;
	readonly ledger: EditLedger;
	/** The contact this client owns and overwrites (a valid contact: the relay's validator keeps it, S21). */
	readonly contactId: string;
	/** Our relay acknowledges (S5); the stock server does not. */
	readonly expectAcks: boolean;
}

export class SyncClient implements ReceiverCursor {
	readonly doc = new Y.Doc();
	readonly next = new Map<number, number>();
	/** Edit-to-ack latencies of the measured edits, with when each edit was sent (to see whether a backlog grows). */
	readonly ackLatency: Array<{ sentAt: number; ms: number }> = [];
	readonly #socket: WebSocket;
	readonly #options: SyncClientOptions;
	/** Frames sent on this socket; the ack says how many of them the relay handled (S5, S6). */
	#framesSent = 0;
	#handledFrames = 0;
	readonly #awaitingAck: Array<{ frame: number; clock: number; sentAt: number }> = [];
	#edits = 0;
	#syncedResolve!: () => void;
	readonly synced: Promise<void>;
	readonly closed: Promise<{ code: number; reason: string }>;
	/** Set when the socket closed before `close()` was called, or the server refused something: the run fails. */
	failure: string | null = null;
	#closing = false;
	#ackWaiters: Array<() => void> = [];

	constructor(options: SyncClientOptions) {
		this.#options = options;
		options.ledger.join();
		this.synced = new Promise((resolve) => (this.#syncedResolve = resolve));
		this.#socket = new WebSocket(options.url, {
			headers: options.headers ?? {},
			localAddress: options.localAddress,
			perMessageDeflate: false
		});
		this.#socket.binaryType = 'nodebuffer';
		this.closed = new Promise((resolve) => {
			this.#socket.once('close', (code, reason) => {
				if (!this.#closing) this.failure ??= `socket closed by the server: ${code} ${reason.toString()}`;
				resolve({ code, reason: reason.toString() });
			});
		});
		this.#socket.on('error', (error) => (this.failure ??= `socket error: ${error.message}`));
		this.#socket.once('open', () => this.#send(syncFrame(SYNC_STEP_1, Y.encodeStateVector(this.doc))));
		this.#socket.on('message', (data: Buffer) => this.#onFrame(new Uint8Array(data)));
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === LOCAL) this.#send(syncFrame(SYNC_UPDATE, update));
		});
	}

	get edits(): number {
		return this.#edits;
	}

	/** Edits sent and not yet acknowledged. */
	get unacked(): number {
		return this.#awaitingAck.length;
	}

	/**
	 * Overwrites this client's contact field with a new value (the first edit creates the contact). `onComplete` runs when
	 * every other client of the document holds it.
	 */
	edit(onComplete: (() => void) | null = null): void {
		const contacts = this.doc.getMap<Y.Map<string>>(CUSTOMER_ROOTS.contacts);
		const n = this.#edits++;
		this.doc.transact(() => {
			let contact = contacts.get(this.#options.contactId);
			if (!contact) {
				contact = new Y.Map<string>();
				contacts.set(this.#options.contactId, contact);
				contact.set('name', `Load ${this.#options.contactId}`);
				contact.set('email', '');
				contact.set('phone', '');
			}
			contact.set('role', `edit ${n}`);
		}, LOCAL);
		// The update frame went out inside the transaction's update event, so #framesSent counts it already.
		const clock = Y.getState(this.doc.store, this.doc.clientID);
		const sentAt = performance.now();
		this.#options.ledger.record(this.doc.clientID, clock, sentAt, onComplete);
		if (this.#options.expectAcks) this.#awaitingAck.push({ frame: this.#framesSent, clock, sentAt });
	}

	/** The value of the contact field of `contactId` in this client's replica. */
	roleOf(contactId: string): string | undefined {
		return this.doc.getMap<Y.Map<string>>(CUSTOMER_ROOTS.contacts).get(contactId)?.get('role');
	}

	/** Resolves when every edit sent so far is acknowledged (our relay only). */
	allAcked(): Promise<void> {
		if (this.#awaitingAck.length === 0) return Promise.resolve();
		return new Promise((resolve) => this.#ackWaiters.push(resolve));
	}

	async close(): Promise<void> {
		this.#closing = true;
		if (this.#socket.readyState !== WebSocket.CLOSED) {
			this.#socket.close();
			await this.closed;
		}
		this.doc.destroy();
	}

	#send(frame: Uint8Array): void {
		if (this.#socket.readyState !== WebSocket.OPEN) {
			this.failure ??= 'an edit while the socket was not open';
			return;
		}
		this.#framesSent += 1;
		this.#socket.send(frame);
	}

	#onFrame(frame: Uint8Array): void {
		const decoder = decoding.createDecoder(frame);
		const type = decoding.readVarUint(decoder);
		if (type === MESSAGE_SYNC) {
			const subType = decoding.readVarUint(decoder);
			const payload = decoding.readVarUint8Array(decoder);
			if (subType === SYNC_STEP_1) {
				this.#send(syncFrame(SYNC_STEP_2, Y.encodeStateAsUpdate(this.doc, payload)));
			} else if (subType === SYNC_STEP_2 || subType === SYNC_UPDATE) {
				Y.applyUpdate(this.doc, payload, REMOTE);
				this.#options.ledger.received(this, this.doc, performance.now());
				if (subType === SYNC_STEP_2) this.#syncedResolve();
			}
		} else if (type === MESSAGE_ACK) {
			const ack = readAckBody(decoder);
			this.#handledFrames = Math.max(this.#handledFrames, ack.handledFrames);
			const serverState = Y.decodeStateVector(ack.stateVector).get(this.doc.clientID) ?? 0;
			const now = performance.now();
			while (this.#awaitingAck.length > 0 && this.#awaitingAck[0]!.frame <= this.#handledFrames) {
				const edit = this.#awaitingAck.shift()!;
				// S5: an ack covers what the server committed; a handled frame whose edit it does not hold was lost.
				if (serverState < edit.clock) this.failure ??= `acked frame ${edit.frame} without its edit`;
				if (edit.sentAt >= this.#options.ledger.measureFrom)
					this.ackLatency.push({ sentAt: edit.sentAt, ms: now - edit.sentAt });
			}
			if (this.#awaitingAck.length === 0) for (const resolve of this.#ackWaiters.splice(0)) resolve();
		} else if (type === MESSAGE_REJECTED) {
			this.failure ??= `the relay refused part of an edit: ${decoding.readVarString(decoder)}`;
		}
		// Awareness (1) is not used by these clients.
	}
}

function syncFrame(subType: number, payload: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	encoding.writeVarUint(encoder, subType);
	encoding.writeVarUint8Array(encoder, payload);
	return encoding.toUint8Array(encoder);
}

export interface DocFleet {
	readonly docName: string;
	readonly ledger: EditLedger;
	readonly clients: SyncClient[];
}

export interface FleetOptions {
	readonly sockets: number;
	readonly docs: number;
	readonly docName: (doc: number) => string;
	readonly url: (docName: string) => string;
	/** Headers (the session cookie) and source address of socket i. */
	readonly headers: (socket: number) => Record<string, string>;
	readonly localAddress: (socket: number) => string | undefined;
	readonly expectAcks: boolean;
	/** Sockets opened at once; each group is synced before the next opens. */
	readonly batch: number;
	readonly timeoutMs: number;
}

/** Socket i opens document i mod docs; resolves when every socket has synced (its sync step 2 arrived). */
export async function openFleet(options: FleetOptions): Promise<DocFleet[]> {
	const docs: DocFleet[] = [];
	for (let d = 0; d < options.docs; d++)
		docs.push({ docName: options.docName(d), ledger: new EditLedger(), clients: [] });
	for (let first = 0; first < options.sockets; first += options.batch) {
		const opened: SyncClient[] = [];
		for (let i = first; i < Math.min(first + options.batch, options.sockets); i++) {
			const doc = docs[i % options.docs]!;
			const client = new SyncClient({
				url: options.url(doc.docName),
				headers: options.headers(i),
				localAddress: options.localAddress(i),
				ledger: doc.ledger,
				contactId: `s${doc.clients.length}`,
				expectAcks: options.expectAcks
			});
			doc.clients.push(client);
			opened.push(client);
		}
		try {
			await boundedWait(Promise.all(opened.map((c) => c.synced)), options.timeoutMs, 'connecting');
		} catch (error) {
			const failure = opened.find((c) => c.failure !== null)?.failure;
			await closeFleet(docs);
			throw new Error(failure ? `${String(error)}; ${failure}` : String(error));
		}
	}
	return docs;
}

export async function closeFleet(docs: readonly DocFleet[]): Promise<void> {
	await Promise.all(docs.flatMap((d) => d.clients.map((c) => c.close())));
}

function boundedWait<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
		void promise.then((value) => {
			clearTimeout(timer);
			resolve(value);
		});
	});
}
