// P4, P5, P7: the integrations API over HTTP: bearer tokens, bodies parsed with zod, item-by-item refusals, idempotency
// per tenant, writes into the customer documents that connected devices see live, and the backup queue.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ingestResponseSchema, MAX_INGEST_BODY_BYTES } from '../../src/lib/schema/integrations';
import { CUSTOMER_ROOTS } from '../../src/lib/data/customer-doc';
import { putBackupRequest, readJobs } from '../../src/lib/data/customer-feed';
import { waitForDoc } from '../helpers/sync-clients';
import { raw } from '../helpers/portal';
import {
	job,
	OTHER_TENANT,
	request,
	startIntegrations,
	TENANT,
	type IntegrationsHarness
} from './integrations-harness';

let h: IntegrationsHarness;
beforeEach(async () => {
	h = await startIntegrations();
});
afterEach(async () => {
	await h.close();
});

const answer = (body: string) => ingestResponseSchema.parse(JSON.parse(body));
const errorOf = (body: string) => (JSON.parse(body) as { error: { code: string; message: string } }).error;

describe('tokens on /api/v1', () => {
	it('P4: a missing, malformed, wrong or revoked token is answered 401 and changes nothing', async () => {
		const body = { items: [job('j1', 'c1')] };
		const wrong = `mspi_${'A'.repeat(43)}`;
		for (const [token, headers] of [
			[null, {}],
			['not-a-token', {}],
			[wrong, {}],
			[null, { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }]
		] as const) {
			const response = await h.post('/api/v1/jobs', body, token, headers);
			expect(response.status).toBe(401);
			expect(errorOf(response.body).code).toBe('invalid_token');
			expect(response.headers['www-authenticate']).toContain('Bearer');
		}
		expect(await h.store.revokeIntegrationToken(h.tokenId, h.clock.now().toISOString())).toBe(true);
		const revoked = await h.post('/api/v1/jobs', body);
		expect(revoked.status).toBe(401);
		expect(errorOf(revoked.body).message).toContain('revoked');
		expect(await h.store.knownJobIds(TENANT, ['j1'])).toEqual(new Set());
		expect(readJobs(await h.customerDoc('c1'))).toEqual([]);
	});

	it("P4: a token of another tenant cannot reach this tenant's customers", async () => {
		const response = await h.post('/api/v1/jobs', { items: [job('j1', 'c1')] }, h.otherToken);
		expect(response.status).toBe(200);
		expect(answer(response.body)).toEqual({
			accepted: 0,
			duplicates: 0,
			refused: [{ index: 0, code: 'unknownCustomer', message: 'no customer c1 in this tenant' }]
		});
		expect(readJobs(await h.customerDoc('c1'))).toEqual([]);
		// Its own customer is reached, in its own tenant's document.
		expect(answer((await h.post('/api/v1/jobs', { items: [job('j1', 'g1')] }, h.otherToken)).body).accepted).toBe(1);
		expect(await h.store.knownJobIds(OTHER_TENANT, ['j1'])).toEqual(new Set(['j1']));
		expect(await h.store.knownJobIds(TENANT, ['j1'])).toEqual(new Set());
	});
});

describe('bodies', () => {
	it('P4: bad bodies get a clear 400 (or 413, 415) and change nothing', async () => {
		const cases: Array<[unknown, number, string]> = [
			[{}, 400, 'items'],
			[{ items: [] }, 400, 'items is empty'],
			[{ items: 'x' }, 400, 'items'],
			[{ items: [job('j1', 'c1')], extra: 1 }, 400, 'extra'],
			[{ items: Array.from({ length: 1001 }, (_, i) => job(`j${i}`, 'c1')) }, 400, 'at most 1000 items per call']
		];
		for (const [body, status, message] of cases) {
			const response = await h.post('/api/v1/jobs', body);
			expect(response.status, JSON.stringify(body).slice(0, 60)).toBe(status);
			expect(errorOf(response.body).message).toContain(message);
		}
		const notJson = await raw(h.portal.port, '/api/v1/jobs', {
			method: 'POST',
			headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' }
		});
		expect(notJson.status).toBe(400);
		const oversized = await h.post('/api/v1/jobs', {
			items: [job('j1', 'c1', { pad: 'x'.repeat(MAX_INGEST_BODY_BYTES) })]
		});
		expect(oversized.status).toBe(413);
		expect(await h.store.knownJobIds(TENANT, ['j1', 'j0'])).toEqual(new Set());
		expect(readJobs(await h.customerDoc('c1'))).toEqual([]);
	});

	it('P4: 1,000 items in one call are accepted', async () => {
		const items = Array.from({ length: 1000 }, (_, i) => job(`j${i}`, i % 2 === 0 ? 'c1' : 'c2'));
		const response = await h.post('/api/v1/jobs', { items });
		expect(answer(response.body)).toEqual({ accepted: 1000, duplicates: 0, refused: [] });
		expect(readJobs(await h.customerDoc('c1'))).toHaveLength(500);
	});

	it('P4: each bad item is refused with its index and reason; the rest is accepted', async () => {
		const response = await h.post('/api/v1/jobs', {
			items: [
				job('j1', 'c1'),
				job('j2', 'c1', { status: 'exploded' }),
				job('j1', 'c2'),
				job('j3', 'nobody'),
				job('j4', 'c3'),
				job('j5', 'msp-a'),
				job('j6', 'c2', { bytes: -1 }),
				'not an object'
			]
		});
		expect(response.status).toBe(200);
		const result = answer(response.body);
		expect(result.accepted).toBe(1);
		expect(result.refused.map((r) => [r.index, r.code])).toEqual([
			[1, 'invalid'],
			[2, 'duplicateInCall'],
			[3, 'unknownCustomer'],
			[4, 'customerReadOnly'],
			[5, 'unknownCustomer'],
			[6, 'invalid'],
			[7, 'invalid']
		]);
		expect(result.refused[0]?.message).toMatch(/^status: /);
		expect(result.refused[5]?.message).toMatch(/^bytes: /);
		expect(readJobs(await h.customerDoc('c1')).map((j) => j.jobId)).toEqual(['j1']);
		expect(readJobs(await h.customerDoc('c3'))).toEqual([]);
	});
});

describe('jobs and requests in the customer documents', () => {
	it('P4: accepted jobs reach a connected device live; a second delivery is a duplicate and changes nothing', async () => {
		const device = await h.replica('c1');
		const first = await h.post('/api/v1/jobs', {
			items: [job('j1', 'c1'), job('j2', 'c1', { status: 'failed', bytes: undefined })]
		});
		expect(answer(first.body)).toEqual({ accepted: 2, duplicates: 0, refused: [] });
		await waitForDoc(device.doc, (doc) => doc.getMap(CUSTOMER_ROOTS.jobs).size === 2);
		expect(device.doc.getMap(CUSTOMER_ROOTS.jobs).get('j2')).toEqual({
			jobId: 'j2',
			service: 'Exchange backup',
			module: 'Mailboxes',
			status: 'failed',
			startedAt: '2025-06-01T10:00:00Z',
			endedAt: '2025-06-01T10:30:00Z'
		});
		const before = Y.encodeStateVector(await h.customerDoc('c1'));
		const again = await h.post('/api/v1/jobs', {
			items: [job('j1', 'c1', { status: 'failed' }), job('j3', 'c1')]
		});
		expect(answer(again.body)).toEqual({ accepted: 1, duplicates: 1, refused: [] });
		const after = await h.customerDoc('c1');
		expect((after.getMap(CUSTOMER_ROOTS.jobs).get('j1') as { status: string }).status).toBe('succeeded');
		expect(Y.encodeStateVector(after)).not.toEqual(before);
		// The whole same call again: nothing at all is written.
		const stateBefore = Y.encodeStateAsUpdate(await h.customerDoc('c1'));
		expect(answer((await h.post('/api/v1/jobs', { items: [job('j3', 'c1')] })).body)).toEqual({
			accepted: 0,
			duplicates: 1,
			refused: []
		});
		expect(Y.encodeStateAsUpdate(await h.customerDoc('c1'))).toEqual(stateBefore);
	});

	it('P5: a request arrives as fields of its own (status open, the token as source); a resend keeps what people changed', async () => {
		const device = await h.replica('c1');
		const response = await h.post('/api/v1/service-requests', {
			items: [request('r1', 'c1'), request('r2', 'c1', { status: 'waiting' }), request('r1', 'c1')]
		});
		expect(answer(response.body)).toMatchObject({
			accepted: 2,
			duplicates: 0,
			refused: [{ index: 2, code: 'duplicateInCall' }]
		});
		const requests = device.doc.getMap<Y.Map<unknown>>(CUSTOMER_ROOTS.serviceRequests);
		await waitForDoc(device.doc, () => requests.size === 2);
		const r1 = requests.get('r1');
		expect(r1).toBeInstanceOf(Y.Map);
		expect(r1?.toJSON()).toEqual({
			subject: 'Restore a mailbox',
			details: 'The CFO deleted a folder.',
			status: 'open',
			submittedAt: '2025-06-01T09:00:00Z',
			source: 'Backup system'
		});
		expect(requests.get('r2')?.get('status')).toBe('waiting');
		// A technician takes it on (written here as the stored change it becomes: the people's side of the document and its
		// validation are engineer B's); the ticketing system then sends it again with its old status.
		await h.portal.server.relay.change(`${TENANT}/customer:c1`, (doc) =>
			doc.getMap<Y.Map<unknown>>(CUSTOMER_ROOTS.serviceRequests).get('r1')?.set('status', 'inProgress')
		);
		await waitForDoc(device.doc, () => r1?.get('status') === 'inProgress');
		const resend = await h.post('/api/v1/service-requests', { items: [request('r1', 'c1', { status: 'open' })] });
		expect(answer(resend.body)).toEqual({ accepted: 0, duplicates: 1, refused: [] });
		const stored = (await h.customerDoc('c1')).getMap<Y.Map<unknown>>(CUSTOMER_ROOTS.serviceRequests);
		expect(stored.get('r1')?.get('status')).toBe('inProgress');
	});
});

describe('backups (P7)', () => {
	it('P7: a queued backup is picked up once (sent), its status reported back into the customer document', async () => {
		const requestedAt = h.clock.now().toISOString();
		const backup = {
			id: 'b1',
			serviceId: null,
			requestedAt,
			requestedBy: 'owner@acme.example',
			status: 'queued' as const,
			updatedAt: requestedAt
		};
		// What engineer D's customer.startBackup command does: the record in the document, then the queue.
		await h.portal.server.relay.change(`${TENANT}/customer:c1`, (doc) => putBackupRequest(doc, backup));
		await h.portal.server.integrations.queue(TENANT, 'c1', backup);
		const device = await h.replica('c1');
		const get = (token: string) =>
			raw(h.portal.port, '/api/v1/backup-requests', { headers: { authorization: `Bearer ${token}` } });
		expect(JSON.parse((await get(h.otherToken)).body)).toEqual({ items: [] });
		const picked = await get(h.token);
		expect(picked.status).toBe(200);
		expect(JSON.parse(picked.body)).toEqual({ items: [{ id: 'b1', customerId: 'c1', serviceId: null, requestedAt }] });
		expect(JSON.parse((await get(h.token)).body)).toEqual({ items: [] });
		const records = device.doc.getMap<{ status: string }>(CUSTOMER_ROOTS.backupRequests);
		await waitForDoc(device.doc, () => records.get('b1')?.status === 'sent');

		h.clock.advance(60_000);
		const done = await h.post('/api/v1/backup-requests/b1', { status: 'succeeded' });
		expect(done.status).toBe(200);
		await waitForDoc(device.doc, () => records.get('b1')?.status === 'succeeded');
		expect(records.get('b1')).toMatchObject({ updatedAt: h.clock.now().toISOString() });
		expect((await h.post('/api/v1/backup-requests/b1', { status: 'queued' })).status).toBe(400);
		expect((await h.post('/api/v1/backup-requests/nope', { status: 'failed' })).status).toBe(404);
		expect((await h.post('/api/v1/backup-requests/b1', { status: 'failed' }, h.otherToken)).status).toBe(404);
		expect((await h.post('/api/v1/backup-requests/b1', { status: 'failed' }, null)).status).toBe(401);
	});
});
