// `npm run serve` as a real process: the lines operators and tests read, the setup link, one server per DATA_DIR, clean stop.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = join(ROOT, 'server', 'src', 'main.ts');

interface Started {
	child: ChildProcess;
	lines: string[];
	/** Resolves with the first stdout line that matches. */
	waitFor(pattern: RegExp): Promise<string>;
	exited: Promise<number | null>;
}

function serve(dataDir: string, args: string[] = []): Started {
	const child = spawn(TSX, [MAIN, ...args], {
		cwd: ROOT,
		env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const lines: string[] = [];
	const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
	let buffered = '';
	const onText = (text: string): void => {
		buffered += text;
		const parts = buffered.split('\n');
		buffered = parts.pop() ?? '';
		for (const line of parts) {
			lines.push(line);
			for (const waiter of waiters.filter((w) => w.pattern.test(line))) {
				waiters.splice(waiters.indexOf(waiter), 1);
				waiter.resolve(line);
			}
		}
	};
	child.stdout?.setEncoding('utf8').on('data', onText);
	child.stderr?.setEncoding('utf8').on('data', onText);
	const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
	return {
		child,
		lines,
		exited,
		waitFor(pattern) {
			const seen = lines.find((line) => pattern.test(line));
			if (seen) return Promise.resolve(seen);
			return new Promise((done, fail) => {
				waiters.push({ pattern, resolve: done });
				void exited.then((code) =>
					fail(new Error(`server exited (${code}) before printing ${pattern}: ${lines.join('\n')}`))
				);
			});
		}
	};
}

describe('npm run serve', { timeout: 60_000 }, () => {
	let dataDir: string;
	const running: ChildProcess[] = [];
	beforeEach(() => {
		dataDir = mkdtempSync(join(tmpdir(), 'msp-serve-'));
	});
	afterEach(() => {
		for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
		rmSync(dataDir, { recursive: true, force: true });
	});

	it('prints the URL and the one-time setup link, refuses a second server on the same DATA_DIR, and stops on SIGTERM', async () => {
		const server = serve(dataDir);
		running.push(server.child);
		const line = await server.waitFor(/^MSP portal listening on /);
		const url = /^MSP portal listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)?.[1];
		expect(url).toBeDefined();
		const setup = await server.waitFor(/^Setup link \(one-time\): /);
		expect(setup).toMatch(new RegExp(`^Setup link \\(one-time\\): ${url}/setup\\?token=[A-Za-z0-9_-]{32}$`));
		const health = await fetch(`${url}/api/health`);
		expect(await health.json()).toMatchObject({ status: 'ok', version: expect.any(String) });
		// tsx runs the server in a child process of its own: the lock holds that process's pid.
		const pid = Number(readFileSync(join(dataDir, 'server.pid'), 'utf8').trim());
		expect(pid).toBeGreaterThan(0);

		const second = serve(dataDir);
		running.push(second.child);
		expect(await second.exited).toBe(1);
		expect(second.lines.join('\n')).toContain(`the server is running (pid ${pid}); stop it first`);

		server.child.kill('SIGTERM');
		expect(await server.exited).toBe(0);
		expect(existsSync(join(dataDir, 'server.pid'))).toBe(false);
	});

	it('--demo seeds once and prints the demo sign-in, which works', async () => {
		const server = serve(dataDir, ['--demo']);
		running.push(server.child);
		const url = /(http:\/\/127\.0\.0\.1:\d+)$/.exec(await server.waitFor(/^MSP portal listening on /))?.[1] ?? '';
		const demo = /^Demo sign-in: (\S+) \/ (\S+)$/.exec(await server.waitFor(/^Demo sign-in: /));
		const signIn = await fetch(`${url}/api/session`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email: demo?.[1], password: demo?.[2] })
		});
		expect(signIn.status).toBe(204);
		const cookie = signIn.headers.get('set-cookie')?.split(';')[0] ?? '';
		expect(await (await fetch(`${url}/api/me`, { headers: { cookie } })).json()).toMatchObject({
			tenantId: 'demo',
			role: 'superAdmin',
			owner: true
		});
		expect(server.lines.some((l) => l.startsWith('Setup link'))).toBe(false);
		expect(await (await fetch(`${url}/api/health`, { headers: { cookie } })).json()).toMatchObject({
			store: { kind: 'sqlite', ok: true, documents: 151 }
		});
		server.child.kill('SIGTERM');
		expect(await server.exited).toBe(0);

		const again = serve(dataDir, ['--demo']);
		running.push(again.child);
		const url2 = /(http:\/\/127\.0\.0\.1:\d+)$/.exec(await again.waitFor(/^MSP portal listening on /))?.[1] ?? '';
		// Seeded once: the same documents, and the same password (printed only the first time).
		expect(await again.waitFor(/^Demo sign-in: /)).toContain('printed when the demo was seeded');
		const signInAgain = await fetch(`${url2}/api/session`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email: demo?.[1], password: demo?.[2] })
		});
		expect(signInAgain.status).toBe(204);
		const cookie2 = signInAgain.headers.get('set-cookie')?.split(';')[0] ?? '';
		expect(await (await fetch(`${url2}/api/health`, { headers: { cookie: cookie2 } })).json()).toMatchObject({
			store: { documents: 151 }
		});
		again.child.kill('SIGTERM');
		expect(await again.exited).toBe(0);
	});
});
