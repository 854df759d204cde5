import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupCommit } from './group-commit';

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A WAL database with a table, and a second connection that sees each commit of the first as a new data_version. */
function databases() {
	const dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
	dirs.push(dir);
	const file = join(dir, 'db.sqlite');
	const db = new Database(file);
	db.pragma('journal_mode = WAL');
	db.exec('CREATE TABLE t (n INTEGER NOT NULL CHECK (n >= 0))');
	const observer = new Database(file, { readonly: true });
	const commits = () => Number(observer.pragma('data_version', { simple: true }));
	const close = () => {
		observer.close();
		db.close();
	};
	return { db, commits, close };
}

describe('group commit (S5 under load)', () => {
	it('writes asked for in one turn share one commit, and each caller gets its own answer', async () => {
		const { db, commits, close } = databases();
		const group = groupCommit(db);
		const insert = db.prepare('INSERT INTO t (n) VALUES (?)');
		const before = commits();
		const answers = await Promise.all(
			Array.from({ length: 20 }, (_, n) => group.add(() => Number(insert.run(n).lastInsertRowid)))
		);
		expect(answers).toEqual(Array.from({ length: 20 }, (_, n) => n + 1));
		expect(commits() - before).toBe(1);
		expect(db.prepare('SELECT count(*) AS c FROM t').get()).toEqual({ c: 20 });
		close();
	});

	it('a failing write is undone and rejected alone; the others commit', async () => {
		const { db, close } = databases();
		const group = groupCommit(db);
		const insert = db.prepare('INSERT INTO t (n) VALUES (?)');
		const results = await Promise.allSettled([
			group.add(() => insert.run(1)),
			group.add(() => {
				insert.run(2);
				insert.run(-1); // violates the CHECK: this write's first row goes too
			}),
			group.add(() => insert.run(3))
		]);
		expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
		expect(db.prepare('SELECT n FROM t ORDER BY n').all()).toEqual([{ n: 1 }, { n: 3 }]);
		close();
	});

	it('flush commits what is queued at once (before the database closes)', async () => {
		const { db, close } = databases();
		const group = groupCommit(db);
		const done = group.add(() => db.prepare('INSERT INTO t (n) VALUES (7)').run());
		group.flush();
		expect(db.prepare('SELECT n FROM t').all()).toEqual([{ n: 7 }]);
		await done;
		close();
	});
});
