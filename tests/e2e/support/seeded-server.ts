// A fresh data directory seeded by a script (a child process, like the CLI: it prints its facts as JSON on its last
// line), the production server started on it, both removed after. The fixture several specs build their tenant with.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from './server';

export interface Seeded<T> {
	readonly server: RunningServer;
	readonly seed: T;
}

function runSeed<T>(script: string, dataDir: string): Promise<T> {
	return new Promise((resolve, reject) => {
		execFile(
			process.execPath,
			['--import', 'tsx', script, dataDir],
			{ env: { ...process.env, LOG_LEVEL: 'warn' } },
			(error, stdout, stderr) => {
				if (error) reject(new Error(`seeding failed: ${stderr}`));
				else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as T);
			}
		);
	});
}

/** Seeds with `script`, starts the server (with `env`), hands both to `use`, then stops the server and removes the data. */
export async function withSeededServer<T>(
	script: string,
	use: (seeded: Seeded<T>) => Promise<void>,
	env: Record<string, string> = {}
): Promise<void> {
	const dataDir = mkdtempSync(join(tmpdir(), 'msp-e2e-seeded-'));
	try {
		const seed = await runSeed<T>(script, dataDir);
		const server = await startServer({ dataDir, env });
		try {
			await use({ server, seed });
		} finally {
			await server.stop();
		}
	} finally {
		rmSync(dataDir, { recursive: true, force: true });
	}
}
