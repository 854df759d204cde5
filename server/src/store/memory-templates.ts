// P14 in memory, with the same behaviour as SQLite's (the contract suite runs on both).
import type { NotificationTemplate, TemplateDefault } from '../../../src/lib/schema/templates';
import { byTemplateOrder, byDefaultOrder } from './template-order';
import type { TemplateStore } from './types';

export function memoryTemplateStore(assertOpen: () => void): TemplateStore {
	const templates = new Map<string, NotificationTemplate & { tenantId: string }>();
	const defaults = new Map<string, TemplateDefault & { tenantId: string }>();
	const key = (...parts: string[]): string => JSON.stringify(parts);
	const strip = ({ tenantId: _tenantId, ...rest }: { tenantId: string } & NotificationTemplate): NotificationTemplate =>
		rest;

	return {
		async listNotificationTemplates(tenantId) {
			assertOpen();
			return [...templates.values()]
				.filter((t) => t.tenantId === tenantId)
				.map(strip)
				.sort(byTemplateOrder);
		},
		async getNotificationTemplate(tenantId, id) {
			assertOpen();
			const found = templates.get(key(tenantId, id));
			return found ? strip(found) : null;
		},
		async putNotificationTemplate(tenantId, template) {
			assertOpen();
			templates.set(key(tenantId, template.id), { ...template, tenantId });
		},
		async deleteNotificationTemplate(tenantId, id) {
			assertOpen();
			if (!templates.delete(key(tenantId, id))) return false;
			for (const [slot, entry] of defaults)
				if (entry.tenantId === tenantId && entry.templateId === id) defaults.delete(slot);
			return true;
		},
		async listTemplateDefaults(tenantId) {
			assertOpen();
			return [...defaults.values()]
				.filter((d) => d.tenantId === tenantId)
				.map(({ kind, locale, templateId }) => ({ kind, locale, templateId }))
				.sort(byDefaultOrder);
		},
		async setTemplateDefault(tenantId, kind, locale, templateId) {
			assertOpen();
			if (templateId === null) defaults.delete(key(tenantId, kind, locale));
			else defaults.set(key(tenantId, kind, locale), { tenantId, kind, locale, templateId });
		}
	};
}
