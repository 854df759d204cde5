// P14: notification templates over the API: the built-in ones, the tenant's custom ones and the default per kind and
// language; everything needs settings.edit on the whole tenant, and every change is audited.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { hasTenantPermission } from '../../../src/lib/domain/access';
import { templateIssues, type TemplateIssue } from '../../../src/lib/domain/templates';
import {
	builtInTemplateId,
	templateDefaultRequestSchema,
	templateInputSchema,
	templateUpdateSchema,
	type NotificationTemplate,
	type TemplateKind,
	type TemplatesResponse
} from '../../../src/lib/schema/templates';
import type { Audit } from '../audit/audit';
import type { Auth } from '../auth/auth';
import type { Clock } from '../clock';
import { BUILT_IN_TEMPLATES } from '../mail/templates/built-in';
import type { Principal } from '../relay/types';
import type { Store } from '../store/types';
import type { Mutating } from './api';
import { readJsonBody } from './body';
import { HttpError, sendJson } from './errors';
import type { Router } from './router';

export interface TemplateRoutesDeps {
	readonly store: Store;
	readonly auth: Auth;
	readonly clock: Clock;
	readonly audit: Audit;
	readonly mutating: Mutating;
	readonly newId?: () => string;
}

/** At most this many custom templates per tenant (5 languages x 2 kinds leave room for many variants). */
export const MAX_TEMPLATES_PER_TENANT = 200;

/** S107: a template naming what its kind does not know, or with a stray `{{`, is refused with each one named. */
export function describeTemplateIssues(issues: readonly TemplateIssue[]): string {
	return issues
		.map((issue) =>
			issue.code === 'unknownPlaceholder'
				? `${issue.field}: unknown placeholder {{${issue.placeholder}}}`
				: `${issue.field}: malformed placeholder "${issue.placeholder}" (write {{name}})`
		)
		.join('; ');
}

function checkPlaceholders(kind: TemplateKind, template: { subject: string; body: string }): void {
	const issues = templateIssues(kind, template);
	if (issues.length > 0) throw new HttpError(400, 'invalid_template', describeTemplateIssues(issues));
}

export function addTemplateRoutes(router: Router, deps: TemplateRoutesDeps): void {
	const { store, auth, clock, audit, mutating } = deps;
	const newId = deps.newId ?? randomUUID;

	/** The signed-in person who may manage the tenant's templates (settings.edit on the whole tenant). */
	async function editor(req: IncomingMessage): Promise<Principal> {
		const session = await auth.resolve(req);
		if (!session) throw new HttpError(401, 'not_signed_in', 'sign in first');
		if (!hasTenantPermission(session.principal, 'settings.edit'))
			throw new HttpError(403, 'forbidden', 'your role may not manage notification templates');
		return session.principal;
	}

	async function templateOf(principal: Principal, id: string): Promise<NotificationTemplate> {
		// Another tenant's template answers like one that does not exist.
		const found = await store.getNotificationTemplate(principal.tenantId, id);
		if (!found) throw new HttpError(404, 'not_found', 'no such notification template');
		return found;
	}

	const record = (principal: Principal, ip: string, item: string, action: string, description: string) =>
		audit({
			tenantId: principal.tenantId,
			userId: principal.userId,
			ip,
			itemType: 'notificationTemplate',
			item,
			action,
			description
		});

	router.add('GET', '/api/templates', async ({ req, res }) => {
		const principal = await editor(req);
		const body: TemplatesResponse = {
			builtIns: [...BUILT_IN_TEMPLATES],
			templates: await store.listNotificationTemplates(principal.tenantId),
			defaults: await store.listTemplateDefaults(principal.tenantId)
		};
		sendJson(res, 200, body);
	});

	router.add(
		'POST',
		'/api/templates',
		mutating(async ({ req, res, ip }) => {
			const principal = await editor(req);
			const input = await readJsonBody(req, templateInputSchema);
			checkPlaceholders(input.kind, input);
			if ((await store.listNotificationTemplates(principal.tenantId)).length >= MAX_TEMPLATES_PER_TENANT)
				throw new HttpError(409, 'too_many_templates', `a tenant holds at most ${MAX_TEMPLATES_PER_TENANT} templates`);
			const now = clock.now().toISOString();
			const template: NotificationTemplate = { id: newId(), ...input, createdAt: now, updatedAt: now };
			await store.putNotificationTemplate(principal.tenantId, template);
			await record(principal, ip, template.id, 'created', `${template.kind} template (${template.locale}) created`);
			sendJson(res, 201, { template });
		})
	);

	router.add(
		'PUT',
		'/api/templates/:id',
		mutating(async ({ req, res, ip, params }) => {
			const principal = await editor(req);
			const before = await templateOf(principal, params.id ?? '');
			const update = await readJsonBody(req, templateUpdateSchema);
			checkPlaceholders(before.kind, update);
			const template: NotificationTemplate = { ...before, ...update, updatedAt: clock.now().toISOString() };
			await store.putNotificationTemplate(principal.tenantId, template);
			const changed = (['name', 'subject', 'body'] as const).filter((field) => before[field] !== template[field]);
			await record(principal, ip, template.id, 'updated', `changed: ${changed.join(', ') || 'nothing'}`);
			sendJson(res, 200, { template });
		})
	);

	router.add(
		'DELETE',
		'/api/templates/:id',
		mutating(async ({ req, res, ip, params }) => {
			const principal = await editor(req);
			const template = await templateOf(principal, params.id ?? '');
			const wasDefault = (await store.listTemplateDefaults(principal.tenantId)).some(
				(slot) => slot.templateId === template.id
			);
			await store.deleteNotificationTemplate(principal.tenantId, template.id);
			await record(
				principal,
				ip,
				template.id,
				'deleted',
				wasDefault
					? `${template.kind} template (${template.locale}) deleted; the built-in template is the default again`
					: `${template.kind} template (${template.locale}) deleted`
			);
			res.writeHead(204, { 'cache-control': 'no-store' });
			res.end();
		})
	);

	router.add(
		'PUT',
		'/api/template-defaults',
		mutating(async ({ req, res, ip }) => {
			const principal = await editor(req);
			const { kind, locale, templateId } = await readJsonBody(req, templateDefaultRequestSchema);
			if (templateId !== null) {
				const template = await store.getNotificationTemplate(principal.tenantId, templateId);
				if (!template) throw new HttpError(404, 'not_found', 'no such notification template');
				if (template.kind !== kind || template.locale !== locale)
					throw new HttpError(
						400,
						'template_mismatch',
						`the template is a ${template.kind} template in ${template.locale}, not ${kind} in ${locale}`
					);
			}
			await store.setTemplateDefault(principal.tenantId, kind, locale, templateId);
			await record(
				principal,
				ip,
				templateId ?? builtInTemplateId(kind, locale),
				'defaultChanged',
				`default ${kind} template (${locale}): ${templateId === null ? 'built-in' : 'custom'}`
			);
			sendJson(res, 200, { defaults: await store.listTemplateDefaults(principal.tenantId) });
		})
	);
}
