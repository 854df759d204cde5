// S126-S129: the device's side of the batched catch-up. Documents no page has open are brought up to date with a few HTTP
// requests (`POST /api/sync/batch`, the codec of ../sync/batch.ts) instead of a websocket each, read from and written
// into the one local store (LocalDocStore), and their unconfirmed local changes are pushed the same way.
import * as Y from 'yjs';
import {
	BATCH_CONTENT_TYPE,
	BATCH_PATH,
	MAX_BATCH_DOCS,
	MAX_BATCH_REQUEST_BYTES,
	decodeBatchResponse,
	encodeBatchRequest,
	type BatchAnswer,
	type BatchRequestEntry
} from '../sync/batch';
import type { RejectedMessage } from '../sync/protocol';
import type { DocName } from '../../schema/ids';
import type { LocalDocStore, StoredDocChange } from './doc-store';
import { PendingChanges, pendingStorageKey, type KeyValueStorage } from './pending';

/** `fetch` as the device layer needs it (injected: the device layer does not import the API client). */
export type BatchFetch = (url: string, init: RequestInit) => Promise<Response>;

export type BatchOutcome =
	| {
			readonly docName: DocName;
			/** The local copy holds everything the server held, and what it pushed is durable (S127). */
			readonly result: 'synced';
			readonly head: number;
			/** Unconfirmed local changes left (0 unless the server lacks something it should have taken). */
			readonly pending: number;
			/** S24: what the server undid of the pushed changes, or null. */
			readonly rejected: RejectedMessage | null;
	  }
	| {
			readonly docName: DocName;
			/** The server refused the document (S9 codes: 4403 no access, 4400 a bad update, 1013 try later). */
			readonly result: 'refused';
			readonly code: number;
			readonly reason: string;
	  }
	| {
			readonly docName: DocName;
			/** S128: open live; its replica syncs it, the batch leaves it alone. */
			readonly result: 'live';
	  }
	| {
			readonly docName: DocName;
			/** Nothing changed locally; the next run tries again. `live`: too large for a batch, the live path must do it. */
			readonly result: 'failed';
			readonly reason: string;
			readonly live: boolean;
	  };

export interface BatchSyncOptions {
	readonly store: LocalDocStore;
	readonly fetch: BatchFetch;
	/** Where the S6 pending lists live (localStorage in the browser); null: nothing is pushed. */
	readonly pendingStorage: KeyValueStorage | null;
	/** Documents open live are synced by their replica and skipped here (S128). */
	readonly isLive?: (docName: DocName) => boolean;
	/** Default `BATCH_PATH` (same origin). */
	readonly url?: string;
	/** Documents per request (at most `MAX_BATCH_DOCS`). */
	readonly maxDocs?: number;
	/** Bytes of a request body, at most (default `MAX_BATCH_REQUEST_BYTES`). */
	readonly maxBytes?: number;
	/** Requests in flight at once (default 2). */
	readonly inFlight?: number;
	readonly now?: () => Date;
}

export interface BatchSyncHooks {
	/** Hears of each document as its batch is answered. */
	readonly onOutcome?: (outcome: BatchOutcome) => void;
	/** Aborting stops the run: requests in flight are cancelled and nothing more is written to the store. */
	readonly signal?: AbortSignal;
}

export type BatchSync = (docNames: readonly DocName[], hooks?: BatchSyncHooks) => Promise<void>;

/** The session ended (HTTP 401): the whole run stops; nothing the person may not read is fetched. */
export class BatchUnauthenticatedError extends Error {
	constructor() {
		super('not signed in');
		this.name = 'BatchUnauthenticatedError';
	}
}

/** The state vector of an empty document. */
const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc());
/** Name, lengths and varUint framing around each entry's bytes, generously. */
const ENTRY_OVERHEAD_BYTES = 96;

interface Planned extends BatchRequestEntry {
	/** S127: the push's pending list and the entries it covers (those recorded before the stored copy was read). */
	readonly push?: { readonly pending: PendingChanges; readonly entries: ReadonlySet<object> };
}

export function createBatchSync(options: BatchSyncOptions): BatchSync {
	const url = options.url ?? BATCH_PATH;
	const maxDocs = Math.max(1, Math.min(options.maxDocs ?? MAX_BATCH_DOCS, MAX_BATCH_DOCS));
	const maxBytes = Math.min(options.maxBytes ?? MAX_BATCH_REQUEST_BYTES, MAX_BATCH_REQUEST_BYTES);
	const inFlight = Math.max(1, options.inFlight ?? 2);
	const now = options.now ?? (() => new Date());
	const isLive = options.isLive ?? (() => false);

	/** One request: its answers, checked whole (a bad answer fails the batch and changes nothing). */
	async function exchange(entries: readonly Planned[], signal: AbortSignal | undefined): Promise<Map<DocName, BatchAnswer>> {
		const response = await options.fetch(url, {
			method: 'POST',
			credentials: 'same-origin',
			headers: { 'content-type': BATCH_CONTENT_TYPE, accept: BATCH_CONTENT_TYPE },
			body: encodeBatchRequest(entries) as BodyInit,
			signal
		});
		if (response.status === 401) throw new BatchUnauthenticatedError();
		if (!response.ok) throw new Error(`HTTP ${response.status}`);
		const answers = decodeBatchResponse(new Uint8Array(await response.arrayBuffer()));
		const asked = new Set(entries.map((entry) => entry.docName));
		const byName = new Map<DocName, BatchAnswer>();
		for (const answer of answers) {
			if (!asked.has(answer.docName) || byName.has(answer.docName))
				throw new Error(`the answer names ${answer.docName} unasked or twice`);
			if (answer.status === 'ok') {
				// Decoded whole before anything is stored (S10's rule, on the device's side): a garbage update fails the batch.
				Y.decodeUpdate(answer.update);
				Y.decodeStateVector(answer.stateVector);
			}
			byName.set(answer.docName, answer);
		}
		return byName;
	}

	/** Splits entries into requests within the document and byte bounds; an entry too large alone is returned apart. */
	function batches(entries: readonly Planned[]): { batches: Planned[][]; tooLarge: Planned[] } {
		const result: Planned[][] = [];
		const tooLarge: Planned[] = [];
		let current: Planned[] = [];
		let bytes = 16;
		for (const entry of entries) {
			const size = ENTRY_OVERHEAD_BYTES + entry.stateVector.byteLength + (entry.update?.byteLength ?? 0);
			if (size + 16 > maxBytes) {
				tooLarge.push(entry);
				continue;
			}
			if (current.length >= maxDocs || bytes + size > maxBytes) {
				result.push(current);
				current = [];
				bytes = 16;
			}
			current.push(entry);
			bytes += size;
		}
		if (current.length > 0) result.push(current);
		return { batches: result, tooLarge };
	}

	/** Runs `work` over the batches, `inFlight` at a time; the first 401 stops the rest and is rethrown. */
	async function pool(all: Planned[][], work: (batch: Planned[]) => Promise<void>, signal?: AbortSignal): Promise<void> {
		let next = 0;
		let fatal: unknown = null;
		const worker = async (): Promise<void> => {
			while (next < all.length && fatal === null && !signal?.aborted) {
				const batch = all[next++]!;
				try {
					await work(batch);
				} catch (error) {
					if (error instanceof BatchUnauthenticatedError) fatal = error;
					else throw error;
				}
			}
		};
		await Promise.all(Array.from({ length: Math.min(inFlight, all.length) }, worker));
		if (fatal !== null) throw fatal;
	}

	function pendingOf(docName: DocName): PendingChanges | null {
		if (options.pendingStorage === null) return null;
		const pending = new PendingChanges(options.pendingStorage, pendingStorageKey(docName), () => undefined);
		return pending.count > 0 ? pending : null;
	}

	return async function sync(docNames, hooks = {}) {
		const { signal } = hooks;
		const report = (outcome: BatchOutcome): void => {
			if (!signal?.aborted) hooks.onOutcome?.(outcome);
		};
		const failAll = (entries: readonly Planned[], reason: string): void => {
			for (const entry of entries) report({ docName: entry.docName, result: 'failed', reason, live: false });
		};
		const docs: DocName[] = [];
		for (const docName of new Set(docNames)) {
			if (isLive(docName)) report({ docName, result: 'live' });
			else docs.push(docName);
		}
		if (docs.length === 0) return;
		// The pending lists first: every change they name was written to the store before it was recorded.
		const pushes = new Map<DocName, PendingChanges>();
		for (const docName of docs) {
			const pending = pendingOf(docName);
			if (pending) pushes.set(docName, pending);
		}
		const stored = await options.store.readMany(docs);
		if (signal?.aborted) return;
		const stateVectorOf = (update: Uint8Array | undefined): Uint8Array => {
			if (update === undefined || update.byteLength === 0) return EMPTY_STATE_VECTOR;
			try {
				// S126: without decoding the document into a Y.Doc.
				return Y.encodeStateVectorFromUpdate(update);
			} catch {
				// A damaged copy: ask for everything; merging the server's state repairs nothing but loses nothing either.
				return EMPTY_STATE_VECTOR;
			}
		};

		/**
		 * Sends one batch and merges every `ok` answer into the store in one transaction. Null when the batch failed as a
		 * whole (each of its documents reported failed) or the run was stopped.
		 */
		const exchangeAndStore = async (batch: readonly Planned[]): Promise<Map<DocName, BatchAnswer> | null> => {
			let answers: Map<DocName, BatchAnswer>;
			try {
				answers = await exchange(batch, signal);
			} catch (error) {
				if (error instanceof BatchUnauthenticatedError) throw error;
				failAll(batch, signal?.aborted ? 'stopped' : describe(error));
				return null;
			}
			if (signal?.aborted) return null;
			const syncedAt = now().toISOString();
			const changes: StoredDocChange[] = [];
			for (const entry of batch) {
				const answer = answers.get(entry.docName);
				if (answer?.status === 'ok')
					changes.push({ docName: entry.docName, update: answer.update, syncedAt, head: answer.head });
			}
			try {
				await options.store.merge(changes);
			} catch (error) {
				failAll(batch, `store: ${describe(error)}`);
				return null;
			}
			return answers;
		};

		// Round 1: what each copy lacks, and (for the documents with something to push) the server's state vector.
		const serverVectors = new Map<DocName, Uint8Array>();
		const askedAgain = new Set<DocName>();
		const first = batches(docs.map((docName) => ({ docName, stateVector: stateVectorOf(stored.get(docName)?.update), update: null })));
		failAll(first.tooLarge, 'too large for a batch');
		await pool(
			first.batches,
			async (batch) => {
				const answers = await exchangeAndStore(batch);
				if (answers === null) return;
				const answered = [...answers.values()].filter((answer) => answer.status === 'ok').length;
				// S125: documents left out of a full answer are asked again in a later batch of this run (once each; the
				// batch answered something, so the run makes progress).
				const askAgain = answered === 0 ? [] : batch.filter((entry) => {
					const answer = answers.get(entry.docName);
					return answer?.status === 'refused' && answer.code === TRY_LATER && !askedAgain.has(entry.docName);
				});
				for (const entry of askAgain) askedAgain.add(entry.docName);
				if (askAgain.length > 0) first.batches.push(...batches(askAgain).batches);
				for (const entry of batch) {
					const answer = answers.get(entry.docName);
					if (answer === undefined) report({ docName: entry.docName, result: 'failed', reason: 'not answered', live: false });
					else if (askAgain.includes(entry)) continue;
					else if (answer.status === 'refused') report(refusal(entry.docName, answer));
					else if (pushes.has(entry.docName)) serverVectors.set(entry.docName, answer.stateVector);
					else report({ docName: entry.docName, result: 'synced', head: answer.head, pending: 0, rejected: null });
				}
			},
			signal
		);
		if (serverVectors.size === 0 || signal?.aborted) return;

		// Round 2 (S127): push what the server lacks, with the whole delete set, from the copy as it is now.
		const toPush = [...serverVectors.keys()];
		const now2 = await options.store.readMany(toPush);
		if (signal?.aborted) return;
		const planned: Planned[] = [];
		for (const docName of toPush) {
			const pending = pushes.get(docName)!;
			const entries = pending.entries();
			const copy = now2.get(docName)?.update;
			if (copy === undefined || copy.byteLength === 0) {
				report({ docName, result: 'failed', reason: 'no local copy to push', live: true });
				continue;
			}
			planned.push({
				docName,
				stateVector: stateVectorOf(copy),
				update: Y.diffUpdate(copy, serverVectors.get(docName)!),
				push: { pending, entries }
			});
		}
		const second = batches(planned);
		for (const entry of second.tooLarge)
			report({ docName: entry.docName, result: 'failed', reason: 'too large for a batch', live: true });
		await pool(
			second.batches,
			async (batch) => {
				// The answers hold what the server changed after the push (its compensations, S22).
				const answers = await exchangeAndStore(batch);
				if (answers === null) return;
				for (const entry of batch) {
					const answer = answers.get(entry.docName);
					if (answer === undefined) report({ docName: entry.docName, result: 'failed', reason: 'not answered', live: false });
					else if (answer.status === 'refused') report(refusal(entry.docName, answer));
					else {
						const push = entry.push!;
						push.pending.acknowledgedPush(Y.decodeStateVector(answer.stateVector), push.entries);
						report({
							docName: entry.docName,
							result: 'synced',
							head: answer.head,
							pending: push.pending.count,
							rejected: answer.rejected
						});
					}
				}
			},
			signal
		);
	};
}

/** S9, S125: 1013 is "try again later" (an answer that was full, a customer the server does not know yet), not a refusal. */
const TRY_LATER = 1013;

function refusal(docName: DocName, answer: { code: number; reason: string }): BatchOutcome {
	return answer.code === TRY_LATER
		? { docName, result: 'failed', reason: answer.reason, live: false }
		: { docName, result: 'refused', code: answer.code, reason: answer.reason };
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message.slice(0, 200) : 'failed';
}
