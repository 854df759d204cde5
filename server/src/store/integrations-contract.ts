// The store contract for the integrations tables (P4, P5, P7): run by runStoreContract on every Store.
import { describe, expect, it } from 'vitest';
import type { IntegrationTokenRecord, Store } from './types';

const at = (iso: string): string => new Date(iso).toISOString();

export function integrationsContract(store: () => Store): void {
	describe('integrations', () => {
		const token = (overrides: Partial<IntegrationTokenRecord> = {}): IntegrationTokenRecord => ({
			id: 'tok-1',
			tenantId: 't1',
			name: 'Backup system',
			secretHash: 'a'.repeat(64),
			createdAt: at('2025-01-01T00:00:00Z'),
			createdBy: 'owner@example.com',
			lastUsedAt: null,
			revokedAt: null,
			...overrides
		});
		const tenants = async (): Promise<void> => {
			for (const id of ['t1', 't2'])
				await store().createTenant({ id, name: id, createdAt: at('2025-01-01T00:00:00Z') });
		};

		it('P4: tokens are found by their hash, listed per tenant, touched and revoked once', async () => {
			await tenants();
			await store().createIntegrationToken(token());
			await store().createIntegrationToken(
				token({ id: 'tok-2', tenantId: 't2', secretHash: 'b'.repeat(64), createdBy: null })
			);
			await store().createIntegrationToken(
				token({ id: 'tok-0', secretHash: 'c'.repeat(64), createdAt: at('2025-01-02T00:00:00Z') })
			);
			await expect(store().createIntegrationToken(token({ id: 'tok-3' }))).rejects.toThrow();
			expect(await store().integrationTokenByHash('a'.repeat(64))).toEqual(token());
			expect(await store().integrationTokenByHash('d'.repeat(64))).toBeNull();
			expect((await store().listIntegrationTokens('t1')).map((t) => t.id)).toEqual(['tok-1', 'tok-0']);
			expect((await store().listIntegrationTokens(null)).map((t) => t.id)).toEqual(['tok-1', 'tok-0', 'tok-2']);
			await store().touchIntegrationToken('tok-1', at('2025-01-03T00:00:00Z'));
			expect((await store().getIntegrationToken('tok-1'))?.lastUsedAt).toBe(at('2025-01-03T00:00:00Z'));
			expect(await store().revokeIntegrationToken('tok-1', at('2025-01-04T00:00:00Z'))).toBe(true);
			expect(await store().revokeIntegrationToken('tok-1', at('2025-01-05T00:00:00Z'))).toBe(false);
			expect(await store().revokeIntegrationToken('nope', at('2025-01-05T00:00:00Z'))).toBe(false);
			expect((await store().getIntegrationToken('tok-1'))?.revokedAt).toBe(at('2025-01-04T00:00:00Z'));
		});

		it('P4: job ids are kept per tenant, inserted once, and folded per customer before a time', async () => {
			const job = (jobId: string, customerId: string, endedAt: string) => ({
				jobId,
				customerId,
				status: 'failed',
				endedAt: at(endedAt),
				bytes: null
			});
			expect(
				await store().insertJobs('t1', [
					job('j1', 'c1', '2025-01-01T00:00:00Z'),
					job('j2', 'c1', '2025-03-01T00:00:00Z'),
					job('j3', 'c2', '2025-01-02T00:00:00Z')
				])
			).toBe(3);
			expect(await store().insertJobs('t1', [job('j1', 'c1', '2025-01-01T00:00:00Z')])).toBe(0);
			expect(await store().insertJobs('t2', [job('j1', 'c9', '2025-01-01T00:00:00Z')])).toBe(1);
			expect([...(await store().knownJobIds('t1', ['j1', 'j3', 'j4']))].sort()).toEqual(['j1', 'j3']);
			expect(await store().customersWithJobsBefore(at('2025-02-01T00:00:00Z'))).toEqual([
				{ tenantId: 't1', customerId: 'c1' },
				{ tenantId: 't1', customerId: 'c2' },
				{ tenantId: 't2', customerId: 'c9' }
			]);
			expect(await store().markJobsFolded('t1', 'c1', at('2025-02-01T00:00:00Z'))).toBe(1);
			expect(await store().markJobsFolded('t1', 'c1', at('2025-02-01T00:00:00Z'))).toBe(0);
			expect(await store().customersWithJobsBefore(at('2025-02-01T00:00:00Z'))).toEqual([
				{ tenantId: 't1', customerId: 'c2' },
				{ tenantId: 't2', customerId: 'c9' }
			]);
			// A folded job still counts as known: a late second delivery changes nothing.
			expect(await store().knownJobIds('t1', ['j1'])).toEqual(new Set(['j1']));
		});

		it('P5: request ids are kept per tenant and inserted once', async () => {
			const r = (requestId: string) => ({ requestId, customerId: 'c1', at: at('2025-01-01T00:00:00Z') });
			expect(await store().insertServiceRequestIds('t1', [r('r1'), r('r2')])).toBe(2);
			expect(await store().insertServiceRequestIds('t1', [r('r2'), r('r3')])).toBe(1);
			expect(await store().knownServiceRequestIds('t2', ['r1'])).toEqual(new Set());
			expect([...(await store().knownServiceRequestIds('t1', ['r1', 'r3', 'r4']))].sort()).toEqual(['r1', 'r3']);
		});

		it('P7: queued backup requests are taken once (marked sent), oldest first, and updated', async () => {
			const backup = (id: string, requestedAt: string, tenantId = 't1') => ({
				tenantId,
				id,
				customerId: 'c1',
				serviceId: null,
				requestedAt: at(requestedAt),
				requestedBy: 'tech@example.com',
				status: 'queued',
				updatedAt: at(requestedAt)
			});
			await store().putBackupRequest(backup('b2', '2025-01-02T00:00:00Z'));
			await store().putBackupRequest(backup('b1', '2025-01-01T00:00:00Z'));
			await store().putBackupRequest(backup('b3', '2025-01-03T00:00:00Z'));
			await store().putBackupRequest(backup('b1', '2025-01-01T00:00:00Z', 't2'));
			await expect(store().putBackupRequest(backup('b1', '2025-01-05T00:00:00Z'))).rejects.toThrow();
			const sentAt = at('2025-01-04T00:00:00Z');
			const taken = await store().takeQueuedBackupRequests('t1', sentAt, 2);
			expect(taken.map((r) => [r.id, r.status, r.updatedAt])).toEqual([
				['b1', 'sent', sentAt],
				['b2', 'sent', sentAt]
			]);
			expect((await store().takeQueuedBackupRequests('t1', sentAt, 10)).map((r) => r.id)).toEqual(['b3']);
			expect(await store().takeQueuedBackupRequests('t1', sentAt, 10)).toEqual([]);
			const done = await store().updateBackupRequest('t1', 'b1', 'succeeded', at('2025-01-05T00:00:00Z'));
			expect(done).toMatchObject({ id: 'b1', status: 'succeeded', updatedAt: at('2025-01-05T00:00:00Z') });
			expect(await store().updateBackupRequest('t1', 'nope', 'failed', sentAt)).toBeNull();
			expect((await store().takeQueuedBackupRequests('t2', sentAt, 10)).map((r) => r.id)).toEqual(['b1']);
		});
	});
}
