// Starts the production build (build/ served by server/src/main.ts) on 127.0.0.1:0 with a fresh DATA_DIR, and stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface RunningServer {
	readonly url: string;
	readonly setupUrl: string | null;
	/** With --demo, when this start seeded it: the sign-in it printed (S54: the password is random). */
	readonly demoSignIn: { email: string; password: string } | null;
	readonly dataDir: string;
	stop(): Promise<void>;
}

const LISTENING = /^MSP portal listening on (http:\/\/\S+)/;
const SETUP = /^Setup link \(one-time\): (\S+)/;
const DEMO = /^Demo sign-in: (\S+)(?: \/ (\S+))?/;

export async function startServer(
	options: { args?: string[]; dataDir?: string; env?: Record<string, string> } = {}
): Promise<RunningServer> {
	const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'msp-e2e-'));
	const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', ...(options.args ?? [])], {
		env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...options.env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let stderr = '';
	child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

	const lines = createInterface({ input: child.stdout! });
	let setupUrl: string | null = null;
	const setupSeen = new Promise<void>((resolve) => {
		lines.on('line', (line) => {
			const setup = SETUP.exec(line);
			if (setup) {
				setupUrl = setup[1]!;
				resolve();
			}
		});
	});
	let demoSignIn: { email: string; password: string } | null = null;
	const demoSeen = new Promise<void>((resolve) => {
		lines.on('line', (line) => {
			const demo = DEMO.exec(line);
			if (demo) {
				demoSignIn = demo[2] ? { email: demo[1]!, password: demo[2] } : null;
				resolve();
			}
		});
	});
	const url = await new Promise<string>((resolve, reject) => {
		lines.on('line', (line) => {
			const listening = LISTENING.exec(line);
			if (listening) resolve(listening[1]!);
		});
		child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${stderr}`)));
	});
	// A server without users prints a one-time setup link; ask the API whether to wait for it.
	const setupState = (await (await fetch(`${url}/api/setup`)).json()) as { needsSetup: boolean };
	if (setupState.needsSetup) await setupSeen;
	if (options.args?.includes('--demo')) await demoSeen;

	return {
		url,
		get setupUrl() {
			return setupUrl;
		},
		demoSignIn,
		dataDir,
		async stop() {
			await stopChild(child);
			if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

function stopChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		child.once('exit', () => resolve());
		child.kill('SIGTERM');
	});
}
