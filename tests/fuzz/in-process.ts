// The in-process world: the real relay (createRelay, default validators, memory store) behind a node:http server on
// 127.0.0.1 port 0 that outlives relay restarts, so peers find it again on the same port.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCookie } from 'cookie';
import pino from 'pino';
import * as Y from 'yjs';
import { createRelay, type RelayEvent } from '../../server/src/relay/relay';
import type { DocAccess, Principal, Relay, RelayHooks } from '../../server/src/relay/types';
import { createMemoryStore } from '../../server/src/store/memory';
import type { DocStore } from '../../server/src/store/types';
import { storageName } from '../../server/src/store/doc-keys';
import { accessFor } from '../../server/src/auth/auth';
import { systemClock } from '../../server/src/clock';
import { permissionsOf } from '../../src/lib/domain/access';
import { DomainError } from '../../src/lib/domain/errors';
import { applyCommand } from '../../src/lib/data/commands';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { importLicenses } from '../../src/lib/data/licenses/import';
import { readLicenseFile } from '../../src/lib/data/licenses/export-reader';
import { parseDocName, type DocName } from '../../src/lib/schema/ids';
import { storedDoc } from '../helpers/sync-frames';
import type { World } from './world';

const COOKIE = 'msp_fuzz_session';
export const LICENSE_FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'licenses', 'msp-account.json');

export interface InProcessOptions {
	readonly tenantId: string;
	/** S16: compact often, so that restarts load snapshots as well as updates. */
	readonly compactEvery?: number;
	/** The relay's store (default: a memory store); the harness's own test hands it a faulty one. */
	readonly store?: DocStore;
}

export async function startInProcessWorld(options: InProcessOptions): Promise<World> {
	const { tenantId } = options;
	const tenantDoc: DocName = `tenant:${tenantId}`;
	const store = options.store ?? createMemoryStore();
	const sessions = new Map<string, Principal>();
	const cookies = new Map<number, string>();
	const problems: string[] = [];

	const hooks: RelayHooks = {
		async authenticate(req) {
			const token = parseCookie(req.headers.cookie ?? '')[COOKIE];
			return token === undefined ? null : (sessions.get(token) ?? null);
		},
		async revalidate(principal) {
			return sessions.get(principal.sessionId) ?? null;
		},
		// As the server does (S40): a customer document is known when the tenant's tree holds that customer.
		async authorize(principal, docName): Promise<DocAccess> {
			const parsed = parseDocName(docName);
			if (!parsed || principal.tenantId !== tenantId) return 'none';
			if (parsed.kind === 'tenant') return parsed.id === tenantId ? accessFor(principal, 'tenant') : 'none';
			const known = await relay!.withDoc(
				tenantDoc,
				(doc) => new TenantRepository(doc).node(parsed.id)?.kind === 'customer'
			);
			return known ? accessFor(principal, 'customer') : 'unknown';
		}
	};
	const onEvent = (event: RelayEvent): void => {
		if (event.type === 'rejected')
			problems.push(
				`relay undid ${event.items.map((i) => `${i.itemType} ${i.id} ${i.code}`).join(', ')} in ${event.docName}`
			);
		// 1001 is the restart's own close; anything else refused a peer's socket.
		if (event.type === 'refused' && event.code !== 1001)
			problems.push(`relay refused a socket of ${event.docName} with ${event.code}`);
	};
	const makeRelay = (): Relay =>
		createRelay({
			store,
			hooks,
			clock: systemClock,
			log: pino({ level: 'silent' }),
			onEvent,
			limits: { compactEvery: options.compactEvery ?? 25 }
		});
	let relay: Relay | null = makeRelay();

	const server = createServer((_req, res) => {
		res.statusCode = 404;
		res.end();
	});
	// While the relay restarts nobody is listening on /sync: the upgrade is dropped and y-websocket tries again (S17).
	server.on('upgrade', (req, socket, head) => (relay ? relay.handleUpgrade(req, socket, head) : socket.destroy()));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/sync`;

	// The tree, pools and licenses of the fixture account, written as a server change, as the license import does (S66).
	const file = readLicenseFile(await readFile(LICENSE_FIXTURE, 'utf8'), { name: 'msp-account.json' });
	if (!file.ok) throw new Error('the license fixture does not read');
	let ids = 0;
	await relay.change(tenantDoc, (doc) => {
		const outcome = importLicenses(doc, file.data, { newId: () => `imp-${(ids += 1)}` });
		if (!outcome.ok) throw new Error('the license fixture does not import');
	});

	const live = (): Relay => {
		if (!relay) throw new Error('the relay is restarting');
		return relay;
	};
	const stored = (docName: DocName): string => storageName(tenantId, docName);

	return {
		name: 'in-process',
		tenantDoc,
		target(peer) {
			const cookie = cookies.get(peer);
			return relay && cookie ? { base, headers: { cookie }, relay } : null;
		},
		async signIn(peer) {
			const token = randomBytes(16).toString('hex');
			sessions.set(token, {
				userId: `fuzz-user-${peer}`,
				tenantId,
				role: 'superAdmin',
				grants: [{ scope: 'tenant' }],
				permissions: [...permissionsOf('superAdmin')],
				email: `peer-${peer}@fuzz.example`,
				sessionId: token,
				validUntil: Date.now() + 8 * 60 * 60 * 1000
			});
			cookies.set(peer, `${COOKIE}=${token}`);
		},
		async command(command) {
			try {
				await live().change(tenantDoc, (doc) => void applyCommand(doc, command));
				return 'applied';
			} catch (error) {
				if (error instanceof DomainError) return 'refused';
				throw error;
			}
		},
		async restart(docs, durable) {
			const closing = live();
			relay = null;
			await closing.close();
			const found: string[] = [];
			for (const docName of docs) found.push(...durable(docName, await storedDoc(store, stored(docName))));
			relay = makeRelay();
			return found;
		},
		async serverState(docName) {
			const fromRelay = new Y.Doc();
			Y.applyUpdate(fromRelay, await live().encodeState(stored(docName)));
			return { relay: fromRelay, stored: await storedDoc(store, stored(docName)) };
		},
		relayProblems: () => [...problems],
		async close() {
			await relay?.close();
			relay = null;
			server.closeAllConnections();
			await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
		}
	};
}
