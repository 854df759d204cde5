// P9, S115-S119: the UI's language on this device: the browser's until chosen, the person's choice kept on the device and
// on the server, the server's winning after sign-in elsewhere, and nothing stored from outside trusted without parsing.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiRequestError } from '$lib/api/client';
import { m } from '$lib/paraglide/messages.js';
import type { Locale } from '$lib/schema/locale';
import { browserLocale, fmt, uiLocale, UiLocale } from './locale.svelte';

class MemoryStorage {
	readonly items = new Map<string, string>();
	getItem(key: string): string | null {
		return this.items.get(key) ?? null;
	}
	setItem(key: string, value: string): void {
		this.items.set(key, value);
	}
	removeItem(key: string): void {
		this.items.delete(key);
	}
}

let storage: MemoryStorage;
beforeEach(() => {
	storage = new MemoryStorage();
	vi.stubGlobal('localStorage', storage);
});
afterEach(() => {
	vi.unstubAllGlobals();
});

/** A fake PATCH /api/me/preferences: records what was sent, or fails like a network that is down. */
function server(options: { offline?: boolean } = {}) {
	const sent: (Locale | null)[] = [];
	const state = { offline: options.offline ?? false };
	const send = async ({ locale }: { locale: Locale | null }) => {
		if (state.offline) throw new ApiRequestError(0, 'network', 'offline');
		sent.push(locale);
		return { locale };
	};
	return { sent, state, send };
}

describe('UI language', () => {
	it('S115: the browser’s language applies until a person chooses one; the first of its languages the UI speaks', () => {
		expect(browserLocale(['fr-FR', 'pl-PL', 'de'])).toBe('pl');
		expect(browserLocale(['de-AT'])).toBe('de');
		expect(browserLocale(['fr', 'ja'])).toBe('en');
		expect(browserLocale([])).toBe('en');
		const device = new UiLocale({ languages: ['es-MX', 'en'] });
		expect([device.current, device.chosen]).toEqual(['es', null]);
	});

	it('S115: a choice applies at once and is kept on the device before anyone is known (sign-in page)', async () => {
		const api = server();
		const device = new UiLocale({ languages: ['en-US'], send: api.send });
		await device.choose('it');
		expect(device.current).toBe('it');
		expect(api.sent).toEqual([]);
		// The next start of the app on this device reads it before /api/me answers (or offline).
		expect(new UiLocale({ languages: ['en-US'] }).current).toBe('it');
		await device.choose(null);
		expect(new UiLocale({ languages: ['en-US'] }).current).toBe('en');
	});

	it('S116, S118: signed in, a choice goes to the server for that person; on another device the server’s value wins after sign-in', async () => {
		const api = server();
		const tablet = new UiLocale({ languages: ['en'], send: api.send });
		await tablet.signedIn({ userId: 'u1', locale: null }, true);
		await tablet.choose('de');
		expect(api.sent).toEqual(['de']);
		expect(tablet.unsent).toBe(false);

		storage = new MemoryStorage();
		vi.stubGlobal('localStorage', storage);
		const laptop = new UiLocale({ languages: ['es'], send: api.send });
		expect(laptop.current).toBe('es');
		await laptop.signedIn({ userId: 'u1', locale: 'de' }, true);
		expect(laptop.current).toBe('de');
		// A person who never chose keeps what the device shows.
		vi.stubGlobal('localStorage', new MemoryStorage());
		const kiosk = new UiLocale({ languages: ['pl'], send: api.send });
		await kiosk.signedIn({ userId: 'u2', locale: null }, true);
		expect(kiosk.current).toBe('pl');
	});

	it('S118: a choice made offline is kept as unsent and sent with the next answer from the server, not overwritten by it', async () => {
		const api = server({ offline: true });
		const device = new UiLocale({ languages: ['en'], send: api.send });
		await device.signedIn({ userId: 'u1', locale: 'it' }, false);
		await device.choose('pl');
		expect([device.current, device.unsent]).toEqual(['pl', true]);
		expect(api.sent).toEqual([]);

		api.state.offline = false;
		const restarted = new UiLocale({ languages: ['en'], send: api.send });
		await restarted.signedIn({ userId: 'u1', locale: 'it' }, true);
		expect(api.sent).toEqual(['pl']);
		expect([restarted.current, restarted.unsent]).toEqual(['pl', false]);
		// The cached /api/me (offline start) never overrides the device's own choice.
		await restarted.signedIn({ userId: 'u1', locale: 'es' }, false);
		expect(restarted.current).toBe('pl');
	});

	it('S119: an unknown or broken stored value falls back to the browser’s language, never an error', () => {
		for (const raw of ['{"locale":"tlh","unsentFor":null}', 'not json', '"de"', '{"locale":42}', 'null']) {
			storage.setItem('msp-portal.locale', raw);
			expect(new UiLocale({ languages: ['es'] }).current).toBe('es');
		}
	});

	it('S115: Paraglide’s messages and the format module follow the chosen language without a reload', async () => {
		const before = uiLocale.chosen;
		await uiLocale.choose('pl');
		expect(m.locale_label()).toBe('Język');
		expect(fmt().settings.locale).toBe('pl');
		await uiLocale.choose('en');
		expect(m.locale_label()).toBe('Language');
		expect(fmt().settings.locale).toBe('en');
		await uiLocale.choose(before);
	});
});
