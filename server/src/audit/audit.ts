// P17: the one way server code records an administrative action (settings, accounts), and the daily retention purge.
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import type { AuditEntry, Store } from '../store/types';

/** An audit entry without its time: the auditor stamps it with the server's clock. */
export type AuditInput = Omit<AuditEntry, 'at'>;

/** Records `entry`; never throws (a failed write is logged): the action it records has already happened. */
export type Audit = (entry: AuditInput) => Promise<void>;

export const DAY_MS = 24 * 60 * 60 * 1000;

export function createAudit(store: Pick<Store, 'appendAudit'>, clock: Clock, log: Logger): Audit {
	return async (entry) => {
		try {
			await store.appendAudit({ ...entry, at: clock.now().toISOString() });
		} catch (error) {
			log.error({ err: error, action: entry.action, itemType: entry.itemType }, 'writing the audit log failed');
		}
	};
}

/**
 * P17: deletes each tenant's entries older than its `auditRetentionDays` (one statement per tenant). Answers how many
 * went, per tenant id.
 */
export async function purgeExpiredAudit(
	store: Pick<Store, 'listTenants' | 'getTenantSettings' | 'purgeAudit'>,
	now: Date
): Promise<Map<string, number>> {
	const removed = new Map<string, number>();
	for (const tenant of await store.listTenants()) {
		const { auditRetentionDays } = await store.getTenantSettings(tenant.id);
		const before = new Date(now.getTime() - auditRetentionDays * DAY_MS).toISOString();
		removed.set(tenant.id, await store.purgeAudit(tenant.id, before));
	}
	return removed;
}
