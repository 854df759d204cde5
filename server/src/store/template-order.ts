// P14: the one order in which every store lists templates and defaults (byte order, as SQLite's ORDER BY compares TEXT).
import type { NotificationTemplate, TemplateDefault } from '../../../src/lib/schema/templates';

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const byTemplateOrder = (a: NotificationTemplate, b: NotificationTemplate): number =>
	compare(a.kind, b.kind) || compare(a.locale, b.locale) || compare(a.name, b.name) || compare(a.id, b.id);

export const byDefaultOrder = (a: TemplateDefault, b: TemplateDefault): number =>
	compare(a.kind, b.kind) || compare(a.locale, b.locale);
