// The process world: server/src/main.ts as a real process on a temporary DATA_DIR (SQLite), its tenant, Super Admin and
// license account written beforehand, peers signed in over HTTP, license commands through POST /api/commands, and the
// restart a SIGKILL followed by a new process on the same data (it may listen on another port: peers find it by `target`).
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createAudit } from '../../server/src/audit/audit';
import { createUserAccount } from '../../server/src/auth/auth';
import { systemClock } from '../../server/src/clock';
import { storeDocs } from '../../server/src/licenses/docs';
import { createLicenseService } from '../../server/src/licenses/service';
import { createLogger } from '../../server/src/log';
import { DB_FILE } from '../../server/src/pid-lock';
import { openSqliteStore } from '../../server/src/store/sqlite';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { tenantDocName } from '../../src/lib/schema/ids';
import { openReplica } from '../../src/lib/data/device/replica';
import { memoryStorage } from '../../src/lib/data/device/testing';
import type { Replica } from '../../src/lib/data/sync/types';
import type { DocName } from '../../src/lib/schema/ids';
import { startMain, type ServerProcess } from '../helpers/serve-process';
import { LICENSE_FIXTURE } from './in-process';
import { socketClass, type Target } from './transport';
import type { World } from './world';

const EMAIL = 'fuzz-owner@fuzz.example';
const PASSWORD = 'fuzz password, long enough';

/**
 * The tenant, its Super Admin and the fixture's license account, written to the data directory before the server starts,
 * as the CLI's `tenant create`, `user create` and `licenses import` do (in this process: three CLI processes cost more
 * than the schedules).
 */
async function setUpData(dataDir: string): Promise<string> {
	const store = openSqliteStore(join(dataDir, DB_FILE));
	try {
		const tenantId = randomUUID();
		await store.createTenant({ id: tenantId, name: 'Fuzz MSP', createdAt: new Date().toISOString() });
		const doc = new Y.Doc();
		new TenantRepository(doc).setTenantName('Fuzz MSP');
		await store.append(tenantDocName(tenantId), Y.encodeStateAsUpdate(doc));
		await createUserAccount(store, { tenantId, email: EMAIL, password: PASSWORD, role: 'superAdmin', now: new Date() });
		const log = createLogger('silent');
		const licenses = createLicenseService({
			store,
			docs: storeDocs(store),
			clock: systemClock,
			log,
			audit: createAudit(store, systemClock, log),
			dataDir
		});
		const outcome = await licenses.importText(
			{ tenantId, userId: null, ip: null },
			await readFile(LICENSE_FIXTURE, 'utf8'),
			{
				name: 'msp-account.json'
			}
		);
		if (!outcome.ok) throw new Error(`the license fixture did not import: ${outcome.message}`);
		return tenantId;
	} finally {
		await store.close();
	}
}

async function listen(dataDir: string): Promise<{ server: ServerProcess; base: string }> {
	const server = startMain({ DATA_DIR: dataDir, HOST: '127.0.0.1' });
	const line = await server.waitFor(/MSP portal listening on http:\/\/\S+/);
	return { server, base: /listening on (http:\/\/\S+)/.exec(line)![1]! };
}

/** Opens `docName` with nothing local, waits until it is in sync, answers its document (and a way to let it go). */
async function readFromServer(
	target: Target,
	docName: DocName,
	waitMs: number
): Promise<{ doc: Y.Doc; done: () => Promise<void> }> {
	const replica: Replica = openReplica(docName, {
		serverUrl: 'ws://fuzz.invalid/sync',
		persistence: false,
		storage: memoryStorage(),
		WebSocketPolyfill: socketClass({ target: () => target, onAck: () => undefined, onSocket: () => undefined }),
		maxBackoffTime: 100
	});
	let timer: NodeJS.Timeout | undefined;
	try {
		await new Promise<void>((resolve, reject) => {
			timer = setTimeout(() => reject(new Error(`reading ${docName} from the server timed out`)), waitMs);
			const check = (): void => {
				if (replica.status().connection === 'online') resolve();
			};
			replica.onStatus(check);
			check();
		});
	} catch (error) {
		await replica.destroy();
		throw error;
	} finally {
		clearTimeout(timer);
	}
	return { doc: replica.doc, done: () => replica.destroy() };
}

export async function startProcessWorld(options: { waitMs?: number } = {}): Promise<World> {
	const waitMs = options.waitMs ?? 30_000;
	const dataDir = await mkdtemp(join(tmpdir(), 'msp-fuzz-'));
	const tenantId = await setUpData(dataDir);
	let current: { server: ServerProcess; base: string } | null = await listen(dataDir);
	let up = true;
	let cookie: string | null = null;
	const readers: Array<() => Promise<void>> = [];

	const http = (): string => {
		if (!current) throw new Error('the server is down');
		return current.base;
	};
	const wsTarget = (): Target | null =>
		current && cookie ? { base: `${current.base.replace(/^http/, 'ws')}/sync`, headers: { cookie } } : null;
	const read = async (docName: DocName): Promise<Y.Doc> => {
		const target = wsTarget();
		if (!target) throw new Error('not signed in');
		const { doc, done } = await readFromServer(target, docName, waitMs);
		readers.push(done);
		return doc;
	};

	return {
		name: 'process',
		tenantDoc: `tenant:${tenantId}`,
		target: () => (up ? wsTarget() : null),
		async signIn() {
			// One person on several devices: one sign-in for all peers keeps the sign-in throttle out of the way.
			if (cookie) return;
			const res = await fetch(`${http()}/api/session`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ email: EMAIL, password: PASSWORD })
			});
			const setCookie = res.headers.get('set-cookie');
			if (res.status >= 300 || !setCookie) throw new Error(`sign-in failed: ${res.status}`);
			cookie = setCookie.split(';')[0]!;
		},
		async command(command) {
			const res = await fetch(`${http()}/api/commands`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', cookie: cookie ?? '' },
				body: JSON.stringify({ commands: [command] })
			});
			const body = (await res.json()) as { results?: Array<{ status: string; code?: string; message?: string }> };
			const result = body.results?.[0];
			if (res.status !== 200 || !result) throw new Error(`POST /api/commands answered ${res.status}`);
			if (result.status === 'applied') return 'applied';
			// `invalid` or `notFound` from the document as it is on the server; `notPermitted` would be a wrong role here.
			if (result.code === 'notPermitted') throw new Error(`command ${command.type} not permitted: ${result.message}`);
			return 'refused';
		},
		async restart(docs, durable) {
			// Peers find nothing while the new process starts: their sockets fail and y-websocket keeps trying (S17).
			up = false;
			const killed = current!;
			current = null;
			killed.server.child.kill('SIGKILL');
			await killed.server.exited;
			current = await listen(dataDir);
			const found: string[] = [];
			// S147 across a crash: what every ack promised is in the store, read before any peer is let back in.
			for (const docName of docs) found.push(...durable(docName, await read(docName)));
			for (const done of readers.splice(0)) await done();
			up = true;
			return found;
		},
		async serverState(docName) {
			const doc = await read(docName);
			return { relay: doc, stored: doc };
		},
		relayProblems: () => [],
		async close() {
			for (const done of readers.splice(0)) await done();
			await current?.server.stop();
			current = null;
			await rm(dataDir, { recursive: true, force: true });
		}
	};
}
