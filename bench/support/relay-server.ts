// Child process of the relay benchmark: the real server (createServer) on 127.0.0.1:0 with a SQLite or in-memory store,
// seeded with the benchmark's accounts; reports its memory on request, so the clients' memory is not counted.
import { DEFAULT_BILLING_CHECK_MS } from '../../server/src/config';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import pino from 'pino';
import { createServer } from '../../server/src/app';
import { createUserAccount } from '../../server/src/auth/auth';
import { systemClock } from '../../server/src/clock';
import { DB_FILE } from '../../server/src/pid-lock';
import { createMemoryStore } from '../../server/src/store/memory';
import { openSqliteStore } from '../../server/src/store/sqlite';
import type { Store } from '../../server/src/store/types';
import { tenantDocName } from '../../src/lib/schema/ids';
import { buildTenantTree, buildUpdateHistory } from './tenant-tree';
import {
	BENCH_PASSWORD,
	CHILD_CONFIG_ENV,
	LOAD_TENANT,
	WRITERS_CUSTOMERS,
	WRITERS_EMAIL,
	WRITERS_TENANT,
	catchUpEmail,
	catchUpTenant,
	childConfigSchema,
	loadEmail,
	parentMessageSchema,
	type ChildConfig,
	type ChildMessage
} from './relay-protocol';

/** Cheap hashes: sign-in is not what this benchmark measures. */
const FAST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

function send(message: ChildMessage): void {
	process.send?.(message);
}

async function addTenant(store: Store, tenantId: string, email: string, now: Date): Promise<void> {
	await store.createTenant({ id: tenantId, name: tenantId, createdAt: now.toISOString() });
	await addUser(store, tenantId, email, 'superAdmin', now);
}

async function addUser(store: Store, tenantId: string, email: string, role: 'superAdmin' | 'admin', now: Date) {
	await createUserAccount(store, { tenantId, email, password: BENCH_PASSWORD, role, now, scrypt: FAST_SCRYPT });
}

/** The load run's tenant: its customers (each a document the clients open) and several admins to sign in as. */
async function seedLoad(store: Store, config: ChildConfig, now: Date): Promise<void> {
	if (config.load === null) return;
	await store.createTenant({ id: LOAD_TENANT, name: LOAD_TENANT, createdAt: now.toISOString() });
	for (let user = 0; user < config.load.users; user++) await addUser(store, LOAD_TENANT, loadEmail(user), 'admin', now);
	const tree = buildTenantTree({
		tenantName: 'Load',
		customers: config.load.customers,
		sitesPerCustomer: 0,
		idPrefix: 'load-'
	});
	await store.append(tenantDocName(LOAD_TENANT), tree.update);
}

/**
 * Documents with a long history. Through store.append, 2,000 updates would take ~7 s here (one fsync per commit with
 * synchronous=FULL), so the rows go in with one transaction on a second connection; compaction goes through the store.
 */
async function seedCatchUp(store: Store, config: ChildConfig, now: Date): Promise<void> {
	const { catchUp } = config;
	if (catchUp === null) return;
	if (config.store !== 'sqlite') throw new Error('the catch-up documents are seeded in SQLite only');
	const history = buildUpdateHistory({ tenantName: 'Catch-up', customers: 200, count: catchUp.updates });
	for (let copy = 0; copy < catchUp.copies; copy++) {
		for (const kind of ['raw', 'compacted'] as const)
			await addTenant(store, catchUpTenant(kind, copy), catchUpEmail(kind, copy), now);
	}
	const db = new Database(join(config.dataDir, DB_FILE));
	try {
		const insert = db.prepare<[string, number, Buffer]>('INSERT INTO doc_updates (doc, seq, data) VALUES (?, ?, ?)');
		db.transaction(() => {
			for (let copy = 0; copy < catchUp.copies; copy++) {
				for (const kind of ['raw', 'compacted'] as const) {
					const docName = tenantDocName(catchUpTenant(kind, copy));
					history.updates.forEach((update, i) => insert.run(docName, i + 1, Buffer.from(update)));
				}
			}
		})();
	} finally {
		db.close();
	}
	for (let copy = 0; copy < catchUp.copies; copy++) {
		await store.compact(tenantDocName(catchUpTenant('compacted', copy)), history.state, history.updates.length);
	}
}

async function main(): Promise<void> {
	const config = childConfigSchema.parse(JSON.parse(process.env[CHILD_CONFIG_ENV] ?? 'null'));
	const store = config.store === 'sqlite' ? openSqliteStore(join(config.dataDir, DB_FILE)) : createMemoryStore();
	const now = new Date();
	await addTenant(store, WRITERS_TENANT, WRITERS_EMAIL, now);
	await store.append(
		tenantDocName(WRITERS_TENANT),
		buildTenantTree({ tenantName: 'Writers', customers: WRITERS_CUSTOMERS }).update
	);
	await seedCatchUp(store, config, now);
	await seedLoad(store, config, now);

	const server = createServer({
		store,
		clock: systemClock,
		log: pino({ level: 'silent' }),
		authOptions: { scrypt: FAST_SCRYPT },
		config: {
			port: 0,
			host: '127.0.0.1',
			dataDir: config.dataDir,
			publicUrl: null,
			allowedOrigins: [],
			trustedProxies: [],
			logLevel: 'silent',
			smtpUrl: null,
			mailFrom: 'MSP Portal <portal@localhost>',
			// No SPA here: the data dir holds no index.html, so the static handler stays off.
			buildDir: config.dataDir,
			demo: false,
			billingCheckMs: DEFAULT_BILLING_CHECK_MS
		}
	});
	const { url } = await server.listen();

	let stopping: Promise<void> | null = null;
	const stop = (): Promise<void> =>
		(stopping ??= (async () => {
			await server.close();
			await store.close();
			process.disconnect?.();
		})());

	process.on('message', (raw: unknown) => {
		const message = parentMessageSchema.safeParse(raw);
		if (!message.success) return;
		if (message.data.type === 'memory') {
			// The benchmark runs this process with --expose-gc: heap after a full collection is what stays alive.
			const gc = (globalThis as { gc?: () => void }).gc;
			gc?.();
			const usage = process.memoryUsage();
			const { rss, heapUsed, heapTotal, external, arrayBuffers } = usage;
			send({ type: 'memory', rss, heapUsed, heapTotal, external, arrayBuffers });
		} else void stop();
	});
	// The benchmark went away (it failed or was interrupted): do not outlive it.
	process.once('disconnect', () => void stop());
	send({ type: 'ready', url });
}

main().catch((error: unknown) => {
	send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
	process.exitCode = 1;
	process.disconnect?.();
});
