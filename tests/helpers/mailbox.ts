// A Mailer for tests: keeps what was sent, lets a test wait for the next message, and can be told to fail.
import type { MailMessage, Mailer } from '../../server/src/mail/mailer';
import { MailError } from '../../server/src/mail/mailer';

export interface Mailbox extends Mailer {
	readonly sent: MailMessage[];
	/** The next `send` (and those after it) fail until set back to false. */
	failing: boolean;
	/** The token of the newest link to `path` in a message to `to`. */
	tokenFor(to: string, path: string): string;
}

export function createMailbox(): Mailbox {
	const sent: MailMessage[] = [];
	const box: Mailbox = {
		sent,
		failing: false,
		async send(message) {
			if (box.failing) throw new MailError('TestFailure');
			sent.push(message);
		},
		tokenFor(to, path) {
			const message = sent.filter((m) => m.to === to).at(-1);
			const link = message?.text.match(/https?:\/\/\S+/)?.[0];
			if (!message || !link) throw new Error(`no mail with a link to ${to}`);
			const url = new URL(link);
			if (url.pathname !== path) throw new Error(`the link goes to ${url.pathname}, not ${path}`);
			return url.searchParams.get('token') ?? '';
		}
	};
	return box;
}
