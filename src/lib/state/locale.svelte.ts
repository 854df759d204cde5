// P9, S115-S118: the UI's language on this device. It follows the browser until a person chooses one; the choice is kept
// on the device (applies offline and before /api/me answers) and, once someone is signed in, on the server for that person,
// whose value wins on any other device after sign-in. Paraglide's getLocale reads it, so every message re-renders.
import { z } from 'zod';
import { ApiRequestError, patchPreferences } from '$lib/api/client';
import { overwriteGetLocale, overwriteSetLocale } from '$lib/paraglide/runtime.js';
import { BASE_LOCALE, localeSchema, toLocale, type Locale } from '$lib/schema/locale';
import type { Me } from '$lib/schema/api';
import { Formatter } from './format';
import { tenantDay } from './tenant-day.svelte';

const STORAGE_KEY = 'msp-portal.locale';

/** What the device keeps: the chosen language (null: the browser's), and whose choice the server has not heard yet. */
const storedChoiceSchema = z.object({
	locale: localeSchema.nullable().catch(null),
	unsentFor: z.string().max(64).nullable().catch(null)
});
type StoredChoice = z.infer<typeof storedChoiceSchema>;
const NO_CHOICE: StoredChoice = { locale: null, unsentFor: null };

function readChoice(): StoredChoice {
	try {
		const raw = localStorage.getItem(STORAGE_KEY);
		if (raw === null) return NO_CHOICE;
		const parsed = storedChoiceSchema.safeParse(JSON.parse(raw));
		return parsed.success ? parsed.data : NO_CHOICE;
	} catch {
		return NO_CHOICE;
	}
}

function writeChoice(choice: StoredChoice): void {
	try {
		localStorage.setItem(STORAGE_KEY, JSON.stringify(choice));
	} catch {
		// Blocked storage: the choice holds while the page lives (and on the server, when signed in).
	}
}

/** The first of the browser's languages that the UI speaks (`de-AT` -> `de`), else English. */
export function browserLocale(languages: readonly string[]): Locale {
	for (const tag of languages) {
		const locale = toLocale(tag) ?? toLocale(tag.split('-')[0]?.toLowerCase());
		if (locale) return locale;
	}
	return BASE_LOCALE;
}

function navigatorLanguages(): readonly string[] {
	return typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
}

export class UiLocale {
	#choice = $state<StoredChoice>(NO_CHOICE);
	#browser: Locale;
	#userId: string | null = null;
	readonly #send: typeof patchPreferences;

	constructor(options: { languages?: readonly string[]; send?: typeof patchPreferences } = {}) {
		this.#browser = browserLocale(options.languages ?? navigatorLanguages());
		this.#send = options.send ?? patchPreferences;
		this.#choice = typeof localStorage === 'undefined' ? NO_CHOICE : readChoice();
	}

	/** The language the UI speaks now. */
	get current(): Locale {
		return this.#choice.locale ?? this.#browser;
	}

	/** The browser's language (what applies while nobody chose one). */
	get browser(): Locale {
		return this.#browser;
	}

	/** The language a person chose (on this device or, signed in, on the server), or null when the browser's applies. */
	get chosen(): Locale | null {
		return this.#choice.locale;
	}

	/** True while a choice made offline has not reached the server yet. */
	get unsent(): boolean {
		return this.#choice.unsentFor !== null;
	}

	/**
	 * S115: a person chooses a language (null: the browser's again). It applies at once; signed in, it is also sent to the
	 * server for this person, and when that fails for want of a network it is sent with the next answer from /api/me.
	 */
	async choose(locale: Locale | null): Promise<void> {
		const userId = this.#userId;
		this.#set({ locale, unsentFor: userId });
		if (userId !== null) await this.#sendFor(userId, locale);
	}

	/**
	 * S118: who is signed in, from the server's /api/me. A choice this device could not send yet is sent now; otherwise
	 * the person's choice on the server wins. A person without one keeps what the device shows. From the cache (offline),
	 * only the person is taken: the device's own choice is as new as anything the cache holds.
	 */
	async signedIn(me: Pick<Me, 'userId' | 'locale'>, fromServer: boolean): Promise<void> {
		this.#userId = me.userId;
		if (!fromServer) return;
		if (this.#choice.unsentFor === me.userId) {
			await this.#sendFor(me.userId, this.#choice.locale);
			return;
		}
		if (me.locale !== null) this.#set({ locale: me.locale, unsentFor: null });
		else if (this.#choice.unsentFor !== null) this.#set({ ...this.#choice, unsentFor: null });
	}

	signedOut(): void {
		this.#userId = null;
	}

	async #sendFor(userId: string, locale: Locale | null): Promise<void> {
		try {
			await this.#send({ locale });
			if (this.#userId === userId && this.#choice.locale === locale) this.#set({ locale, unsentFor: null });
		} catch (error) {
			// Offline: kept as unsent, sent with the next /api/me. Any other refusal (the session ended): the device keeps it.
			if (!(error instanceof ApiRequestError && error.isNetwork)) this.#set({ ...this.#choice, unsentFor: null });
		}
	}

	#set(choice: StoredChoice): void {
		this.#choice = choice;
		writeChoice(choice);
		if (typeof document !== 'undefined') document.documentElement.lang = this.current;
	}
}

export const uiLocale = new UiLocale();

// Paraglide asks this device's language for every message: read from a rune, a change re-renders every message on screen.
overwriteGetLocale(() => uiLocale.current);
overwriteSetLocale((locale) => void uiLocale.choose(locale));
if (typeof document !== 'undefined') document.documentElement.lang = uiLocale.current;

let memo: { key: string; formatter: Formatter } | null = null;

/**
 * P9: the formatter for this moment's language, the tenant's time zone and its format settings. Called from a template or
 * a `$derived`, what it formats follows a change of any of them.
 */
export function fmt(): Formatter {
	const locale = uiLocale.current;
	const timeZone = tenantDay.timeZone;
	const { dateFormat, timeFormat, weekStart } = tenantDay.formats;
	const key = `${locale}|${timeZone}|${dateFormat}|${timeFormat}|${weekStart}`;
	if (memo?.key !== key)
		memo = { key, formatter: new Formatter({ locale, timeZone, dateFormat, timeFormat, weekStart }) };
	return memo.formatter;
}
