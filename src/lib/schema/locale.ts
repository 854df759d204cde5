// The languages of the UI, the mails and the printed reports (Paraglide's locales, project.inlang/settings.json).
import { z } from 'zod';

export const LOCALES = ['en', 'de', 'es', 'pl', 'it'] as const;
export const localeSchema = z.enum(LOCALES);
export type Locale = z.infer<typeof localeSchema>;
export const BASE_LOCALE: Locale = 'en';
