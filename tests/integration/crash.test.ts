// S5 across a real crash: the server process is SIGKILLed mid-stream of writes; after a restart every acknowledged update is there.
// S150, S151: the same at seeded random points, several clients on several documents, several kills (tests/stress/crash.ts;
// `npm run stress -- crash` runs 20 kills x 1,000 writes).
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as Y from 'yjs';
import type { Replica } from '../../src/lib/data/sync/types';
import type { LicenseRecord } from '../../src/lib/schema/licenses';
import { openTestReplica, rawClient, settled } from '../helpers/sync-clients';
import { isAck, isSyncStep1, readAck, syncStep1Frame, updateFrame } from '../helpers/sync-frames';
import { runCrash } from '../stress/crash';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const run = promisify(execFile);
const EMAIL = 'crash-owner@example.test';
const PASSWORD = 'correct horse battery';
const TOTAL = 400;
const KILL_AFTER_ACKED = 120;
const IN_FLIGHT = 25;

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
	for (const cleanup of cleanups.reverse()) await cleanup();
});

async function cli(dataDir: string, ...args: string[]): Promise<string> {
	const { stdout } = await run(TSX, ['server/src/cli.ts', ...args], { env: { ...process.env, DATA_DIR: dataDir } });
	return stdout.trim();
}

/** Starts server/src/main.ts on port 0 and resolves with its URL from the `MSP portal listening on` line. */
function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
	// node with tsx's loader, not the tsx CLI: the CLI runs the server in a child process that SIGKILL of the CLI would not reach.
	const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
		env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	cleanups.push(async () => {
		if (child.exitCode === null && child.signalCode === null) {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGKILL');
			await exited;
		}
	});
	return new Promise((resolve, reject) => {
		let out = '';
		let err = '';
		child.stdout?.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			const match = /MSP portal listening on (http:\/\/\S+)/.exec(out);
			if (match?.[1]) resolve({ child, url: match[1] });
		});
		child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
		child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${err}`)));
	});
}

async function signIn(url: string): Promise<string> {
	const res = await fetch(`${url}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email: EMAIL, password: PASSWORD })
	});
	expect(res.status).toBeLessThan(300);
	const setCookie = res.headers.get('set-cookie');
	expect(setCookie).toBeTruthy();
	return setCookie!.split(';')[0]!;
}

describe('crash', () => {
	it(
		'S5: after SIGKILL in the middle of writes and a restart, every acknowledged update is still there',
		{ timeout: 120_000 },
		async () => {
			const dataDir = await mkdtemp(join(tmpdir(), 'msp-crash-'));
			cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
			const tenantId = await cli(dataDir, 'tenant', 'create', 'Crash Test MSP');
			await cli(
				dataDir,
				'user',
				'create',
				'--tenant',
				tenantId,
				'--email',
				EMAIL,
				'--password',
				PASSWORD,
				'--role',
				'owner'
			);
			const docName = `tenant:${tenantId}` as const;

			const first = await startServer(dataDir);
			const cookie = await signIn(first.url);
			const syncUrl = `${first.url.replace(/^http/, 'ws')}/sync`;
			const writer = rawClient(`${syncUrl}/${docName}`, { cookie });
			await writer.nextFrame(isSyncStep1);
			const local = new Y.Doc();
			writer.send(syncStep1Frame(local));

			// Update i sets key u<i>; its clock after is i + 1 (one map entry each), so an ack's state vector names the acked prefix.
			// The entries are valid license records: the relay undoes what its validators refuse (S21).
			let sent = 0;
			let acked = 0;
			const writes = local.getMap<LicenseRecord>('licenses');
			const sendMore = (): void => {
				while (sent < TOTAL && sent - acked < IN_FLIGHT && writer.socket.readyState === writer.socket.OPEN) {
					const before = Y.encodeStateVector(local);
					writes.set(`u${sent}`, [
						1,
						`P-${sent}`,
						'pool-1',
						'Endpoint',
						'business',
						1,
						0,
						'2030-01-01',
						false,
						'owner-1',
						''
					]);
					writer.send(updateFrame(Y.encodeStateAsUpdate(local, before)));
					sent += 1;
				}
			};
			const killed = new Promise<void>((resolve) => {
				writer.socket.on('message', (data: Buffer) => {
					const frame = new Uint8Array(data);
					if (!isAck(frame)) return;
					acked = Math.max(acked, Y.decodeStateVector(readAck(frame).stateVector).get(local.clientID) ?? 0);
					// Refilled first, so the kill lands with writes in flight even when one commit acked the whole window (S5).
					sendMore();
					if (acked >= KILL_AFTER_ACKED && first.child.signalCode === null) {
						first.child.kill('SIGKILL');
						resolve();
					}
				});
			});
			sendMore();
			await killed;
			const ackedAtKill = acked;
			await new Promise((resolve) =>
				first.child.exitCode !== null || first.child.signalCode !== null
					? resolve(null)
					: first.child.once('exit', resolve)
			);
			expect(ackedAtKill).toBeGreaterThanOrEqual(KILL_AFTER_ACKED);
			expect(sent).toBeGreaterThan(ackedAtKill);
			writer.socket.terminate();

			const second = await startServer(dataDir);
			const reader: Replica = openTestReplica(
				`${second.url.replace(/^http/, 'ws')}/sync`,
				docName,
				await signIn(second.url)
			);
			cleanups.push(() => reader.destroy());
			await settled(reader);
			const stored = reader.doc.getMap<LicenseRecord>('licenses');
			const missing = Array.from({ length: ackedAtKill }, (_, i) => `u${i}`).filter((key) => !stored.has(key));
			expect(missing).toEqual([]);
			// Nothing beyond what was sent can exist; some unacknowledged updates may have been committed just before the kill.
			expect(stored.size).toBeGreaterThanOrEqual(ackedAtKill);
			expect(stored.size).toBeLessThanOrEqual(sent);
		}
	);

	it(
		'S150, S151: SIGKILL at seeded random points during writes of 3 clients to 3 documents, 3 times: every acknowledged write is served after each restart, and integrity_check says ok',
		{ timeout: 120_000 },
		async () => {
			const figures = await runCrash({ kills: 3, writes: 200, clients: 3, customers: 2, seed: 150 });
			expect(figures.rounds).toHaveLength(3);
			for (const round of figures.rounds) {
				expect(round.integrity).toBe('ok');
				// The kill came with writes in flight, after at least one acknowledgement.
				expect(round.acked).toBeGreaterThan(0);
				expect(round.inFlightAtKill).toBeGreaterThan(0);
			}
			expect(figures.acked).toBeGreaterThan(0);
			expect(figures.lost).toBe(0);
		}
	);
});
