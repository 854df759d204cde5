// P4, P5: the integrations API (`POST /api/v1/jobs`, `POST /api/v1/service-requests`, backup requests) and its tokens.
import { z } from 'zod';
import { entityIdSchema } from './ids';
import { backupRequestStatusSchema, externalIdSchema, jobSchema, requestStatusSchema } from './customer';

/** At most this many items in one call. */
export const MAX_INGEST_ITEMS = 1000;
/** At most this many bytes in one call's body. */
export const MAX_INGEST_BODY_BYTES = 2 * 1024 * 1024;

export const jobEventSchema = z.strictObject({
	...jobSchema.shape,
	customerId: entityIdSchema
});
export type JobEvent = z.infer<typeof jobEventSchema>;

export const serviceRequestEventSchema = z.strictObject({
	requestId: externalIdSchema,
	customerId: entityIdSchema,
	subject: z.string().trim().min(1).max(200),
	details: z.string().trim().max(10_000),
	submittedAt: z.iso.datetime(),
	status: requestStatusSchema.optional()
});
export type ServiceRequestEvent = z.infer<typeof serviceRequestEventSchema>;

/**
 * The body's envelope only: each item is parsed on its own, so that one bad item is refused with its index and the rest
 * are accepted.
 */
export const ingestBodySchema = z.strictObject({
	items: z
		.array(z.unknown())
		.min(1, 'items is empty')
		.max(MAX_INGEST_ITEMS, `at most ${MAX_INGEST_ITEMS} items per call`)
});

export const INGEST_REFUSALS = ['invalid', 'unknownCustomer', 'duplicateInCall', 'customerReadOnly'] as const;
export const ingestRefusalSchema = z.object({
	index: z.number().int().nonnegative(),
	code: z.enum(INGEST_REFUSALS),
	message: z.string().max(500)
});
export type IngestRefusal = z.infer<typeof ingestRefusalSchema>;

export const ingestResponseSchema = z.object({
	accepted: z.number().int().nonnegative(),
	duplicates: z.number().int().nonnegative(),
	refused: z.array(ingestRefusalSchema)
});
export type IngestResponse = z.infer<typeof ingestResponseSchema>;

/** P7: a backup integration reports what became of a backup it was asked for. */
export const backupStatusUpdateSchema = z.strictObject({
	status: backupRequestStatusSchema.exclude(['queued'])
});

/** P7: a backup request as the backup integration picks it up (`GET /api/v1/backup-requests`). */
export const backupRequestItemSchema = z.object({
	id: entityIdSchema,
	customerId: entityIdSchema,
	serviceId: entityIdSchema.nullable(),
	requestedAt: z.iso.datetime()
});
export type BackupRequestItem = z.infer<typeof backupRequestItemSchema>;
export const backupRequestsResponseSchema = z.object({ items: z.array(backupRequestItemSchema) });

// ---- tokens (an owner creates and revokes them in the UI and the CLI) ----

export const tokenNameSchema = z.string().trim().min(1, 'a token needs a name').max(80);

export const integrationTokenSchema = z.object({
	id: entityIdSchema,
	name: tokenNameSchema,
	createdAt: z.iso.datetime(),
	createdBy: z.string().max(254).nullable(),
	lastUsedAt: z.iso.datetime().nullable(),
	revokedAt: z.iso.datetime().nullable()
});
export type IntegrationToken = z.infer<typeof integrationTokenSchema>;

export const createTokenRequestSchema = z.strictObject({ name: tokenNameSchema });
/** The secret is in this answer only, once; the server keeps its hash. */
export const createTokenResponseSchema = z.object({ token: integrationTokenSchema, secret: z.string() });
export const tokensResponseSchema = z.object({ tokens: z.array(integrationTokenSchema) });
