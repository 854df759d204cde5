// What the server writes for people in their language (mails, CSV headers): the app's own messages (messages/*.json,
// the keys the translators fill; a key a language lacks falls back to English). Plain messages only: plural messages are
// lists of variants and are not used here.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BASE_LOCALE, LOCALES, localeSchema, type Locale } from '../../../src/lib/schema/locale';

const messagesFileSchema = z.record(z.string(), z.unknown());

let catalogs: ReadonlyMap<Locale, ReadonlyMap<string, string>> | null = null;

function loadCatalogs(): ReadonlyMap<Locale, ReadonlyMap<string, string>> {
	const out = new Map<Locale, Map<string, string>>();
	for (const locale of LOCALES) {
		const file = new URL(`../../../messages/${locale}.json`, import.meta.url);
		const parsed = messagesFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
		const strings = new Map<string, string>();
		for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') strings.set(key, value);
		out.set(locale, strings);
	}
	return out;
}

/** One message in `locale` (English when that language has none yet), with `{name}` parameters filled in. */
export function serverMessage(locale: Locale, key: string, params: Record<string, string> = {}): string {
	catalogs ??= loadCatalogs();
	const text = catalogs.get(locale)?.get(key) || catalogs.get(BASE_LOCALE)?.get(key);
	if (text === undefined) throw new Error(`no message ${key}`);
	return text.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}

/** A person's stored language (S115), English when they chose none or it is not one of ours. */
export function localeOrBase(value: unknown): Locale {
	const parsed = localeSchema.safeParse(value);
	return parsed.success ? parsed.data : BASE_LOCALE;
}
