// The server's outbox (DATA_DIR/outbox, no SMTP_URL): the link of the invitation mailed to one address.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The invitation link in the newest .eml to `email` (quoted-printable soft breaks undone); throws when none. */
export function invitationLinkTo(dataDir: string, email: string): string {
	const outbox = join(dataDir, 'outbox');
	const mails = readdirSync(outbox)
		.filter((name) => name.endsWith('.eml'))
		.sort()
		.map((name) => readFileSync(join(outbox, name), 'utf8'))
		.filter((raw) => raw.split(/\r?\n/).includes(`To: ${email}`));
	const raw = mails.at(-1);
	if (!raw) throw new Error(`no mail to ${email} in the outbox`);
	const text = raw
		.replace(/=\r?\n/g, '')
		.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
	const link = text.match(/https?:\/\/\S+\/invitations\/accept\?token=[A-Za-z0-9_-]+/)?.[0];
	if (!link) throw new Error('no invitation link in the mail');
	return link;
}
