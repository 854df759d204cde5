// P18: the inactivity lock: after the tenant's timeout without input the app locks; the password unlocks, online or offline.
import { z } from 'zod';
import { on } from 'svelte/events';
import { ApiRequestError, fetchSettings, keepSessionAlive, unlockSession } from '$lib/api/client';
import { checkUnlockVerifier, clearUnlockVerifier, saveUnlockVerifier } from '$lib/data/device/unlock-verifier';
import { DEFAULT_SESSION_TIMEOUT_MINUTES, tenantSettingsSchema } from '$lib/schema/settings';
import { tenantDay } from './tenant-day.svelte';

const TIMEOUT_KEY = 'msp-portal.sessionTimeoutMinutes';
/** When the person last gave input, so that an app closed for longer than the timeout opens locked (offline too). */
const ACTIVITY_KEY = 'msp-portal.lastActivity';
/** Set while locked, so that a reload cannot skip the lock. */
const LOCKED_KEY = 'msp-portal.locked';
/** Input is remembered in storage at most this often. */
const ACTIVITY_WRITE_MS = 5_000;
/** The server's session slides on use; while the person works the app tells it at most this often (a fraction of the timeout). */
const KEEP_ALIVE_MAX_MS = 60_000;
/** Wrong passwords offline: the first few are free, then each doubles the wait (1 s, 2 s, 4 s … up to a minute). */
const FREE_OFFLINE_FAILURES = 3;
const MAX_OFFLINE_WAIT_MS = 60_000;
/** What counts as the person being there; pings and background sync do not. */
const INPUT_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'touchstart', 'wheel'] as const;

const timeoutSchema = tenantSettingsSchema.shape.sessionTimeoutMinutes.unwrap();
const timestampSchema = z.coerce.number().int().nonnegative();

function readStored<T>(key: string, schema: z.ZodType<T>): T | null {
	try {
		const raw = localStorage.getItem(key);
		if (raw === null) return null;
		const parsed = schema.safeParse(raw);
		return parsed.success ? parsed.data : null;
	} catch {
		return null;
	}
}

function writeStored(key: string, value: string | null): void {
	try {
		if (value === null) localStorage.removeItem(key);
		else localStorage.setItem(key, value);
	} catch {
		// Blocked storage: the lock still works while the page lives.
	}
}

/** Why an unlock failed, for the dialog to say. */
export type UnlockFailure =
	| { readonly reason: 'wrongPassword' }
	| { readonly reason: 'wait'; readonly seconds: number }
	| { readonly reason: 'offlineNoVerifier' }
	| { readonly reason: 'addressNotTrusted' }
	| { readonly reason: 'accountDisabled' }
	| { readonly reason: 'failed' };

export type UnlockResult = { readonly ok: true; readonly renewed: boolean } | ({ readonly ok: false } & UnlockFailure);

/** A new sign-in: the person is here now, and the device is not locked. */
export function markSignedIn(): void {
	writeStored(ACTIVITY_KEY, String(Date.now()));
	writeStored(LOCKED_KEY, null);
}

/** The password the server just accepted (sign-in, setup) becomes this device's offline verifier. */
export function rememberPassword(userId: string, password: string): Promise<void> {
	return saveUnlockVerifier(userId, password);
}

/** Signing out: no lock, no verifier left on the device. */
export function forgetLock(): void {
	clearUnlockVerifier();
	writeStored(LOCKED_KEY, null);
	writeStored(ACTIVITY_KEY, null);
}

export class InactivityLock {
	#locked = $state(false);
	#timeoutMinutes = $state(
		readStored(TIMEOUT_KEY, z.coerce.number().pipe(timeoutSchema)) ?? DEFAULT_SESSION_TIMEOUT_MINUTES
	);
	#userId: string | null = null;
	#lastInput = 0;
	#lastWrite = 0;
	#lastKeepAlive = 0;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#offlineFailures = 0;
	#retryAt = 0;

	get locked(): boolean {
		return this.#locked;
	}

	get timeoutMinutes(): number {
		return this.#timeoutMinutes;
	}

	/**
	 * Watches the person's input while `userId` is signed in; answers the function that stops watching. Opens locked when
	 * the device was locked, or left alone for longer than the timeout, before this start.
	 */
	start(userId: string): () => void {
		this.#userId = userId;
		const now = Date.now();
		const last = readStored(ACTIVITY_KEY, timestampSchema);
		this.#lastInput = last ?? now;
		if (readStored(LOCKED_KEY, z.literal('1')) !== null || now - this.#lastInput >= this.#timeoutMs()) this.lock();
		else this.#arm();
		const offs = INPUT_EVENTS.map((name) => on(window, name, () => this.#onInput(), { passive: true, capture: true }));
		void this.refreshTimeout();
		return () => {
			for (const off of offs) off();
			if (this.#timer !== null) clearTimeout(this.#timer);
			this.#timer = null;
			this.#userId = null;
			this.#locked = false;
		};
	}

	/**
	 * Reads the tenant's timeout from the server (kept for offline starts); offline the last one known stays. The same
	 * answer carries the tenant's time zone (L14) and date, time and week formats (P9), so they are taken along rather than
	 * asked for again.
	 */
	async refreshTimeout(): Promise<void> {
		try {
			const settings = await fetchSettings();
			this.setTimeoutMinutes(settings.sessionTimeoutMinutes);
			tenantDay.setTimeZone(settings.timeZone);
			tenantDay.setFormats(settings);
		} catch {
			// Offline or signed out: the stored value (or the default) stays.
		}
	}

	/** A new timeout (read from the server or just saved in the settings): applies from now on. */
	setTimeoutMinutes(minutes: number): void {
		const parsed = timeoutSchema.safeParse(minutes);
		if (!parsed.success) return;
		this.#timeoutMinutes = parsed.data;
		writeStored(TIMEOUT_KEY, String(parsed.data));
		if (!this.#locked && this.#userId !== null) this.#arm();
	}

	/** Covers the app now (the timeout passed, or the server said the session ended). */
	lock(): void {
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = null;
		this.#locked = true;
		writeStored(LOCKED_KEY, '1');
	}

	/**
	 * Online the server checks the password (and slides or renews the session); offline, or when the server cannot be
	 * reached, the device's verifier does, with a growing wait after a few wrong tries.
	 */
	async unlock(password: string): Promise<UnlockResult> {
		const userId = this.#userId;
		if (userId === null) return { ok: false, reason: 'failed' };
		if (navigator.onLine) {
			try {
				const { renewed } = await unlockSession({ userId, password });
				await saveUnlockVerifier(userId, password);
				this.#unlocked();
				return { ok: true, renewed };
			} catch (error) {
				if (!(error instanceof ApiRequestError)) throw error;
				if (!error.isNetwork) return { ok: false, ...this.#serverRefusal(error) };
				// The server cannot be reached: the device decides, as offline.
			}
		}
		return this.#unlockOffline(userId, password);
	}

	async #unlockOffline(userId: string, password: string): Promise<UnlockResult> {
		const wait = this.#retryAt - Date.now();
		if (wait > 0) return { ok: false, reason: 'wait', seconds: Math.ceil(wait / 1000) };
		const matches = await checkUnlockVerifier(userId, password);
		if (matches === null) return { ok: false, reason: 'offlineNoVerifier' };
		if (matches) {
			this.#unlocked();
			return { ok: true, renewed: false };
		}
		this.#offlineFailures += 1;
		const beyond = this.#offlineFailures - FREE_OFFLINE_FAILURES;
		if (beyond > 0) this.#retryAt = Date.now() + Math.min(MAX_OFFLINE_WAIT_MS, 1000 * 2 ** (beyond - 1));
		return { ok: false, reason: 'wrongPassword' };
	}

	#serverRefusal(error: ApiRequestError): UnlockFailure {
		if (error.status === 401) return { reason: 'wrongPassword' };
		if (error.status === 429) return { reason: 'wait', seconds: Number(/\d+/.exec(error.message)?.[0] ?? 1) };
		if (error.code === 'address_not_trusted') return { reason: 'addressNotTrusted' };
		if (error.code === 'account_disabled') return { reason: 'accountDisabled' };
		return { reason: 'failed' };
	}

	#unlocked(): void {
		this.#locked = false;
		this.#offlineFailures = 0;
		this.#retryAt = 0;
		writeStored(LOCKED_KEY, null);
		this.#lastKeepAlive = Date.now();
		this.#noteInput(Date.now());
	}

	#timeoutMs(): number {
		return this.#timeoutMinutes * 60_000;
	}

	/** One timer, re-armed for what is left when it fires: input only moves a timestamp. */
	#arm(): void {
		if (this.#timer !== null) clearTimeout(this.#timer);
		const left = this.#lastInput + this.#timeoutMs() - Date.now();
		this.#timer = setTimeout(
			() => {
				this.#timer = null;
				if (this.#locked) return;
				if (Date.now() - this.#lastInput >= this.#timeoutMs()) this.lock();
				else this.#arm();
			},
			Math.max(0, left)
		);
	}

	#onInput(): void {
		if (this.#locked || this.#userId === null) return;
		const now = Date.now();
		this.#noteInput(now);
		if (navigator.onLine && now - this.#lastKeepAlive >= Math.min(KEEP_ALIVE_MAX_MS, this.#timeoutMs() / 4)) {
			this.#lastKeepAlive = now;
			keepSessionAlive().catch((error: unknown) => {
				// The server's session ended (timeout, revoked): the password starts a new one.
				if (error instanceof ApiRequestError && error.status === 401) this.lock();
			});
		}
	}

	#noteInput(now: number): void {
		this.#lastInput = now;
		if (now - this.#lastWrite >= ACTIVITY_WRITE_MS) {
			this.#lastWrite = now;
			writeStored(ACTIVITY_KEY, String(now));
		}
		if (this.#timer === null && !this.#locked) this.#arm();
	}
}

export const inactivity = new InactivityLock();
