// P15 in memory: the billing reports' claims, with the same rules as SQLite (the contract suite runs on both).
import type { BillingSendRecord, BillingStore } from './types';

export function memoryBillingStore(assertOpen: () => void): BillingStore {
	const sends = new Map<string, BillingSendRecord>();
	const keyOf = (key: { tenantId: string; profileId: string; customerId: string; period: string }): string =>
		JSON.stringify([key.tenantId, key.profileId, key.customerId, key.period]);

	return {
		async claimBillingSend(claim) {
			assertOpen();
			const key = keyOf(claim);
			const before = sends.get(key);
			if (!before) {
				const record: BillingSendRecord = {
					tenantId: claim.tenantId,
					profileId: claim.profileId,
					customerId: claim.customerId,
					period: claim.period,
					status: 'claimed',
					reason: null,
					customerName: claim.customerName,
					recipient: null,
					messageId: claim.messageId,
					attempts: 1,
					updatedAt: claim.at,
					leaseUntil: claim.leaseUntil,
					sentAt: null,
					currency: null,
					totalMinor: null
				};
				sends.set(key, record);
				return { record, previous: null };
			}
			const expired =
				(before.status === 'claimed' || before.status === 'failed') &&
				before.leaseUntil !== null &&
				before.leaseUntil <= claim.at &&
				before.attempts < claim.maxAttempts;
			if (!expired && !(before.status === 'skipped' && claim.retrySkipped)) return null;
			const record: BillingSendRecord = {
				...before,
				status: 'claimed',
				reason: null,
				attempts: before.attempts + 1,
				customerName: claim.customerName,
				updatedAt: claim.at,
				leaseUntil: claim.leaseUntil
			};
			sends.set(key, record);
			return { record, previous: before.status };
		},
		async finishBillingSend(key, attempts, outcome) {
			assertOpen();
			const before = sends.get(keyOf(key));
			if (!before || before.status !== 'claimed' || before.attempts !== attempts) return;
			sends.set(keyOf(key), {
				...before,
				status: outcome.status,
				reason: outcome.reason,
				recipient: outcome.recipient,
				updatedAt: outcome.at,
				leaseUntil: outcome.leaseUntil,
				sentAt: outcome.status === 'sent' ? outcome.at : before.sentAt,
				currency: outcome.currency,
				totalMinor: outcome.totalMinor
			});
		},
		async billingSendsOfPeriods(tenantId, periods) {
			assertOpen();
			const wanted = new Set(periods);
			return [...sends.values()].filter((send) => send.tenantId === tenantId && wanted.has(send.period));
		},
		async listBillingSends(tenantId, query) {
			assertOpen();
			return [...sends.values()]
				.filter(
					(send) => send.tenantId === tenantId && (query.profileId === undefined || send.profileId === query.profileId)
				)
				.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.customerId.localeCompare(b.customerId))
				.slice(0, query.limit);
		}
	};
}
