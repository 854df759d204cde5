// P14: notification templates: the kinds, their placeholders, custom templates and the default per kind and language.
import { z } from 'zod';
import { entityIdSchema } from './ids';
import { localeSchema } from './locale';

export const TEMPLATE_KINDS = ['userInvitation', 'customerInvitation'] as const;
export const templateKindSchema = z.enum(TEMPLATE_KINDS);
export type TemplateKind = z.infer<typeof templateKindSchema>;

/** What a template of each kind may name as `{{placeholder}}`; the mail fills in each one (an empty value stays empty). */
export const TEMPLATE_PLACEHOLDERS = {
	userInvitation: ['tenantName', 'email', 'invitedBy', 'link', 'expiresAt'],
	customerInvitation: [
		'tenantName',
		'organization',
		'contactName',
		'email',
		'invitedBy',
		'services',
		'license',
		'licenseType',
		'product',
		'units',
		'licenseExpiresOn',
		'link',
		'expiresAt'
	]
} as const satisfies Record<TemplateKind, readonly string[]>;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[TemplateKind][number];

export const MAX_TEMPLATE_SUBJECT = 200;
export const MAX_TEMPLATE_BODY = 10_000;

export const templateNameSchema = z
	.string()
	.trim()
	.min(1, 'a template needs a name')
	.max(80, 'a template name holds at most 80 characters');
export const templateSubjectSchema = z
	.string()
	.trim()
	.min(1, 'a template needs a subject')
	.max(MAX_TEMPLATE_SUBJECT, `a subject holds at most ${MAX_TEMPLATE_SUBJECT} characters`)
	.regex(/^[^\r\n]*$/, 'a subject is one line');
export const templateBodySchema = z
	.string()
	.min(1, 'a template needs a body')
	.max(MAX_TEMPLATE_BODY, `a body holds at most ${MAX_TEMPLATE_BODY} characters`)
	.refine((body) => body.trim().length > 0, 'a template needs a body');

/** `POST /api/templates`: a new custom template (the placeholders are checked by `templateIssues` as well). */
export const templateInputSchema = z.strictObject({
	name: templateNameSchema,
	kind: templateKindSchema,
	locale: localeSchema,
	subject: templateSubjectSchema,
	body: templateBodySchema
});
export type TemplateInput = z.infer<typeof templateInputSchema>;

/** `PUT /api/templates/<id>`: kind and language stay what they were (a default must keep matching its slot). */
export const templateUpdateSchema = templateInputSchema.pick({ name: true, subject: true, body: true });
export type TemplateUpdate = z.infer<typeof templateUpdateSchema>;

/** A custom template as the server stores and answers it. */
export const notificationTemplateSchema = z.object({
	id: entityIdSchema,
	name: z.string(),
	kind: templateKindSchema,
	locale: localeSchema,
	subject: z.string(),
	body: z.string(),
	createdAt: z.string(),
	updatedAt: z.string()
});
export type NotificationTemplate = z.infer<typeof notificationTemplateSchema>;

/** A built-in template: one per kind and language, never changed, viewable and copyable. */
export const builtInTemplateSchema = z.object({
	id: z.string(),
	kind: templateKindSchema,
	locale: localeSchema,
	subject: z.string(),
	body: z.string()
});
export type BuiltInTemplate = z.infer<typeof builtInTemplateSchema>;

/** The id of the built-in template of a kind and language (never an entity id: it holds dots). */
export const builtInTemplateId = (kind: TemplateKind, locale: z.infer<typeof localeSchema>): string =>
	`builtIn.${kind}.${locale}`;

/** Which custom template is the default of a kind and language; absent: the built-in one. */
export const templateDefaultSchema = z.object({
	kind: templateKindSchema,
	locale: localeSchema,
	templateId: entityIdSchema
});
export type TemplateDefault = z.infer<typeof templateDefaultSchema>;

/** `PUT /api/template-defaults`: `templateId` null puts the built-in template back. */
export const templateDefaultRequestSchema = z.strictObject({
	kind: templateKindSchema,
	locale: localeSchema,
	templateId: entityIdSchema.nullable()
});
export type TemplateDefaultRequest = z.infer<typeof templateDefaultRequestSchema>;

/** `GET /api/templates`. */
export const templatesResponseSchema = z.object({
	builtIns: z.array(builtInTemplateSchema),
	templates: z.array(notificationTemplateSchema),
	defaults: z.array(templateDefaultSchema)
});
export type TemplatesResponse = z.infer<typeof templatesResponseSchema>;
export const templateResponseSchema = z.object({ template: notificationTemplateSchema });
export const templateDefaultsResponseSchema = z.object({ defaults: z.array(templateDefaultSchema) });
