// P13: the password reset mail (plain text: every mail program shows it) in the person's language (S115), its words from
// the app's messages. Invitations use templates (P14, mail/templates).
import type { Locale } from '../../../src/lib/schema/locale';
import { serverMessage } from '../i18n/messages';

export function passwordResetMail(input: {
	tenantName: string;
	link: string;
	expiresAt: Date;
	locale: Locale;
	timeZone: string;
}): {
	subject: string;
	text: string;
} {
	const tenant = input.tenantName;
	// The time with its zone: the reader may be elsewhere than the tenant.
	const time = new Intl.DateTimeFormat(input.locale, {
		dateStyle: 'long',
		timeStyle: 'long',
		timeZone: input.timeZone
	}).format(input.expiresAt);
	return {
		// A tenant name cannot add a header line.
		subject: serverMessage(input.locale, 'mail_reset_subject', { tenant }).replace(/[\r\n]+/g, ' '),
		text: [
			serverMessage(input.locale, 'mail_reset_intro', { tenant }),
			'',
			input.link,
			'',
			serverMessage(input.locale, 'mail_reset_expiry', { time }),
			serverMessage(input.locale, 'mail_reset_ignore')
		].join('\n')
	};
}
