// P15 on SQLite (migration 11): the billing reports, claimed before they are sent. The claim is one statement (an insert
// or a conditional update), so of two processes on one file exactly one gets it.
import type Database from 'better-sqlite3';
import type { BillingSendRecord, BillingStore } from './types';

interface BillingSendRow {
	tenant_id: string;
	profile_id: string;
	customer_id: string;
	period: string;
	status: string;
	reason: string | null;
	customer_name: string;
	recipient: string | null;
	message_id: string;
	attempts: number;
	updated_at: string;
	lease_until: string | null;
	sent_at: string | null;
	currency: string | null;
	total_minor: number | null;
}

const STATUSES = new Set<string>(['claimed', 'sent', 'skipped', 'failed']);

const toSend = (row: BillingSendRow): BillingSendRecord => ({
	tenantId: row.tenant_id,
	profileId: row.profile_id,
	customerId: row.customer_id,
	period: row.period,
	status: (STATUSES.has(row.status) ? row.status : 'failed') as BillingSendRecord['status'],
	reason: row.reason,
	customerName: row.customer_name,
	recipient: row.recipient,
	messageId: row.message_id,
	attempts: row.attempts,
	updatedAt: row.updated_at,
	leaseUntil: row.lease_until,
	sentAt: row.sent_at,
	currency: row.currency,
	totalMinor: row.total_minor
});

const KEY = 'tenant_id = ? AND profile_id = ? AND customer_id = ? AND period = ?';

export function sqliteBillingStore(db: Database.Database): BillingStore {
	const q = {
		get: db.prepare<[string, string, string, string], BillingSendRow>(`SELECT * FROM billing_sends WHERE ${KEY}`),
		insert: db.prepare(
			`INSERT OR IGNORE INTO billing_sends (tenant_id, profile_id, customer_id, period, status, reason, customer_name,
				recipient, message_id, attempts, updated_at, lease_until, sent_at, currency, total_minor)
			VALUES (?, ?, ?, ?, 'claimed', NULL, ?, NULL, ?, 1, ?, ?, NULL, NULL, NULL)`
		),
		takeOver: db.prepare(
			`UPDATE billing_sends SET status = 'claimed', reason = NULL, attempts = attempts + 1, customer_name = ?,
				updated_at = ?, lease_until = ?
			WHERE ${KEY} AND (
				(status IN ('claimed', 'failed') AND lease_until IS NOT NULL AND lease_until <= ? AND attempts < ?)
				OR (status = 'skipped' AND ? = 1)
			)`
		),
		finish: db.prepare(
			`UPDATE billing_sends SET status = ?, reason = ?, recipient = ?, updated_at = ?, lease_until = ?,
				sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END, currency = ?, total_minor = ?
			WHERE ${KEY} AND status = 'claimed' AND attempts = ?`
		),
		ofPeriod: db.prepare<[string, string], BillingSendRow>(
			'SELECT * FROM billing_sends WHERE tenant_id = ? AND period = ?'
		),
		list: db.prepare<[string, number], BillingSendRow>(
			'SELECT * FROM billing_sends WHERE tenant_id = ? ORDER BY updated_at DESC, customer_id LIMIT ?'
		),
		listOfProfile: db.prepare<[string, string, number], BillingSendRow>(
			'SELECT * FROM billing_sends WHERE tenant_id = ? AND profile_id = ? ORDER BY updated_at DESC, customer_id LIMIT ?'
		)
	};

	// One write transaction: the row read back is the one this claim made (IMMEDIATE: no other writer in between).
	const claimTx = db.transaction((claim: Parameters<BillingStore['claimBillingSend']>[0]) => {
		const key = [claim.tenantId, claim.profileId, claim.customerId, claim.period] as const;
		const before = q.get.get(...key);
		if (!before) {
			q.insert.run(...key, claim.customerName, claim.messageId, claim.at, claim.leaseUntil);
			const row = q.get.get(...key);
			return row ? { record: toSend(row), previous: null } : null;
		}
		const changed = q.takeOver.run(
			claim.customerName,
			claim.at,
			claim.leaseUntil,
			...key,
			claim.at,
			claim.maxAttempts,
			claim.retrySkipped ? 1 : 0
		).changes;
		if (changed === 0) return null;
		const row = q.get.get(...key);
		return row ? { record: toSend(row), previous: toSend(before).status } : null;
	});

	return {
		async claimBillingSend(claim) {
			return claimTx.immediate(claim);
		},
		async finishBillingSend(key, attempts, outcome) {
			q.finish.run(
				outcome.status,
				outcome.reason,
				outcome.recipient,
				outcome.at,
				outcome.leaseUntil,
				outcome.status,
				outcome.at,
				outcome.currency,
				outcome.totalMinor,
				key.tenantId,
				key.profileId,
				key.customerId,
				key.period,
				attempts
			);
		},
		async billingSendsOfPeriods(tenantId, periods) {
			return [...new Set(periods)].flatMap((period) => q.ofPeriod.all(tenantId, period).map(toSend));
		},
		async listBillingSends(tenantId, query) {
			const rows =
				query.profileId === undefined
					? q.list.all(tenantId, query.limit)
					: q.listOfProfile.all(tenantId, query.profileId, query.limit);
			return rows.map(toSend);
		}
	};
}
