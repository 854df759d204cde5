// The logger never writes user data: cookies, passwords, emails and tokens are redacted wherever they sit.
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger } from './log';

describe('log', () => {
	it('redacts cookies, authorization, passwords, emails and tokens', () => {
		const lines: string[] = [];
		const sink = new Writable({
			write(chunk: Buffer, _encoding, done) {
				lines.push(chunk.toString('utf8'));
				done();
			}
		});
		const log = createLogger('info', sink);
		log.info({ req: { headers: { cookie: 'msp_session=secret-token', authorization: 'Bearer abc' } } }, 'request');
		log.info({ email: 'owner@example.com', password: 'hunter2 hunter2', token: 'setup-token' }, 'flat');
		log.info({ user: { email: 'owner@example.com', password: 'pw', tenantName: 'Acme' } }, 'nested');
		const text = lines.join('');
		for (const secret of ['secret-token', 'Bearer abc', 'owner@example.com', 'hunter2', 'setup-token', 'Acme'])
			expect(text).not.toContain(secret);
		expect(text).toContain('[redacted]');
		expect(lines).toHaveLength(3);
	});
});
