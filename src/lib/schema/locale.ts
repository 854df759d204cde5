// The languages of the UI, the mails and the printed reports (Paraglide's locales, project.inlang/settings.json).
import { z } from 'zod';

export const LOCALES = ['en', 'de', 'es', 'pl', 'it'] as const;
export const localeSchema = z.enum(LOCALES);
export type Locale = z.infer<typeof localeSchema>;
export const BASE_LOCALE: Locale = 'en';

/** A language from outside (a stored record, localStorage, a header): one of ours, or null when it is not. */
export function toLocale(value: unknown): Locale | null {
	const parsed = localeSchema.safeParse(value);
	return parsed.success ? parsed.data : null;
}

/** S115: `PATCH /api/me/preferences`: the signed-in person's own language; null follows the browser again. */
export const preferencesPatchSchema = z.strictObject({
	locale: z.enum(LOCALES, { error: `not a supported language (${LOCALES.join(', ')})` }).nullable()
});
export type PreferencesPatch = z.infer<typeof preferencesPatchSchema>;

/** S115: the answer of `PATCH /api/me/preferences` (and the `locale` of `GET /api/me`). */
export const preferencesSchema = z.object({
	/** S119: a language this version does not know reads as none chosen. */
	locale: localeSchema.nullable().catch(null)
});
export type Preferences = z.infer<typeof preferencesSchema>;
