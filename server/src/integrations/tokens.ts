// P4, P5: integration API tokens: `mspi_` + 32 random bytes (base64url), shown once, stored as their SHA-256 (a secret of
// 256 random bits needs no slow hash), scoped to one tenant, revocable.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { tokenNameSchema, type IntegrationToken } from '../../../src/lib/schema/integrations';
import type { IntegrationTokenRecord, Store } from '../store/types';

export const TOKEN_PREFIX = 'mspi_';
/** `mspi_` and 43 base64url characters (32 bytes without padding). */
const TOKEN_PATTERN = /^mspi_[A-Za-z0-9_-]{43}$/;

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export function newTokenSecret(): string {
	return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** What the API and the CLI show of a token (never its hash). */
export function publicToken(record: IntegrationTokenRecord): IntegrationToken {
	return {
		id: record.id,
		name: record.name,
		createdAt: record.createdAt,
		createdBy: record.createdBy,
		lastUsedAt: record.lastUsedAt,
		revokedAt: record.revokedAt
	};
}

/** Creates a token for `tenantId`; answers the record and the secret, which nobody sees again. */
export async function createIntegrationToken(
	store: Pick<Store, 'createIntegrationToken'>,
	input: { tenantId: string; name: string; createdBy: string | null; now: Date }
): Promise<{ record: IntegrationTokenRecord; secret: string }> {
	const secret = newTokenSecret();
	const record: IntegrationTokenRecord = {
		id: randomUUID(),
		tenantId: input.tenantId,
		name: tokenNameSchema.parse(input.name),
		secretHash: hashToken(secret),
		createdAt: input.now.toISOString(),
		createdBy: input.createdBy,
		lastUsedAt: null,
		revokedAt: null
	};
	await store.createIntegrationToken(record);
	return { record, secret };
}

export type BearerFailure = 'missing' | 'malformed' | 'unknown' | 'revoked';

/**
 * The token of an `Authorization: Bearer mspi_…` header, or why there is none. A malformed value is refused before the
 * store is asked; the stored hash is compared in constant time.
 */
export async function tokenOfRequest(
	store: Pick<Store, 'integrationTokenByHash'>,
	req: IncomingMessage
): Promise<{ ok: true; token: IntegrationTokenRecord } | { ok: false; reason: BearerFailure }> {
	const header = req.headers.authorization;
	if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing' };
	const match = /^Bearer +(\S+)\s*$/i.exec(header);
	const secret = match?.[1] ?? '';
	if (!TOKEN_PATTERN.test(secret)) return { ok: false, reason: 'malformed' };
	const hash = hashToken(secret);
	const record = await store.integrationTokenByHash(hash);
	if (!record) return { ok: false, reason: 'unknown' };
	const stored = Buffer.from(record.secretHash, 'hex');
	const given = Buffer.from(hash, 'hex');
	if (stored.length !== given.length || !timingSafeEqual(stored, given)) return { ok: false, reason: 'unknown' };
	if (record.revokedAt !== null) return { ok: false, reason: 'revoked' };
	return { ok: true, token: record };
}
