// P14: the values an invitation mail fills into its template, in the recipient's language: dates through Intl in that
// language and the tenant's time zone, services and license types by their names in that language. The server's mails
// and the settings screen's preview (with sample facts) both put their facts into words here.
import type { ServiceKind } from '../schema/customer';
import type { Locale } from '../schema/locale';
import type { TemplateValues } from './templates';
import type { BillingType } from '../schema/tree';

const SERVICE_NAMES: Record<Locale, Record<ServiceKind, string>> = {
	en: {
		exchangeBackup: 'Exchange backup',
		oneDriveBackup: 'OneDrive backup',
		sharePointBackup: 'SharePoint backup',
		teamsBackup: 'Teams backup',
		serverBackup: 'Server backup',
		endpointProtection: 'Endpoint protection'
	},
	de: {
		exchangeBackup: 'Exchange-Backup',
		oneDriveBackup: 'OneDrive-Backup',
		sharePointBackup: 'SharePoint-Backup',
		teamsBackup: 'Teams-Backup',
		serverBackup: 'Server-Backup',
		endpointProtection: 'Endpoint-Schutz'
	},
	es: {
		exchangeBackup: 'Copia de seguridad de Exchange',
		oneDriveBackup: 'Copia de seguridad de OneDrive',
		sharePointBackup: 'Copia de seguridad de SharePoint',
		teamsBackup: 'Copia de seguridad de Teams',
		serverBackup: 'Copia de seguridad de servidores',
		endpointProtection: 'Protección de endpoints'
	},
	pl: {
		exchangeBackup: 'Kopia zapasowa Exchange',
		oneDriveBackup: 'Kopia zapasowa OneDrive',
		sharePointBackup: 'Kopia zapasowa SharePoint',
		teamsBackup: 'Kopia zapasowa Teams',
		serverBackup: 'Kopia zapasowa serwerów',
		endpointProtection: 'Ochrona punktów końcowych'
	},
	it: {
		exchangeBackup: 'Backup di Exchange',
		oneDriveBackup: 'Backup di OneDrive',
		sharePointBackup: 'Backup di SharePoint',
		teamsBackup: 'Backup di Teams',
		serverBackup: 'Backup dei server',
		endpointProtection: 'Protezione endpoint'
	}
};

const BILLING_NAMES: Record<Locale, Record<BillingType, string>> = {
	en: { trial: 'Free trial', monthly: 'Monthly (billed by usage)', term: 'Term subscription' },
	de: { trial: 'Kostenlose Testversion', monthly: 'Monatlich (nach Nutzung abgerechnet)', term: 'Laufzeitabonnement' },
	es: { trial: 'Prueba gratuita', monthly: 'Mensual (facturación por uso)', term: 'Suscripción a plazo' },
	pl: {
		trial: 'Bezpłatna wersja próbna',
		monthly: 'Miesięcznie (rozliczenie według użycia)',
		term: 'Subskrypcja terminowa'
	},
	it: { trial: 'Prova gratuita', monthly: 'Mensile (fatturazione a consumo)', term: 'Abbonamento a termine' }
};

const NO_SERVICES: Record<Locale, string> = {
	en: 'none yet',
	de: 'noch keine',
	es: 'ninguno por ahora',
	pl: 'brak',
	it: 'nessuno per ora'
};

/** "5 users" in the plural form of the language (Polish: 1 użytkownik, 2 użytkownicy, 5 użytkowników). */
const USERS: Record<Locale, Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }> = {
	en: { one: 'user', other: 'users' },
	de: { one: 'Benutzer', other: 'Benutzer' },
	es: { one: 'usuario', other: 'usuarios' },
	pl: { one: 'użytkownik', few: 'użytkownicy', many: 'użytkowników', other: 'użytkownika' },
	it: { one: 'utente', other: 'utenti' }
};

export function userCount(units: number, locale: Locale): string {
	const forms = USERS[locale];
	const form = forms[new Intl.PluralRules(locale).select(units)] ?? forms.other;
	return `${new Intl.NumberFormat(locale).format(units)} ${form}`;
}

/** A moment in the language and the tenant's time zone, with the zone named (the recipient may live elsewhere). */
export function formatMoment(at: Date, locale: Locale, timeZone: string): string {
	return new Intl.DateTimeFormat(locale, {
		year: 'numeric',
		month: 'long',
		day: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
		timeZone,
		timeZoneName: 'short'
	}).format(at);
}

/** A calendar day (`YYYY-MM-DD`) in the language; a day has no time zone. */
export function formatDay(day: string, locale: Locale): string {
	const at = new Date(`${day}T00:00:00Z`);
	if (Number.isNaN(at.getTime())) return day;
	return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(
		at
	);
}

export interface UserInvitationFacts {
	readonly kind: 'userInvitation';
	readonly tenantName: string;
	readonly email: string;
	readonly invitedBy: string;
	readonly link: string;
	readonly expiresAt: Date;
}

export interface CustomerInvitationFacts extends Omit<UserInvitationFacts, 'kind'> {
	readonly kind: 'customerInvitation';
	readonly organization: string;
	readonly contactName: string;
	readonly services: readonly ServiceKind[];
	readonly license: {
		readonly billingType: BillingType;
		readonly product: string;
		readonly units: number;
		readonly expiresOn: string;
	};
}

/** What an invitation mail says, before it is put into words: the facts of one kind. */
export type InvitationFacts = UserInvitationFacts | CustomerInvitationFacts;

/** The placeholders' values of `facts` in `locale`. */
export function invitationValues(facts: InvitationFacts, locale: Locale, timeZone: string): TemplateValues {
	const common = {
		tenantName: facts.tenantName,
		email: facts.email,
		invitedBy: facts.invitedBy,
		link: facts.link,
		expiresAt: formatMoment(facts.expiresAt, locale, timeZone)
	};
	if (facts.kind === 'userInvitation') return common;
	const { license } = facts;
	const services =
		facts.services.length === 0
			? NO_SERVICES[locale]
			: new Intl.ListFormat(locale, { type: 'conjunction' }).format(
					facts.services.map((kind) => SERVICE_NAMES[locale][kind])
				);
	const licenseType = BILLING_NAMES[locale][license.billingType];
	const units = userCount(license.units, locale);
	const licenseExpiresOn = formatDay(license.expiresOn, locale);
	return {
		...common,
		organization: facts.organization,
		contactName: facts.contactName.trim(),
		services,
		licenseType,
		product: license.product,
		units,
		licenseExpiresOn,
		license: [licenseType, license.product, units, licenseExpiresOn].join(' · ')
	};
}
