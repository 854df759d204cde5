// P15: the billing report mail: plain text in the profile's language, its words from the app's messages (messages/*.json,
// the same keys the translators fill; a key a language lacks falls back to English), amounts through Intl in that
// language. Templates per language are notification templates' business (P14); this mail is built here, from messages.
import type { Locale } from '../../../src/lib/schema/locale';
import { serverMessage as mailMessage } from '../i18n/messages';
import type { ServiceKind } from '../../../src/lib/schema/customer';
import { formatMoney, type BillingAmounts } from '../../../src/lib/domain/billing';

export interface BillingMailInput {
	readonly locale: Locale;
	readonly tenantName: string;
	readonly customerName: string;
	readonly profileName: string;
	/** `2026-11` or `2026`. */
	readonly period: string;
	readonly currency: string;
	readonly amounts: BillingAmounts;
}

/** The period in words: "November 2026" in the mail's language, or the year. */
export function periodLabel(period: string, locale: Locale): string {
	const [year, month] = period.split('-').map(Number) as [number, number | undefined];
	if (month === undefined) return String(year);
	return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
		new Date(Date.UTC(year, month - 1, 1))
	);
}

/** Subject and text of one customer's report; the subject holds no line break whatever the names hold. */
export function billingMail(input: BillingMailInput): { subject: string; text: string } {
	const { locale, amounts, currency } = input;
	const money = (minor: number) => formatMoney(minor, currency, locale);
	const period = periodLabel(input.period, locale);
	const names = { tenant: input.tenantName, customer: input.customerName, period, profile: input.profileName };
	const service = (kind: ServiceKind) => mailMessage(locale, `service_kind_${kind}`);
	const lines = amounts.lines.map(
		(line) =>
			`  ${mailMessage(locale, 'bill_mail_line', {
				service: service(line.service),
				quantity: new Intl.NumberFormat(locale).format(line.quantity),
				unitPrice: money(line.unitPriceMinor),
				total: money(line.totalMinor)
			})}`
	);
	const discount =
		amounts.discountPercent === null
			? []
			: [
					mailMessage(locale, 'bill_mail_discount', {
						percent: new Intl.NumberFormat(locale).format(amounts.discountPercent),
						amount: money(amounts.discountMinor)
					})
				];
	return {
		subject: mailMessage(locale, 'bill_mail_subject', names).replace(/[\r\n]+/g, ' '),
		text: [
			mailMessage(locale, 'bill_mail_greeting'),
			'',
			mailMessage(locale, 'bill_mail_intro', names),
			'',
			`${mailMessage(locale, 'bill_mail_services')}:`,
			...lines,
			'',
			mailMessage(locale, 'bill_mail_subtotal', { amount: money(amounts.subtotalMinor) }),
			...discount,
			mailMessage(locale, 'bill_mail_total', { amount: money(amounts.totalMinor) }),
			'',
			mailMessage(locale, 'bill_mail_footer', names),
			''
		].join('\n')
	};
}
