// DATA_DIR/server.pid: one server per data directory, and the CLI's way to know that a server is using it.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'server.pid';
export const DB_FILE = 'portal.db';

export class LockHeldError extends Error {
	readonly pid: number;
	constructor(pid: number) {
		super(`the server is running (pid ${pid}); stop it first`);
		this.name = 'LockHeldError';
		this.pid = pid;
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: the process exists but belongs to someone else.
		return error instanceof Error && 'code' in error && error.code === 'EPERM';
	}
}

/** The pid of a live process holding the lock, or null (no file, garbage, or a stale pid left by a crash). */
export function lockHolder(dataDir: string): number | null {
	let text: string;
	try {
		text = readFileSync(join(dataDir, LOCK_FILE), 'utf8');
	} catch {
		return null;
	}
	const pid = Number(text.trim());
	if (!Number.isInteger(pid) || pid <= 0) return null;
	return isAlive(pid) ? pid : null;
}

/** Takes the lock for this process; throws LockHeldError when a live process holds it. Returns the release. */
export function acquireLock(dataDir: string): () => void {
	const file = join(dataDir, LOCK_FILE);
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
			let released = false;
			return () => {
				if (released) return;
				released = true;
				if (lockHolder(dataDir) === process.pid) rmSync(file, { force: true });
			};
		} catch (error) {
			if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
			const holder = lockHolder(dataDir);
			if (holder !== null && holder !== process.pid) throw new LockHeldError(holder);
			// Stale (the holder died without cleaning up): remove and try once more.
			rmSync(file, { force: true });
		}
	}
	throw new Error(`could not take the lock ${file}`);
}
