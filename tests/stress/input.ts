// S152-S154: bad input against a real server in this process (createServer on 127.0.0.1, port 0, memory store): fuzzed
// websocket frames and document names (tests/stress/bad-frames.ts), fuzzed JSON API bodies and batch-codec bytes
// (tests/stress/bad-bodies.ts). Properties: each frame is answered as its case allows (a 44xx close, or handled with or
// without a rejected notice), never 1011 or a hang; a refused frame leaves the stored bytes identical and a handled one
// the stored content identical; no API answer is a 5xx, every 4xx is the API's JSON error; the batch codec answers a
// value or BatchFormatError; afterwards nothing is polluted, every document holds what it held, and a control client
// still syncs and writes. Used by tests/attacks/fuzzed-input.test.ts (a bounded share) and `npm run stress -- input`.
import fc from 'fast-check';
import * as Y from 'yjs';
import { CustomerRepository } from '../../src/lib/data/customer-repository';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { MESSAGE_REJECTED } from '../../src/lib/data/sync/protocol';
import { BatchFormatError, decodeBatchRequest, encodeBatchRequest } from '../../src/lib/data/sync/batch';
import { docNameSchema } from '../../src/lib/schema/ids';
import { createUserAccount } from '../../server/src/auth/auth';
import { createFakeClock } from '../helpers/fake-clock';
import { createMemoryStore } from '../../server/src/store/memory';
import type { Store } from '../../server/src/store/types';
import { FAST_SCRYPT, startPortal, type Portal } from '../helpers/portal';
import { rawClient } from '../helpers/sync-clients';
import {
	isAck,
	isSyncStep1,
	isSyncStep2,
	readAck,
	syncPayload,
	syncStep1Frame,
	updateFrame
} from '../helpers/sync-frames';
import { contentOf, sameBytes, storedBytes, storedContent } from './doc-content';
import {
	FUZZ_LIMITS,
	docNameCase,
	frameCase,
	frameCaseSpec,
	type Answer,
	type Baseline,
	type DocNameCase,
	type FrameCaseSpec
} from './bad-frames';
import { batchCase, bodyCase, jsonRoutes, type BatchCase, type BodyCase, type JsonRoute } from './bad-bodies';

export interface InputOptions {
	readonly cases: number;
	readonly seed: number;
	/** Cases in flight at once, each on its own tenant's documents (default 4). */
	readonly workers?: number;
	readonly log?: (line: string) => void;
	/** Stops taking new cases (the command's Ctrl-C): the run ends with the figures of the cases done. */
	readonly signal?: AbortSignal;
}

export interface InputFigures {
	readonly frames: number;
	readonly bodies: number;
	readonly batches: number;
	/** How often each answer came, per case kind: `content:tenant:meta → rejected`. */
	readonly answers: ReadonlyMap<string, number>;
	/** Close codes seen on fuzzed sockets. */
	readonly closeCodes: ReadonlyMap<number, number>;
	/** HTTP statuses of fuzzed bodies. */
	readonly statuses: ReadonlyMap<number, number>;
	readonly failures: readonly string[];
	readonly seconds: number;
	/** Lines for people: figures and failures. */
	readonly summary: readonly string[];
}

const PASSWORD = 'fuzz owner password';
/** A case that gets no answer in this long is a failure (a hang), not a wait forever. */
const CASE_TIMEOUT_MS = 15_000;
/** Share of frame and body cases; the rest are batch-codec cases (cheap, in-process). */
const FRAME_SHARE = 0.5;
const BODY_SHARE = 0.4;
/** fast-check draws this many values per call; each chunk has its own seed derived from the run's. */
const CHUNK = 200;

interface Worker {
	readonly index: number;
	readonly tenantId: string;
	readonly customerId: string;
	readonly memberId: string;
	readonly email: string;
	cookie: string;
	readonly token: string;
	readonly baseline: Baseline;
	/**
	 * Wire name and store name of each document, and its content: as set up, then as the last valid API request (2xx)
	 * left it (a random `{}` is a valid customer setup, say); frames and refused requests must never change it.
	 */
	readonly docs: Record<'tenant' | 'customer', { wire: string; stored: string; content: string }>;
	readonly routes: JsonRoute[];
}

const sorted = <K>(map: Map<K, number>): string =>
	[...map.entries()]
		.sort(([a], [b]) => String(a).localeCompare(String(b)))
		.map(([k, n]) => `${String(k)} ${n}`)
		.join(', ');

function count<K>(map: Map<K, number>, key: K): void {
	map.set(key, (map.get(key) ?? 0) + 1);
}

/** Draws values of `arbitrary` lazily, CHUNK at a time, reproducibly from `seed`. */
function drawer<T>(arbitrary: fc.Arbitrary<T>, seed: number): () => T {
	let chunk = 0;
	let values: T[] = [];
	return () => {
		if (values.length === 0) values = fc.sample(arbitrary, { seed: (seed * 7919 + chunk++) | 0, numRuns: CHUNK });
		return values.shift()!;
	};
}

function timeout(ms: number): { promise: Promise<'timeout'>; cancel: () => void } {
	let timer: NodeJS.Timeout | undefined;
	const promise = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
	return { promise, cancel: () => clearTimeout(timer) };
}

async function http(
	portal: Portal,
	method: string,
	path: string,
	headers: Record<string, string>,
	body?: string
): Promise<{ status: number; text: string; setCookie: string | null }> {
	const res = await fetch(`${portal.base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
	return { status: res.status, text: await res.text(), setCookie: res.headers.get('set-cookie') };
}

async function signIn(portal: Portal, email: string): Promise<string> {
	const res = await http(
		portal,
		'POST',
		'/api/session',
		{ 'content-type': 'application/json' },
		JSON.stringify({ email, password: PASSWORD })
	);
	const cookie = res.setCookie?.split(';')[0];
	if (res.status !== 204 || !cookie) throw new Error(`sign-in of ${email} answered ${res.status}`);
	return cookie;
}

/** A tenant of its own per worker: its owner, a member, an integration token, a tree and a customer document. */
async function setUpWorker(store: Store, portal: Portal, index: number): Promise<Worker> {
	const tenantId = `fz${index}`;
	const now = new Date();
	await store.createTenant({ id: tenantId, name: `Fuzz ${index}`, createdAt: now.toISOString() });
	const email = `owner-${index}@fuzz.example`;
	const account = { tenantId, password: PASSWORD, now, scrypt: FAST_SCRYPT };
	await createUserAccount(store, { ...account, email, role: 'superAdmin' });
	const memberId = await createUserAccount(store, {
		...account,
		email: `member-${index}@fuzz.example`,
		role: 'readOnly'
	});

	const tenantDoc = new Y.Doc();
	const repo = new TenantRepository(tenantDoc);
	repo.setTenantName(`Fuzz ${index}`);
	const mspId = repo.createNode({ kind: 'msp', name: `Fuzz MSP ${index}`, parentId: null });
	const customerId = repo.createNode({ kind: 'customer', name: 'Fuzzed Customer', parentId: mspId });
	const customerDoc = new Y.Doc();
	new CustomerRepository(customerDoc).addNote('a note before the fuzzing', email);
	const baseline: Baseline = {
		tenant: Y.encodeStateAsUpdate(tenantDoc),
		customer: Y.encodeStateAsUpdate(customerDoc),
		mspId,
		customerId
	};
	const tenantWire = `tenant:${tenantId}`;
	const customerWire = `customer:${customerId}`;
	const customerStored = `${tenantId}/${customerWire}`;
	await store.append(tenantWire, baseline.tenant);
	await store.append(customerStored, baseline.customer);

	const cookie = await signIn(portal, email);
	const created = await http(
		portal,
		'POST',
		'/api/integrations/tokens',
		{ 'content-type': 'application/json', cookie },
		JSON.stringify({ name: 'Fuzz integration' })
	);
	const token = (JSON.parse(created.text) as { secret?: string }).secret;
	if (created.status !== 201 || !token) throw new Error(`creating an integration token answered ${created.status}`);
	return {
		index,
		tenantId,
		customerId,
		memberId,
		email,
		cookie,
		token,
		baseline,
		docs: {
			tenant: { wire: tenantWire, stored: tenantWire, content: contentOf(tenantDoc) },
			customer: { wire: customerWire, stored: customerStored, content: contentOf(customerDoc) }
		},
		routes: jsonRoutes({ memberId, customerId, tenantId })
	};
}

export async function runInput(options: InputOptions): Promise<InputFigures> {
	const started = performance.now();
	const log = options.log ?? (() => undefined);
	const store = createMemoryStore();
	const portal = await startPortal({
		store,
		// A clock that never moves: the server's periodic work (customer summaries written into the tenant document, P1)
		// never runs, so every change to a document comes from a fuzzed client and the properties can compare.
		clock: createFakeClock(new Date()),
		// S42's per-person cap counts sockets the server has not seen close yet; the fuzz opens one per case.
		relayLimits: { ...FUZZ_LIMITS, maxSocketsPerUser: 1_000 }
	});
	const syncUrl = `ws://127.0.0.1:${portal.port}/sync`;
	const answers = new Map<string, number>();
	const closeCodes = new Map<number, number>();
	const statuses = new Map<number, number>();
	const failures: string[] = [];
	const fail = (line: string): void => {
		if (failures.length < 50) failures.push(line);
		else if (failures.length === 50) failures.push('… (more failures not listed)');
	};
	let frames = 0;
	let bodies = 0;
	let batches = 0;
	let resignIns = 0;
	/** Time spent per kind of case, summed over the workers (they overlap). */
	const timing = new Map<string, number>();
	/** Bodies answered with a 2xx, per route: random bodies that happened to be valid requests. */
	const accepted = new Map<string, number>();

	try {
		const workerCount = Math.max(1, options.workers ?? 4);
		const workers: Worker[] = [];
		for (let i = 0; i < workerCount; i++) workers.push(await setUpWorker(store, portal, i));
		const routes = workers[0]!.routes;

		const nextFrameSpec = drawer(frameCaseSpec, options.seed);
		const nextDocName = drawer(docNameCase, options.seed + 1);
		const nextBody = drawer(bodyCase(routes), options.seed + 2);
		const nextBatch = drawer(batchCase, options.seed + 3);

		async function runDocName(worker: Worker, c: DocNameCase, label: string): Promise<void> {
			const client = rawClient(`${syncUrl}/${c.name}`, { cookie: worker.cookie });
			const limit = timeout(CASE_TIMEOUT_MS);
			const answer = await Promise.race([
				client.closed.then(({ code }) => `closed:${code}`),
				client.nextFrame(isSyncStep1).then(() => 'joined'),
				limit.promise
			]);
			limit.cancel();
			client.socket.terminate();
			count(answers, `docName → ${answer}`);
			if (answer.startsWith('closed:')) count(closeCodes, Number(answer.slice(7)));
			if (!c.allowed.includes(answer as Answer)) fail(`${label} docName ${JSON.stringify(c.name)}: ${answer}`);
		}

		async function runFrame(worker: Worker, spec: FrameCaseSpec, label: string): Promise<void> {
			const c = frameCase(spec, worker.baseline);
			const doc = worker.docs[c.target];
			const before = await storedBytes(store, doc.stored);
			const client = rawClient(`${syncUrl}/${doc.wire}`, { cookie: worker.cookie });
			const limit = timeout(CASE_TIMEOUT_MS);
			try {
				const joined = await Promise.race([
					client.nextFrame(isSyncStep1).then(() => 'joined'),
					client.closed.then(({ code }) => `closed:${code}`),
					limit.promise
				]);
				if (joined !== 'joined') return fail(`${label} ${c.kind}: refused before the case (${joined})`);
				client.send(c.frame);
				// The probe: a sync step 1 handled after the case's frame; its ack (the 2nd frame handled) ends the case.
				if (client.socket.readyState === client.socket.OPEN) client.send(syncStep1Frame(new Y.Doc()));
				const answer = await Promise.race([
					client.closed.then(({ code }) => `closed:${code}`),
					client
						.nextFrame((f) => isAck(f) && readAck(f).handledFrames >= 2)
						.then(() => (client.frames.some((f) => f[0] === MESSAGE_REJECTED) ? 'rejected' : 'handled')),
					limit.promise
				]);
				count(answers, `${c.kind} → ${answer}`);
				if (answer.startsWith('closed:')) count(closeCodes, Number(answer.slice(7)));
				else {
					client.socket.close();
					await client.closed;
				}
				if (!c.allowed.includes(answer as Answer)) fail(`${label} ${c.kind} on ${c.target}: ${answer}`);
				if (answer.startsWith('closed:')) {
					if (!sameBytes(before, await storedBytes(store, doc.stored)))
						fail(`${label} ${c.kind} on ${c.target}: refused, yet the stored bytes changed`);
				} else {
					const after = await storedContent(store, doc.stored);
					if (after !== doc.content)
						fail(
							`${label} ${c.kind} on ${c.target}: ${answer}, and the stored content changed: ${difference(doc.content, after)}`
						);
				}
			} finally {
				limit.cancel();
				client.socket.terminate();
			}
		}

		async function runBody(worker: Worker, c: BodyCase, label: string): Promise<void> {
			const route = worker.routes[c.route]!;
			const headers: Record<string, string> = { 'content-type': c.contentType };
			if (route.auth === 'session') headers.cookie = worker.cookie;
			if (route.auth === 'token') headers.authorization = `Bearer ${worker.token}`;
			const res = await http(portal, route.method, route.path, headers, c.body);
			count(statuses, res.status);
			count(answers, `body:${c.kind} → ${res.status}`);
			const where = `${label} body:${c.kind} ${route.method} ${route.path}`;
			if (res.status < 300) {
				// A body that happens to be valid did what it asks; that is the new state the next cases must keep.
				count(accepted, `${route.method} ${route.path}`);
				for (const doc of Object.values(worker.docs)) doc.content = await storedContent(store, doc.stored);
			}
			if (res.status >= 500) return fail(`${where}: ${res.status} ${res.text.slice(0, 200)}`);
			if (c.must4xx && (res.status < 400 || res.status >= 500)) return fail(`${where}: ${res.status}, not a 4xx`);
			if (res.status >= 400) {
				let parsed: unknown = null;
				try {
					parsed = JSON.parse(res.text);
				} catch {
					/* checked below */
				}
				const error = (parsed as { error?: { code?: unknown; message?: unknown } } | null)?.error;
				if (typeof error?.code !== 'string' || typeof error.message !== 'string')
					fail(`${where}: ${res.status} without the API's JSON error: ${res.text.slice(0, 120)}`);
			}
		}

		function runBatch(c: BatchCase, label: string): void {
			try {
				const entries = decodeBatchRequest('entries' in c ? encodeBatchRequest(c.entries) : c.bytes);
				const valid = entries.every(
					(e) =>
						docNameSchema.safeParse(e.docName).success &&
						e.stateVector instanceof Uint8Array &&
						(e.update === null || e.update instanceof Uint8Array)
				);
				if (!valid) fail(`${label} batch:${c.kind}: decoded an entry that is not valid`);
				if ('entries' in c && JSON.stringify(entries, bytesReplacer) !== JSON.stringify(c.entries, bytesReplacer))
					fail(`${label} batch:roundTrip: decode(encode(x)) is not x`);
				count(answers, `batch:${c.kind} → decoded`);
			} catch (error) {
				count(answers, `batch:${c.kind} → ${error instanceof BatchFormatError ? 'BatchFormatError' : 'other error'}`);
				if (!(error instanceof BatchFormatError) || 'entries' in c)
					fail(`${label} batch:${c.kind}: threw ${error instanceof Error ? error.name : typeof error}`);
			}
		}

		/** Every so often and at the end: documents unchanged, the session alive (signed in again if a case ended it). */
		async function control(worker: Worker, label: string): Promise<void> {
			for (const target of ['tenant', 'customer'] as const) {
				const doc = worker.docs[target];
				if ((await storedContent(store, doc.stored)) !== doc.content)
					fail(`${label}: the ${target} document of ${worker.tenantId} changed`);
			}
			const me = await http(portal, 'GET', '/api/me', { cookie: worker.cookie });
			if (me.status === 401) {
				resignIns += 1;
				worker.cookie = await signIn(portal, worker.email);
			} else if (me.status !== 200) fail(`${label}: GET /api/me answered ${me.status}`);
		}

		const frameTotal = Math.round(options.cases * FRAME_SHARE);
		const bodyTotal = Math.round(options.cases * BODY_SHARE);
		let next = 0;
		let lastLog = performance.now();
		async function work(worker: Worker): Promise<void> {
			let done = 0;
			while (next < options.cases && !options.signal?.aborted) {
				const index = next++;
				const label = `case ${index}`;
				// Interleaved: frames, bodies and batch bytes hit the same server in turn.
				const slot = index % 10;
				const t0 = performance.now();
				if (slot < FRAME_SHARE * 10 && frames < frameTotal) {
					frames += 1;
					// One in ten frame cases is a document name (S1, S40) instead of a frame.
					if (index % 100 < 10) await runDocName(worker, nextDocName(), label);
					else await runFrame(worker, nextFrameSpec(), label);
				} else if (slot < (FRAME_SHARE + BODY_SHARE) * 10 && bodies < bodyTotal) {
					bodies += 1;
					await runBody(worker, nextBody(), label);
				} else {
					batches += 1;
					runBatch(nextBatch(), label);
				}
				const kind = slot < 5 ? 'frame' : slot < 9 ? 'body' : 'batch';
				timing.set(kind, (timing.get(kind) ?? 0) + performance.now() - t0);
				done += 1;
				if (done % 500 === 0) await control(worker, label);
				if (performance.now() - lastLog > 10_000) {
					lastLog = performance.now();
					log(
						`input: ${next}/${options.cases} cases, ${((performance.now() - started) / 1000).toFixed(0)} s, ` +
							`${failures.length} failures, close codes ${sorted(closeCodes)}, statuses ${sorted(statuses)}`
					);
				}
			}
		}
		await Promise.all(workers.map((w) => work(w)));

		// Afterwards: nothing polluted, every document as it was, and a control client syncs and writes.
		const probe = {} as Record<string, unknown>;
		if (Object.keys(Object.prototype).length > 0 || probe.polluted !== undefined || probe.isAdmin !== undefined)
			fail('Object.prototype was polluted');
		for (const worker of workers) {
			await control(worker, 'end');
			await controlSync(syncUrl, worker, store).catch((error: unknown) =>
				fail(`control client of ${worker.tenantId}: ${error instanceof Error ? error.message : String(error)}`)
			);
		}
	} finally {
		await portal.server.close();
	}

	const seconds = (performance.now() - started) / 1000;
	const summary = [
		`input: ${frames + bodies + batches} cases in ${seconds.toFixed(1)} s (${frames} frames and document names, ${bodies} API bodies, ${batches} batch requests), ${failures.length} failures, ${resignIns} sessions renewed`,
		`input: close codes: ${sorted(closeCodes)}`,
		`input: time spent per case kind, summed over the workers: ${[...timing.entries()].map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`).join(', ')}`,
		`input: HTTP statuses: ${sorted(statuses)}`,
		`input: bodies answered 2xx (valid by chance), per route: ${sorted(accepted) || 'none'}`,
		...[...answers.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `  ${k}: ${n}`),
		...failures.map((f) => `FAIL ${f}`)
	];
	return { frames, bodies, batches, answers, closeCodes, statuses, failures, seconds, summary };
}

/** Where two contents part: a few characters of each from there. */
function difference(before: string, after: string): string {
	let at = 0;
	while (at < before.length && before[at] === after[at]) at++;
	const from = Math.max(0, at - 40);
	return `before …${before.slice(from, at + 80)}… after …${after.slice(from, at + 80)}…`;
}

const bytesReplacer = (_key: string, value: unknown): unknown =>
	value instanceof Uint8Array ? Array.from(value) : value;

/** A fresh socket receives the document as it was, writes a valid note, gets it acknowledged and finds it stored. */
async function controlSync(syncUrl: string, worker: Worker, store: Store): Promise<void> {
	const doc = worker.docs.customer;
	const client = rawClient(`${syncUrl}/${doc.wire}`, { cookie: worker.cookie });
	try {
		await client.nextFrame(isSyncStep1);
		const local = new Y.Doc();
		client.send(syncStep1Frame(local));
		Y.applyUpdate(local, syncPayload(await client.nextFrame(isSyncStep2)));
		if (contentOf(local) !== doc.content) throw new Error('it received other content than stored before the fuzzing');
		const before = Y.encodeStateVector(local);
		const id = new CustomerRepository(local).addNote('written after the fuzzing', worker.email);
		client.send(updateFrame(Y.encodeStateAsUpdate(local, before)));
		await client.nextFrame(
			(f) => isAck(f) && (Y.decodeStateVector(readAck(f).stateVector).get(local.clientID) ?? 0) > 0
		);
		const stored = new Y.Doc();
		for (const update of await storedBytes(store, doc.stored)) Y.applyUpdate(stored, update);
		if (!new CustomerRepository(stored).notes().some((note) => note.id === id))
			throw new Error('its write was not stored');
	} finally {
		client.socket.terminate();
	}
}
