// License management on the server (L1-L4, L6-L8, L10-L12, L16): imports and syncs through one path. A connector reads
// the whole account first; the plan (src/lib/domain/license-plan.ts) is made over the tenant document as it is; a plan
// that changes something is written in ONE server change, an empty one writes nothing. Then the sync's record, the day's
// usage and the events go to the store, and the audit log gets ids and counts. One sync per tenant at a time.
import type pino from 'pino';
import type * as Y from 'yjs';
import { holdingsOf, writeImportPlan } from '../../../src/lib/data/licenses/import';
import type { FileFormat } from '../../../src/lib/data/licenses/export-reader';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import {
	isEmptyPlan,
	planLicenseImport,
	type ImportSummary,
	type PlanOutcome
} from '../../../src/lib/domain/license-plan';
import { dayIn } from '../../../src/lib/domain/license-state';
import { MAX_IMPORT_TEXT } from '../../../src/lib/schema/commands';
import { tenantDocName } from '../../../src/lib/schema/ids';
import {
	licenseAccountInfoSchema,
	licenseEventSchema,
	syncRecordSchema,
	type LicenseAccountInfo,
	type LicenseHistoryResponse,
	type SyncProgress,
	type SyncRecord
} from '../../../src/lib/schema/license-api';
import type { ImportIssue, LicenseExport } from '../../../src/lib/schema/license-export';
import type { ConnectorKind, License } from '../../../src/lib/schema/licenses';
import type { Audit } from '../audit/audit';
import { DAY_MS } from '../audit/audit';
import type { Clock } from '../clock';
import { usageDays } from '../store/license-usage';
import type { LicenseConnectorRecord, Store } from '../store/types';
import { fileConnector } from './connectors/file';
import { httpConnector, type HttpConnectorOptions } from './connectors/http';
import type { LicenseConnector } from './connectors/types';
import { droppedFiles, markFailed, markImported, readDroppedFile } from './connectors/watched-folder';
import type { LicenseDocs } from './docs';
import { licenseEvents, type PlannedEvent } from './events';
import { tenantLicenseExport, type TenantLicenseExport } from './export';
import { createSecretBox, loadOrCreateSecretKey, SecretError, type SecretBox } from './secret-box';
import type { LicenseActor, LicenseFailureCode, LicenseOutcome, LicenseService } from './types';

/** L12: an account's next daily sync comes this long after its last one (failed or not). */
export const DAILY_SYNC_MS = DAY_MS;
/** L16: at most this many days of usage and events per license in a history answer. */
export const MAX_HISTORY_DAYS = 731;
export const MAX_HISTORY_EVENTS = 1000;

export interface LicenseServiceDeps {
	readonly store: Store;
	readonly docs: LicenseDocs;
	readonly clock: Clock;
	readonly log: pino.Logger;
	readonly audit: Audit;
	/** The watched folder is `dataDir/imports/<tenantId>/`; the token key `dataDir/secret.key`. Null: neither. */
	readonly dataDir: string | null;
	/** The key that seals vendor tokens; by default `dataDir/secret.key`, read (or created) when first needed. */
	readonly secretKey?: Uint8Array;
	/** The HTTP connector's fetch and limits (tests). */
	readonly http?: Partial<Pick<HttpConnectorOptions, 'fetch' | 'timeoutMs' | 'maxRetries' | 'maxRetryAfterMs'>>;
	readonly newId?: () => string;
}

/** The service with what the server's scheduler, the CLI and tests need besides the LicenseService seam. */
export interface LicenseServer extends LicenseService {
	/** L12: runs every connected account's sync that is due (the scheduler calls it every minute). */
	syncDue(): Promise<void>;
	/** Imports the newest file of each tenant's watched folder (the scheduler calls it every minute). */
	scanImports(): Promise<void>;
	/** L13, L14: the tenant's accounts, pools and licenses with their state on the tenant's day. */
	exportTenant(tenantId: string): Promise<TenantLicenseExport>;
	/** Resolves once nothing the service started (API calls, scheduled runs) is still running. */
	settled(): Promise<void>;
	/** Ends the vendor reads in flight (they fail and change nothing; a due daily sync stays due) and waits for the rest. */
	stop(): Promise<void>;
}

/** Where a sync came from: the audit log and the sync record say so. */
type Source = 'import' | 'folder' | 'connect' | 'sync' | 'daily';

class Failure extends Error {
	constructor(
		readonly code: LicenseFailureCode,
		message: string,
		readonly details: readonly ImportIssue[] = []
	) {
		super(message);
	}
}

const isRefusal = (outcome: PlanOutcome): outcome is Extract<PlanOutcome, { ok: false }> => !outcome.ok;

/** The vendor API's address as stored and shown: no credentials, query or fragment (those would leak into answers). */
export function checkVendorUrl(url: string): string | null {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return 'enter the vendor API address (http or https)';
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
		return 'enter the vendor API address (http or https)';
	if (parsed.username !== '' || parsed.password !== '')
		return 'the address holds no user name or password; the token goes in its own field';
	if (parsed.search !== '' || parsed.hash !== '')
		return 'the address holds no query (?…) or fragment (#…); the token goes in its own field';
	return null;
}

export function createLicenseService(deps: LicenseServiceDeps): LicenseServer {
	const { store, docs, clock, log, audit } = deps;
	const newId = deps.newId ?? (() => crypto.randomUUID());
	const queues = new Map<string, Promise<unknown>>();
	const running = new Map<string, SyncProgress>();
	const inFlight = new Set<Promise<unknown>>();
	let secrets: SecretBox | null = null;
	const stopping = new AbortController();

	function secretBox(): SecretBox {
		if (secrets) return secrets;
		const key = deps.secretKey ?? (deps.dataDir !== null ? loadOrCreateSecretKey(deps.dataDir) : null);
		if (!key) throw new SecretError('no secret key for vendor tokens (no data directory)');
		secrets = createSecretBox(key);
		return secrets;
	}
	/** A token is bound to its tenant and account: a row copied elsewhere does not open. */
	const tokenContext = (tenantId: string, accountId: string): string => `license-token/${tenantId}/${accountId}`;

	function track<T>(promise: Promise<T>): Promise<T> {
		inFlight.add(promise);
		const done = (): void => void inFlight.delete(promise);
		promise.then(done, done);
		return promise;
	}

	/** One tenant's imports and syncs run one after the other. */
	function serialized<T>(tenantId: string, task: () => Promise<T>): Promise<T> {
		const previous = queues.get(tenantId) ?? Promise.resolve();
		const next = previous.then(task, task);
		const settled = next.catch(() => undefined);
		queues.set(tenantId, settled);
		void settled.then(() => {
			if (queues.get(tenantId) === settled) queues.delete(tenantId);
		});
		return track(next);
	}

	async function timeZoneOf(tenantId: string): Promise<string> {
		// P9: the tenant's time zone once settings carry one; UTC until then.
		const settings = (await store.getTenantSettings(tenantId)) as { readonly timeZone?: unknown };
		return typeof settings.timeZone === 'string' && settings.timeZone !== '' ? settings.timeZone : 'UTC';
	}

	function plan(
		doc: Y.Doc,
		data: LicenseExport,
		connector: ConnectorKind
	): { outcome: PlanOutcome; repo: TenantRepository } {
		const repo = new TenantRepository(doc, { newId });
		return { outcome: planLicenseImport(holdingsOf(repo), data, { newId, connector }), repo };
	}

	/**
	 * Plans over the document as it is and writes the plan in one change. A refused plan or an empty one changes nothing
	 * and does not even ask for a change (S46); the plan is made again inside the change, so a change that came meanwhile
	 * is planned over too.
	 */
	async function applyToDocument(
		tenantId: string,
		data: LicenseExport,
		connector: ConnectorKind
	): Promise<{ summary: ImportSummary; events: PlannedEvent[] }> {
		const docName = tenantDocName(tenantId);
		const first = await docs.withDoc(docName, (doc) => plan(doc, data, connector).outcome);
		if (isRefusal(first)) throw new Failure(first.code, first.message, first.details);
		if (isEmptyPlan(first.plan)) return { summary: first.plan.summary, events: [] };
		const written: { result: { summary: ImportSummary; events: PlannedEvent[] } | Failure | null } = { result: null };
		await docs.change(docName, (doc) => {
			const { outcome, repo } = plan(doc, data, connector);
			if (isRefusal(outcome)) {
				// Nothing was written: the change stores nothing.
				written.result = new Failure(outcome.code, outcome.message, outcome.details);
				return;
			}
			const before = new Map<string, License>(repo.licenseRecords().map((license) => [license.id, license]));
			writeImportPlan(repo, doc, outcome.plan);
			written.result = { summary: outcome.plan.summary, events: licenseEvents(before, outcome.plan.licenses) };
		});
		const { result } = written;
		if (result === null) throw new Error('the license change did not run');
		if (result instanceof Failure) throw result;
		return result;
	}

	const summaryText = (s: ImportSummary): string =>
		`added ${s.added}, changed ${s.changed}, removed ${s.removed}, companies added ${s.companiesAdded}`;
	const SOURCE_WORDS: Readonly<Record<Source, string>> = {
		import: 'file import',
		folder: 'file import from the watched folder',
		connect: 'first sync of a connected account',
		sync: 'sync on demand',
		daily: 'daily sync'
	};

	/** P17: the audit log's action of a sync that worked. */
	const SUCCESS_ACTIONS: Readonly<Record<Source, string>> = {
		import: 'licensesImported',
		folder: 'licensesImported',
		connect: 'licenseAccountConnected',
		sync: 'licensesSynced',
		daily: 'licensesSynced'
	};

	interface SyncPlan {
		readonly actor: LicenseActor;
		readonly source: Source;
		/** The account a sync is for (null for an import: the file says). */
		readonly accountId: string | null;
		readonly connector: LicenseConnector;
		/** Stores the connector after a sync that worked (the account id is known by then). */
		readonly persist: (accountId: string, record: SyncRecord, existing: LicenseConnectorRecord | null) => Promise<void>;
	}

	/** Reads, plans, writes, records. Inside the tenant's queue. */
	async function runSync(job: SyncPlan): Promise<LicenseOutcome> {
		const { actor, source } = job;
		const { tenantId } = actor;
		const startedAt = clock.now().toISOString();
		const progress = (update: Partial<SyncProgress>): void => {
			const current = running.get(tenantId);
			running.set(tenantId, {
				accountId: job.accountId,
				phase: 'reading',
				companies: 0,
				licenses: 0,
				startedAt,
				...current,
				...update
			});
		};
		progress({});
		let accountId = job.accountId;
		try {
			const read = await job.connector.read((counts) => progress(counts));
			if (!read.ok) throw new Failure(read.code, read.message, read.details);
			const { data } = read;
			if (accountId !== null && data.account.id !== accountId)
				throw new Failure(
					'sync_failed',
					`the vendor answered for another account (${data.account.id}, not ${accountId}); connect that account on its own`
				);
			accountId = data.account.id;
			progress({ accountId, phase: 'applying' });
			const existing = await store.getLicenseConnector(tenantId, accountId);
			// A file of an account that syncs over HTTP is applied once; the account stays connected.
			const kind: ConnectorKind = job.connector.kind === 'http' || existing?.kind === 'http' ? 'http' : 'file';
			const { summary, events } = await applyToDocument(tenantId, data, kind);

			// The document has changed: what follows is bookkeeping, and its failure does not make the sync a failure.
			try {
				const now = clock.now();
				const at = now.toISOString();
				await store.appendLicenseHistory(tenantId, accountId, {
					day: dayIn(now, await timeZoneOf(tenantId)),
					usage: data.licenses.map((l) => ({
						publicId: l.publicId,
						unitsActivated: l.unitsActivated,
						unitsOrdered: l.unitsOrdered
					})),
					events: events.map((event) => ({ ...event, at }))
				});
				const record: SyncRecord = {
					at,
					status: 'ok',
					added: summary.added,
					changed: summary.changed,
					removed: summary.removed,
					companiesAdded: summary.companiesAdded
				};
				await job.persist(accountId, record, existing);
				await audit({
					tenantId,
					userId: actor.userId,
					ip: actor.ip,
					itemType: 'licenseAccount',
					item: accountId,
					action: SUCCESS_ACTIONS[source],
					description: `${SOURCE_WORDS[source]}: ${summaryText(summary)}`
				});
			} catch (error) {
				log.error(
					{ tenantId, accountId, err: { type: error instanceof Error ? error.name : typeof error } },
					'recording a license sync failed (the document was changed)'
				);
			}
			log.info({ tenantId, source, ...summary }, 'licenses synchronized');
			return { ok: true, result: summary };
		} catch (error) {
			const failure =
				error instanceof Failure
					? error
					: new Failure('sync_failed', 'the sync failed on the server (see its log); nothing was changed');
			if (!(error instanceof Failure))
				log.error(
					{ tenantId, accountId, source, err: { type: error instanceof Error ? error.name : typeof error } },
					'license sync failed'
				);
			else log.warn({ tenantId, accountId, source, code: failure.code }, 'license sync refused');
			// A sync cut short by a stop is not a vendor's failure: it stays due and runs after the restart.
			if (accountId !== null && (source === 'sync' || source === 'daily') && !stopping.signal.aborted) {
				const record: SyncRecord = {
					at: clock.now().toISOString(),
					status: 'failed',
					added: 0,
					changed: 0,
					removed: 0,
					companiesAdded: 0,
					message: failure.message.slice(0, 1000)
				};
				await store.recordLicenseSync(tenantId, accountId, JSON.stringify(record), nextDailySync());
			}
			await audit({
				tenantId,
				userId: actor.userId,
				ip: actor.ip,
				itemType: 'licenseAccount',
				item: accountId ?? 'licenses',
				action: source === 'import' || source === 'folder' ? 'licenseImportRefused' : 'licenseSyncFailed',
				description: `${SOURCE_WORDS[source]}: ${failure.code}${failure.details.length > 0 ? `, ${failure.details.length} problem(s)` : ''}`
			});
			return { ok: false, code: failure.code, message: failure.message, details: failure.details };
		} finally {
			running.delete(tenantId);
		}
	}

	const nextDailySync = (): string => new Date(clock.now().getTime() + DAILY_SYNC_MS).toISOString();

	/** An import keeps an HTTP account's schedule; otherwise the account is (or stays) a file account. */
	async function persistImport(
		tenantId: string,
		accountId: string,
		record: SyncRecord,
		existing: LicenseConnectorRecord | null
	): Promise<void> {
		if (existing?.kind === 'http')
			return store.recordLicenseSync(tenantId, accountId, JSON.stringify(record), existing.nextSyncAt);
		await store.putLicenseConnector({
			tenantId,
			accountId,
			kind: 'file',
			url: null,
			token: null,
			createdAt: existing?.createdAt ?? record.at,
			nextSyncAt: null,
			lastSync: JSON.stringify(record)
		});
	}

	function importFrom(
		actor: LicenseActor,
		source: 'import' | 'folder',
		text: string,
		name?: string,
		format?: FileFormat
	) {
		return runSync({
			actor,
			source,
			accountId: null,
			connector: fileConnector(text, { ...(name !== undefined ? { name } : {}), ...(format ? { format } : {}) }),
			persist: (accountId, record, existing) => persistImport(actor.tenantId, accountId, record, existing)
		});
	}

	function connectorFor(url: string, token: string): LicenseConnector {
		return httpConnector({ url, token, clock, ...deps.http, signal: stopping.signal });
	}

	async function syncOne(actor: LicenseActor, accountId: string, source: 'sync' | 'daily'): Promise<LicenseOutcome> {
		const { tenantId } = actor;
		const connector = await store.getLicenseConnector(tenantId, accountId);
		const known = await docs.withDoc(tenantDocName(tenantId), (doc) =>
			new TenantRepository(doc).accounts().some((account) => account.id === accountId)
		);
		if (!connector || connector.kind === 'file') {
			if (!known && !connector)
				return { ok: false, code: 'not_found', message: `no license account ${accountId}`, details: [] };
			return {
				ok: false,
				code: 'sync_failed',
				message: `the account ${accountId} is imported from files: import a newer file, or put it into the watched folder`,
				details: []
			};
		}
		let token: string;
		try {
			token = secretBox().open(connector.token ?? '', tokenContext(tenantId, accountId));
		} catch (error) {
			if (!(error instanceof SecretError)) throw error;
			return runSync({
				actor,
				source,
				accountId,
				connector: {
					kind: 'http',
					read: async () => ({
						ok: false,
						code: 'sync_failed',
						message:
							"the account's stored token cannot be read with this server's secret key: connect the account again",
						details: []
					})
				},
				persist: async () => undefined
			});
		}
		return runSync({
			actor,
			source,
			accountId,
			connector: connectorFor(connector.url ?? '', token),
			persist: (id, record) => store.recordLicenseSync(tenantId, id, JSON.stringify(record), nextDailySync())
		});
	}

	async function licenseRef(
		tenantId: string,
		licenseId: string
	): Promise<{ publicId: string; accountId: string | null } | null> {
		return docs.withDoc(tenantDocName(tenantId), (doc) => {
			const repo = new TenantRepository(doc);
			const license = repo.licenseRecord(licenseId);
			if (!license) return null;
			const pool = repo.pools().find((p) => p.id === license.poolId);
			return { publicId: license.publicId, accountId: pool?.accountId ?? null };
		});
	}

	const service: LicenseServer = {
		importText(actor, text, options = {}) {
			return serialized(actor.tenantId, async () => {
				if (text.length > MAX_IMPORT_TEXT)
					return { ok: false, code: 'invalid_import', message: 'the file is larger than 40 MB', details: [] };
				return importFrom(actor, 'import', text, options.name, options.format);
			});
		},

		addHttpAccount(actor, input) {
			return serialized(actor.tenantId, async () => {
				const refused = checkVendorUrl(input.url);
				if (refused) return { ok: false, code: 'sync_failed', message: refused, details: [] };
				const url = input.url.replace(/\/+$/, '');
				// Sealed before the first request: a server that cannot keep the token safe does not use it.
				const box = secretBox();
				return runSync({
					actor,
					source: 'connect',
					accountId: null,
					connector: connectorFor(url, input.token),
					persist: (accountId, record, existing) =>
						store.putLicenseConnector({
							tenantId: actor.tenantId,
							accountId,
							kind: 'http',
							url,
							token: box.seal(input.token, tokenContext(actor.tenantId, accountId)),
							createdAt: existing?.createdAt ?? record.at,
							nextSyncAt: nextDailySync(),
							lastSync: JSON.stringify(record)
						})
				});
			});
		},

		syncAccount(actor, accountId) {
			return serialized(actor.tenantId, () => syncOne(actor, accountId, 'sync'));
		},

		async listAccounts(tenantId) {
			const connectors = new Map((await store.listLicenseConnectors(tenantId)).map((c) => [c.accountId, c]));
			const accounts = await docs.withDoc(tenantDocName(tenantId), (doc) => new TenantRepository(doc).accounts());
			return accounts
				.sort((a, b) => (a.id < b.id ? -1 : 1))
				.map((account): LicenseAccountInfo => {
					const connector = connectors.get(account.id);
					let lastSync: SyncRecord | null = null;
					if (connector?.lastSync) {
						let stored: unknown = null;
						try {
							stored = JSON.parse(connector.lastSync);
						} catch {
							// Shown as never synchronized; the next sync writes a readable record.
						}
						const parsed = syncRecordSchema.safeParse(stored);
						lastSync = parsed.success ? parsed.data : null;
					}
					// Built field by field: whatever else a stored row holds (the token) never reaches an answer.
					return licenseAccountInfoSchema.parse({
						accountId: account.id,
						connector: connector?.kind ?? account.connector ?? 'file',
						url: connector?.kind === 'http' ? connector.url : null,
						lastSync,
						nextSyncAt: connector?.kind === 'http' ? connector.nextSyncAt : null
					});
				});
		},

		progress(tenantId) {
			const current = running.get(tenantId);
			return current ? { ...current } : null;
		},

		async forgetAccount(tenantId, accountId) {
			await store.deleteLicenseConnector(tenantId, accountId);
			log.info({ tenantId, accountId }, 'license account connector forgotten');
		},

		async history(tenantId, licenseId) {
			const ref = await licenseRef(tenantId, licenseId);
			if (!ref) return null;
			const stored =
				ref.accountId === null
					? { usage: [], events: [] }
					: await store.licenseHistory(tenantId, ref.accountId, ref.publicId, MAX_HISTORY_EVENTS);
			const response: LicenseHistoryResponse = {
				licenseId,
				publicId: ref.publicId,
				usage: usageDays(stored.usage, MAX_HISTORY_DAYS),
				events: stored.events.flatMap((event) => {
					const parsed = licenseEventSchema.safeParse(event);
					return parsed.success ? [parsed.data] : [];
				})
			};
			return response;
		},

		async recordEvent(tenantId, event) {
			const ref = await licenseRef(tenantId, event.licenseId);
			if (!ref || ref.accountId === null) {
				log.warn({ tenantId, licenseId: event.licenseId, kind: event.kind }, 'license event for an unknown license');
				return;
			}
			const now = clock.now();
			await store.appendLicenseHistory(tenantId, ref.accountId, {
				day: dayIn(now, await timeZoneOf(tenantId)),
				usage: [],
				events: [
					{ publicId: ref.publicId, at: now.toISOString(), kind: event.kind, detail: event.detail.slice(0, 500) }
				]
			});
		},

		syncDue() {
			return track(
				(async () => {
					for (const connector of await store.dueLicenseConnectors(clock.now().toISOString())) {
						if (connector.kind !== 'http') continue;
						const actor: LicenseActor = { tenantId: connector.tenantId, userId: null, ip: null };
						try {
							await serialized(connector.tenantId, () => syncOne(actor, connector.accountId, 'daily'));
						} catch (error) {
							if (stopping.signal.aborted) return;
							// Recorded as failed when it got that far; either way the next one is tomorrow.
							log.error(
								{
									tenantId: connector.tenantId,
									accountId: connector.accountId,
									err: { type: error instanceof Error ? error.name : typeof error }
								},
								'daily license sync failed'
							);
							const record: SyncRecord = {
								at: clock.now().toISOString(),
								status: 'failed',
								added: 0,
								changed: 0,
								removed: 0,
								companiesAdded: 0,
								message: 'the sync failed on the server (see its log); nothing was changed'
							};
							await store.recordLicenseSync(
								connector.tenantId,
								connector.accountId,
								JSON.stringify(record),
								nextDailySync()
							);
						}
					}
				})()
			);
		},

		scanImports() {
			return track(
				(async () => {
					if (deps.dataDir === null) return;
					for (const [tenantId, files] of droppedFiles(deps.dataDir)) {
						if (!(await store.getTenant(tenantId))) continue;
						const [newest, ...older] = files;
						if (!newest) continue;
						const now = clock.now();
						for (const file of older)
							markFailed(
								file,
								now,
								`not imported: a newer file (${newest.name}) was put into the folder beside it`,
								[]
							);
						const actor: LicenseActor = { tenantId, userId: null, ip: null };
						const outcome = await serialized(tenantId, async () =>
							newest.size > MAX_IMPORT_TEXT
								? ({
										ok: false,
										code: 'invalid_import',
										message: 'the file is larger than 40 MB',
										details: []
									} as const)
								: importFrom(actor, 'folder', readDroppedFile(newest), newest.name, newest.format)
						);
						if (outcome.ok) markImported(newest, clock.now());
						else markFailed(newest, clock.now(), outcome.message, outcome.details);
					}
				})()
			);
		},

		async exportTenant(tenantId) {
			const timeZone = await timeZoneOf(tenantId);
			return docs.withDoc(tenantDocName(tenantId), (doc) => tenantLicenseExport(doc, clock.now(), timeZone));
		},

		async settled() {
			while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
		},

		async stop() {
			stopping.abort();
			await service.settled();
		}
	};
	return service;
}
