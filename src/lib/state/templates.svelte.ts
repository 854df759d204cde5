// P14: the notification templates screen's state: the built-in and custom templates and the defaults from the server
// (online only), one draft in the editor with its placeholder issues and live preview (the domain's renderer, the same the
// server's mails use), and the calls that save, delete and choose defaults.
import { createTemplate, deleteTemplate, fetchTemplates, setDefaultTemplate, updateTemplate } from '$lib/api/templates';
import { invitationValues, type InvitationFacts } from '$lib/domain/template-values';
import { renderTemplate, templateIssues, type TemplateIssue } from '$lib/domain/templates';
import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime.js';
import { LOCALES, localeSchema, type Locale } from '$lib/schema/locale';
import {
	templateInputSchema,
	type BuiltInTemplate,
	type NotificationTemplate,
	type TemplateDefault,
	type TemplateKind
} from '$lib/schema/templates';
import { errorMessage, fieldErrors } from './labels';

export type TemplatesStatus = 'loading' | 'ready' | 'failed';

/** What the editor holds: a new template, an edit of a custom one, or a built-in one shown read-only. */
export interface TemplateDraft {
	readonly mode: 'new' | 'edit' | 'view';
	readonly id: string | null;
	name: string;
	kind: TemplateKind;
	locale: Locale;
	subject: string;
	body: string;
}

/** The recipient's language by default: the person's own UI language (P14). */
export function uiLocale(): Locale {
	const parsed = localeSchema.safeParse(getLocale());
	return parsed.success ? parsed.data : 'en';
}

/** A language's name in the UI's language ("Polish", "polnisch", …). */
export function languageName(locale: Locale): string {
	try {
		return new Intl.DisplayNames([getLocale()], { type: 'language' }).of(locale) ?? locale;
	} catch {
		return locale;
	}
}

export const languageOptions = (): { value: Locale; label: string }[] =>
	LOCALES.map((locale) => ({ value: locale, label: languageName(locale) }));

export function kindLabel(kind: TemplateKind): string {
	return kind === 'userInvitation' ? m.tpl_kind_user_invitation() : m.tpl_kind_customer_invitation();
}

/** What a placeholder stands for, beside the editor. */
export function placeholderMeaning(name: string): string {
	const meanings: Record<string, () => string> = {
		tenantName: m.tpl_ph_tenant_name,
		email: m.tpl_ph_email,
		invitedBy: m.tpl_ph_invited_by,
		link: m.tpl_ph_link,
		expiresAt: m.tpl_ph_expires_at,
		organization: m.tpl_ph_organization,
		contactName: m.tpl_ph_contact_name,
		services: m.tpl_ph_services,
		license: m.tpl_ph_license,
		licenseType: m.tpl_ph_license_type,
		product: m.tpl_ph_product,
		units: m.tpl_ph_units,
		licenseExpiresOn: m.tpl_ph_license_expires_on
	};
	return meanings[name]?.() ?? name;
}

/** An issue of the draft in words, naming the placeholder. */
export function issueMessage(issue: TemplateIssue): string {
	return issue.code === 'unknownPlaceholder'
		? m.tpl_issue_unknown({ placeholder: `{{${issue.placeholder}}}` })
		: m.tpl_issue_malformed({ text: issue.placeholder });
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Stands in for the single-use token of a real link (43 base64url characters). */
const SAMPLE_TOKEN = 'Xq3dW8f0kR2nV7yB5cL1mZ9tH4sJ6gP0aE2uK8oN1iQ';

/** Sample facts for the preview: what an invitation sent now would say, in the draft's language. */
function sampleFacts(
	kind: TemplateKind,
	tenantName: string,
	invitedBy: string,
	origin: string,
	now: Date
): InvitationFacts {
	const common = {
		tenantName,
		email: m.tpl_sample_email(),
		invitedBy,
		link: `${origin}/invitations/accept?token=${SAMPLE_TOKEN}`,
		expiresAt: new Date(now.getTime() + 7 * DAY_MS)
	};
	if (kind === 'userInvitation') return { kind, ...common };
	const expiresOn = new Date(now.getTime() + 365 * DAY_MS).toISOString().slice(0, 10);
	return {
		kind,
		...common,
		organization: m.tpl_sample_organization(),
		contactName: m.tpl_sample_contact(),
		services: ['exchangeBackup', 'oneDriveBackup'],
		license: { billingType: 'trial', product: m.tpl_sample_product(), units: 5, expiresOn }
	};
}

export class TemplatesState {
	#status = $state<TemplatesStatus>('loading');
	#loadError = $state<string | null>(null);
	#builtIns = $state<BuiltInTemplate[]>([]);
	#templates = $state<NotificationTemplate[]>([]);
	#defaults = $state<TemplateDefault[]>([]);
	#draft = $state<TemplateDraft | null>(null);
	#fieldErrors = $state<Record<string, string>>({});
	#formError = $state<string | null>(null);
	#busy = $state(false);
	#notice = $state<string | null>(null);
	readonly #context: () => { tenantName: string; email: string; timeZone: string; origin: string; now: Date };

	constructor(context: () => { tenantName: string; email: string; timeZone: string; origin: string; now: Date }) {
		this.#context = context;
	}

	get status(): TemplatesStatus {
		return this.#status;
	}
	get loadError(): string | null {
		return this.#loadError;
	}
	get builtIns(): readonly BuiltInTemplate[] {
		return this.#builtIns;
	}
	get templates(): readonly NotificationTemplate[] {
		return this.#templates;
	}
	get draft(): TemplateDraft | null {
		return this.#draft;
	}
	get fieldErrors(): Readonly<Record<string, string>> {
		return this.#fieldErrors;
	}
	get formError(): string | null {
		return this.#formError;
	}
	get busy(): boolean {
		return this.#busy;
	}
	/** What the last action did, for a polite live region. */
	get notice(): string | null {
		return this.#notice;
	}

	/** The placeholders issues of the draft, per field, while typing. */
	get issues(): { subject: TemplateIssue[]; body: TemplateIssue[] } {
		const draft = this.#draft;
		if (!draft) return { subject: [], body: [] };
		const issues = templateIssues(draft.kind, draft);
		return {
			subject: issues.filter((issue) => issue.field === 'subject'),
			body: issues.filter((issue) => issue.field === 'body')
		};
	}

	/** The draft rendered with sample values, as the recipient would read it. */
	get preview(): { subject: string; text: string } | null {
		const draft = this.#draft;
		if (!draft) return null;
		const { tenantName, email, timeZone, origin, now } = this.#context();
		const facts = sampleFacts(draft.kind, tenantName || m.tpl_sample_tenant(), email, origin, now);
		return renderTemplate(draft, invitationValues(facts, draft.locale, timeZone));
	}

	/** The template that is the default of a kind and language: a custom one's id, or null for the built-in one. */
	defaultOf(kind: TemplateKind, locale: Locale): string | null {
		return this.#defaults.find((entry) => entry.kind === kind && entry.locale === locale)?.templateId ?? null;
	}

	/** The custom templates a default of this kind and language may be. */
	candidates(kind: TemplateKind, locale: Locale): NotificationTemplate[] {
		return this.#templates.filter((template) => template.kind === kind && template.locale === locale);
	}

	isDefault(template: NotificationTemplate): boolean {
		return this.defaultOf(template.kind, template.locale) === template.id;
	}

	async load(): Promise<void> {
		this.#status = 'loading';
		try {
			const answer = await fetchTemplates();
			this.#builtIns = answer.builtIns;
			this.#templates = answer.templates;
			this.#defaults = answer.defaults;
			this.#status = 'ready';
		} catch (error) {
			this.#loadError = errorMessage(error);
			this.#status = 'failed';
		}
	}

	startNew(kind: TemplateKind = 'userInvitation', locale: Locale = uiLocale()): void {
		const base = this.#builtIns.find((template) => template.kind === kind && template.locale === locale);
		this.#open({
			mode: 'new',
			id: null,
			name: '',
			kind,
			locale,
			subject: base?.subject ?? '',
			body: base?.body ?? ''
		});
	}

	view(template: BuiltInTemplate): void {
		this.#open({ mode: 'view', id: template.id, name: builtInName(template), ...pick(template) });
	}

	edit(template: NotificationTemplate): void {
		this.#open({ mode: 'edit', id: template.id, name: template.name, ...pick(template) });
	}

	/** A new template starting from a built-in or custom one ("copy"). */
	copy(template: BuiltInTemplate | NotificationTemplate | TemplateDraft): void {
		const name = 'name' in template ? template.name : builtInName(template);
		this.#open({ mode: 'new', id: null, name: m.tpl_copy_name({ name }), ...pick(template) });
	}

	close(): void {
		this.#draft = null;
		this.#fieldErrors = {};
		this.#formError = null;
	}

	/** Saves the draft; refused on the device first when a placeholder is unknown or malformed (the server checks again). */
	async save(): Promise<boolean> {
		const draft = this.#draft;
		if (!draft || draft.mode === 'view') return false;
		this.#formError = null;
		const parsed = templateInputSchema.safeParse({
			name: draft.name,
			kind: draft.kind,
			locale: draft.locale,
			subject: draft.subject,
			body: draft.body
		});
		this.#fieldErrors = parsed.success ? {} : fieldErrors(parsed.error);
		const issues = this.issues;
		if (!parsed.success || issues.subject.length > 0 || issues.body.length > 0) return false;
		this.#busy = true;
		try {
			const input = parsed.data;
			const saved =
				draft.mode === 'edit' && draft.id
					? await updateTemplate(draft.id, { name: input.name, subject: input.subject, body: input.body })
					: await createTemplate(input);
			this.#templates = [...this.#templates.filter((template) => template.id !== saved.id), saved];
			this.#notice = m.tpl_saved({ name: saved.name });
			this.close();
			return true;
		} catch (error) {
			this.#formError = errorMessage(error);
			return false;
		} finally {
			this.#busy = false;
		}
	}

	async remove(template: NotificationTemplate): Promise<boolean> {
		this.#busy = true;
		this.#formError = null;
		try {
			await deleteTemplate(template.id);
			await this.load();
			if (this.#draft?.id === template.id) this.close();
			this.#notice = m.tpl_deleted({ name: template.name });
			return true;
		} catch (error) {
			this.#formError = errorMessage(error);
			return false;
		} finally {
			this.#busy = false;
		}
	}

	/** Makes `templateId` (null: the built-in one) the default of a kind and language. */
	async setDefault(kind: TemplateKind, locale: Locale, templateId: string | null): Promise<boolean> {
		this.#busy = true;
		this.#formError = null;
		try {
			this.#defaults = await setDefaultTemplate({ kind, locale, templateId });
			this.#notice = m.tpl_default_saved({ kind: kindLabel(kind), language: languageName(locale) });
			return true;
		} catch (error) {
			this.#formError = errorMessage(error);
			return false;
		} finally {
			this.#busy = false;
		}
	}

	#open(draft: TemplateDraft): void {
		this.#draft = draft;
		this.#fieldErrors = {};
		this.#formError = null;
	}
}

/** A built-in template's name: its kind and language. */
export function builtInName(template: { kind: TemplateKind; locale: Locale }): string {
	return `${kindLabel(template.kind)} · ${languageName(template.locale)}`;
}

function pick(template: { kind: TemplateKind; locale: Locale; subject: string; body: string }) {
	return { kind: template.kind, locale: template.locale, subject: template.subject, body: template.body };
}
