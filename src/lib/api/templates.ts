// P14: the notification templates' calls (list with the built-in ones and the defaults, create, edit, delete, choose the
// default of a kind and language); settings.edit on the whole tenant.
import { entityIdSchema } from '$lib/schema/ids';
import {
	templateDefaultRequestSchema,
	templateDefaultsResponseSchema,
	templateInputSchema,
	templateResponseSchema,
	templatesResponseSchema,
	templateUpdateSchema,
	type NotificationTemplate,
	type TemplateDefault,
	type TemplateDefaultRequest,
	type TemplateInput,
	type TemplatesResponse,
	type TemplateUpdate
} from '$lib/schema/templates';
import { ApiRequestError, parseJson, request } from './client';

const TEMPLATES = '/api/templates';

/** The id goes into the path: only a well-formed one is sent. */
function templatePath(id: string): string {
	if (!entityIdSchema.safeParse(id).success) throw new ApiRequestError(0, 'invalid', 'not a template id');
	return `${TEMPLATES}/${encodeURIComponent(id)}`;
}

export async function fetchTemplates(): Promise<TemplatesResponse> {
	return parseJson(await request('GET', TEMPLATES), templatesResponseSchema);
}

export async function createTemplate(input: TemplateInput): Promise<NotificationTemplate> {
	const body = templateInputSchema.parse(input);
	return (await parseJson(await request('POST', TEMPLATES, body), templateResponseSchema)).template;
}

export async function updateTemplate(id: string, update: TemplateUpdate): Promise<NotificationTemplate> {
	const body = templateUpdateSchema.parse(update);
	return (await parseJson(await request('PUT', templatePath(id), body), templateResponseSchema)).template;
}

export async function deleteTemplate(id: string): Promise<void> {
	await request('DELETE', templatePath(id));
}

export async function setDefaultTemplate(choice: TemplateDefaultRequest): Promise<TemplateDefault[]> {
	const body = templateDefaultRequestSchema.parse(choice);
	return (await parseJson(await request('PUT', '/api/template-defaults', body), templateDefaultsResponseSchema))
		.defaults;
}
