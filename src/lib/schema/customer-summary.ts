// P1, P2, P4, P5: what the server keeps per customer in the tenant document (root map `customerSummaries`, key: the
// customer id, one plain value each, written only by the server): the directory, the dashboard and the cross-customer
// jobs and requests pages read it offline without opening thousands of customer documents.
import { z } from 'zod';
import { externalIdSchema, requestStatusSchema, serviceKindSchema } from './customer';
import { insightFindingSchema } from './insights';

/** At most this many entries in each list of a summary (newest kept). */
export const SUMMARY_LIST_LIMIT = 100;
/** At most this many event times per list (failed job ends, request submissions) over the 90-day window. */
export const SUMMARY_TIMES_LIMIT = 2000;

/** A time as whole minutes since the Unix epoch (compact in a summary that is rewritten often). */
export const epochMinutesSchema = z.number().int().nonnegative();
export const toEpochMinutes = (iso: string): number => Math.floor(Date.parse(iso) / 60_000);
export const fromEpochMinutes = (minutes: number): Date => new Date(minutes * 60_000);

export const failedJobSummarySchema = z.object({
	jobId: externalIdSchema,
	service: z.string().max(80),
	module: z.string().max(80),
	startedAt: z.iso.datetime(),
	endedAt: z.iso.datetime()
});
export type FailedJobSummary = z.infer<typeof failedJobSummarySchema>;

export const requestSummarySchema = z.object({
	requestId: externalIdSchema,
	subject: z.string().max(200),
	status: requestStatusSchema,
	submittedAt: z.iso.datetime()
});
export type RequestSummary = z.infer<typeof requestSummarySchema>;

export const customerSummarySchema = z.object({
	updatedAt: z.iso.datetime(),
	/** P2: end times (epoch minutes) of the failed jobs of the last 90 days, newest first: counts for any window. */
	failedJobEnds: z.array(epochMinutesSchema).max(SUMMARY_TIMES_LIMIT),
	/** P2: submission times (epoch minutes) of the service requests of the last 90 days, newest first. */
	requestSubmissions: z.array(epochMinutesSchema).max(SUMMARY_TIMES_LIMIT),
	/** Requests not closed, all of them (not only the last 90 days). */
	openRequests: z.number().int().nonnegative(),
	/** Bytes the customer's last successful job per service and module reported, summed (storage used). */
	storageBytes: z.number().int().nonnegative(),
	/** P4: the newest failed jobs of the window, newest first. */
	failedJobs: z.array(failedJobSummarySchema).max(SUMMARY_LIST_LIMIT),
	/** P5: the newest requests not closed, newest first. */
	requests: z.array(requestSummarySchema).max(SUMMARY_LIST_LIMIT),
	/** P1: the services the customer has (active ones). */
	services: z.array(serviceKindSchema).max(20),
	/** P1, P3: the customer's registered accounts: the email addresses of its contacts (admin contact first). */
	accounts: z.array(z.string().max(254)).max(SUMMARY_LIST_LIMIT),
	/** P11: the insight rules that currently fire for this customer (absent in summaries written before P11). */
	insights: z.array(insightFindingSchema).max(50).default([])
});
export type CustomerSummary = z.infer<typeof customerSummarySchema>;

export const EMPTY_SUMMARY: Omit<CustomerSummary, 'updatedAt'> = {
	failedJobEnds: [],
	requestSubmissions: [],
	openRequests: 0,
	storageBytes: 0,
	failedJobs: [],
	requests: [],
	services: [],
	accounts: [],
	insights: []
};
