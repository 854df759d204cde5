// Starts tests/helpers/hold-lock.ts as a real process (node with tsx's loader, so SIGKILL reaches the holder itself).
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** Resolves once the child holds the lock. */
export function holdLock(dataDir: string): Promise<ChildProcess> {
	const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'tests', 'helpers', 'hold-lock.ts'), dataDir], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	return new Promise((done, fail) => {
		let err = '';
		child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
		child.stdout?.on('data', (chunk: Buffer) => {
			if (chunk.toString().includes('locked')) done(child);
		});
		child.once('exit', (code) => fail(new Error(`the lock holder exited (${code}): ${err}`)));
	});
}

/**
 * Blocks until the process is a zombie (dead, not yet reaped). It runs without yielding, so Node cannot reap the child
 * meanwhile: the state a SIGKILLed server is in when its parent (a supervisor, a shell) has not waited for it yet.
 * Node has threads: the main one shows Z while the others may still be exiting (and holding the shared descriptors), so
 * this also waits until only the main thread is left. Linux only (/proc); bounded to 10 s.
 */
export function waitUntilZombie(pid: number): void {
	const deadline = Date.now() + 10_000;
	for (;;) {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// Field 3, after the command name in parentheses (which may hold spaces).
		const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
		if (state === 'Z' && readdirSync(`/proc/${pid}/task`).length === 1) return;
		if (Date.now() > deadline) throw new Error(`process ${pid} is still in state ${state}`);
	}
}
