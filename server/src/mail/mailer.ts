// P13: the portal's outgoing mail (invitations, password resets): SMTP when SMTP_URL is set, else .eml files in DATA_DIR/outbox.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import type { Clock } from '../clock';

export interface MailMessage {
	readonly to: string;
	readonly subject: string;
	readonly text: string;
	readonly html?: string;
	/** P15: a Message-ID of the caller's (`<id@host>`), the same for every attempt of one report; nodemailer's otherwise. */
	readonly messageId?: string;
}

export interface Mailer {
	/** Resolves once the message is handed over (accepted by the SMTP server, or written to the outbox); rejects otherwise. */
	send(message: MailMessage): Promise<void>;
}

/** Thrown by `send`: the message did not go out. It says why in general terms only (no address, no server password). */
export class MailError extends Error {
	readonly code = 'mail_failed';
	constructor(readonly kind: string) {
		super('the mail could not be sent');
		this.name = 'MailError';
	}
}

/** The outbox's files hold links that sign people in: owner-only, like the database. */
export const OUTBOX_FILE_MODE = 0o600;

/** Sends over SMTP (nodemailer); `url` is `smtp://` or `smtps://`, with credentials when the server needs them. */
export function createSmtpMailer(url: string, from: string): Mailer {
	const transport = createTransport(url, { from });
	return {
		async send(message) {
			try {
				await transport.sendMail({ ...message });
			} catch (error) {
				throw new MailError(errorKind(error));
			}
		}
	};
}

/**
 * Without an SMTP server: each message is built as the RFC 822 text an SMTP server would receive (nodemailer's stream
 * transport) and written to `dir` as `<iso time>-<random>.eml`, which any mail program opens.
 */
export function createOutboxMailer(dir: string, from: string, clock: Clock): Mailer {
	const transport = createTransport({ streamTransport: true, buffer: true, newline: 'unix' }, { from });
	return {
		async send(message) {
			try {
				const info = await transport.sendMail({ ...message });
				await mkdir(dir, { recursive: true, mode: 0o700 });
				const stamp = clock.now().toISOString().replace(/:/g, '-');
				const name = `${stamp}-${randomBytes(6).toString('hex')}.eml`;
				await writeFile(join(dir, name), info.message, { mode: OUTBOX_FILE_MODE, flag: 'wx' });
			} catch (error) {
				throw new MailError(errorKind(error));
			}
		}
	};
}

/** The mailer the configuration asks for. */
export function createMailer(
	config: { readonly smtpUrl: string | null; readonly mailFrom: string; readonly dataDir: string },
	clock: Clock
): Mailer {
	if (config.smtpUrl) return createSmtpMailer(config.smtpUrl, config.mailFrom);
	return createOutboxMailer(join(config.dataDir, 'outbox'), config.mailFrom, clock);
}

/** A failure's kind for logs: the error's name and code, never its message (it may quote addresses or the server's reply). */
function errorKind(error: unknown): string {
	if (!(error instanceof Error)) return typeof error;
	const code = 'code' in error && typeof error.code === 'string' ? `:${error.code}` : '';
	return `${error.name}${code}`;
}
