// Runs the store contract on SQLite, and checks what only a file can do: migrations, backup and a checked restore.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { backupSqlite, MIGRATIONS, openSqliteStore, restoreSqlite, SCHEMA_VERSION } from './sqlite';
import { runStoreContract } from './doc-store-contract';

const dirs: string[] = [];
function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'msp-store-'));
	dirs.push(dir);
	return dir;
}
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

let currentFile = '';
runStoreContract('sqlite', {
	open: async () => {
		currentFile = join(tempDir(), 'portal.db');
		return openSqliteStore(currentFile);
	},
	reopen: async () => openSqliteStore(currentFile)
});

describe('SQLite file', () => {
	let dir: string;
	beforeEach(() => {
		dir = tempDir();
	});

	it('S40: migration 2 moves each registered customer document under its tenant and keeps its data and users', async () => {
		const file = join(dir, 'portal.db');
		const v1 = new Database(file);
		v1.exec(MIGRATIONS[0]!);
		v1.pragma('user_version = 1');
		v1.prepare("INSERT INTO tenants VALUES ('ta', 'A', '2025-01-01'), ('tb', 'B', '2025-01-01')").run();
		v1.prepare("INSERT INTO users VALUES ('u1', 'ta', 'a@example.test', 'scrypt$x', 'owner', '2025-01-01')").run();
		v1.prepare("INSERT INTO doc_registry VALUES ('customer:c1', 'ta'), ('customer:c2', 'tb')").run();
		const insert = v1.prepare('INSERT INTO doc_updates (doc, seq, data) VALUES (?, ?, ?)');
		insert.run('tenant:ta', 1, Buffer.from([1]));
		insert.run('customer:c1', 1, Buffer.from([2]));
		insert.run('customer:c1', 2, Buffer.from([3]));
		v1.prepare('INSERT INTO doc_snapshots (doc, data, through_seq) VALUES (?, ?, ?)').run(
			'customer:c2',
			Buffer.from([4]),
			5
		);
		v1.close();

		const store = openSqliteStore(file);
		expect(await store.listDocs()).toEqual(['ta/customer:c1', 'tb/customer:c2', 'tenant:ta']);
		expect((await store.load('ta/customer:c1')).updates.map((u) => [...u])).toEqual([[2], [3]]);
		expect(await store.load('tb/customer:c2')).toMatchObject({ snapshot: new Uint8Array([4]), lastSeq: 5 });
		expect(await store.getUser('u1')).toMatchObject({ email: 'a@example.test', disabledAt: null });
		await store.close();
	});

	it('P16: migration 3 turns owner/admin/readOnly into Super Admin (the owner) / Admin / Read-only, granted the tenant', async () => {
		const file = join(dir, 'portal.db');
		const v1 = new Database(file);
		v1.exec(MIGRATIONS[0]!);
		v1.pragma('user_version = 1');
		v1.prepare("INSERT INTO tenants VALUES ('ta', 'A', '2025-01-01')").run();
		const insert = v1.prepare('INSERT INTO users VALUES (?, ?, ?, ?, ?, ?)');
		insert.run('first', 'ta', 'first@example.test', 'scrypt$x', 'owner', '2025-01-01');
		insert.run('second', 'ta', 'second@example.test', 'scrypt$x', 'owner', '2025-01-02');
		insert.run('adm', 'ta', 'adm@example.test', 'scrypt$x', 'admin', '2025-01-03');
		insert.run('ro', 'ta', 'ro@example.test', 'scrypt$x', 'readOnly', '2025-01-04');
		v1.close();

		const store = openSqliteStore(file);
		const users = await store.listUsers('ta');
		expect(users.map((u) => [u.id, u.role, u.grants])).toEqual([
			['adm', 'admin', [{ scope: 'tenant' }]],
			['first', 'superAdmin', [{ scope: 'tenant' }]],
			['ro', 'readOnly', [{ scope: 'tenant' }]],
			['second', 'superAdmin', [{ scope: 'tenant' }]]
		]);
		// Exactly one owner: the first one created.
		expect((await store.getTenant('ta'))?.ownerId).toBe('first');
		await store.close();
	});

	it('L12, L16: migration 7 adds the license connectors, usage and events to a version 6 database and keeps its data', async () => {
		const file = join(dir, 'portal.db');
		const v6 = new Database(file);
		for (const [i, sql] of MIGRATIONS.slice(0, 6).entries()) {
			v6.exec(sql);
			v6.pragma(`user_version = ${i + 1}`);
		}
		v6.prepare("INSERT INTO tenants (id, name, created_at) VALUES ('ta', 'A', '2025-01-01')").run();
		v6.prepare('INSERT INTO doc_updates (doc, seq, data) VALUES (?, ?, ?)').run('tenant:ta', 1, Buffer.from([1]));
		v6.close();

		const store = openSqliteStore(file);
		expect((await store.getTenant('ta'))?.name).toBe('A');
		expect((await store.load('tenant:ta')).lastSeq).toBe(1);
		expect(await store.listLicenseConnectors('ta')).toEqual([]);
		await store.appendLicenseHistory('ta', 'acc', {
			day: '2025-01-01',
			usage: [{ publicId: 'P', unitsActivated: 1, unitsOrdered: 2 }],
			events: []
		});
		expect((await store.licenseHistory('ta', 'acc', 'P')).usage).toHaveLength(1);
		await store.close();
	});

	it('P9, S119: migration 9 gives users a language (none chosen for those before it); one this version does not know reads as none', async () => {
		const file = join(dir, 'portal.db');
		const localeMigration = MIGRATIONS.findIndex((sql) => sql.includes('ADD COLUMN locale'));
		expect(localeMigration).toBe(8);
		const v8 = new Database(file);
		for (const [i, sql] of MIGRATIONS.slice(0, localeMigration).entries()) {
			v8.exec(sql);
			v8.pragma(`user_version = ${i + 1}`);
		}
		v8.prepare("INSERT INTO tenants (id, name, created_at) VALUES ('ta', 'A', '2025-01-01')").run();
		v8.prepare(
			"INSERT INTO users (id, tenant_id, email, password_hash, role, grants, created_at) VALUES ('u1', 'ta', 'a@example.com', 'h', 'superAdmin', '[]', '2025-01-01')"
		).run();
		v8.close();

		const store = openSqliteStore(file);
		expect(await store.getUser('u1')).toMatchObject({ email: 'a@example.com' });
		expect((await store.getUser('u1'))?.locale).toBeUndefined();
		await store.setUserLocale('u1', 'es');
		expect((await store.getUser('u1'))?.locale).toBe('es');
		await store.close();
		const raw = new Database(file);
		raw.prepare("UPDATE users SET locale = 'tlh' WHERE id = 'u1'").run();
		raw.close();
		const reopened = openSqliteStore(file);
		expect((await reopened.getUser('u1'))?.locale).toBeUndefined();
		await reopened.close();
	});

	it('P14: migration 10 adds notification templates and the invitation language to an older database and keeps its invitations', async () => {
		const file = join(dir, 'portal.db');
		const before = new Database(file);
		// Found by its content: the migrations of parallel work are numbered when they are merged.
		const index = MIGRATIONS.findIndex((sql) => sql.includes('CREATE TABLE notification_templates'));
		expect(index).toBeGreaterThan(7);
		for (const [i, sql] of MIGRATIONS.slice(0, index).entries()) {
			before.exec(sql);
			before.pragma(`user_version = ${i + 1}`);
		}
		before.prepare("INSERT INTO tenants (id, name, created_at) VALUES ('ta', 'A', '2025-01-01')").run();
		before
			.prepare(
				`INSERT INTO invitations (id, tenant_id, email, role, grants, token_hash, invited_by, created_at, expires_at)
				VALUES ('inv', 'ta', 'new@a.example', 'helpDesk', '[{"scope":"tenant"}]', 'hash', NULL, '2025-01-01', '2025-01-08')`
			)
			.run();
		before.close();

		const store = openSqliteStore(file);
		const invitation = await store.getInvitation('inv');
		expect(invitation?.email).toBe('new@a.example');
		expect(invitation?.locale).toBeUndefined();
		expect(await store.listNotificationTemplates('ta')).toEqual([]);
		expect(await store.listTemplateDefaults('ta')).toEqual([]);
		await store.close();
	});

	it('runs in WAL mode with synchronous=FULL and the current schema version', async () => {
		const file = join(dir, 'portal.db');
		const store = openSqliteStore(file);
		await store.close();
		const db = new Database(file, { readonly: true });
		expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
		expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
		db.close();
	});

	it('the database, its WAL, a backup and a restored file are readable by their owner only', async () => {
		const mode = (path: string): number => statSync(path).mode & 0o777;
		const live = join(dir, 'portal.db');
		const store = openSqliteStore(live);
		await store.append('tenant:a', new Uint8Array([1]));
		expect(mode(live)).toBe(0o600);
		expect(mode(`${live}-wal`)).toBe(0o600);
		const backup = join(dir, 'backup.db');
		await backupSqlite(live, backup);
		expect(mode(backup)).toBe(0o600);
		await store.close();
		// An old backup made world-readable does not make the live file so.
		chmodSync(backup, 0o644);
		restoreSqlite(backup, live);
		expect(mode(live)).toBe(0o600);
	});

	it('a backup is never written over an existing file, and a failed one leaves nothing behind', async () => {
		const live = join(dir, 'portal.db');
		const store = openSqliteStore(live);
		await store.close();
		const taken = join(dir, 'taken.db');
		writeFileSync(taken, 'keep me');
		await expect(backupSqlite(live, taken)).rejects.toThrow(/EEXIST/);
		expect(statSync(taken).size).toBe(7);
		const text = join(dir, 'notes.txt');
		writeFileSync(text, 'not a database');
		const dest = join(dir, 'from-garbage.db');
		await expect(backupSqlite(text, dest)).rejects.toThrow();
		expect(existsSync(dest)).toBe(false);
	});

	it('refuses a database written by a newer server', () => {
		const file = join(dir, 'future.db');
		const db = new Database(file);
		db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
		db.close();
		expect(() => openSqliteStore(file)).toThrow(/newer than this server/);
	});

	it('backup while open, then restore replaces the live file', async () => {
		const live = join(dir, 'portal.db');
		const store = openSqliteStore(live);
		await store.append('tenant:a', new Uint8Array([1]));
		const backup = join(dir, 'backup.db');
		await backupSqlite(live, backup);
		await store.append('tenant:a', new Uint8Array([2]));
		await store.close();

		restoreSqlite(backup, live);
		expect(existsSync(`${live}-wal`)).toBe(false);
		const restored = openSqliteStore(live);
		expect((await restored.load('tenant:a')).updates.map((u) => [...u])).toEqual([[1]]);
		await restored.close();
	});

	it('restore refuses a file that is not one of our databases and leaves the live file alone', async () => {
		const live = join(dir, 'portal.db');
		const store = openSqliteStore(live);
		await store.append('tenant:a', new Uint8Array([7]));
		await store.close();

		const text = join(dir, 'notes.txt');
		writeFileSync(text, 'hello, not a database');
		expect(() => restoreSqlite(text, live)).toThrow(/not an SQLite database/);

		const foreign = join(dir, 'foreign.db');
		const db = new Database(foreign);
		db.exec('CREATE TABLE things (id INTEGER)');
		db.close();
		expect(() => restoreSqlite(foreign, live)).toThrow(/not an MSP portal database/);
		expect(() => restoreSqlite(join(dir, 'missing.db'), live)).toThrow(/no file/);

		const again = openSqliteStore(live);
		expect((await again.load('tenant:a')).updates.map((u) => [...u])).toEqual([[7]]);
		await again.close();
	});
});
