// The data directory's lock (docs/sync.md S59): one server per DATA_DIR, and a dead server never keeps the CLI or a
// restart out, whatever its pid became (a zombie, or a pid reused by another process in a container).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireLock, LockHeldError } from '../../server/src/pid-lock';
import { holdLock, waitUntilZombie } from '../helpers/lock-holder';

describe('data directory lock', { timeout: 30_000 }, () => {
	let dataDir: string;
	const children: ChildProcess[] = [];
	beforeEach(() => {
		dataDir = mkdtempSync(join(tmpdir(), 'msp-lock-'));
	});
	afterEach(() => {
		for (const child of children.splice(0))
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		rmSync(dataDir, { recursive: true, force: true });
	});

	it('S59: a live holder refuses a second acquire; once it is SIGKILLed (a zombie, not reaped) the lock is free at once', async () => {
		const holder = await holdLock(dataDir);
		children.push(holder);
		expect(() => acquireLock(dataDir)).toThrow(LockHeldError);
		expect(() => acquireLock(dataDir)).toThrow(/the server is running/);

		holder.kill('SIGKILL');
		waitUntilZombie(holder.pid ?? 0);
		const release = acquireLock(dataDir);
		release();
	});

	it('S59: a pid file naming a live unrelated process (a reused pid) does not hold the lock', () => {
		// Our parent is alive and is not a server: what a reused pid looks like after a crash in a container.
		writeFileSync(join(dataDir, 'server.pid'), `${process.ppid}\n`);
		const release = acquireLock(dataDir);
		release();
	});

	it('S59: the lock is released on release, and taken again by the next acquire', () => {
		const first = acquireLock(dataDir);
		first();
		const second = acquireLock(dataDir);
		second();
	});
});
