// Attacks through the demo account (docs/sync.md S54-S55): its password is not public, and a real server that finds it in
// its data directory does not offer it to the network. Real processes of server/src/main.ts and the CLI on temp dirs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createUserAccount } from '../../server/src/auth/auth';
import { DEMO_EMAIL } from '../../server/src/demo/seed';
import { openSqliteStore } from '../../server/src/store/sqlite';
import { startMain, type ServerProcess } from '../helpers/serve-process';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
/** The password every demo had before S54, printed in the README and on every demo start. */
const PUBLISHED_PASSWORD = 'demo-portal-2025';
const LISTENING = /^MSP portal listening on (http:\/\/\S+)$/;

const signIn = (url: string, email: string, password: string) =>
	fetch(`${url}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email, password })
	});

describe('demo account', { timeout: 90_000 }, () => {
	let dataDir: string;
	const running: ServerProcess[] = [];
	beforeEach(() => {
		dataDir = mkdtempSync(join(tmpdir(), 'msp-attack-demo-'));
	});
	afterEach(async () => {
		for (const server of running.splice(0)) {
			if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
			await server.exited;
		}
		rmSync(dataDir, { recursive: true, force: true });
	});

	const start = (env: Record<string, string>, args: string[] = []): ServerProcess => {
		const server = startMain({ DATA_DIR: dataDir, ...env }, args);
		running.push(server);
		return server;
	};

	it('S54: the demo password is random, printed once at seeding; the published one does not sign in', async () => {
		const demo = start({}, ['--demo']);
		const url = LISTENING.exec(await demo.waitFor(LISTENING))?.[1] ?? '';
		const printed = /^Demo sign-in: (\S+) \/ (\S+)$/.exec(await demo.waitFor(/^Demo sign-in: /));
		expect(printed?.[1]).toBe(DEMO_EMAIL);
		const password = printed?.[2] ?? '';
		expect(password).not.toBe(PUBLISHED_PASSWORD);
		expect(password.length).toBeGreaterThanOrEqual(16);
		expect((await signIn(url, DEMO_EMAIL, PUBLISHED_PASSWORD)).status).toBe(401);
		expect((await signIn(url, DEMO_EMAIL, password)).status).toBe(204);
		await demo.stop();

		// It cannot be shown again (only its hash is kept): a later start says where it went and how to get a new one.
		const again = start({}, ['--demo']);
		const line = await again.waitFor(/^Demo sign-in: /);
		expect(line).toContain('printed when the demo was seeded');
		expect(again.lines.join('\n')).not.toContain(password);
	});

	it('S55: a normal start that finds the demo account refuses to listen beyond loopback, warns on loopback, until it is removed', async () => {
		// The data directory an earlier `npm run demo` left behind: the demo owner with the published password.
		const store = openSqliteStore(join(dataDir, 'portal.db'));
		await store.createTenant({ id: 'demo', name: 'Demo', createdAt: new Date().toISOString() });
		await createUserAccount(store, {
			tenantId: 'demo',
			email: DEMO_EMAIL,
			password: PUBLISHED_PASSWORD,
			role: 'superAdmin',
			now: new Date(),
			scrypt: { N: 2 ** 10, r: 8, p: 1 }
		});
		await store.close();

		const exposed = start({ HOST: '0.0.0.0' });
		const outcome = await Promise.race([exposed.exited, exposed.waitFor(LISTENING).then(() => 'listening')]);
		expect(outcome).toBe(1);
		const refusal = exposed.lines.join('\n');
		expect(refusal).toContain(`the demo account ${DEMO_EMAIL} is in ${dataDir}`);
		expect(refusal).toContain(`npm run cli -- user delete ${DEMO_EMAIL}`);

		const local = start({ HOST: '127.0.0.1' });
		await local.waitFor(LISTENING);
		expect(local.lines.some((line) => line.startsWith(`warning: the demo account ${DEMO_EMAIL}`))).toBe(true);
		await local.stop();

		const removed = await run(
			process.execPath,
			['--import', 'tsx', 'server/src/cli.ts', 'user', 'delete', DEMO_EMAIL],
			{
				cwd: ROOT,
				env: { ...process.env, DATA_DIR: dataDir }
			}
		);
		expect(removed.stdout.trim()).toBe(`deleted ${DEMO_EMAIL}`);

		const clean = start({ HOST: '0.0.0.0' });
		await clean.waitFor(LISTENING);
		expect(clean.lines.some((line) => line.includes('demo account'))).toBe(false);
	});
});
