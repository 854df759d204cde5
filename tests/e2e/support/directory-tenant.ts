// The `directoryTenant` fixture: a fresh data directory seeded for the customer directory (seed-directory.ts, run as a
// child process like the CLI), and the production server started on it; both removed after.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from './fixtures';
import { startServer, type RunningServer } from './server';
import type { DirectorySeed } from './seed-directory';

export { PASSWORD as SEED_PASSWORD } from './fixtures';

function seed(dataDir: string): Promise<DirectorySeed> {
	return new Promise((resolve, reject) => {
		execFile(
			process.execPath,
			['--import', 'tsx', 'tests/e2e/support/seed-directory.ts', dataDir],
			{ env: { ...process.env, LOG_LEVEL: 'warn' } },
			(error, stdout, stderr) => {
				if (error) reject(new Error(`seeding failed: ${stderr}`));
				else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as DirectorySeed);
			}
		);
	});
}

export const test = base.extend<{ directoryTenant: { server: RunningServer; seed: DirectorySeed } }>({
	// eslint-disable-next-line no-empty-pattern -- Playwright needs the destructuring even when no fixture is used
	directoryTenant: async ({}, use) => {
		const dataDir = mkdtempSync(join(tmpdir(), 'msp-e2e-directory-'));
		try {
			const seeded = await seed(dataDir);
			const server = await startServer({ dataDir });
			try {
				await use({ server, seed: seeded });
			} finally {
				await server.stop();
			}
		} finally {
			rmSync(dataDir, { recursive: true, force: true });
		}
	}
});
