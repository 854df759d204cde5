// P4, P5: integration tokens managed by people with settings.edit (created once-shown, listed without secrets, revoked),
// audited without the secret (P17), and by operators with the CLI on the store.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTokenResponseSchema, tokensResponseSchema } from '../../src/lib/schema/integrations';
import { hashToken } from '../../server/src/integrations/tokens';
import { openSqliteStore } from '../../server/src/store/sqlite';
import { createSignedIn } from '../helpers/portal-clients';
import { job, startIntegrations, TENANT, type IntegrationsHarness } from './integrations-harness';

describe('token management API', () => {
	let h: IntegrationsHarness;
	beforeEach(async () => {
		h = await startIntegrations();
	});
	afterEach(async () => {
		await h.close();
	});

	const call = (cookie: string, method: string, path: string, body?: unknown) =>
		fetch(`${h.portal.base}${path}`, {
			method,
			headers: {
				cookie,
				origin: h.portal.base,
				...(body === undefined ? {} : { 'content-type': 'application/json' })
			},
			body: body === undefined ? undefined : JSON.stringify(body)
		});

	it('P4: an owner creates a token (shown once, stored hashed), lists and revokes it; the API refuses it at once', async () => {
		const cookie = await h.ownerCookie();
		// Listed oldest first (tokens of one instant by id): the harness's token came a second earlier.
		h.clock.advance(1000);
		const created = await call(cookie, 'POST', '/api/integrations/tokens', { name: '  Ticketing  ' });
		expect(created.status).toBe(201);
		const { token, secret } = createTokenResponseSchema.parse(await created.json());
		expect(secret).toMatch(/^mspi_[A-Za-z0-9_-]{43}$/);
		expect(token).toMatchObject({ name: 'Ticketing', createdBy: 'owner@acme.example', revokedAt: null });
		const stored = await h.store.getIntegrationToken(token.id);
		expect(stored?.secretHash).toBe(hashToken(secret));
		expect(JSON.stringify(stored)).not.toContain(secret);

		const listed = tokensResponseSchema.parse(await (await call(cookie, 'GET', '/api/integrations/tokens')).json());
		expect(listed.tokens.map((t) => t.name)).toEqual(['Backup system', 'Ticketing']);
		const listText = JSON.stringify(listed);
		expect(listText).not.toContain(secret);
		expect(listText).not.toContain('secretHash');

		const ingest = (s: string) => h.post('/api/v1/jobs', { items: [job('j1', 'c1')] }, s);
		expect((await ingest(secret)).status).toBe(200);
		expect((await h.store.getIntegrationToken(token.id))?.lastUsedAt).toBe(h.clock.now().toISOString());

		expect((await call(cookie, 'DELETE', `/api/integrations/tokens/${token.id}`)).status).toBe(204);
		expect((await ingest(secret)).status).toBe(401);
		expect((await call(cookie, 'DELETE', '/api/integrations/tokens/nope')).status).toBe(404);

		const audit = await h.store.listAudit({ tenantId: TENANT, itemType: 'integrationToken' });
		expect(audit.filter((e) => e.item === token.id).map((e) => e.action)).toEqual(['revoked', 'ingested', 'created']);
		expect(JSON.stringify(audit)).not.toContain(secret);
	});

	it('P4: only settings.edit may manage tokens; a foreign origin and bad names are refused', async () => {
		const readOnly = await createSignedIn(h.portal.base, h.store, {
			tenantId: TENANT,
			email: 'reader@acme.example',
			role: 'readOnly'
		});
		expect((await call(readOnly, 'GET', '/api/integrations/tokens')).status).toBe(403);
		expect((await call(readOnly, 'POST', '/api/integrations/tokens', { name: 'x' })).status).toBe(403);
		expect((await call(readOnly, 'DELETE', `/api/integrations/tokens/${h.tokenId}`)).status).toBe(403);
		expect((await fetch(`${h.portal.base}/api/integrations/tokens`)).status).toBe(401);
		const owner = await h.ownerCookie();
		const foreign = await fetch(`${h.portal.base}/api/integrations/tokens`, {
			method: 'POST',
			headers: { cookie: owner, origin: 'https://evil.example', 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'x' })
		});
		expect(foreign.status).toBe(403);
		const empty = await call(owner, 'POST', '/api/integrations/tokens', { name: '   ' });
		expect(empty.status).toBe(400);
		expect(((await empty.json()) as { error: { message: string } }).error.message).toContain('a token needs a name');
		expect((await h.store.listIntegrationTokens(TENANT)).length).toBe(1);
		// Another tenant's token cannot be revoked from here.
		const other = (await h.store.listIntegrationTokens('globex'))[0]!;
		expect((await call(owner, 'DELETE', `/api/integrations/tokens/${other.id}`)).status).toBe(404);
		expect((await h.store.getIntegrationToken(other.id))?.revokedAt).toBeNull();
	});
});

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = join(ROOT, 'server', 'src', 'cli.ts');

function cli(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
	return new Promise((done) => {
		execFile(TSX, [CLI, ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir } }, (error, stdout, stderr) =>
			done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
		);
	});
}

describe('token CLI', { timeout: 60_000 }, () => {
	let dataDir: string;
	beforeEach(() => {
		dataDir = mkdtempSync(join(tmpdir(), 'msp-token-cli-'));
	});
	afterEach(() => {
		rmSync(dataDir, { recursive: true, force: true });
	});

	it('P4: token create prints the token once, list shows it without the secret, revoke ends it', async () => {
		const tenantId = (await cli(dataDir, 'tenant', 'create', 'Acme IT')).stdout.trim();
		const created = await cli(dataDir, 'token', 'create', '--tenant', tenantId, '--name', 'Backup system');
		expect(created.code).toBe(0);
		const secret = created.stdout.trim();
		expect(secret).toMatch(/^mspi_[A-Za-z0-9_-]{43}$/);
		const store = openSqliteStore(join(dataDir, 'portal.db'));
		const [token] = await store.listIntegrationTokens(tenantId);
		await store.close();
		expect(token?.secretHash).toBe(hashToken(secret));

		const list = await cli(dataDir, 'token', 'list', '--tenant', tenantId);
		expect(list.code).toBe(0);
		expect(list.stdout).toContain(`${token!.id}\t${tenantId}\tBackup system\t`);
		expect(list.stdout).toContain('\tactive');
		expect(list.stdout).not.toContain(secret);

		const revoked = await cli(dataDir, 'token', 'revoke', token!.id);
		expect(revoked.code).toBe(0);
		expect((await cli(dataDir, 'token', 'list')).stdout).not.toContain('\tactive');
		expect((await cli(dataDir, 'token', 'revoke', token!.id)).stderr).toContain('revoked already');

		expect((await cli(dataDir, 'token', 'create', '--tenant', 'nope', '--name', 'x')).stderr).toContain('no tenant');
		expect((await cli(dataDir, 'token', 'create', '--tenant', tenantId)).code).toBe(2);
	});
});
