// P4, P5, P6, P7: what the server writes into a customer document: jobs from integrations (plain values), the per-day fold
// of jobs older than the window, service requests that arrive from outside (one Y.Map of fields each), the services an
// invitation adds, and backup requests with their status. Run inside `relay.change` (trusted server changes, S18); people's edits go through CustomerRepository.
import * as Y from 'yjs';
import {
	backupRequestSchema,
	jobDaySchema,
	jobSchema,
	serviceRequestSchema,
	type BackupRequest,
	type BackupRequestStatus,
	type Job,
	type JobDay,
	serviceSchema,
	type ServiceKind,
	type ServiceRequest
} from '../schema/customer';
import { CUSTOMER_ROOTS } from './customer-doc';

const jobsOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(CUSTOMER_ROOTS.jobs);

/** Writes jobs (key: the sender's job id); a job already present is replaced by the same value. */
export function putJobs(doc: Y.Doc, jobs: readonly Job[]): void {
	const map = jobsOf(doc);
	doc.transact(() => {
		for (const job of jobs) map.set(job.jobId, jobSchema.parse(job));
	});
}

/**
 * Parsed jobs by their stored value: a loaded document hands out the same object for an entry until it is replaced, so
 * recomputing a summary after each ingest parses only the new jobs.
 */
const parsedJobs = new WeakMap<object, Job | null>();

function parseJob(value: unknown): Job | null {
	if (typeof value !== 'object' || value === null) return null;
	const cached = parsedJobs.get(value);
	if (cached !== undefined) return cached;
	const parsed = jobSchema.safeParse(value);
	const job = parsed.success ? Object.freeze(parsed.data) : null;
	parsedJobs.set(value, job);
	return job;
}

/** The jobs of the window, parsed (anything that does not parse is left out). */
export function readJobs(doc: Y.Doc): Job[] {
	const out: Job[] = [];
	for (const value of jobsOf(doc).values()) {
		const job = parseJob(value);
		if (job) out.push(job);
	}
	return out;
}

export function readJobDays(doc: Y.Doc): JobDay[] {
	const out: JobDay[] = [];
	for (const value of doc.getMap(CUSTOMER_ROOTS.jobDays).values()) {
		const parsed = jobDaySchema.safeParse(value);
		if (parsed.success) out.push(parsed.data);
	}
	return out.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

/**
 * P4, the 90-day window: jobs that ended before `before` are added to their UTC day in `jobDays` (succeeded, failed,
 * warning, bytes) and removed from `jobs`, in one transaction. Answers how many jobs were folded.
 */
export function foldJobsBefore(doc: Y.Doc, before: Date): number {
	const jobs = jobsOf(doc);
	const days = doc.getMap(CUSTOMER_ROOTS.jobDays);
	const limit = before.getTime();
	let folded = 0;
	doc.transact(() => {
		const sums = new Map<string, JobDay>();
		for (const [key, value] of jobs) {
			const parsed = jobSchema.safeParse(value);
			// What is not a job never came from the server; it goes without counting.
			if (!parsed.success) {
				jobs.delete(key);
				continue;
			}
			const job = parsed.data;
			if (Date.parse(job.endedAt) >= limit) continue;
			const day = job.endedAt.slice(0, 10);
			const stored = jobDaySchema.safeParse(days.get(day));
			const sum = sums.get(day) ??
				(stored.success ? { ...stored.data } : { day, succeeded: 0, failed: 0, warning: 0, bytes: 0 });
			sum[job.status] += 1;
			sum.bytes += job.bytes ?? 0;
			sums.set(day, sum);
			jobs.delete(key);
			folded++;
		}
		for (const [day, sum] of sums) days.set(day, jobDaySchema.parse(sum));
	});
	return folded;
}

const requestsOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(CUSTOMER_ROOTS.serviceRequests);

export function hasServiceRequest(doc: Y.Doc, id: string): boolean {
	return requestsOf(doc).has(id);
}

/**
 * P5: a request from an integration, as one Y.Map of fields (so that people's later edits of different fields merge, F2).
 * A request id the document holds already is left alone (people work it in the portal from then on); answers whether it
 * was added.
 */
export function addServiceRequest(doc: Y.Doc, request: ServiceRequest): boolean {
	const requests = requestsOf(doc);
	if (requests.has(request.id)) return false;
	const { id, ...fields } = serviceRequestSchema.parse(request);
	const record = new Y.Map<unknown>();
	for (const [field, value] of Object.entries(fields)) if (value !== undefined) record.set(field, value);
	requests.set(id, record);
	return true;
}

const backupsOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(CUSTOMER_ROOTS.backupRequests);

/** P7: the record of a backup a person asked for (status `queued`), written by the server's command. */
export function putBackupRequest(doc: Y.Doc, request: BackupRequest): void {
	backupsOf(doc).set(request.id, backupRequestSchema.parse(request));
}

export function readBackupRequest(doc: Y.Doc, id: string): BackupRequest | null {
	const parsed = backupRequestSchema.safeParse(backupsOf(doc).get(id));
	return parsed.success ? parsed.data : null;
}

/** P7: what the backup integration reported; answers false when the document has no such request. */
export function setBackupStatus(doc: Y.Doc, id: string, status: BackupRequestStatus, updatedAt: string): boolean {
	const current = readBackupRequest(doc, id);
	if (!current) return false;
	backupsOf(doc).set(id, backupRequestSchema.parse({ ...current, status, updatedAt }));
	return true;
}

/** P6: the id of the `index`-th service an invitation adds (derived from the command, so a retry cannot add it twice). */
export const invitedServiceId = (commandId: string, index: number): string => `${commandId}-s${index}`;

/** P6: the invitation's services, one Y.Map of fields each (`serviceSchema` without the id, which is the key). */
export function writeInvitedServices(doc: Y.Doc, commandId: string, kinds: readonly ServiceKind[], at: string): void {
	const services = doc.getMap<Y.Map<unknown>>(CUSTOMER_ROOTS.services);
	doc.transact(() => {
		kinds.forEach((kind, index) => {
			const id = invitedServiceId(commandId, index);
			if (services.has(id)) return;
			const { id: _id, ...fields } = serviceSchema.parse({ id, kind, status: 'active', addedAt: at });
			const record = new Y.Map<unknown>();
			for (const [key, value] of Object.entries(fields)) record.set(key, value);
			services.set(id, record);
		});
	});
}

/** Whether the customer has the service `id`. */
export const hasService = (doc: Y.Doc, id: string): boolean =>
	doc.getMap<unknown>(CUSTOMER_ROOTS.services).get(id) instanceof Y.Map;
