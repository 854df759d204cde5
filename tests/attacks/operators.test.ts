// The attack suite, operators (docs/sync.md S41): a departing technician is locked out from the console while the server
// runs. The CLI writes to the SQLite file; the server notices within a second and closes the person's sockets.
import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { systemClock } from '../../server/src/clock';
import { DB_FILE } from '../../server/src/pid-lock';
import { openSqliteStore } from '../../server/src/store/sqlite';
import type { Store } from '../../server/src/store/types';
import { addOwner, OWNER_EMAIL, OWNER_PASSWORD, startPortal, type Portal } from '../helpers/portal';
import { rawClient, type RawClient } from '../helpers/sync-clients';
import { isSyncStep1 } from '../helpers/sync-frames';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = join(ROOT, 'server', 'src', 'cli.ts');

function cli(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
	return new Promise((done) => {
		execFile(TSX, [CLI, ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir } }, (error, stdout, stderr) =>
			done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
		);
	});
}

let dataDir = '';
let store: Store | null = null;
let portal: Portal | null = null;
const sockets: RawClient[] = [];

afterEach(async () => {
	for (const socket of sockets.splice(0)) socket.socket.terminate();
	await portal?.server.close();
	await store?.close();
	portal = null;
	store = null;
	rmSync(dataDir, { recursive: true, force: true });
});

async function signIn(base: string): Promise<string> {
	const response = await fetch(`${base}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email: OWNER_EMAIL, password: OWNER_PASSWORD })
	});
	expect(response.status).toBe(204);
	return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

async function openTenant(base: string, cookie: string): Promise<RawClient> {
	const client = rawClient(`${base.replace('http', 'ws')}/sync/tenant:acme`, { cookie });
	sockets.push(client);
	await client.nextFrame(isSyncStep1);
	return client;
}

describe('attacks: operators lock a person out of a running server (S41)', { timeout: 60_000 }, () => {
	it('S41: `user disable` on the console closes the sockets of the running server and refuses sign-in', async () => {
		dataDir = mkdtempSync(join(tmpdir(), 'msp-operators-'));
		store = openSqliteStore(join(dataDir, DB_FILE));
		await addOwner(store, systemClock);
		portal = await startPortal({ store, clock: systemClock });
		const socket = await openTenant(portal.base, await signIn(portal.base));

		const disabled = await cli(dataDir, 'user', 'disable', OWNER_EMAIL);
		expect(disabled).toMatchObject({ code: 0, stdout: `deactivated ${OWNER_EMAIL}; its sessions ended\n` });
		expect(await socket.closed).toEqual({ code: 4401, reason: 'session ended' });
		const refused = await fetch(`${portal.base}/api/session`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email: OWNER_EMAIL, password: OWNER_PASSWORD })
		});
		expect(refused.status).toBe(403);
		expect((await store.listAudit({ tenantId: 'acme', limit: 1 }))[0]).toMatchObject({
			action: 'deactivated',
			userId: null,
			description: 'the account was deactivated; 1 session(s) ended (by an operator)'
		});

		expect((await cli(dataDir, 'user', 'enable', OWNER_EMAIL)).code).toBe(0);
		await openTenant(portal.base, await signIn(portal.base));
	});

	it('S41: `session revoke --user` signs a person out everywhere; they can sign in again', async () => {
		dataDir = mkdtempSync(join(tmpdir(), 'msp-operators-'));
		store = openSqliteStore(join(dataDir, DB_FILE));
		await addOwner(store, systemClock);
		portal = await startPortal({ store, clock: systemClock });
		const tablet = await openTenant(portal.base, await signIn(portal.base));
		const laptop = await openTenant(portal.base, await signIn(portal.base));

		const revoked = await cli(dataDir, 'session', 'revoke', '--user', OWNER_EMAIL);
		expect(revoked).toMatchObject({ code: 0, stdout: `2 session(s) of ${OWNER_EMAIL} ended\n` });
		expect((await tablet.closed).code).toBe(4401);
		expect((await laptop.closed).code).toBe(4401);
		await openTenant(portal.base, await signIn(portal.base));
		expect((await cli(dataDir, 'session', 'revoke', '--user', 'nobody@example.test')).stderr).toContain(
			'no user nobody@example.test'
		);
	});
});
