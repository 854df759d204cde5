// Runs the operators' CLI (server/src/cli.ts) against a test's DATA_DIR, to seed tenants and users before a server starts.
import { execFile } from 'node:child_process';

/** Runs `npm run cli -- <args>` the way the README does, without npm; resolves with stdout's last line. */
export function runCli(dataDir: string, args: readonly string[]): Promise<string> {
	return new Promise((resolve, reject) => {
		execFile(
			process.execPath,
			['--import', 'tsx', 'server/src/cli.ts', ...args],
			{ env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' } },
			(error, stdout, stderr) => {
				if (error) {
					reject(new Error(`cli ${args.slice(0, 2).join(' ')} failed (${error.code ?? 'signal'}): ${stderr}`));
					return;
				}
				const lines = stdout.trim().split('\n');
				resolve(lines[lines.length - 1] ?? '');
			}
		);
	});
}
