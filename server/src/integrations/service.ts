// P4, P5, P7: the integrations service. Ingests jobs and service requests (idempotent per tenant by the sender's id),
// writes them into the customer documents (through the relay in the server, on the store in the CLI and the demo seed),
// keeps the customers' summaries in the tenant document, folds jobs older than the window into days, and queues backups.
import type { Logger } from 'pino';
import type { z } from 'zod';
import { customerDocName, tenantDocName } from '../../../src/lib/schema/ids';
import { JOB_WINDOW_DAYS, type BackupRequestStatus, type Job } from '../../../src/lib/schema/customer';
import {
	jobEventSchema,
	serviceRequestEventSchema,
	type BackupRequestItem,
	type IngestRefusal,
	type IngestResponse,
	type JobEvent,
	type ServiceRequestEvent
} from '../../../src/lib/schema/integrations';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import { addServiceRequest, foldJobsBefore, putJobs, setBackupStatus } from '../../../src/lib/data/customer-feed';
import { computeCustomerSummary, sameSummary } from '../../../src/lib/data/customer-summary';
import type { CustomerSummary } from '../../../src/lib/schema/customer-summary';
import type { Audit } from '../audit/audit';
import type { Clock } from '../clock';
import type { Relay } from '../relay/types';
import { parseStorageName, storageName } from '../store/doc-keys';
import { storeDocs } from '../licenses/docs';
import type { BackupRequestRecord, IntegrationTokenRecord, Store } from '../store/types';
import type { BackupQueue } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;
/** At most this many backup requests are handed out per pick-up. */
export const BACKUP_PICKUP_LIMIT = 100;
const MESSAGE_MAX = 500;
/** P11: customers evaluated per turn of a tenant's ingest chain in the runs over many customers. */
const EVALUATION_SLICE = 50;

export type IntegrationDocs = Pick<Relay, 'change' | 'withDoc'>;

export interface IntegrationsDeps {
	readonly store: Store;
	readonly docs: IntegrationDocs;
	readonly clock: Clock;
	readonly log: Logger;
	readonly audit: Audit;
}

/** Who sends: a token (its tenant, its name as the source of requests). */
export type Sender = Pick<IntegrationTokenRecord, 'id' | 'tenantId' | 'name'>;

export interface IntegrationsService extends BackupQueue {
	ingestJobs(sender: Sender, items: readonly unknown[]): Promise<IngestResponse>;
	ingestServiceRequests(sender: Sender, items: readonly unknown[]): Promise<IngestResponse>;
	/** P7: the tenant's queued backup requests, marked `sent` (in the store and in the customer documents). */
	takeBackupRequests(sender: Sender): Promise<BackupRequestItem[]>;
	/** P7: the integration's report; null for an id the tenant does not have. */
	updateBackupRequest(sender: Sender, id: string, status: BackupRequestStatus): Promise<BackupRequestRecord | null>;
	/** The relay's hook: a client's change of `name` (a storage name) was stored. */
	documentChanged(name: string): void;
	/** Recomputes the summaries of the customers marked dirty; answers how many were written. */
	refreshDirty(): Promise<number>;
	/** Recomputes (and writes when changed) the summaries of some customers of a tenant; deletes those of gone customers. */
	refreshSummaries(tenantId: string, customerIds: readonly string[]): Promise<number>;
	/**
	 * P11: re-evaluates the insight rules of every tenant's customers whose findings can change with time alone (active
	 * services, storage, or findings so far); answers how many summaries were written. The hourly run.
	 */
	evaluateInsights(): Promise<number>;
	/** P4: folds every customer's jobs older than the window into days; answers how many jobs were folded. */
	foldWindow(): Promise<number>;
	/** Resolves once the scheduled runs started so far (refresh, fold) have ended. */
	idle(): Promise<void>;
}

/**
 * P11: the customers whose findings can change without new data (by time passing or by a rule change): those with
 * active services, storage, failed jobs or findings so far. Others (no summary yet, or nothing in it) change only when
 * jobs arrive or people change the customer, and are evaluated then.
 */
function insightsDue(repo: TenantRepository): string[] {
	return repo.customerIds().filter((id) => {
		const summary = repo.summary(id);
		return (
			summary !== null &&
			(summary.services.length > 0 ||
				summary.storageBytes > 0 ||
				summary.failedJobEnds.length > 0 ||
				summary.insights.length > 0)
		);
	});
}

function issuesText(error: z.ZodError): string {
	return error.issues
		.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
		.join('; ')
		.slice(0, MESSAGE_MAX);
}

interface Checked<T> {
	readonly index: number;
	readonly id: string;
	readonly event: T;
}

export function createIntegrationsService(deps: IntegrationsDeps): IntegrationsService {
	const { store, docs, clock, log, audit } = deps;
	/** One ingest at a time per tenant: the idempotency check and the write cannot interleave. */
	const chains = new Map<string, Promise<unknown>>();
	const dirty = new Map<string, Set<string>>();
	const dirtyTenants = new Set<string>();
	const running = new Set<Promise<unknown>>();
	/** P11: per tenant, the rules in force when this process last evaluated them (a change re-evaluates the tenant). */
	const rulesSeen = new Map<string, string>();
	/** The stored customer documents, read without loading them into the relay (P11's runs over many customers). */
	const stored = storeDocs(store);

	function serial<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
		const previous = chains.get(tenantId) ?? Promise.resolve();
		const next = previous.then(work, work);
		const tail = next.catch(() => undefined);
		chains.set(tenantId, tail);
		void tail.then(() => {
			if (chains.get(tenantId) === tail) chains.delete(tenantId);
		});
		return next;
	}

	function tracked<T>(work: Promise<T>): Promise<T> {
		running.add(work);
		void work.finally(() => running.delete(work)).catch(() => undefined);
		return work;
	}

	const customerDoc = (tenantId: string, customerId: string): string =>
		storageName(tenantId, customerDocName(customerId));

	/**
	 * The item-by-item checks every ingest shares: the schema (with the zod path), an id seen earlier in the call, and the
	 * customer (a customer node of the sender's tenant, C7: not unlinked).
	 */
	async function check<T extends { customerId: string }>(
		sender: Sender,
		items: readonly unknown[],
		schema: z.ZodType<T>,
		idOf: (event: T) => string,
		what: string
	): Promise<{ valid: Checked<T>[]; refused: IngestRefusal[] }> {
		const refused: IngestRefusal[] = [];
		const parsed: Checked<T>[] = [];
		const seen = new Set<string>();
		items.forEach((item, index) => {
			const result = schema.safeParse(item);
			if (!result.success) {
				refused.push({ index, code: 'invalid', message: issuesText(result.error) });
				return;
			}
			const id = idOf(result.data);
			if (seen.has(id)) {
				refused.push({ index, code: 'duplicateInCall', message: `${what} ${id} appears earlier in this call` });
				return;
			}
			seen.add(id);
			parsed.push({ index, id, event: result.data });
		});
		const customerIds = [...new Set(parsed.map((p) => p.event.customerId))];
		const states = await docs.withDoc(tenantDocName(sender.tenantId), (doc) => {
			const repo = new TenantRepository(doc);
			return new Map(
				customerIds.map((id) => {
					const node = repo.node(id);
					const state = node?.kind !== 'customer' ? 'unknown' : node.status === 'unlinked' ? 'readOnly' : 'ok';
					return [id, state] as const;
				})
			);
		});
		const valid: Checked<T>[] = [];
		for (const p of parsed) {
			const state = states.get(p.event.customerId);
			if (state === 'unknown')
				refused.push({
					index: p.index,
					code: 'unknownCustomer',
					message: `no customer ${p.event.customerId} in this tenant`
				});
			else if (state === 'readOnly')
				refused.push({
					index: p.index,
					code: 'customerReadOnly',
					message: `customer ${p.event.customerId} is unlinked and read-only`
				});
			else valid.push(p);
		}
		refused.sort((a, b) => a.index - b.index);
		return { valid, refused };
	}

	function byCustomer<T extends { customerId: string }>(items: readonly Checked<T>[]): Map<string, T[]> {
		const groups = new Map<string, T[]>();
		for (const item of items) {
			const list = groups.get(item.event.customerId) ?? [];
			list.push(item.event);
			groups.set(item.event.customerId, list);
		}
		return groups;
	}

	async function recordCall(sender: Sender, kind: string, answer: IngestResponse): Promise<void> {
		await store.touchIntegrationToken(sender.id, clock.now().toISOString());
		await audit({
			tenantId: sender.tenantId,
			userId: null,
			ip: null,
			itemType: 'integrationToken',
			item: sender.id,
			action: 'ingested',
			description: `${kind}: ${answer.accepted} accepted, ${answer.duplicates} duplicates, ${answer.refused.length} refused`
		});
	}

	/**
	 * Recomputes (and writes when changed) the summaries of some customers of a tenant. `customerDocs` reads their
	 * documents: the relay by default; the stored state for the runs over many customers (P11's hourly run and a rule
	 * change), so that they do not hold every customer document in the relay's memory until its idle unload.
	 */
	async function summariesOf(
		tenantId: string,
		customerIds: readonly string[],
		customerDocs: Pick<IntegrationDocs, 'withDoc'> = docs
	): Promise<number> {
		if (customerIds.length === 0) return 0;
		const now = clock.now();
		const { nodes, rules } = await docs.withDoc(tenantDocName(tenantId), (doc) => {
			const repo = new TenantRepository(doc);
			return {
				nodes: customerIds.map((id) => ({ id, node: repo.node(id), summary: repo.summary(id) })),
				rules: repo.insightRules()
			};
		});
		const writes: Array<{ id: string; summary: CustomerSummary | null }> = [];
		for (const { id, node, summary } of nodes) {
			if (node?.kind !== 'customer') {
				if (summary !== null) writes.push({ id, summary: null });
				continue;
			}
			const previous = summary?.insights ?? [];
			const next = await customerDocs.withDoc(customerDoc(tenantId, id), (doc) =>
				computeCustomerSummary(doc, node, now, { rules, previous })
			);
			if (!sameSummary(summary, next)) writes.push({ id, summary: next });
		}
		if (writes.length === 0) return 0;
		// One change for every customer touched: connected devices get one update.
		await docs.change(tenantDocName(tenantId), (doc) => {
			const repo = new TenantRepository(doc);
			for (const { id, summary } of writes) {
				if (summary === null) repo.deleteSummary(id);
				else repo.putSummary(id, summary);
			}
		});
		return writes.length;
	}

	/**
	 * Tenant documents people changed: summaries of customers gone, or whose admin contact's email changed, are redone
	 * (`stale`); when the insight rules in force changed since this process last evaluated them (P11, S97), the customers
	 * whose findings they may change too (`rules`; a process that started since takes them as changed, once).
	 */
	async function staleInTenant(tenantId: string): Promise<{ stale: string[]; rules: string[] }> {
		return docs.withDoc(tenantDocName(tenantId), (doc) => {
			const repo = new TenantRepository(doc);
			const rules = JSON.stringify(repo.insightRules());
			const seen = rulesSeen.get(tenantId);
			rulesSeen.set(tenantId, rules);
			const stale: string[] = [];
			for (const [id, summary] of repo.summaries()) {
				const node = repo.node(id);
				const email = node?.contact?.email.trim().toLowerCase() ?? '';
				if (node?.kind !== 'customer' || (email !== '' && summary.accounts[0] !== email)) stale.push(id);
			}
			return { stale, rules: seen === rules ? [] : insightsDue(repo) };
		});
	}

	/**
	 * P11: many customers' summaries from their stored documents, in the tenant's ingest chain (an ingest's newer summary
	 * is never overwritten by one computed before it) but a slice at a time, so that ingests are not held up for long.
	 */
	async function evaluateStored(tenantId: string, customerIds: readonly string[]): Promise<number> {
		let written = 0;
		for (let i = 0; i < customerIds.length; i += EVALUATION_SLICE) {
			const slice = customerIds.slice(i, i + EVALUATION_SLICE);
			written += await serial(tenantId, () => summariesOf(tenantId, slice, stored));
		}
		return written;
	}

	const service: IntegrationsService = {
		ingestJobs(sender, items) {
			return serial(sender.tenantId, async () => {
				const { valid, refused } = await check(sender, items, jobEventSchema, (e: JobEvent) => e.jobId, 'job');
				const known = await store.knownJobIds(
					sender.tenantId,
					valid.map((v) => v.id)
				);
				const fresh = valid.filter((v) => !known.has(v.id));
				const groups = byCustomer(fresh);
				for (const [customerId, events] of groups) {
					const jobs: Job[] = events.map(({ customerId: _customer, ...job }) => job);
					await docs.change(customerDoc(sender.tenantId, customerId), (doc) => putJobs(doc, jobs));
				}
				// Stored after the documents: a crash in between lets the sender's retry write the same values again.
				await store.insertJobs(
					sender.tenantId,
					fresh.map(({ event }) => ({
						jobId: event.jobId,
						customerId: event.customerId,
						status: event.status,
						endedAt: new Date(event.endedAt).toISOString(),
						bytes: event.bytes ?? null
					}))
				);
				await summariesOf(sender.tenantId, [...groups.keys()]);
				const answer = { accepted: fresh.length, duplicates: valid.length - fresh.length, refused };
				await recordCall(sender, 'jobs', answer);
				return answer;
			});
		},

		ingestServiceRequests(sender, items) {
			return serial(sender.tenantId, async () => {
				const { valid, refused } = await check(
					sender,
					items,
					serviceRequestEventSchema,
					(e: ServiceRequestEvent) => e.requestId,
					'request'
				);
				const known = await store.knownServiceRequestIds(
					sender.tenantId,
					valid.map((v) => v.id)
				);
				const fresh = valid.filter((v) => !known.has(v.id));
				let accepted = 0;
				const groups = byCustomer(fresh);
				for (const [customerId, events] of groups) {
					await docs.change(customerDoc(sender.tenantId, customerId), (doc) => {
						for (const e of events)
							if (
								addServiceRequest(doc, {
									id: e.requestId,
									subject: e.subject,
									details: e.details,
									status: e.status ?? 'open',
									submittedAt: e.submittedAt,
									source: sender.name
								})
							)
								accepted++;
					});
				}
				await store.insertServiceRequestIds(
					sender.tenantId,
					fresh.map(({ event }) => ({
						requestId: event.requestId,
						customerId: event.customerId,
						at: clock.now().toISOString()
					}))
				);
				await summariesOf(sender.tenantId, [...groups.keys()]);
				const answer = { accepted, duplicates: valid.length - accepted, refused };
				await recordCall(sender, 'service requests', answer);
				return answer;
			});
		},

		async queue(tenantId, customerId, request) {
			await store.putBackupRequest({
				tenantId,
				id: request.id,
				customerId,
				serviceId: request.serviceId,
				requestedAt: request.requestedAt,
				requestedBy: request.requestedBy,
				status: request.status,
				updatedAt: request.updatedAt
			});
		},

		async takeBackupRequests(sender) {
			const at = clock.now().toISOString();
			const taken = await store.takeQueuedBackupRequests(sender.tenantId, at, BACKUP_PICKUP_LIMIT);
			const groups = new Map<string, string[]>();
			for (const r of taken) groups.set(r.customerId, [...(groups.get(r.customerId) ?? []), r.id]);
			for (const [customerId, ids] of groups)
				await docs.change(customerDoc(sender.tenantId, customerId), (doc) => {
					for (const id of ids) setBackupStatus(doc, id, 'sent', at);
				});
			return taken.map((r) => ({
				id: r.id,
				customerId: r.customerId,
				serviceId: r.serviceId,
				requestedAt: r.requestedAt
			}));
		},

		async updateBackupRequest(sender, id, status) {
			const at = clock.now().toISOString();
			const record = await store.updateBackupRequest(sender.tenantId, id, status, at);
			if (!record) return null;
			await docs.change(customerDoc(sender.tenantId, record.customerId), (doc) => {
				setBackupStatus(doc, id, status, at);
			});
			return record;
		},

		documentChanged(name) {
			const parsed = parseStorageName(name);
			if (!parsed) return;
			if (parsed.kind === 'tenant') {
				dirtyTenants.add(parsed.tenantId);
				return;
			}
			const set = dirty.get(parsed.tenantId) ?? new Set<string>();
			set.add(parsed.id);
			dirty.set(parsed.tenantId, set);
		},

		refreshDirty() {
			return tracked(
				(async () => {
					const tenants = [...dirtyTenants];
					dirtyTenants.clear();
					const ruleChanges = new Map<string, string[]>();
					for (const tenantId of tenants) {
						const set = dirty.get(tenantId) ?? new Set<string>();
						const { stale, rules } = await staleInTenant(tenantId);
						for (const id of stale) set.add(id);
						if (set.size > 0) dirty.set(tenantId, set);
						if (rules.length > 0) ruleChanges.set(tenantId, rules);
					}
					const work = [...dirty.entries()];
					dirty.clear();
					let written = 0;
					for (const [tenantId, ids] of work) written += await summariesOf(tenantId, [...ids]);
					for (const [tenantId, ids] of ruleChanges) written += await evaluateStored(tenantId, ids);
					return written;
				})()
			);
		},

		refreshSummaries(tenantId, customerIds) {
			return summariesOf(tenantId, customerIds);
		},

		evaluateInsights() {
			return tracked(
				(async () => {
					let written = 0;
					for (const tenant of await store.listTenants()) {
						const due = await docs.withDoc(tenantDocName(tenant.id), (doc) => {
							const repo = new TenantRepository(doc);
							rulesSeen.set(tenant.id, JSON.stringify(repo.insightRules()));
							return insightsDue(repo);
						});
						written += await evaluateStored(tenant.id, due);
					}
					if (written > 0) log.info({ written }, 'insight rules re-evaluated');
					return written;
				})()
			);
		},

		foldWindow() {
			return tracked(
				(async () => {
					const before = new Date(clock.now().getTime() - JOB_WINDOW_DAYS * DAY_MS);
					const customers = await store.customersWithJobsBefore(before.toISOString());
					let folded = 0;
					const touched = new Map<string, string[]>();
					for (const { tenantId, customerId } of customers) {
						await serial(tenantId, async () => {
							await docs.change(customerDoc(tenantId, customerId), (doc) => {
								folded += foldJobsBefore(doc, before);
							});
							await store.markJobsFolded(tenantId, customerId, before.toISOString());
						});
						touched.set(tenantId, [...(touched.get(tenantId) ?? []), customerId]);
					}
					for (const [tenantId, ids] of touched) await summariesOf(tenantId, ids);
					if (folded > 0) log.info({ folded, customers: customers.length }, 'folded jobs older than the window');
					return folded;
				})()
			);
		},

		async idle() {
			while (running.size > 0) await Promise.allSettled([...running]);
		}
	};
	return service;
}
