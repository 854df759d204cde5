// One customer's working data, stored in its own document `customer:<id>`.
import { z } from 'zod';
import { entityIdSchema } from './ids';

export const contactSchema = z.object({
	id: entityIdSchema,
	name: z.string().trim().min(1, 'a contact needs a name').max(120),
	role: z.string().trim().max(80),
	email: z.union([z.email().max(254), z.literal('')]),
	phone: z.string().trim().max(40)
});
export type Contact = z.infer<typeof contactSchema>;
export const contactInputSchema = contactSchema.omit({ id: true });
export type ContactInput = z.infer<typeof contactInputSchema>;

export const noteSchema = z.object({
	id: entityIdSchema,
	text: z.string().trim().min(1).max(4000),
	author: z.string().max(254),
	at: z.iso.datetime()
});
export type Note = z.infer<typeof noteSchema>;

// ---- P4, P5, P7: services, jobs and service requests (issue 9) ----

/** What the partner runs for a customer (P6 "services to add", P1 "purchased services"). */
export const SERVICE_KINDS = [
	'exchangeBackup',
	'oneDriveBackup',
	'sharePointBackup',
	'teamsBackup',
	'serverBackup',
	'endpointProtection'
] as const;
export const serviceKindSchema = z.enum(SERVICE_KINDS);
export type ServiceKind = z.infer<typeof serviceKindSchema>;

/** A service of the customer: root map `services`, one Y.Map of fields per service (id = map key). */
export const serviceSchema = z.object({
	id: entityIdSchema,
	kind: serviceKindSchema,
	status: z.enum(['active', 'paused']),
	addedAt: z.iso.datetime()
});
export type Service = z.infer<typeof serviceSchema>;

export const JOB_STATUSES = ['succeeded', 'failed', 'warning'] as const;
export const jobStatusSchema = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof jobStatusSchema>;

/** A sender's id (job id, request id): what an integration calls it, unique per tenant. */
export const externalIdSchema = z
	.string()
	.min(1)
	.max(128)
	.regex(/^[\x21-\x7e]+$/, 'an id holds printable ASCII characters without spaces');

/**
 * P4: one backup job as an integration reported it. Root map `jobs` (key: the sender's job id), one plain value each,
 * written only by the server; jobs older than the rolling window (90 days) are folded into `jobDays`.
 */
export const jobSchema = z.object({
	jobId: externalIdSchema,
	service: z.string().trim().min(1).max(80),
	module: z.string().trim().min(1).max(80),
	status: jobStatusSchema,
	startedAt: z.iso.datetime(),
	endedAt: z.iso.datetime(),
	bytes: z.number().int().nonnegative().optional()
});
export type Job = z.infer<typeof jobSchema>;

/** Days are UTC calendar days, `YYYY-MM-DD`. */
export const daySchema = z.iso.date();

/** Jobs older than the window, per day (root map `jobDays`, key: the day), written only by the server. */
export const jobDaySchema = z.object({
	day: daySchema,
	succeeded: z.number().int().nonnegative(),
	failed: z.number().int().nonnegative(),
	warning: z.number().int().nonnegative(),
	bytes: z.number().int().nonnegative()
});
export type JobDay = z.infer<typeof jobDaySchema>;

/** The rolling window of jobs kept one by one in a customer document. */
export const JOB_WINDOW_DAYS = 90;

export const REQUEST_STATUSES = ['open', 'inProgress', 'waiting', 'closed'] as const;
export const requestStatusSchema = z.enum(REQUEST_STATUSES);
export type RequestStatus = z.infer<typeof requestStatusSchema>;

/**
 * P5: a service request. Root map `serviceRequests`, one Y.Map of fields per request (key: the request id; the sender's
 * id for requests an integration sent), so that a status change and another edit merge (F2). Its notes are in
 * `requestNotes`, a list: two devices adding notes both keep theirs.
 */
export const serviceRequestSchema = z.object({
	id: externalIdSchema,
	subject: z.string().trim().min(1, 'a request needs a subject').max(200),
	details: z.string().trim().max(10_000),
	status: requestStatusSchema,
	submittedAt: z.iso.datetime(),
	/** Who sent it: an integration (its name) or a person of the portal (their email). */
	source: z.string().max(254).optional()
});
export type ServiceRequest = z.infer<typeof serviceRequestSchema>;
/** What a person writes of a service request in the portal: subject and details (the status has its own control). */
export const serviceRequestInputSchema = serviceRequestSchema.pick({ subject: true, details: true });
export type ServiceRequestInput = z.infer<typeof serviceRequestInputSchema>;

/** A note on a service request (root array `requestNotes`, added whole, never edited). */
export const requestNoteSchema = z.object({
	id: entityIdSchema,
	requestId: externalIdSchema,
	text: z.string().trim().min(1).max(4000),
	author: z.string().max(254),
	at: z.iso.datetime()
});
export type RequestNote = z.infer<typeof requestNoteSchema>;

export const BACKUP_REQUEST_STATUSES = ['queued', 'sent', 'running', 'succeeded', 'failed'] as const;
export const backupRequestStatusSchema = z.enum(BACKUP_REQUEST_STATUSES);
export type BackupRequestStatus = z.infer<typeof backupRequestStatusSchema>;

/**
 * P7 "start a backup": asked in the portal (a server command), picked up by the backup integration, which reports its
 * status. Root map `backupRequests` (key: the id), one plain value each, written only by the server.
 */
export const backupRequestSchema = z.object({
	id: entityIdSchema,
	serviceId: entityIdSchema.nullable(),
	requestedAt: z.iso.datetime(),
	requestedBy: z.string().max(254),
	status: backupRequestStatusSchema,
	updatedAt: z.iso.datetime()
});
export type BackupRequest = z.infer<typeof backupRequestSchema>;
