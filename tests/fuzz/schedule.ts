// One seeded schedule: 3-5 peers (real replicas, real repositories) edit, go offline, come back, lose sockets mid-stream
// and live through relay restarts; then everything reconnects and the invariants are checked (S145-S149).
import * as Y from 'yjs';
import { prng } from '../../server/src/prng';
import { openReplica } from '../../src/lib/data/device/replica';
import { memoryStorage } from '../../src/lib/data/device/testing';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { CustomerRepository } from '../../src/lib/data/customer-repository';
import type { Replica, ReplicaStatus } from '../../src/lib/data/sync/types';
import type { DocName } from '../../src/lib/schema/ids';
import { pick, randomEdit, type EditOutcome, type Ledger } from './edits';
import { canonical, customerProblems, missingAcked, treeProblems } from './invariants';
import { socketClass, type CuttableSocket } from './transport';
import type { World } from './world';

export interface ScheduleOptions {
	readonly seed: number;
	readonly ops: number;
	/**
	 * Restarts of the relay from its store (or SIGKILLs and restarts of the server process): one at a seeded step in the
	 * middle third of the schedule, and random ones besides, at most this many in all (0: none).
	 */
	readonly maxRestarts: number;
	/** Bound of every wait for the network (settling, converging); reaching it fails the seed. */
	readonly waitMs?: number;
	/** y-websocket's backoff bound (S17): short in this process, longer against a process that restarts for seconds. */
	readonly maxBackoffMs?: number;
}

export interface ScheduleResult {
	readonly seed: number;
	readonly ops: number;
	readonly peers: number;
	readonly problems: string[];
	/** How many of each kind of step ran. */
	readonly counts: Record<string, number>;
}

interface Peer {
	readonly index: number;
	readonly replicas: Map<DocName, Replica>;
	readonly sockets: CuttableSocket[];
	offline: boolean;
}

/** Rejects after `ms` with `what`: every wait on the network is bounded. */
async function within<T>(ms: number, what: () => string, promise: Promise<T>): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what()}`)), ms);
	});
	try {
		return await Promise.race([promise, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

function waitForStatus(replica: Replica, predicate: (status: ReplicaStatus) => boolean): Promise<void> {
	return new Promise((resolve) => {
		if (predicate(replica.status())) return resolve();
		const off = replica.onStatus((status) => {
			if (!predicate(status)) return;
			off();
			resolve();
		});
	});
}

function waitForDoc(doc: Y.Doc, predicate: () => boolean): Promise<void> {
	return new Promise((resolve) => {
		if (predicate()) return resolve();
		const check = (): void => {
			if (!predicate()) return;
			doc.off('afterTransaction', check);
			resolve();
		};
		doc.on('afterTransaction', check);
	});
}

const online = (replica: Replica): Promise<void> => waitForStatus(replica, (s) => s.connection === 'online');

/** Lets the sockets deliver what is readable (a macrotask), so edits interleave with syncing. No timer, no sleep. */
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function runSchedule(world: World, options: ScheduleOptions): Promise<ScheduleResult> {
	const { seed, ops } = options;
	const random = prng(seed);
	const waitMs = options.waitMs ?? 20_000;
	const peerCount = 3 + Math.floor(random() * 3);
	const counts: Record<string, number> = {};
	const count = (what: string): void => void (counts[what] = (counts[what] ?? 0) + 1);
	const problems: string[] = [];
	/** S5: per document, the highest clock of each Yjs client that any ack said the server holds. */
	const acked = new Map<DocName, Map<number, number>>();
	const peers: Peer[] = [];

	const openDoc = (peer: Peer, docName: DocName): Replica => {
		const replica = openReplica(docName, {
			serverUrl: 'ws://fuzz.invalid/sync',
			persistence: false,
			storage: memoryStorage(),
			WebSocketPolyfill: socketClass({
				target: () => world.target(peer.index),
				onAck(name, stateVector) {
					const clocks = acked.get(name as DocName) ?? new Map<number, number>();
					acked.set(name as DocName, clocks);
					for (const [client, clock] of Y.decodeStateVector(stateVector))
						if ((clocks.get(client) ?? 0) < clock) clocks.set(client, clock);
				},
				onSocket: (socket) => {
					peer.sockets.push(socket);
					if (peer.sockets.length > 32) peer.sockets.splice(0, peer.sockets.length - 32);
				}
			}),
			maxBackoffTime: options.maxBackoffMs ?? 4,
			reconnectJitterMs: 2,
			// Jitter draws from its own sequence, so the schedule's draws do not depend on network timing.
			random: prng(seed * 7919 + peer.index * 104_729 + peer.replicas.size)
		});
		peer.replicas.set(docName, replica);
		return replica;
	};
	const settle = (replicas: Iterable<Replica>): Promise<unknown> =>
		within(
			waitMs,
			() =>
				`settling: ${peers
					.flatMap((p) =>
						[...p.replicas.values()].map((r) => `peer ${p.index} ${r.docName} ${JSON.stringify(r.status())}`)
					)
					.join('; ')}`,
			Promise.all([...replicas].map(online))
		);

	try {
		for (let index = 0; index < peerCount; index++) {
			await world.signIn(index);
			const peer: Peer = { index, replicas: new Map(), sockets: [], offline: false };
			peers.push(peer);
			openDoc(peer, world.tenantDoc);
		}
		await settle(peers.map((p) => p.replicas.get(world.tenantDoc)!));
		const first = new TenantRepository(peers[0]!.replicas.get(world.tenantDoc)!.doc);
		const protectedCustomers = first.customerIds().sort().slice(0, 2);
		const initialNodes = new Set(first.view().nodes.keys());
		const customerDocs: DocName[] = protectedCustomers.map((id) => `customer:${id}` as DocName);
		for (const peer of peers) for (const docName of customerDocs) openDoc(peer, docName);
		await settle(peers.flatMap((p) => [...p.replicas.values()]));
		const allDocs = [world.tenantDoc, ...customerDocs];

		const ledger: Ledger = {
			nodesCreated: new Set(),
			nodesDeleted: new Set(),
			contactsCreated: new Map(),
			contactsDeleted: new Set(),
			notes: new Map(),
			requestNotes: new Map(),
			protectedNodes: new Set(protectedCustomers)
		};
		const repos = peers.map((peer) => {
			let ids = 0;
			const newId = (): string => `s${seed}-p${peer.index}-${(ids += 1)}`;
			return {
				tenant: new TenantRepository(peer.replicas.get(world.tenantDoc)!.doc, { newId }),
				customers: new Map(customerDocs.map((d) => [d, new CustomerRepository(peer.replicas.get(d)!.doc, { newId })]))
			};
		});
		const durable = (docName: DocName, stored: Y.Doc): string[] =>
			missingAcked(docName, acked.get(docName) ?? new Map(), stored);
		let restarts = 0;
		const plannedRestart = Math.floor(ops / 3 + random() * (ops / 3));

		for (let step = 0; step < ops; step++) {
			const peer = pick(random, peers);
			const roll = step === plannedRestart ? 0.89 : random();
			if (roll < 0.72) {
				const outcome: EditOutcome = await randomEdit({
					random,
					...repos[peer.index]!,
					ledger,
					author: `peer-${peer.index}@fuzz.example`,
					label: `s${seed} p${peer.index} #${step}`,
					command: (command) => world.command(command)
				});
				count(outcome);
			} else if (roll < 0.8) {
				// An offline period: the peer stops syncing and edits on; later it comes back (S6, S7).
				peer.offline = !peer.offline;
				for (const replica of peer.replicas.values()) {
					if (peer.offline) replica.disconnect();
					else replica.connect();
				}
				count(peer.offline ? 'offline' : 'reconnect');
			} else if (roll < 0.85) {
				// Partial delivery: a socket is cut while frames may be on their way either way; y-websocket reconnects.
				const open = peer.sockets.filter((s) => s.isOpen());
				if (open.length > 0) {
					pick(random, open).cut();
					count('cut');
				}
			} else if (roll < 0.89) {
				if (!peer.offline) {
					await settle(peer.replicas.values());
					count('settled');
				}
			} else if (roll < 0.9 && restarts < options.maxRestarts) {
				restarts += 1;
				problems.push(...(await world.restart(allDocs, durable)));
				count('restart');
			} else {
				await tick();
				count('tick');
			}
		}

		// The end: everyone online again, everything acknowledged, then the same document everywhere.
		for (const peer of peers) if (peer.offline) for (const replica of peer.replicas.values()) replica.connect();
		const replicas = peers.flatMap((p) => [...p.replicas.values()]);
		await settle(replicas);
		for (const docName of allDocs) {
			const { relay, stored } = await world.serverState(docName);
			const expected = canonical(relay);
			if (canonical(stored) !== expected) problems.push(`${docName}: the store differs from the relay`);
			problems.push(...missingAcked(docName, acked.get(docName) ?? new Map(), stored));
			const holders = peers.map((p) => p.replicas.get(docName)!);
			// After its own last ack a peer may still be receiving the others' last changes: wait until it shows the server's.
			await within(
				waitMs,
				() => `converging on ${docName}: ${holders.filter((r) => canonical(r.doc) !== expected).length} peers differ`,
				Promise.all(holders.map((r) => waitForDoc(r.doc, () => canonical(r.doc) === expected)))
			).catch((error: Error) => problems.push(error.message));
			if (docName === world.tenantDoc) problems.push(...treeProblems(stored, initialNodes, ledger));
		}
		problems.push(
			...customerProblems(await Promise.all(customerDocs.map(async (d) => (await world.serverState(d)).stored)), ledger)
		);
		for (const replica of replicas) {
			const status = replica.status();
			if (status.rejected)
				problems.push(`${replica.docName}: the relay undid a valid edit: ${JSON.stringify(status.rejected.items)}`);
			if (status.refusal) problems.push(`${replica.docName}: refused ${status.refusal.code} ${status.refusal.reason}`);
			if (status.pending !== 0) problems.push(`${replica.docName}: ${status.pending} changes still pending`);
		}
		problems.push(...world.relayProblems());
	} catch (error) {
		problems.push(error instanceof Error ? error.message : String(error));
	} finally {
		await Promise.all(peers.flatMap((p) => [...p.replicas.values()].map((r) => r.destroy())));
	}
	return { seed, ops, peers: peerCount, problems, counts };
}

/** How to run a failing seed again, alone. */
export const rerunHint = (result: Pick<ScheduleResult, 'seed' | 'ops'>, world: string): string =>
	`seed=${result.seed} ops=${result.ops}: npm run fuzz -- --seed ${result.seed} --ops ${result.ops}${world === 'process' ? ' --process' : ''}`;
