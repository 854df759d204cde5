// The operators' CLI as a separate process on a temp DATA_DIR: tenants, users, export, backup/restore, and the server lock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { verifyPassword } from '../../server/src/auth/passwords';
import { openSqliteStore } from '../../server/src/store/sqlite';
import { holdLock } from '../helpers/lock-holder';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = join(ROOT, 'server', 'src', 'cli.ts');

interface Result {
	code: number;
	stdout: string;
	stderr: string;
}

function cli(dataDir: string, ...args: string[]): Promise<Result> {
	return cliWithInput(dataDir, '', ...args);
}

function cliWithInput(dataDir: string, input: string, ...args: string[]): Promise<Result> {
	return new Promise((done) => {
		const child = execFile(
			TSX,
			[CLI, ...args],
			{ cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir } },
			(error, stdout, stderr) => {
				const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
				done({ code, stdout, stderr });
			}
		);
		child.stdin?.end(input);
	});
}

describe('CLI', { timeout: 60_000 }, () => {
	let dataDir: string;
	const children: ChildProcess[] = [];
	beforeEach(() => {
		dataDir = mkdtempSync(join(tmpdir(), 'msp-cli-'));
	});
	afterEach(() => {
		for (const child of children.splice(0)) child.kill('SIGKILL');
		rmSync(dataDir, { recursive: true, force: true });
	});

	it('creates and lists tenants, and exports the tenant document with its name', async () => {
		const created = await cli(dataDir, 'tenant', 'create', 'Acme IT Services');
		expect(created.code).toBe(0);
		const tenantId = created.stdout.trim();
		expect(tenantId).toMatch(/^[0-9a-f-]{36}$/);
		const list = await cli(dataDir, 'tenant', 'list');
		expect(list.stdout).toContain(`${tenantId}\tAcme IT Services\t`);
		const exported = await cli(dataDir, 'doc', 'export', `tenant:${tenantId}`);
		expect(exported.code).toBe(0);
		expect(JSON.parse(exported.stdout)).toMatchObject({
			docName: `tenant:${tenantId}`,
			meta: { tenantName: 'Acme IT Services' },
			nodes: {}
		});
	});

	it('creates users with validated arguments', async () => {
		const tenantId = (await cli(dataDir, 'tenant', 'create', 'Acme')).stdout.trim();
		const ok = await cli(
			dataDir,
			'user',
			'create',
			'--tenant',
			tenantId,
			'--email',
			'Tech@Acme.example',
			'--password',
			'a long password',
			'--role',
			'readOnly'
		);
		expect(ok.code).toBe(0);
		expect(ok.stdout.trim()).toMatch(/^[0-9a-f-]{36}$/);

		const taken = await cli(
			dataDir,
			'user',
			'create',
			'--tenant',
			tenantId,
			'--email',
			'tech@acme.example',
			'--password',
			'a long password',
			'--role',
			'admin'
		);
		expect(taken.code).toBe(1);
		expect(taken.stderr).toContain('already exists');
		const badRole = await cli(
			dataDir,
			'user',
			'create',
			'--tenant',
			tenantId,
			'--email',
			'x@acme.example',
			'--password',
			'a long password',
			'--role',
			'boss'
		);
		expect([badRole.code, badRole.stderr.includes('--role')]).toEqual([1, true]);
		const shortPassword = await cli(
			dataDir,
			'user',
			'create',
			'--tenant',
			tenantId,
			'--email',
			'x@acme.example',
			'--password',
			'short',
			'--role',
			'admin'
		);
		expect(shortPassword.stderr).toContain('at least 10 characters');
		const noTenant = await cli(
			dataDir,
			'user',
			'create',
			'--tenant',
			'nope',
			'--email',
			'x@acme.example',
			'--password',
			'a long password',
			'--role',
			'admin'
		);
		expect([noTenant.code, noTenant.stderr.includes('no tenant nope')]).toEqual([1, true]);
		expect((await cli(dataDir, 'user', 'create', '--tenant', tenantId)).code).toBe(2);
		expect((await cli(dataDir, 'user', 'create', '--bogus', 'x')).code).toBe(2);
	});

	it('--password-stdin keeps the password off the command line; a new DATA_DIR is owner-only', async () => {
		const nested = join(dataDir, 'fresh', 'data');
		const tenantId = (await cli(nested, 'tenant', 'create', 'Acme')).stdout.trim();
		expect(statSync(nested).mode & 0o777).toBe(0o700);
		const args = ['user', 'create', '--tenant', tenantId, '--email', 'pipe@acme.example', '--role', 'admin'];
		const created = await cliWithInput(nested, 'a piped password 1\n', ...args, '--password-stdin');
		expect([created.code, created.stderr]).toEqual([0, '']);
		const store = openSqliteStore(join(nested, 'portal.db'));
		const user = await store.getUserByEmail('pipe@acme.example');
		await store.close();
		expect(user && (await verifyPassword('a piped password 1', user.passwordHash))).toBe(true);

		const both = await cliWithInput(nested, 'x', ...args, '--password', 'a long password', '--password-stdin');
		expect(both.code).toBe(2);
		const short = await cliWithInput(nested, 'short\n', ...args, '--password-stdin');
		expect([short.code, short.stderr.includes('at least 10 characters')]).toEqual([1, true]);
	});

	it('usage errors exit 2, bad document names and unknown documents exit 1', async () => {
		expect((await cli(dataDir)).code).toBe(2);
		expect((await cli(dataDir, 'frobnicate')).code).toBe(2);
		const badName = await cli(dataDir, 'doc', 'export', 'user:1');
		expect([badName.code, badName.stderr.includes('tenant:<id> or customer:<id>')]).toEqual([1, true]);
		const unknown = await cli(dataDir, 'doc', 'export', 'tenant:nobody');
		expect([unknown.code, unknown.stderr.includes('no document tenant:nobody')]).toEqual([1, true]);
	});

	it('backup and restore round-trip; a file that is not our database is refused', async () => {
		const first = (await cli(dataDir, 'tenant', 'create', 'Before Backup')).stdout.trim();
		const backup = join(dataDir, 'backup.db');
		expect((await cli(dataDir, 'backup', backup)).code).toBe(0);
		expect((await cli(dataDir, 'backup', backup)).stderr).toContain('exists');
		await cli(dataDir, 'tenant', 'create', 'After Backup');
		expect((await cli(dataDir, 'tenant', 'list')).stdout).toContain('After Backup');

		const junk = join(dataDir, 'junk.db');
		writeFileSync(junk, 'not a database at all');
		const refused = await cli(dataDir, 'restore', junk);
		expect([refused.code, refused.stderr.includes('nothing changed')]).toEqual([1, true]);
		expect((await cli(dataDir, 'tenant', 'list')).stdout).toContain('After Backup');

		expect((await cli(dataDir, 'restore', backup)).code).toBe(0);
		const list = (await cli(dataDir, 'tenant', 'list')).stdout;
		expect(list).toContain(first);
		expect(list).not.toContain('After Backup');
	});

	it('refuses to work while a live server holds the lock, except backup; a killed holder leaves no lock (S59)', async () => {
		await cli(dataDir, 'tenant', 'create', 'Acme');
		const holder = await holdLock(dataDir);
		children.push(holder);

		for (const args of [
			['tenant', 'create', 'Other'],
			['tenant', 'list'],
			['restore', join(dataDir, 'x.db')]
		]) {
			const refused = await cli(dataDir, ...args);
			expect(refused.code).toBe(1);
			expect(refused.stderr).toContain(`the server is running (pid ${holder.pid}); stop it first`);
		}
		expect((await cli(dataDir, 'backup', join(dataDir, 'online.db'))).code).toBe(0);

		holder.kill('SIGKILL');
		await new Promise<void>((gone) =>
			holder.exitCode !== null || holder.signalCode !== null ? gone() : holder.once('exit', () => gone())
		);
		expect((await cli(dataDir, 'tenant', 'list')).code).toBe(0);
	});
});
