// The operators' CLI for License management, as a separate process on a temp DATA_DIR: import a file, refuse a bad one
// (changing nothing), export the tenant's licenses as JSON and CSV.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../server/src/pid-lock';
import { openSqliteStore } from '../../server/src/store/sqlite';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = join(ROOT, 'server', 'src', 'cli.ts');
const FIXTURES = join(ROOT, 'tests', 'fixtures', 'licenses');

function cli(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
	return new Promise((done) => {
		execFile(
			TSX,
			[CLI, ...args],
			{ cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir } },
			(error, stdout, stderr) => {
				done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
			}
		);
	});
}

describe('CLI licenses', { timeout: 60_000 }, () => {
	let dataDir: string;
	beforeEach(() => {
		dataDir = mkdtempSync(join(tmpdir(), 'msp-cli-licenses-'));
	});
	afterEach(() => {
		rmSync(dataDir, { recursive: true, force: true });
	});

	it('L1, L13, L14: imports an export file into a tenant, refuses a broken one with its problems, and exports the licenses', async () => {
		const tenantId = (await cli(dataDir, 'tenant', 'create', 'Northwind IT Services')).stdout.trim();

		const broken = await cli(dataDir, 'licenses', 'import', join(FIXTURES, 'broken.json'), '--tenant', tenantId);
		expect(broken.code).toBe(1);
		expect(broken.stderr).toContain('broken.json was not imported (invalid_import)');
		expect(broken.stderr).toContain('broken.json: licenses[2].companyId: no company "co-999" in this account');

		const imported = await cli(dataDir, 'licenses', 'import', join(FIXTURES, 'msp-account.csv'), '--tenant', tenantId);
		expect(imported).toMatchObject({
			code: 0,
			stdout: 'imported acc-7710: 5 added, 0 changed, 0 removed, 5 companies added\n'
		});

		const json = await cli(dataDir, 'licenses', 'export', '--tenant', tenantId);
		expect(json.code).toBe(0);
		const data = JSON.parse(json.stdout) as {
			accounts: Array<{ id: string }>;
			licenses: Array<{ publicId: string; state: string }>;
		};
		expect(data.accounts.map((a) => a.id)).toEqual(['acc-7710']);
		expect(data.licenses.find((l) => l.publicId === '5EF-RT7-14R')?.state).toBe('suspended');
		const csv = await cli(dataDir, 'licenses', 'export', '--tenant', tenantId, '--format', 'csv');
		const lines = csv.stdout
			.replace(/^\uFEFF/, '')
			.trimEnd()
			.split('\r\n');
		expect(lines[0]).toMatch(/^public_id,type,product,/);
		expect(lines).toHaveLength(6);

		// The store holds what the CLI did: one import recorded for the file account, audited without a person.
		const store = openSqliteStore(join(dataDir, DB_FILE));
		try {
			expect((await store.listLicenseConnectors(tenantId)).map((c) => [c.accountId, c.kind])).toEqual([
				['acc-7710', 'file']
			]);
			expect((await store.listAudit({ tenantId, action: 'licensesImported' })).map((e) => e.userId)).toEqual([null]);
			expect(await store.listAudit({ tenantId, action: 'licenseImportRefused' })).toHaveLength(1);
		} finally {
			await store.close();
		}

		expect((await cli(dataDir, 'licenses', 'import', '--tenant', tenantId)).code).toBe(2);
	});
});
