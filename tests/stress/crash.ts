// S150-S151: SIGKILL of the real server process at seeded random points while several raw y-protocols clients write to
// several documents; after each kill the SQLite file passes `PRAGMA integrity_check` (read-only, before the restart) and,
// after the restart on the same data directory, every update the server acknowledged (message 100, S5) is served back.
// Used by tests/integration/crash.test.ts (a bounded share) and `npm run stress -- crash` (20 kills x 1,000 writes).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { CustomerRepository } from '../../src/lib/data/customer-repository';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import type { LicenseRecord } from '../../src/lib/schema/licenses';
import type { Note } from '../../src/lib/schema/customer';
import { createUserAccount } from '../../server/src/auth/auth';
import { DB_FILE } from '../../server/src/pid-lock';
import { prng } from '../../server/src/prng';
import { openSqliteStore } from '../../server/src/store/sqlite';
import { rawClient, type RawClient } from '../helpers/sync-clients';
import {
	isAck,
	isSyncStep1,
	isSyncStep2,
	readAck,
	syncPayload,
	syncStep1Frame,
	updateFrame
} from '../helpers/sync-frames';

const TENANT_ID = 'crash';
const TENANT_DOC = `tenant:${TENANT_ID}`;
const EMAIL = 'crash-owner@example.test';
const PASSWORD = 'correct horse battery';
/** Cheap hashing for the seeded account: the server reads the cost parameters from the stored hash. */
const FAST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };
/** Updates a socket may have sent and not yet seen acknowledged; keeps several commits in flight at the kill. */
const WINDOW = 16;

export interface CrashOptions {
	/** Server processes killed with SIGKILL, one per round. */
	readonly kills: number;
	/** Writes sent per round at most; the kill comes when a seeded share of them (10 % to 90 %) is acknowledged. */
	readonly writes: number;
	/** Writers; each opens one socket per document. */
	readonly clients: number;
	/** Customer documents beside the tenant document. */
	readonly customers: number;
	readonly seed: number;
	/** Progress lines (the command prints them; the test passes nothing). */
	readonly log?: (line: string) => void;
}

export interface CrashRound {
	readonly sent: number;
	readonly acked: number;
	/** Writes sent and not acknowledged when the signal went out (acks already on the wire may still arrive after it). */
	readonly inFlightAtKill: number;
	/** Acknowledged writes (of this and earlier rounds) missing or different after the restart that followed the kill. */
	readonly lost: number;
	/** Writes sent but not acknowledged at the kill that the restarted server holds anyway (committed, ack not out yet). */
	readonly keptUnacked: number;
	/** `PRAGMA integrity_check` of the SQLite file after the kill, before the restart. */
	readonly integrity: string;
	/** From the spawn of the restarted server to its `listening` line. */
	readonly restartMs: number;
}

export interface CrashFigures {
	readonly rounds: readonly CrashRound[];
	readonly sent: number;
	readonly acked: number;
	readonly lost: number;
	readonly seconds: number;
}

/** One write: where it went, what it holds, and the writer's clock after it (an ack's state vector covers it, S6). */
interface Write {
	readonly docName: string;
	readonly kind: 'license' | 'note';
	readonly key: string;
	readonly value: string;
	readonly clientId: number;
	readonly clock: number;
}

interface ServerProcess {
	readonly child: ChildProcess;
	readonly url: string;
	readonly startMs: number;
	/** Rejects when the process exits without our SIGKILL (a crash of its own), with its exit status and stderr. */
	readonly died: Promise<never>;
}

/** Starts server/src/main.ts on 127.0.0.1, port 0, and resolves with its URL from the `MSP portal listening on` line. */
function startServer(dataDir: string): Promise<ServerProcess> {
	const started = performance.now();
	// node with tsx's loader, not the tsx CLI: the CLI runs the server in a child process that SIGKILL of the CLI would not reach.
	const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
		env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let err = '';
	child.stderr?.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-4000)));
	const died = new Promise<never>((_resolve, reject) => {
		child.once('exit', (code, signal) => {
			if (signal !== 'SIGKILL') reject(new Error(`the server exited by itself (${code ?? signal}): ${err}`));
		});
	});
	died.catch(() => undefined);
	return new Promise((resolve, reject) => {
		let out = '';
		child.stdout?.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			const match = /MSP portal listening on (http:\/\/\S+)/.exec(out);
			if (match?.[1]) resolve({ child, url: match[1], startMs: performance.now() - started, died });
		});
		died.catch(reject);
	});
}

function exited(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function kill(child: ChildProcess): Promise<void> {
	if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	await exited(child);
}

async function signIn(url: string): Promise<string> {
	const res = await fetch(`${url}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email: EMAIL, password: PASSWORD })
	});
	const cookie = res.headers.get('set-cookie')?.split(';')[0];
	if (res.status >= 300 || !cookie) throw new Error(`sign-in failed with ${res.status}`);
	return cookie;
}

/** The tenant, its owner and a tree with `customers` customers, written to the store before the first start. */
async function seed(dataDir: string, customers: number): Promise<string[]> {
	const store = openSqliteStore(join(dataDir, DB_FILE));
	try {
		const now = new Date();
		await store.createTenant({ id: TENANT_ID, name: 'Crash Test MSP', createdAt: now.toISOString() });
		await createUserAccount(store, {
			tenantId: TENANT_ID,
			email: EMAIL,
			password: PASSWORD,
			role: 'superAdmin',
			now,
			scrypt: FAST_SCRYPT
		});
		const doc = new Y.Doc();
		const repo = new TenantRepository(doc);
		repo.setTenantName('Crash Test MSP');
		const msp = repo.createNode({ kind: 'msp', name: 'Crash Test MSP', parentId: null });
		const ids = Array.from({ length: customers }, (_, i) =>
			repo.createNode({ kind: 'customer', name: `Customer ${i + 1}`, parentId: msp })
		);
		await store.append(TENANT_DOC, Y.encodeStateAsUpdate(doc));
		return ids.map((id) => `customer:${id}`);
	} finally {
		await store.close();
	}
}

/** `PRAGMA integrity_check` on a read-only connection: what a crash left in the file, before any server touches it. */
export function integrityOf(dbFile: string): string {
	const db = new Database(dbFile, { readonly: true, fileMustExist: true });
	try {
		const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
		return rows.map((row) => row.integrity_check).join('; ');
	} finally {
		db.close();
	}
}

/** The document as the server serves it: a fresh socket's sync step 1 with an empty state vector, answered by step 2. */
async function served(syncUrl: string, cookie: string, docName: string, died: Promise<never>): Promise<Y.Doc> {
	const client = rawClient(`${syncUrl}/${docName}`, { cookie });
	try {
		await Promise.race([died, client.nextFrame(isSyncStep1), client.closed]);
		client.send(syncStep1Frame(new Y.Doc()));
		const answer = await Promise.race([
			died,
			client.nextFrame(isSyncStep2),
			client.closed.then(({ code, reason }) => Promise.reject(new Error(`${docName} closed ${code} ${reason}`)))
		]);
		const doc = new Y.Doc();
		Y.applyUpdate(doc, syncPayload(answer));
		return doc;
	} finally {
		client.socket.terminate();
	}
}

const licenseValue = (key: string): LicenseRecord => [
	1,
	`P-${key}`,
	'pool-1',
	'Endpoint',
	'business',
	1,
	0,
	'2030-01-01',
	false,
	'owner-1',
	''
];

function holds(doc: Y.Doc, write: Write): boolean {
	if (write.kind === 'license') {
		return JSON.stringify(doc.getMap<LicenseRecord>('licenses').get(write.key)) === write.value;
	}
	return new CustomerRepository(doc).notes().some((note: Note) => note.id === write.key && note.text === write.value);
}

/** Counts the writes `docs` lack; `docs` maps a document name to what the server served. */
const missing = (writes: readonly Write[], docs: ReadonlyMap<string, Y.Doc>): number =>
	writes.filter((write) => !holds(docs.get(write.docName)!, write)).length;

interface Writer {
	readonly client: RawClient;
	readonly doc: Y.Doc;
	readonly docName: string;
	readonly pending: Write[];
}

/**
 * One round: writers send until `killAt` writes are acknowledged, then the server gets SIGKILL with writes in flight.
 * Resolves with the writes acknowledged and the ones sent but not acknowledged.
 */
async function writeUntilKilled(
	server: ServerProcess,
	cookie: string,
	docNames: readonly string[],
	options: { clients: number; writes: number; killAt: number; random: () => number; round: number }
): Promise<{ acked: Write[]; unacked: Write[]; sent: number; inFlightAtKill: number }> {
	const syncUrl = `${server.url.replace(/^http/, 'ws')}/sync`;
	const writers: Writer[] = [];
	for (let c = 0; c < options.clients; c++) {
		for (const docName of docNames) {
			const client = rawClient(`${syncUrl}/${docName}`, { cookie });
			writers.push({ client, doc: new Y.Doc(), docName, pending: [] });
		}
	}
	await Promise.race([
		server.died,
		Promise.all(
			writers.map((w) =>
				Promise.race([
					w.client.nextFrame(isSyncStep1),
					w.client.closed.then(({ code, reason }) => {
						throw new Error(`a writer of ${w.docName} was refused: ${code} ${reason}`);
					})
				])
			)
		)
	]);

	const acked: Write[] = [];
	let sent = 0;
	let killing = false;
	let inFlightAtKill = 0;
	const write = (writer: Writer): void => {
		const before = Y.encodeStateVector(writer.doc);
		const tag = `r${options.round}-${sent}`;
		let entry: Omit<Write, 'clock'>;
		if (writer.docName === TENANT_DOC) {
			const value = licenseValue(tag);
			writer.doc.getMap<LicenseRecord>('licenses').set(tag, value);
			entry = { docName: writer.docName, kind: 'license', key: tag, value: JSON.stringify(value), clientId: 0 };
		} else {
			const text = `note ${tag}`;
			const id = new CustomerRepository(writer.doc).addNote(text, EMAIL);
			entry = { docName: writer.docName, kind: 'note', key: id, value: text, clientId: 0 };
		}
		writer.pending.push({
			...entry,
			clientId: writer.doc.clientID,
			clock: Y.getState(writer.doc.store, writer.doc.clientID)
		});
		writer.client.send(updateFrame(Y.encodeStateAsUpdate(writer.doc, before)));
		sent += 1;
	};
	/** Fills the writers' windows in a seeded order until the round's writes are out. */
	const sendMore = (): void => {
		while (!killing && sent < options.writes) {
			const open = writers.filter(
				(w) => w.pending.length < WINDOW && w.client.socket.readyState === w.client.socket.OPEN
			);
			if (open.length === 0) return;
			write(open[Math.floor(options.random() * open.length)]!);
		}
	};

	const killed = new Promise<void>((resolve, reject) => {
		for (const writer of writers) {
			writer.client.socket.on('message', (data: Buffer) => {
				const frame = new Uint8Array(data);
				if (!isAck(frame)) return;
				const clock = Y.decodeStateVector(readAck(frame).stateVector).get(writer.doc.clientID) ?? 0;
				// Acks that were on the wire when the signal went out count too: the server committed before sending them (S5).
				while (writer.pending.length > 0 && writer.pending[0]!.clock <= clock) acked.push(writer.pending.shift()!);
				if (killing) return;
				// Refilled first, so the kill lands with writes in flight even when one commit acked a whole window.
				sendMore();
				if (acked.length >= options.killAt) {
					killing = true;
					server.child.kill('SIGKILL');
					inFlightAtKill = sent - acked.length;
					resolve();
				}
			});
			writer.client.closed
				.then(({ code }) => {
					if (!killing) reject(new Error(`a writer's socket closed with ${code} before the kill`));
				})
				.catch(() => undefined);
		}
	});
	sendMore();
	await Promise.race([killed, server.died]);
	await exited(server.child);
	// Every socket is closed by the dead server's kernel; wait for it so that no late frame changes the figures.
	await Promise.all(writers.map((w) => w.client.closed));
	return { acked, unacked: writers.flatMap((w) => w.pending), sent, inFlightAtKill };
}

export async function runCrash(options: CrashOptions): Promise<CrashFigures> {
	const started = performance.now();
	const log = options.log ?? (() => undefined);
	// Two sequences: the kill points depend on the seed alone, not on how many writes the ack timing let through.
	const killRandom = prng(options.seed);
	const writeRandom = prng(options.seed + 1);
	const dataDir = await mkdtemp(join(tmpdir(), 'msp-crash-'));
	const running: ChildProcess[] = [];
	try {
		const docNames = [TENANT_DOC, ...(await seed(dataDir, options.customers))];
		const acked: Write[] = [];
		const rounds: CrashRound[] = [];
		let unacked: Write[] = [];
		let integrity = '';
		let sent = 0;
		let roundAcked = 0;
		let inFlightAtKill = 0;
		for (let round = 0; round <= options.kills; round++) {
			const server = await startServer(dataDir);
			running.push(server.child);
			const cookie = await signIn(server.url);
			const syncUrl = `${server.url.replace(/^http/, 'ws')}/sync`;
			// After a kill: everything acknowledged so far must be served by the restarted server.
			const docs = new Map<string, Y.Doc>();
			for (const docName of docNames) docs.set(docName, await served(syncUrl, cookie, docName, server.died));
			if (round > 0) {
				const lost = missing(acked, docs);
				const keptUnacked = unacked.length - missing(unacked, docs);
				rounds.push({
					sent,
					acked: roundAcked,
					inFlightAtKill,
					lost,
					keptUnacked,
					integrity,
					restartMs: server.startMs
				});
				log(
					`kill ${round}/${options.kills}: sent ${sent}, acked ${roundAcked} (total ${acked.length}), ` +
						`in flight at the kill ${inFlightAtKill}, lost ${lost}, ` +
						`kept unacked ${keptUnacked}, integrity ${integrity}, restart ${server.startMs.toFixed(0)} ms`
				);
			}
			if (round === options.kills) {
				await kill(server.child);
				break;
			}
			// Seeded: the kill comes after 10 % to 90 % of the round's writes are acknowledged.
			const killAt = Math.max(1, Math.floor(options.writes * (0.1 + 0.8 * killRandom())));
			const result = await writeUntilKilled(server, cookie, docNames, {
				clients: options.clients,
				writes: options.writes,
				killAt,
				random: writeRandom,
				round
			});
			acked.push(...result.acked);
			unacked = result.unacked;
			sent = result.sent;
			roundAcked = result.acked.length;
			inFlightAtKill = result.inFlightAtKill;
			integrity = integrityOf(join(dataDir, DB_FILE));
		}
		return {
			rounds,
			sent: rounds.reduce((sum, r) => sum + r.sent, 0),
			acked: acked.length,
			lost: rounds.reduce((max, r) => Math.max(max, r.lost), 0),
			seconds: (performance.now() - started) / 1000
		};
	} finally {
		for (const child of running) await kill(child);
		await rm(dataDir, { recursive: true, force: true });
	}
}
