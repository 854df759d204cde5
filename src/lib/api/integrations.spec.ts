// P4, P5: the integration tokens' client against a stubbed fetch: requests as the contract says, answers parsed with zod.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiRequestError } from './client';
import { createIntegrationToken, fetchIntegrationTokens, revokeIntegrationToken } from './integrations';

const TOKEN = {
	id: 'tok-1',
	name: 'Backup system',
	createdAt: '2026-12-01T10:00:00.000Z',
	createdBy: 'owner@acme.example',
	lastUsedAt: null,
	revokedAt: null
};

interface Call {
	readonly path: string;
	readonly method: string;
	readonly body: unknown;
}

function stubFetch(answer: (call: Call) => Response): Call[] {
	const calls: Call[] = [];
	vi.stubGlobal('fetch', async (path: string, init: RequestInit) => {
		const call = {
			path,
			method: init.method ?? 'GET',
			body: init.body === undefined ? undefined : JSON.parse(String(init.body))
		};
		calls.push(call);
		return answer(call);
	});
	return calls;
}

const json = (status: number, body: unknown): Response =>
	new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

afterEach(() => {
	vi.unstubAllGlobals();
});

describe('integration tokens client', () => {
	it('P4, P5: lists the tokens with GET and parses them', async () => {
		const calls = stubFetch(() =>
			json(200, { tokens: [TOKEN, { ...TOKEN, id: 'tok-2', revokedAt: '2026-12-02T08:00:00.000Z' }] })
		);
		const tokens = await fetchIntegrationTokens();
		expect(calls).toEqual([{ path: '/api/integrations/tokens', method: 'GET', body: undefined }]);
		expect(tokens.map((token) => [token.id, token.revokedAt])).toEqual([
			['tok-1', null],
			['tok-2', '2026-12-02T08:00:00.000Z']
		]);
	});

	it('P4, P5: creates a token with POST {name} and answers the secret once', async () => {
		const calls = stubFetch(() => json(201, { token: TOKEN, secret: 'mspi_s3cr3t' }));
		const created = await createIntegrationToken('  Backup system ');
		expect(calls).toEqual([{ path: '/api/integrations/tokens', method: 'POST', body: { name: 'Backup system' } }]);
		expect(created).toEqual({ token: TOKEN, secret: 'mspi_s3cr3t' });
	});

	it('P4, P5: an empty name is refused before anything is sent', async () => {
		const calls = stubFetch(() => json(201, { token: TOKEN, secret: 'x' }));
		await expect(createIntegrationToken('   ')).rejects.toMatchObject({ code: 'invalid' });
		expect(calls).toEqual([]);
	});

	it('P4, P5: revokes with DELETE on the token path (204); a malformed id is never sent', async () => {
		const calls = stubFetch(() => new Response(null, { status: 204 }));
		await revokeIntegrationToken('tok-1');
		expect(calls).toEqual([{ path: '/api/integrations/tokens/tok-1', method: 'DELETE', body: undefined }]);
		await expect(revokeIntegrationToken('../users')).rejects.toBeInstanceOf(ApiRequestError);
		expect(calls).toHaveLength(1);
	});

	it("P4, P5: the server's error answer becomes an ApiRequestError with its code", async () => {
		stubFetch(() => json(403, { error: { code: 'forbidden', message: 'settings.edit is needed' } }));
		await expect(fetchIntegrationTokens()).rejects.toMatchObject({ status: 403, code: 'forbidden' });
	});

	it('P4, P5: an answer of the wrong shape is an error, not tokens', async () => {
		stubFetch(() => json(200, { tokens: [{ ...TOKEN, createdAt: 'yesterday' }] }));
		await expect(fetchIntegrationTokens()).rejects.toMatchObject({ code: 'badResponse' });
		stubFetch(() => json(201, { token: TOKEN }));
		await expect(createIntegrationToken('Backup')).rejects.toMatchObject({ code: 'badResponse' });
	});
});
