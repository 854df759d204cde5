// P13: the mail path for real: an invitation travels over SMTP to a server on loopback, or lands as an .eml file in
// DATA_DIR/outbox; either way its link signs the person in. A server that cannot be reached answers 502 and logs no address.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { SMTPServer } from 'smtp-server';
import { createLogger } from '../../server/src/log';
import { createMemoryStore } from '../../server/src/store/memory';
import type { Store } from '../../server/src/store/types';
import type { ServerConfig } from '../../server/src/config';
import { createFakeClock } from '../helpers/fake-clock';
import { addOwner, OWNER_EMAIL, OWNER_PASSWORD, startPortal, type Portal } from '../helpers/portal';

const PASSWORD = 'a long enough password';
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Received {
	readonly from: string;
	readonly to: string[];
	readonly data: string;
}

/** An SMTP server on 127.0.0.1:0 that keeps every message it accepts and resolves `next()` with the first one. */
async function startSmtp(): Promise<{ port: number; next: Promise<Received>; close: () => Promise<void> }> {
	let deliver: (message: Received) => void = () => {};
	const next = new Promise<Received>((resolve) => (deliver = resolve));
	const smtp = new SMTPServer({
		secure: false,
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onData(stream, session, callback) {
			let data = '';
			stream.setEncoding('utf8');
			stream.on('data', (chunk: string) => (data += chunk));
			stream.on('end', () => {
				deliver({
					from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
					to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
					data
				});
				callback();
			});
		}
	});
	await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
	const { port } = smtp.server.address() as AddressInfo;
	return { port, next, close: () => new Promise<void>((resolve) => smtp.close(() => resolve())) };
}

async function portal(config: Partial<ServerConfig>, logLines?: string[]): Promise<{ portal: Portal; store: Store }> {
	const store = createMemoryStore();
	const clock = createFakeClock(new Date('2026-03-02T09:00:00Z'));
	await addOwner(store, clock);
	const sink = new Writable({
		write(chunk: Buffer, _encoding, done) {
			logLines?.push(chunk.toString());
			done();
		}
	});
	const started = await startPortal({ store, clock, config, log: createLogger('info', sink) });
	cleanups.push(async () => {
		await started.server.close();
		await store.close();
	});
	return { portal: started, store };
}

async function invite(base: string, email: string): Promise<Response> {
	const signIn = await fetch(`${base}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email: OWNER_EMAIL, password: OWNER_PASSWORD })
	});
	const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
	return fetch(`${base}/api/users/invitations`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie, origin: base },
		body: JSON.stringify({ email, role: 'helpDesk', grants: [{ scope: 'tenant' }] })
	});
}

/** The message's text with quoted-printable soft breaks and escapes undone (long lines are wrapped on the wire). */
function decodeQuotedPrintable(raw: string): string {
	return raw
		.replace(/=\r?\n/g, '')
		.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function acceptLink(message: string): URL {
	const link = decodeQuotedPrintable(message).match(/https?:\/\/\S+\/invitations\/accept\?token=[A-Za-z0-9_-]+/)?.[0];
	if (!link) throw new Error('no invitation link in the message');
	return new URL(link);
}

async function accept(base: string, link: URL): Promise<number> {
	const response = await fetch(`${base}/api/invitations/accept`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ token: link.searchParams.get('token'), password: PASSWORD })
	});
	return response.status;
}

describe('mail path (P13)', () => {
	it('P13: with SMTP_URL the invitation goes to a real SMTP server on loopback, from MAIL_FROM, and its link works', async () => {
		const smtp = await startSmtp();
		cleanups.push(smtp.close);
		const { portal: running } = await portal({
			smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
			mailFrom: 'Acme Portal <portal@acme.example>'
		});
		expect((await invite(running.base, 'tech@acme.example')).status).toBe(201);
		const received = await smtp.next;
		expect(received.from).toBe('portal@acme.example');
		expect(received.to).toEqual(['tech@acme.example']);
		expect(received.data).toMatch(/^Subject: You are invited to Acme IT on the MSP Portal/m);
		expect(received.data).toMatch(/^From: Acme Portal <portal@acme\.example>/m);
		const link = acceptLink(received.data);
		expect(link.origin).toBe(running.base);
		expect(await accept(running.base, link)).toBe(204);
	});

	it('P13: without SMTP_URL each message is an owner-only .eml file in DATA_DIR/outbox that a mail program can open', async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'msp-outbox-'));
		cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
		const { portal: running } = await portal({ dataDir, publicUrl: 'https://portal.acme.example' });
		expect((await invite(running.base, 'tech@acme.example')).status).toBe(201);
		const outbox = join(dataDir, 'outbox');
		const files = readdirSync(outbox);
		expect(files).toHaveLength(1);
		const [file] = files;
		expect(file).toMatch(/^2026-03-02T09-00-00\.000Z-[0-9a-f]{12}\.eml$/);
		expect(statSync(join(outbox, file ?? '')).mode & 0o777).toBe(0o600);
		const message = readFileSync(join(outbox, file ?? ''), 'utf8');
		expect(message).toMatch(/^To: tech@acme\.example$/m);
		expect(message).toMatch(/^From: MSP Portal <portal@localhost>$/m);
		expect(message).toMatch(/^Subject: You are invited to Acme IT on the MSP Portal$/m);
		expect(message).toMatch(/^Message-ID: </m);
		const link = acceptLink(message);
		// PUBLIC_URL is what people use, whatever address the request came to.
		expect(link.origin).toBe('https://portal.acme.example');
		expect(await accept(running.base, link)).toBe(204);
	});

	it('P13: an SMTP server that cannot be reached: 502 mail_failed, the invitation is kept, the log names no address', async () => {
		const smtp = await startSmtp();
		await smtp.close();
		const logLines: string[] = [];
		const { portal: running, store } = await portal({ smtpUrl: `smtp://127.0.0.1:${smtp.port}` }, logLines);
		const answer = await invite(running.base, 'tech@acme.example');
		expect(answer.status).toBe(502);
		expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('mail_failed');
		expect(await store.listPendingInvitations('acme')).toHaveLength(1);
		const log = logLines.join('');
		expect(log).toContain('a mail could not be sent');
		expect(log).not.toContain('tech@acme');
	});
});
