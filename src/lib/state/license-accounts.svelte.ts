// L1, L12: the license accounts with their connector and last synchronization (GET /api/licenses/accounts, online only),
// "Synchronize licenses" as a command with its progress polled from GET /api/licenses/sync-status while it runs, and
// connecting a vendor API (POST /api/licenses/accounts, online only).
import { SvelteMap } from 'svelte/reactivity';
import { fmt } from './locale.svelte';
import { connectLicenseAccount, fetchLicenseAccounts, fetchSyncStatus, LicenseRefusalError } from '$lib/api/licenses';
import { addAccountRequestSchema, type LicenseAccountInfo, type SyncProgress } from '$lib/schema/license-api';
import type { ImportIssue, ImportResult } from '$lib/schema/license-export';
import type { CommandResult } from '$lib/schema/commands';
import type { LicenseAccount } from '$lib/schema/licenses';
import type { LicensesState } from './licenses.svelte';
import { errorMessage } from './labels';

/** While a sync runs, its progress is asked for this often. */
export const SYNC_POLL_MS = 1000;

export interface AccountRow {
	readonly account: LicenseAccount;
	/** What the server says of it (null until loaded, or offline). */
	readonly info: LicenseAccountInfo | null;
}

/** A "Synchronize licenses" of one account, from the click to the server's answer. */
export type SyncRun =
	| { readonly kind: 'pending' }
	| { readonly kind: 'running'; readonly progress: SyncProgress | null }
	| { readonly kind: 'done'; readonly result: CommandResult };

export type ConnectOutcome =
	| { readonly kind: 'done'; readonly result: ImportResult }
	| { readonly kind: 'refused'; readonly message: string; readonly details: readonly ImportIssue[] }
	| { readonly kind: 'failed'; readonly message: string };

export class LicenseAccountsState {
	readonly #licenses: LicensesState;
	readonly #poll: (run: () => void, ms: number) => () => void;
	#info = $state.raw<readonly LicenseAccountInfo[] | null>(null);
	#loading = $state(false);
	#loadError = $state<string | null>(null);
	#progress = $state.raw<SyncProgress | null>(null);
	/** The sync command of each account sent from this screen. */
	readonly #syncs = new SvelteMap<string, string>();
	#stopPolling: (() => void) | null = null;
	#destroyed = false;

	constructor(
		licenses: LicensesState,
		poll: (run: () => void, ms: number) => () => void = (run, ms) => {
			const timer = setInterval(run, ms);
			return () => clearInterval(timer);
		}
	) {
		this.#licenses = licenses;
		this.#poll = poll;
	}

	/** The accounts of the replica, with the server's facts when known, by name. */
	get rows(): readonly AccountRow[] {
		const info = this.#info;
		return [...this.#licenses.accounts]
			.sort((a, b) => fmt().compare(a.name, b.name))
			.map((account) => ({ account, info: info?.find((entry) => entry.accountId === account.id) ?? null }));
	}

	get loading(): boolean {
		return this.#loading;
	}

	get loadError(): string | null {
		return this.#loadError;
	}

	/** The account's sync from this screen, if any. */
	run(accountId: string): SyncRun | null {
		const commandId = this.#syncs.get(accountId);
		if (commandId === undefined) return null;
		const result = this.#licenses.outcome(commandId);
		if (result) return { kind: 'done', result };
		if (this.#licenses.isPending(commandId)) {
			const progress = this.#progress;
			// Sent and being worked on by the server: its progress, when it is this account's.
			return progress && (progress.accountId === accountId || progress.accountId === null)
				? { kind: 'running', progress }
				: { kind: 'pending' };
		}
		return { kind: 'running', progress: null };
	}

	/** Asks the server for each account's syncs (online only; a failure leaves the list without them). */
	async load(): Promise<void> {
		this.#loading = true;
		try {
			this.#info = await fetchLicenseAccounts();
			this.#loadError = null;
		} catch (error) {
			this.#loadError = errorMessage(error);
		} finally {
			this.#loading = false;
		}
	}

	/** L12: "Synchronize licenses": a command (queued offline); its progress is polled while it is not answered. */
	sync(accountId: string): void {
		this.#syncs.set(accountId, this.#licenses.syncAccount(accountId));
		this.#startPolling();
	}

	/** Connects a vendor API; the server runs the first sync at once. `invalid`: the form's own check failed, nothing sent. */
	async connect(url: string, token: string): Promise<ConnectOutcome | { kind: 'invalid'; field: 'url' | 'token' }> {
		const parsed = addAccountRequestSchema.safeParse({ connector: 'http', url: url.trim(), token });
		if (!parsed.success) {
			const field = parsed.error.issues[0]?.path[0] === 'token' ? 'token' : 'url';
			return { kind: 'invalid', field };
		}
		try {
			const result = await connectLicenseAccount(parsed.data);
			void this.load();
			return { kind: 'done', result };
		} catch (error) {
			if (error instanceof LicenseRefusalError)
				return { kind: 'refused', message: error.message, details: error.details };
			return { kind: 'failed', message: errorMessage(error) };
		}
	}

	destroy(): void {
		this.#destroyed = true;
		this.#stopPolling?.();
		this.#stopPolling = null;
	}

	#startPolling(): void {
		if (this.#stopPolling || this.#destroyed) return;
		const tick = async (): Promise<void> => {
			const waiting = [...this.#syncs.values()].some((id) => this.#licenses.outcome(id) === null);
			if (!waiting) {
				this.#stopPolling?.();
				this.#stopPolling = null;
				this.#progress = null;
				void this.load();
				return;
			}
			try {
				this.#progress = await fetchSyncStatus();
			} catch {
				// Offline: the command waits in the outbox; the next tick asks again.
			}
		};
		this.#stopPolling = this.#poll(() => void tick(), SYNC_POLL_MS);
		void tick();
	}
}
