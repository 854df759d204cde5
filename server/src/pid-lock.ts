// One server per data directory, and the CLI's way to know that a server is using it: an exclusive SQLite lock on
// DATA_DIR/portal.lock, which the operating system drops when the process dies, however it dies.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** The lock itself: an empty SQLite database held in an exclusive transaction for the life of the process. */
export const LOCK_DB_FILE = 'portal.lock';
/** For people and messages only (which process holds the lock); it decides nothing. */
export const PID_FILE = 'server.pid';
export const DB_FILE = 'portal.db';

export class LockHeldError extends Error {
	readonly pid: number | null;
	constructor(pid: number | null) {
		super(`the server is running${pid === null ? '' : ` (pid ${pid})`}; stop it first`);
		this.name = 'LockHeldError';
		this.pid = pid;
	}
}

function recordedPid(dataDir: string): number | null {
	try {
		const pid = Number(readFileSync(join(dataDir, PID_FILE), 'utf8').trim());
		return Number.isInteger(pid) && pid > 0 ? pid : null;
	} catch {
		return null;
	}
}

function isBusy(error: unknown): boolean {
	return error instanceof Error && 'code' in error && (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED');
}

/**
 * Takes the lock for this process; throws LockHeldError at once when another process (or connection) holds it.
 * Returns the release.
 *
 * S59: SQLite's locks are POSIX advisory locks on the file, which the kernel releases when the holder's descriptors
 * close: at exit, on SIGKILL, before the process is even reaped. A pid file cannot do that: a zombie still answers
 * kill(pid, 0), and after a crash in a container the same pid is soon someone else's, which kept the lock forever.
 */
export function acquireLock(dataDir: string): () => void {
	const db = new Database(join(dataDir, LOCK_DB_FILE), { timeout: 0 });
	try {
		db.pragma('busy_timeout = 0');
		// Exclusive locking mode: the lock taken by BEGIN EXCLUSIVE is kept, readers included, until the connection closes.
		db.pragma('locking_mode = EXCLUSIVE');
		db.exec('BEGIN EXCLUSIVE');
	} catch (error) {
		db.close();
		if (isBusy(error)) throw new LockHeldError(recordedPid(dataDir));
		throw error;
	}
	writeFileSync(join(dataDir, PID_FILE), `${process.pid}\n`, { mode: 0o600 });
	let released = false;
	return () => {
		if (released) return;
		released = true;
		if (recordedPid(dataDir) === process.pid) rmSync(join(dataDir, PID_FILE), { force: true });
		db.exec('ROLLBACK');
		db.close();
	};
}
