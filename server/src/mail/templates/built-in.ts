// P14: the built-in invitation templates, one per kind and language: never changed by anyone, the default of their kind and
// language until a person makes a custom template the default. Written as a partner's technician would write them, in the
// vendors' words (erworbene Kapazität, Lizenztyp).
import type { Locale } from '../../../../src/lib/schema/locale';
import { builtInTemplateId, type BuiltInTemplate, type TemplateKind } from '../../../../src/lib/schema/templates';

type Texts = Record<TemplateKind, Record<Locale, { subject: string; body: string }>>;

const lines = (...text: string[]): string => text.join('\n');

const TEXTS: Texts = {
	userInvitation: {
		en: {
			subject: 'You are invited to {{tenantName}} on the MSP Portal',
			body: lines(
				'Hello,',
				'',
				'{{invitedBy}} has invited you to join {{tenantName}} on the MSP Portal.',
				'',
				'Open this link to choose your password and sign in:',
				'{{link}}',
				'',
				'The link works once and until {{expiresAt}}.',
				'If you did not expect this invitation, ignore this mail.'
			)
		},
		de: {
			subject: 'Einladung zu {{tenantName}} im MSP-Portal',
			body: lines(
				'Guten Tag,',
				'',
				'{{invitedBy}} hat Sie eingeladen, {{tenantName}} im MSP-Portal beizutreten.',
				'',
				'Öffnen Sie diesen Link, um Ihr Passwort festzulegen und sich anzumelden:',
				'{{link}}',
				'',
				'Der Link kann nur einmal verwendet werden und ist gültig bis {{expiresAt}}.',
				'Falls Sie diese Einladung nicht erwartet haben, ignorieren Sie diese E-Mail bitte.'
			)
		},
		es: {
			subject: 'Invitación a {{tenantName}} en el Portal MSP',
			body: lines(
				'Hola:',
				'',
				'{{invitedBy}} le ha invitado a unirse a {{tenantName}} en el Portal MSP.',
				'',
				'Abra este enlace para elegir su contraseña e iniciar sesión:',
				'{{link}}',
				'',
				'El enlace solo se puede usar una vez y es válido hasta el {{expiresAt}}.',
				'Si no esperaba esta invitación, ignore este correo.'
			)
		},
		pl: {
			subject: 'Zaproszenie do {{tenantName}} w portalu MSP',
			body: lines(
				'Dzień dobry,',
				'',
				'{{invitedBy}} zaprasza do dołączenia do {{tenantName}} w portalu MSP.',
				'',
				'Aby ustawić hasło i się zalogować, należy otworzyć ten link:',
				'{{link}}',
				'',
				'Z linku można skorzystać tylko raz. Jest on ważny do {{expiresAt}}.',
				'Jeśli to zaproszenie nie było oczekiwane, prosimy zignorować tę wiadomość.'
			)
		},
		it: {
			subject: 'Invito a {{tenantName}} sul Portale MSP',
			body: lines(
				'Buongiorno,',
				'',
				'{{invitedBy}} La invita a unirsi a {{tenantName}} sul Portale MSP.',
				'',
				'Apra questo link per scegliere la password e accedere:',
				'{{link}}',
				'',
				'Il link può essere usato una sola volta. Scadenza: {{expiresAt}}.',
				'Se non si aspettava questo invito, ignori questa e-mail.'
			)
		}
	},
	customerInvitation: {
		en: {
			subject: '{{tenantName}} invites {{organization}} to the MSP Portal',
			body: lines(
				'Hello {{contactName}},',
				'',
				'{{invitedBy}} of {{tenantName}} has set up {{organization}}',
				"on the MSP Portal and invites you as the organization's admin contact.",
				'',
				'Services: {{services}}',
				'',
				'License:',
				'  Type: {{licenseType}}',
				'  Product: {{product}}',
				'  Purchased capacity: {{units}}',
				'  Expires on: {{licenseExpiresOn}}',
				'',
				'Open this link to choose your password and sign in:',
				'{{link}}',
				'',
				'The link works once and until {{expiresAt}}.',
				'If you did not expect this invitation, ignore this mail.'
			)
		},
		de: {
			subject: '{{tenantName}} lädt {{organization}} in das MSP-Portal ein',
			body: lines(
				'Guten Tag {{contactName}},',
				'',
				'{{invitedBy}} von {{tenantName}} hat {{organization}} im MSP-Portal eingerichtet',
				'und lädt Sie als Admin-Kontakt der Organisation ein.',
				'',
				'Dienste: {{services}}',
				'',
				'Lizenz:',
				'  Lizenztyp: {{licenseType}}',
				'  Produkt: {{product}}',
				'  Erworbene Kapazität: {{units}}',
				'  Lizenzablaufdatum: {{licenseExpiresOn}}',
				'',
				'Öffnen Sie diesen Link, um Ihr Passwort festzulegen und sich anzumelden:',
				'{{link}}',
				'',
				'Der Link kann nur einmal verwendet werden und ist gültig bis {{expiresAt}}.',
				'Falls Sie diese Einladung nicht erwartet haben, ignorieren Sie diese E-Mail bitte.'
			)
		},
		es: {
			subject: '{{tenantName}} invita a {{organization}} al Portal MSP',
			body: lines(
				'Hola, {{contactName}}:',
				'',
				'{{invitedBy}}, de {{tenantName}}, ha dado de alta a {{organization}}',
				'en el Portal MSP y le invita como contacto administrativo de la organización.',
				'',
				'Servicios: {{services}}',
				'',
				'Licencia:',
				'  Tipo de licencia: {{licenseType}}',
				'  Producto: {{product}}',
				'  Capacidad adquirida: {{units}}',
				'  Fecha de vencimiento: {{licenseExpiresOn}}',
				'',
				'Abra este enlace para elegir su contraseña e iniciar sesión:',
				'{{link}}',
				'',
				'El enlace solo se puede usar una vez y es válido hasta el {{expiresAt}}.',
				'Si no esperaba esta invitación, ignore este correo.'
			)
		},
		pl: {
			subject: '{{tenantName}} zaprasza {{organization}} do portalu MSP',
			body: lines(
				'Dzień dobry {{contactName}},',
				'',
				'W portalu MSP utworzono organizację {{organization}}.',
				'{{invitedBy}} ({{tenantName}}) zaprasza Państwa jako jej kontakt administracyjny.',
				'',
				'Usługi: {{services}}',
				'',
				'Licencja:',
				'  Typ licencji: {{licenseType}}',
				'  Produkt: {{product}}',
				'  Zakupiony limit: {{units}}',
				'  Data wygaśnięcia: {{licenseExpiresOn}}',
				'',
				'Aby ustawić hasło i się zalogować, należy otworzyć ten link:',
				'{{link}}',
				'',
				'Z linku można skorzystać tylko raz. Jest on ważny do {{expiresAt}}.',
				'Jeśli to zaproszenie nie było oczekiwane, prosimy zignorować tę wiadomość.'
			)
		},
		it: {
			subject: '{{tenantName}} invita {{organization}} sul Portale MSP',
			body: lines(
				'Buongiorno {{contactName}},',
				'',
				'{{invitedBy}} di {{tenantName}} ha configurato {{organization}} sul Portale MSP',
				"e La invita come referente amministrativo dell'organizzazione.",
				'',
				'Servizi: {{services}}',
				'',
				'Licenza:',
				'  Tipo di licenza: {{licenseType}}',
				'  Prodotto: {{product}}',
				'  Capacità acquistata: {{units}}',
				'  Data di scadenza: {{licenseExpiresOn}}',
				'',
				'Apra questo link per scegliere la password e accedere:',
				'{{link}}',
				'',
				'Il link può essere usato una sola volta. Scadenza: {{expiresAt}}.',
				'Se non si aspettava questo invito, ignori questa e-mail.'
			)
		}
	}
};

/** Every built-in template: each kind in each language. */
export const BUILT_IN_TEMPLATES: readonly BuiltInTemplate[] = (Object.keys(TEXTS) as TemplateKind[]).flatMap((kind) =>
	(Object.keys(TEXTS[kind]) as Locale[]).map((locale) => ({
		id: builtInTemplateId(kind, locale),
		kind,
		locale,
		...TEXTS[kind][locale]
	}))
);

export function builtInTemplate(kind: TemplateKind, locale: Locale): BuiltInTemplate {
	return { id: builtInTemplateId(kind, locale), kind, locale, ...TEXTS[kind][locale] };
}
