// P14 on SQLite (migration 10): the tenants' custom notification templates and their defaults per kind and language.
import type Database from 'better-sqlite3';
import { localeSchema } from '../../../src/lib/schema/locale';
import { templateKindSchema, type NotificationTemplate } from '../../../src/lib/schema/templates';
import type { TemplateStore } from './types';

interface TemplateRow {
	id: string;
	name: string;
	kind: string;
	locale: string;
	subject: string;
	body: string;
	created_at: string;
	updated_at: string;
}

const toTemplate = (row: TemplateRow): NotificationTemplate => ({
	id: row.id,
	name: row.name,
	kind: templateKindSchema.parse(row.kind),
	locale: localeSchema.parse(row.locale),
	subject: row.subject,
	body: row.body,
	createdAt: row.created_at,
	updatedAt: row.updated_at
});

export function sqliteTemplateStore(db: Database.Database): TemplateStore {
	const q = {
		list: db.prepare<[string], TemplateRow>(
			'SELECT * FROM notification_templates WHERE tenant_id = ? ORDER BY kind, locale, name, id'
		),
		get: db.prepare<[string, string], TemplateRow>(
			'SELECT * FROM notification_templates WHERE tenant_id = ? AND id = ?'
		),
		put: db.prepare(
			`INSERT INTO notification_templates (tenant_id, id, name, kind, locale, subject, body, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, kind = excluded.kind, locale = excluded.locale,
				subject = excluded.subject, body = excluded.body, updated_at = excluded.updated_at`
		),
		delete: db.prepare<[string, string]>('DELETE FROM notification_templates WHERE tenant_id = ? AND id = ?'),
		deleteDefaultsOf: db.prepare<[string, string]>(
			'DELETE FROM notification_template_defaults WHERE tenant_id = ? AND template_id = ?'
		),
		defaults: db.prepare<[string], { kind: string; locale: string; template_id: string }>(
			'SELECT kind, locale, template_id FROM notification_template_defaults WHERE tenant_id = ? ORDER BY kind, locale'
		),
		setDefault: db.prepare(
			`INSERT INTO notification_template_defaults (tenant_id, kind, locale, template_id) VALUES (?, ?, ?, ?)
			ON CONFLICT (tenant_id, kind, locale) DO UPDATE SET template_id = excluded.template_id`
		),
		clearDefault: db.prepare<[string, string, string]>(
			'DELETE FROM notification_template_defaults WHERE tenant_id = ? AND kind = ? AND locale = ?'
		)
	};
	const deleteTx = db.transaction((tenantId: string, id: string): boolean => {
		q.deleteDefaultsOf.run(tenantId, id);
		return q.delete.run(tenantId, id).changes > 0;
	});

	return {
		async listNotificationTemplates(tenantId) {
			return q.list.all(tenantId).map(toTemplate);
		},
		async getNotificationTemplate(tenantId, id) {
			const row = q.get.get(tenantId, id);
			return row ? toTemplate(row) : null;
		},
		async putNotificationTemplate(tenantId, t) {
			q.put.run(tenantId, t.id, t.name, t.kind, t.locale, t.subject, t.body, t.createdAt, t.updatedAt);
		},
		async deleteNotificationTemplate(tenantId, id) {
			return deleteTx(tenantId, id);
		},
		async listTemplateDefaults(tenantId) {
			return q.defaults.all(tenantId).map((row) => ({
				kind: templateKindSchema.parse(row.kind),
				locale: localeSchema.parse(row.locale),
				templateId: row.template_id
			}));
		},
		async setTemplateDefault(tenantId, kind, locale, templateId) {
			if (templateId === null) q.clearDefault.run(tenantId, kind, locale);
			else q.setDefault.run(tenantId, kind, locale, templateId);
		}
	};
}
