// Reads a single-part text/plain RFC 822 message as nodemailer writes it to the outbox: unfolded headers with their
// encoded words (RFC 2047) decoded, and the body decoded from quoted-printable or base64 as UTF-8.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ParsedMail {
	readonly headers: ReadonlyMap<string, string>;
	readonly subject: string;
	readonly to: string;
	readonly text: string;
}

function quotedPrintable(text: string, underscoreIsSpace: boolean): Buffer {
	const bytes: number[] = [];
	const source = text.replace(/=\r?\n/g, '');
	for (let i = 0; i < source.length; i++) {
		const char = source[i] ?? '';
		if (char === '=' && /^[0-9A-Fa-f]{2}$/.test(source.slice(i + 1, i + 3))) {
			bytes.push(parseInt(source.slice(i + 1, i + 3), 16));
			i += 2;
		} else if (underscoreIsSpace && char === '_') bytes.push(0x20);
		else bytes.push(...Buffer.from(char, 'utf8'));
	}
	return Buffer.from(bytes);
}

function decodeWords(value: string): string {
	return value
		.replace(/\?=\s+=\?/g, '?==?')
		.replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, encoding: string, data: string) =>
			(encoding.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : quotedPrintable(data, true)).toString('utf8')
		);
}

export function parseEml(raw: string): ParsedMail {
	const normalized = raw.replace(/\r\n/g, '\n');
	const split = normalized.indexOf('\n\n');
	const head = normalized.slice(0, split).replace(/\n[ \t]+/g, ' ');
	const body = normalized.slice(split + 2);
	const headers = new Map<string, string>();
	for (const line of head.split('\n')) {
		const colon = line.indexOf(':');
		if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
	}
	const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
	const text =
		encoding === 'quoted-printable'
			? quotedPrintable(body, false).toString('utf8')
			: encoding === 'base64'
				? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
				: body;
	return { headers, subject: headers.get('subject') ?? '', to: headers.get('to') ?? '', text: text.replace(/\n$/, '') };
}

/** Every .eml in `dataDir`/outbox, oldest first (their names start with the time they were written). */
export function outboxMails(dataDir: string): ParsedMail[] {
	const outbox = join(dataDir, 'outbox');
	return readdirSync(outbox)
		.filter((name) => name.endsWith('.eml'))
		.sort()
		.map((name) => parseEml(readFileSync(join(outbox, name), 'utf8')));
}
