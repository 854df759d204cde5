// P14: an invitation mail from the tenant's default template of its kind in the recipient's language (the built-in one
// until a person chose another), with the values in that language and the tenant's time zone.
import { renderTemplate } from '../../../../src/lib/domain/templates';
import type { Locale } from '../../../../src/lib/schema/locale';
import type { TemplateKind } from '../../../../src/lib/schema/templates';
import type { Store } from '../../store/types';
import { builtInTemplate } from './built-in';
import { invitationValues, type InvitationFacts } from '../../../../src/lib/domain/template-values';

/** The template a mail of `kind` in `locale` uses now: the chosen default, or the built-in one. */
export async function defaultTemplate(
	store: Pick<Store, 'listTemplateDefaults' | 'getNotificationTemplate'>,
	tenantId: string,
	kind: TemplateKind,
	locale: Locale
): Promise<{ subject: string; body: string }> {
	const chosen = (await store.listTemplateDefaults(tenantId)).find((d) => d.kind === kind && d.locale === locale);
	const custom = chosen ? await store.getNotificationTemplate(tenantId, chosen.templateId) : null;
	// A default names a template of its own kind and language (the API checks it); anything else falls back.
	if (custom && custom.kind === kind && custom.locale === locale) return custom;
	return builtInTemplate(kind, locale);
}

export async function composeInvitationMail(
	store: Pick<Store, 'listTemplateDefaults' | 'getNotificationTemplate' | 'getTenantSettings'>,
	tenantId: string,
	locale: Locale,
	facts: InvitationFacts
): Promise<{ subject: string; text: string }> {
	const template = await defaultTemplate(store, tenantId, facts.kind, locale);
	const { timeZone } = await store.getTenantSettings(tenantId);
	return renderTemplate(template, invitationValues(facts, locale, timeZone));
}
