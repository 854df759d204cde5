// The store contract for notification templates (P14, migration 10): run by runStoreContract on every Store.
import { describe, expect, it } from 'vitest';
import type { NotificationTemplate } from '../../../src/lib/schema/templates';
import type { Store } from './types';

const at = (iso: string): string => new Date(iso).toISOString();

export function templatesContract(store: () => Store): void {
	describe('notification templates', () => {
		const template = (overrides: Partial<NotificationTemplate> = {}): NotificationTemplate => ({
			id: 'tpl-1',
			name: 'Welcome',
			kind: 'userInvitation',
			locale: 'de',
			subject: 'Willkommen bei {{tenantName}}',
			body: 'Hallo,\n{{link}}',
			createdAt: at('2025-01-01T00:00:00Z'),
			updatedAt: at('2025-01-01T00:00:00Z'),
			...overrides
		});
		const tenants = async (): Promise<void> => {
			for (const id of ['t1', 't2'])
				await store().createTenant({ id, name: id, createdAt: at('2025-01-01T00:00:00Z') });
		};

		it('P14: templates are kept per tenant, listed by kind, language and name, replaced and deleted', async () => {
			await tenants();
			await store().putNotificationTemplate('t1', template());
			await store().putNotificationTemplate('t1', template({ id: 'tpl-2', name: 'Another', locale: 'pl' }));
			await store().putNotificationTemplate('t1', template({ id: 'tpl-3', name: 'Alpha' }));
			await store().putNotificationTemplate('t2', template({ id: 'tpl-1', name: 'Other tenant' }));
			expect((await store().listNotificationTemplates('t1')).map((t) => t.id)).toEqual(['tpl-3', 'tpl-1', 'tpl-2']);
			expect(await store().getNotificationTemplate('t1', 'tpl-1')).toEqual(template());
			expect((await store().getNotificationTemplate('t2', 'tpl-1'))?.name).toBe('Other tenant');
			expect(await store().getNotificationTemplate('t2', 'tpl-2')).toBeNull();

			const edited = template({ subject: 'Neu: {{tenantName}}', updatedAt: at('2025-01-02T00:00:00Z') });
			await store().putNotificationTemplate('t1', edited);
			expect(await store().getNotificationTemplate('t1', 'tpl-1')).toEqual(edited);

			expect(await store().deleteNotificationTemplate('t1', 'tpl-1')).toBe(true);
			expect(await store().deleteNotificationTemplate('t1', 'tpl-1')).toBe(false);
			expect(await store().getNotificationTemplate('t1', 'tpl-1')).toBeNull();
			expect((await store().getNotificationTemplate('t2', 'tpl-1'))?.name).toBe('Other tenant');
		});

		it('P14: one default per kind and language; null and deleting its template put the built-in back', async () => {
			await tenants();
			await store().putNotificationTemplate('t1', template());
			await store().putNotificationTemplate('t1', template({ id: 'tpl-2' }));
			await store().putNotificationTemplate('t1', template({ id: 'tpl-3', kind: 'customerInvitation' }));
			await store().setTemplateDefault('t1', 'userInvitation', 'de', 'tpl-1');
			await store().setTemplateDefault('t1', 'userInvitation', 'de', 'tpl-2');
			await store().setTemplateDefault('t1', 'customerInvitation', 'de', 'tpl-3');
			expect(await store().listTemplateDefaults('t1')).toEqual([
				{ kind: 'customerInvitation', locale: 'de', templateId: 'tpl-3' },
				{ kind: 'userInvitation', locale: 'de', templateId: 'tpl-2' }
			]);
			expect(await store().listTemplateDefaults('t2')).toEqual([]);
			await store().setTemplateDefault('t1', 'customerInvitation', 'de', null);
			await store().deleteNotificationTemplate('t1', 'tpl-2');
			expect(await store().listTemplateDefaults('t1')).toEqual([]);
		});

		it("P14: an invitation keeps its recipient's language", async () => {
			await tenants();
			const invitation = {
				id: 'inv-pl',
				tenantId: 't1',
				email: 'jan@example.pl',
				role: 'readOnly' as const,
				grants: [{ scope: 'tenant' as const }],
				tokenHash: 'f'.repeat(64),
				invitedBy: null,
				createdAt: at('2025-01-01T00:00:00Z'),
				expiresAt: at('2025-01-08T00:00:00Z'),
				acceptedAt: null,
				revokedAt: null
			};
			await store().createInvitation({ ...invitation, locale: 'pl' });
			await store().createInvitation({ ...invitation, id: 'inv-none', tokenHash: 'e'.repeat(64) });
			expect((await store().getInvitation('inv-pl'))?.locale).toBe('pl');
			expect((await store().getInvitation('inv-none'))?.locale).toBeUndefined();
		});
	});
}
