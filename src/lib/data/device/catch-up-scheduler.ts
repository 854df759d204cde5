// S28, S32, S129: when the background catch-up runs and over what. A plain class with its clock, the reachability of the
// server, the document list and the priority injected, so every rule of the schedule is unit-tested without sleeping.
import type { DocName } from '../../schema/ids';
import type { ConnectionState } from '../sync/types';
import type { BatchOutcome } from './batch-sync';
import type { CatchUp } from './catch-up';

/** The timers the scheduler needs (the browser's by default; a fake clock in tests). */
export interface SchedulerTimers {
	setTimeout(fn: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
	setInterval(fn: () => void, ms: number): unknown;
	clearInterval(handle: unknown): void;
}

/** S32: the server heads this device last caught each document up to. */
export interface HeadsRecord {
	changed(serverHeads: ReadonlyMap<DocName, number>): DocName[];
	set(docName: DocName, head: number): void;
	flush(): void;
}

export interface CatchUpSchedulerOptions {
	readonly catchUp: CatchUp;
	/** Every document the catch-up keeps on the device (the tree's customers). */
	readonly documents: () => DocName[];
	/** Documents that go first in every run (pinned customers, F5); the rest keeps its order. */
	readonly priority: () => DocName[];
	/** S127: documents with unconfirmed local changes (the pending lists); they run whatever their head says. */
	readonly pendingDocs: () => DocName[];
	/** The connection the schedule follows (the tenant document's): runs when it is back in sync, stops when it is lost. */
	readonly connection: () => ConnectionState;
	readonly onConnection: (listener: () => void) => () => void;
	/** Called whenever the document list may have changed (the tree changed). */
	readonly onDocumentsChanged: (listener: () => void) => () => void;
	/** S32: the server's heads of these documents; null when they cannot be asked (offline, older server). */
	readonly heads: (docNames: readonly DocName[]) => Promise<ReadonlyMap<DocName, number> | null>;
	readonly syncedHeads: HeadsRecord;
	/** Hears of each document's outcome (the workspace shows pushed changes and refusals). */
	readonly onOutcome?: (outcome: BatchOutcome) => void;
	readonly timers?: SchedulerTimers;
	/** A document that appears is caught up this long after the list last changed (default 1.5 s). */
	readonly newDocumentDelayMs?: number;
	/** While connected, every document is caught up again this often (default 5 minutes). */
	readonly refreshIntervalMs?: number;
}

const browserTimers: SchedulerTimers = {
	setTimeout: (fn, ms) => setTimeout(fn, ms),
	clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
	setInterval: (fn, ms) => setInterval(fn, ms),
	clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>)
};

export class CatchUpScheduler {
	readonly #options: CatchUpSchedulerOptions;
	readonly #timers: SchedulerTimers;
	/** Documents a run of the current connection has taken up: a new one is one not among them. */
	readonly #attempted = new Set<DocName>();
	/** S9: documents the server refused on this connection are not asked again until the next one. */
	readonly #refused = new Set<DocName>();
	#reachable = false;
	#needsRun = false;
	#running: Promise<void> | null = null;
	#stopped = true;
	#debounce: unknown = null;
	#refresh: unknown = null;
	#unsubscribe: Array<() => void> = [];

	constructor(options: CatchUpSchedulerOptions) {
		this.#options = options;
		this.#timers = options.timers ?? browserTimers;
	}

	/** Follows the connection from now on (a run starts at once when it is in sync). */
	start(): void {
		if (!this.#stopped) return;
		this.#stopped = false;
		this.#unsubscribe = [
			this.#options.onConnection(() => this.#onConnection()),
			this.#options.onDocumentsChanged(() => this.#onDocumentsChanged())
		];
		this.#refresh = this.#timers.setInterval(() => this.#onRefresh(), this.#options.refreshIntervalMs ?? 5 * 60_000);
		this.#onConnection();
	}

	/** Stops following and stops the run going on. */
	stop(): void {
		if (this.#stopped) return;
		this.#stopped = true;
		for (const unsubscribe of this.#unsubscribe) unsubscribe();
		this.#unsubscribe = [];
		if (this.#debounce !== null) this.#timers.clearTimeout(this.#debounce);
		this.#debounce = null;
		this.#timers.clearInterval(this.#refresh);
		this.#options.catchUp.stop();
	}

	/** The run going on, if any (tests and sign-out wait for it). */
	get running(): Promise<void> | null {
		return this.#running;
	}

	#onConnection(): void {
		const connection = this.#options.connection();
		const nowReachable = connection === 'online' || connection === 'syncing';
		if (nowReachable && !this.#reachable) this.#needsRun = true;
		if (!nowReachable && this.#reachable) this.#options.catchUp.stop();
		this.#reachable = nowReachable;
		if (this.#needsRun && connection === 'online') {
			this.#needsRun = false;
			this.#attempted.clear();
			this.#refused.clear();
			this.#launch(this.#options.documents(), true);
		}
	}

	#onDocumentsChanged(): void {
		if (this.#debounce !== null) this.#timers.clearTimeout(this.#debounce);
		this.#debounce = this.#timers.setTimeout(() => {
			this.#debounce = null;
			if (this.#reachable && !this.#needsRun && !this.#options.catchUp.progress().running) this.#launch(this.#newDocuments(), false);
		}, this.#options.newDocumentDelayMs ?? 1500);
	}

	#onRefresh(): void {
		if (!this.#reachable || this.#options.catchUp.progress().running) return;
		this.#attempted.clear();
		this.#launch(this.#options.documents(), true);
	}

	/** `withPending`: the run also pushes unconfirmed changes of documents not open (a connection's first run, refreshes). */
	#launch(docs: DocName[], withPending: boolean): void {
		if (docs.length === 0 && !(withPending && this.#options.pendingDocs().length > 0)) return;
		const run = this.#run(docs, withPending).finally(() => {
			if (this.#running === run) this.#running = null;
		});
		this.#running = run;
	}

	/** Runs over `docs`, then over documents that appeared meanwhile, each time asking for the heads first (S32). */
	async #run(docs: DocName[], withPending: boolean): Promise<void> {
		let next = docs;
		let first = withPending;
		while ((next.length > 0 || first) && !this.#stopped) {
			for (const docName of next) this.#attempted.add(docName);
			const heads = next.length > 0 ? await this.#options.heads(next).catch(() => null) : new Map<DocName, number>();
			if (this.#stopped || !this.#reachable) return;
			let toSync = next.filter((docName) => !this.#refused.has(docName));
			if (heads) {
				const changed = new Set(this.#options.syncedHeads.changed(heads));
				this.#options.catchUp.noteUpToDate([...heads.keys()].filter((docName) => !changed.has(docName)));
				toSync = toSync.filter((docName) => changed.has(docName));
			}
			// S127: unconfirmed local changes go up whatever the head says.
			if (first) toSync = [...toSync, ...this.#options.pendingDocs().filter((docName) => !this.#refused.has(docName))];
			first = false;
			const result = await this.#options.catchUp.run(this.#ordered(toSync), (outcome) => {
				if (outcome.result === 'synced') this.#options.syncedHeads.set(outcome.docName, outcome.head);
				if (outcome.result === 'refused') this.#refused.add(outcome.docName);
				this.#options.onOutcome?.(outcome);
			});
			this.#options.syncedHeads.flush();
			// Stopped (offline, signed out) or another run took over: that one carries on.
			if (result.running || result.done + result.failed < result.total) return;
			next = this.#newDocuments();
		}
	}

	/** Priority documents first (in their order), then the rest in the list's order, each once. */
	#ordered(docs: readonly DocName[]): DocName[] {
		const wanted = new Set(docs);
		const ordered = new Set<DocName>();
		for (const docName of this.#options.priority()) if (wanted.has(docName)) ordered.add(docName);
		for (const docName of docs) ordered.add(docName);
		return [...ordered];
	}

	#newDocuments(): DocName[] {
		return this.#options.documents().filter((docName) => !this.#attempted.has(docName));
	}
}
