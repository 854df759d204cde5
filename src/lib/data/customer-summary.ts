// P1, P2, P4, P5: a customer's summary for the tenant document, computed from its customer document and its tree node.
import * as Y from 'yjs';
import {
	JOB_WINDOW_DAYS,
	contactSchema,
	serviceRequestSchema,
	serviceSchema,
	type ServiceKind,
	type ServiceRequest
} from '../schema/customer';
import {
	SUMMARY_LIST_LIMIT,
	SUMMARY_TIMES_LIMIT,
	customerSummarySchema,
	toEpochMinutes,
	type CustomerSummary
} from '../schema/customer-summary';
import type { TreeNode } from '../schema/tree';
import type { InsightFinding, InsightRule } from '../schema/insights';
import { evaluateInsights } from '../domain/insights';
import { CUSTOMER_ROOTS } from './customer-doc';
import { readJobDays, readJobs } from './customer-feed';

/** P11: what the summary's findings are evaluated with: the tenant's rules in force and the customer's findings so far. */
export interface InsightContext {
	readonly rules: readonly InsightRule[];
	readonly previous: readonly InsightFinding[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Newest first by time (ISO texts of one instant may differ: `…00Z` and `…00.000Z`), then by id. */
const newestFirst = (a: string, b: string): number => Date.parse(b) - Date.parse(a);
const byId = (a: string, b: string): number => (a < b ? 1 : a > b ? -1 : 0);

function fieldRecords<T>(map: Y.Map<unknown>, parse: (json: unknown) => T | null): T[] {
	const out: T[] = [];
	for (const [id, record] of map) {
		if (!(record instanceof Y.Map)) continue;
		const parsed = parse({ ...record.toJSON(), id });
		if (parsed !== null) out.push(parsed);
	}
	return out;
}

export function readServiceRequests(doc: Y.Doc): ServiceRequest[] {
	return fieldRecords(doc.getMap(CUSTOMER_ROOTS.serviceRequests), (json) => {
		const parsed = serviceRequestSchema.safeParse(json);
		return parsed.success ? parsed.data : null;
	});
}

/**
 * The summary at `now`: failed jobs and request submissions of the last JOB_WINDOW_DAYS days (newest first), open
 * requests, storage used (per service and module, the bytes of its newest successful job, summed), active services and
 * the registered accounts (the admin contact's email first, then the contacts', each once), and (P11) the insight rules
 * that fire at `now`.
 */
export function computeCustomerSummary(
	doc: Y.Doc,
	node: Pick<TreeNode, 'contact'> | null,
	now: Date,
	insights: InsightContext
): CustomerSummary {
	const windowStart = now.getTime() - JOB_WINDOW_DAYS * DAY_MS;
	const jobs = readJobs(doc);

	const failed = jobs
		.filter((job) => job.status === 'failed' && Date.parse(job.endedAt) >= windowStart)
		.sort((a, b) => newestFirst(a.endedAt, b.endedAt) || byId(a.jobId, b.jobId));

	const newestSuccess = new Map<string, { endedAt: number; bytes: number }>();
	for (const job of jobs) {
		if (job.status !== 'succeeded' || job.bytes === undefined) continue;
		const key = JSON.stringify([job.service, job.module]);
		const endedAt = Date.parse(job.endedAt);
		const seen = newestSuccess.get(key);
		if (!seen || endedAt > seen.endedAt) newestSuccess.set(key, { endedAt, bytes: job.bytes });
	}
	let storageBytes = 0;
	for (const { bytes } of newestSuccess.values()) storageBytes += bytes;

	const requests = readServiceRequests(doc).sort(
		(a, b) => newestFirst(a.submittedAt, b.submittedAt) || byId(a.id, b.id)
	);
	const open = requests.filter((r) => r.status !== 'closed');

	const services = new Set<ServiceKind>();
	const activeServicesSince: string[] = [];
	for (const service of fieldRecords(doc.getMap(CUSTOMER_ROOTS.services), (json) => {
		const parsed = serviceSchema.safeParse(json);
		return parsed.success ? parsed.data : null;
	}))
		if (service.status === 'active') {
			services.add(service.kind);
			activeServicesSince.push(service.addedAt);
		}

	const accounts: string[] = [];
	const addAccount = (email: string | undefined): void => {
		const normalized = email?.trim().toLowerCase() ?? '';
		if (normalized !== '' && !accounts.includes(normalized)) accounts.push(normalized);
	};
	addAccount(node?.contact?.email);
	const contacts = fieldRecords(doc.getMap(CUSTOMER_ROOTS.contacts), (json) => {
		const parsed = contactSchema.safeParse(json);
		return parsed.success ? parsed.data : null;
	}).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
	for (const contact of contacts) addAccount(contact.email);

	return customerSummarySchema.parse({
		updatedAt: now.toISOString(),
		failedJobEnds: failed.slice(0, SUMMARY_TIMES_LIMIT).map((job) => toEpochMinutes(job.endedAt)),
		requestSubmissions: requests
			.filter((r) => Date.parse(r.submittedAt) >= windowStart)
			.slice(0, SUMMARY_TIMES_LIMIT)
			.map((r) => toEpochMinutes(r.submittedAt)),
		openRequests: open.length,
		storageBytes,
		failedJobs: failed
			.slice(0, SUMMARY_LIST_LIMIT)
			.map(({ jobId, service, module, startedAt, endedAt }) => ({ jobId, service, module, startedAt, endedAt })),
		requests: open
			.slice(0, SUMMARY_LIST_LIMIT)
			.map((r) => ({ requestId: r.id, subject: r.subject, status: r.status, submittedAt: r.submittedAt })),
		services: [...services].sort(),
		accounts: accounts.slice(0, SUMMARY_LIST_LIMIT),
		insights: evaluateInsights({
			jobs,
			activeServicesSince,
			foldedSuccessDays: readJobDays(doc)
				.filter((day) => day.succeeded > 0)
				.map((day) => day.day),
			now,
			rules: insights.rules,
			previous: insights.previous
		})
	});
}

/** Whether two summaries say the same (their `updatedAt` aside): the server writes only summaries that changed. */
export function sameSummary(a: CustomerSummary | null, b: CustomerSummary): boolean {
	if (a === null) return false;
	return JSON.stringify({ ...a, updatedAt: '' }) === JSON.stringify({ ...b, updatedAt: '' });
}
