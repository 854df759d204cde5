// Who is signed in: the server's answer to GET /api/me, cached in localStorage so that the app starts offline (F1).
import {
	fetchMe,
	fetchSetupState,
	postSetup,
	signIn as apiSignIn,
	signOut as apiSignOut,
	ApiRequestError
} from '$lib/api/client';
import { meSchema, type Me, type SetupRequest, type SignInRequest } from '$lib/schema/api';
import { forgetLock, markSignedIn, rememberPassword } from './inactivity.svelte';
import { uiLocale } from './locale.svelte';

const CACHE_KEY = 'msp-portal.me';
/** Set when a sign-out could not reach the server: the cookie is still valid there, so the next start ends it first. */
const SIGN_OUT_PENDING_KEY = 'msp-portal.signOutPending';

export type SessionStatus = 'unknown' | 'signedIn' | 'signedOut';

function readCache(): Me | null {
	try {
		const raw = localStorage.getItem(CACHE_KEY);
		if (raw === null) return null;
		const parsed = meSchema.safeParse(JSON.parse(raw));
		return parsed.success ? parsed.data : null;
	} catch {
		return null;
	}
}

function writeCache(me: Me | null): void {
	try {
		if (me) localStorage.setItem(CACHE_KEY, JSON.stringify(me));
		else localStorage.removeItem(CACHE_KEY);
	} catch {
		// Storage may be full or blocked; the session still works, only an offline start will not.
	}
}

function readFlag(key: string): boolean {
	try {
		return localStorage.getItem(key) === '1';
	} catch {
		return false;
	}
}

function writeFlag(key: string, on: boolean): void {
	try {
		if (on) localStorage.setItem(key, '1');
		else localStorage.removeItem(key);
	} catch {
		// Blocked storage: nothing to remember across starts.
	}
}

export class SessionState {
	#me = $state<Me | null>(null);
	#status = $state<SessionStatus>('unknown');
	/** True when `me` comes from the local cache because the server could not be reached. */
	#fromCache = $state(false);
	#loading: Promise<void> | null = null;
	/** Counts sessions issued while the app ran (P18: an unlock after the server's session ended); the workspace reconnects. */
	#generation = $state(0);

	get me(): Me | null {
		return this.#me;
	}

	get status(): SessionStatus {
		return this.#status;
	}

	get fromCache(): boolean {
		return this.#fromCache;
	}

	get generation(): number {
		return this.#generation;
	}

	/** Asks the server who is signed in; offline, falls back to the cached answer. Runs once unless `force`. */
	load(force = false): Promise<void> {
		if (!this.#loading || force) this.#loading = this.#load();
		return this.#loading;
	}

	async #load(): Promise<void> {
		if (readFlag(SIGN_OUT_PENDING_KEY)) {
			try {
				await apiSignOut();
				writeFlag(SIGN_OUT_PENDING_KEY, false);
			} catch {
				// Still offline: stay signed out on this device; the server session ends at the next start.
			}
			this.#setMe(null, false);
			return;
		}
		try {
			this.#setMe(await fetchMe(), false);
		} catch (error) {
			if (error instanceof ApiRequestError && (error.status === 401 || error.status === 403)) {
				this.#setMe(null, false);
				return;
			}
			// Network down or server unreachable: work from the local replicas with the last known identity.
			const cached = readCache();
			if (cached) void uiLocale.signedIn(cached, false);
			this.#me = cached;
			this.#fromCache = cached !== null;
			this.#status = cached ? 'signedIn' : 'signedOut';
		}
	}

	async signIn(input: SignInRequest): Promise<void> {
		await apiSignIn(input);
		const me = await fetchMe();
		// P18: the lock screen can then check this password offline.
		await rememberPassword(me.userId, input.password);
		markSignedIn();
		this.#setMe(me, false);
		this.#loading = Promise.resolve();
	}

	/** P18: the lock was opened with a new session (the old one had ended): reconnect with it. */
	renewed(): void {
		this.#generation += 1;
		void this.load(true);
	}

	/** Called after setup, which signs the owner in with a cookie. */
	async refresh(): Promise<void> {
		await this.load(true);
	}

	/** Does the server still wait for its first owner? */
	async needsSetup(): Promise<boolean> {
		return (await fetchSetupState()).needsSetup;
	}

	/** The one-time setup: creates the organization and its owner, and signs the owner in. */
	async setUp(input: SetupRequest): Promise<void> {
		await postSetup(input);
		await this.refresh();
		if (this.#me) {
			await rememberPassword(this.#me.userId, input.password);
			markSignedIn();
		}
	}

	async signOut(): Promise<void> {
		try {
			await apiSignOut();
		} catch (error) {
			if (!(error instanceof ApiRequestError)) throw error;
			// Offline: this device forgets the identity now and ends the server's session at its next start.
			if (error.isNetwork) writeFlag(SIGN_OUT_PENDING_KEY, true);
		}
		forgetLock();
		this.#setMe(null, false);
		this.#loading = Promise.resolve();
	}

	/** The relay or the API said the session is gone (401): forget it so the layout sends the person to /signin. */
	expire(): void {
		forgetLock();
		this.#setMe(null, false);
		this.#loading = Promise.resolve();
	}

	#setMe(me: Me | null, fromCache: boolean): void {
		// S118: the person's language from the server (or a choice of this device's the server has not heard yet, sent now).
		if (me) void uiLocale.signedIn(me, !fromCache);
		else uiLocale.signedOut();
		this.#me = me;
		this.#fromCache = fromCache;
		this.#status = me ? 'signedIn' : 'signedOut';
		writeCache(me);
	}
}

export const session = new SessionState();
