// P4, P5: the integration tokens' calls (list, create, revoke); the tenant is the signed-in person's, settings.edit.
import {
	createTokenRequestSchema,
	createTokenResponseSchema,
	tokensResponseSchema,
	type IntegrationToken
} from '$lib/schema/integrations';
import { entityIdSchema } from '$lib/schema/ids';
import { ApiRequestError, parseJson, request } from './client';

const TOKENS = '/api/integrations/tokens';

/** `GET /api/integrations/tokens`: every token of the tenant, revoked ones included (never a secret). */
export async function fetchIntegrationTokens(): Promise<IntegrationToken[]> {
	return (await parseJson(await request('GET', TOKENS), tokensResponseSchema)).tokens;
}

/** `POST /api/integrations/tokens`: a new token and its secret, which no later answer holds again. */
export async function createIntegrationToken(name: string): Promise<{ token: IntegrationToken; secret: string }> {
	const body = createTokenRequestSchema.safeParse({ name });
	if (!body.success) throw new ApiRequestError(0, 'invalid', body.error.issues[0]?.message ?? 'invalid name');
	const response = await request('POST', TOKENS, body.data);
	const created = await parseJson(response, createTokenResponseSchema);
	if (created.secret.length === 0)
		throw new ApiRequestError(response.status, 'badResponse', 'the answer holds no secret');
	return created;
}

/** `DELETE /api/integrations/tokens/<id>`: the token no longer opens the API (204). */
export async function revokeIntegrationToken(id: string): Promise<void> {
	// The id goes into the path: only a well-formed one is sent.
	if (!entityIdSchema.safeParse(id).success) throw new ApiRequestError(0, 'invalid', 'not a token id');
	await request('DELETE', `${TOKENS}/${encodeURIComponent(id)}`);
}
