// The store contract for P15's billing reports: run by runStoreContract on every Store.
import { describe, expect, it } from 'vitest';
import type { BillingClaim, Store } from './types';

const at = (iso: string): string => new Date(iso).toISOString();

export function billingContract(store: () => Store): void {
	describe('billing sends', () => {
		const claim = (overrides: Partial<BillingClaim> = {}): BillingClaim => ({
			tenantId: 't1',
			profileId: 'p1',
			customerId: 'c1',
			period: '2026-11',
			customerName: 'Huber GmbH',
			messageId: '<billing-1@portal.invalid>',
			at: at('2026-11-30T08:00:00Z'),
			leaseUntil: at('2026-11-30T08:15:00Z'),
			maxAttempts: 3,
			retrySkipped: false,
			...overrides
		});
		const key = { tenantId: 't1', profileId: 'p1', customerId: 'c1', period: '2026-11' };
		const sent = {
			status: 'sent' as const,
			reason: null,
			recipient: 'admin@huber.example',
			at: at('2026-11-30T08:00:05Z'),
			leaseUntil: null,
			currency: 'EUR',
			totalMinor: 2125
		};

		it('P15: a period is claimed once; a second claim of the same key gets nothing while the first holds it', async () => {
			const first = await store().claimBillingSend(claim());
			expect(first?.previous).toBeNull();
			expect(first?.record).toMatchObject({ status: 'claimed', attempts: 1, messageId: '<billing-1@portal.invalid>' });
			expect(await store().claimBillingSend(claim({ messageId: '<other@x>' }))).toBeNull();
			// Another period, profile or customer is another key.
			expect(await store().claimBillingSend(claim({ period: '2026-12' }))).not.toBeNull();
			expect(await store().claimBillingSend(claim({ customerId: 'c2' }))).not.toBeNull();
			await store().finishBillingSend(key, 1, sent);
			const [row] = await store().listBillingSends('t1', { profileId: 'p1', limit: 1 });
			expect(row).toMatchObject({
				...key,
				status: 'sent',
				recipient: 'admin@huber.example',
				sentAt: sent.at,
				totalMinor: 2125
			});
			// Sent is final, whatever the lease or the attempts.
			expect(await store().claimBillingSend(claim({ at: at('2026-12-31T00:00:00Z'), retrySkipped: true }))).toBeNull();
		});

		it('P15: a claim whose lease passed is taken over with the same Message-ID, up to the attempts allowed', async () => {
			await store().claimBillingSend(claim());
			expect(await store().claimBillingSend(claim({ at: at('2026-11-30T08:14:59Z') }))).toBeNull();
			const second = await store().claimBillingSend(
				claim({ at: at('2026-11-30T08:15:00Z'), leaseUntil: at('2026-11-30T08:30:00Z'), messageId: '<new@x>' })
			);
			expect(second?.previous).toBe('claimed');
			expect(second?.record).toMatchObject({ attempts: 2, messageId: '<billing-1@portal.invalid>' });
			// The first process, back from the dead, cannot mark what is now the second claim's.
			await store().finishBillingSend(key, 1, sent);
			expect((await store().listBillingSends('t1', { limit: 10 }))[0]?.status).toBe('claimed');
			const third = await store().claimBillingSend(claim({ at: at('2026-11-30T09:00:00Z'), maxAttempts: 3 }));
			expect(third?.record.attempts).toBe(3);
			expect(await store().claimBillingSend(claim({ at: at('2026-11-30T10:00:00Z'), maxAttempts: 3 }))).toBeNull();
		});

		it('P15: a failed send is retried after its lease; a skipped one only when asked (the reason went away)', async () => {
			await store().claimBillingSend(claim());
			await store().finishBillingSend(key, 1, {
				...sent,
				status: 'failed',
				reason: 'mailFailed',
				leaseUntil: at('2026-11-30T09:00:00Z')
			});
			expect(await store().claimBillingSend(claim({ at: at('2026-11-30T08:30:00Z') }))).toBeNull();
			const retry = await store().claimBillingSend(claim({ at: at('2026-11-30T09:00:00Z') }));
			expect(retry?.previous).toBe('failed');
			await store().finishBillingSend(key, 2, { ...sent, status: 'skipped', reason: 'noEmail', recipient: null });
			expect(await store().claimBillingSend(claim({ at: at('2026-11-30T10:00:00Z') }))).toBeNull();
			expect(
				(await store().claimBillingSend(claim({ at: at('2026-11-30T10:00:00Z'), retrySkipped: true })))?.previous
			).toBe('skipped');
		});

		it('P15: sends are listed per tenant (and profile), newest first', async () => {
			await store().claimBillingSend(claim({ customerId: 'a', at: at('2026-11-30T08:00:00Z') }));
			await store().claimBillingSend(claim({ customerId: 'b', at: at('2026-11-30T09:00:00Z') }));
			await store().claimBillingSend(claim({ customerId: 'c', profileId: 'p2', at: at('2026-11-30T10:00:00Z') }));
			await store().claimBillingSend(claim({ tenantId: 't2', customerId: 'd' }));
			expect((await store().listBillingSends('t1', { limit: 10 })).map((s) => s.customerId)).toEqual(['c', 'b', 'a']);
			expect((await store().listBillingSends('t1', { profileId: 'p1', limit: 1 })).map((s) => s.customerId)).toEqual([
				'b'
			]);
			expect((await store().listBillingSends('t2', { limit: 10 })).map((s) => s.customerId)).toEqual(['d']);
			await store().claimBillingSend(claim({ customerId: 'e', period: '2026' }));
			const ofPeriods = await store().billingSendsOfPeriods('t1', ['2026-11', '2026', '2026-11']);
			expect(ofPeriods.map((s) => `${s.customerId} ${s.period}`).sort()).toEqual([
				'a 2026-11',
				'b 2026-11',
				'c 2026-11',
				'e 2026'
			]);
			expect(await store().billingSendsOfPeriods('t1', ['2026-12'])).toEqual([]);
		});
	});
}
