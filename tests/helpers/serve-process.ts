// server/src/main.ts as a real process (node with tsx's loader) on a temp DATA_DIR and port 0: its console lines, its exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface ServerProcess {
	readonly child: ChildProcess;
	/** stdout and stderr, line by line, in arrival order. */
	readonly lines: string[];
	/** Resolves with the first line that matches; rejects when the process exits first. */
	waitFor(pattern: RegExp): Promise<string>;
	readonly exited: Promise<number | null>;
	stop(): Promise<void>;
}

export function startMain(env: Record<string, string>, args: string[] = []): ServerProcess {
	const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server', 'src', 'main.ts'), ...args], {
		cwd: ROOT,
		env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const lines: string[] = [];
	const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
	const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
	const reader = (): ((text: string) => void) => {
		let buffered = '';
		return (text) => {
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
	};
	child.stdout?.setEncoding('utf8').on('data', reader());
	child.stderr?.setEncoding('utf8').on('data', reader());
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
					fail(new Error(`exited (${code}) before printing ${pattern}:\n${lines.join('\n')}`))
				);
			});
		},
		async stop() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			child.kill('SIGTERM');
			await exited;
		}
	};
}
