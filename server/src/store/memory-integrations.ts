// P4, P5, P7 in memory, with the same behaviour as SQLite's (the contract suite runs on both).
import type { BackupRequestRecord, IngestedJobRecord, IntegrationStore, IntegrationTokenRecord } from './types';

export function memoryIntegrationStore(assertOpen: () => void): IntegrationStore {
	const tokens = new Map<string, IntegrationTokenRecord>();
	const jobs = new Map<string, IngestedJobRecord & { tenantId: string; folded: boolean }>();
	const requests = new Set<string>();
	const backups = new Map<string, BackupRequestRecord>();
	const key = (...parts: string[]): string => JSON.stringify(parts);
	const byCreated = (a: IntegrationTokenRecord, b: IntegrationTokenRecord): number =>
		a.tenantId.localeCompare(b.tenantId) || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

	return {
		async createIntegrationToken(record) {
			assertOpen();
			if (tokens.has(record.id) || [...tokens.values()].some((t) => t.secretHash === record.secretHash))
				throw new Error('an integration token with this id or secret exists');
			tokens.set(record.id, { ...record });
		},
		async getIntegrationToken(id) {
			assertOpen();
			const found = tokens.get(id);
			return found ? { ...found } : null;
		},
		async integrationTokenByHash(secretHash) {
			assertOpen();
			const found = [...tokens.values()].find((t) => t.secretHash === secretHash);
			return found ? { ...found } : null;
		},
		async listIntegrationTokens(tenantId) {
			assertOpen();
			return [...tokens.values()]
				.filter((t) => tenantId === null || t.tenantId === tenantId)
				.sort(byCreated)
				.map((t) => ({ ...t }));
		},
		async revokeIntegrationToken(id, at) {
			assertOpen();
			const found = tokens.get(id);
			if (!found || found.revokedAt !== null) return false;
			tokens.set(id, { ...found, revokedAt: at });
			return true;
		},
		async touchIntegrationToken(id, at) {
			assertOpen();
			const found = tokens.get(id);
			if (found) tokens.set(id, { ...found, lastUsedAt: at });
		},
		async knownJobIds(tenantId, jobIds) {
			assertOpen();
			return new Set(jobIds.filter((id) => jobs.has(key(tenantId, id))));
		},
		async insertJobs(tenantId, list) {
			assertOpen();
			let added = 0;
			for (const job of list) {
				if (jobs.has(key(tenantId, job.jobId))) continue;
				jobs.set(key(tenantId, job.jobId), { ...job, tenantId, folded: false });
				added++;
			}
			return added;
		},
		async customersWithJobsBefore(before) {
			assertOpen();
			const found = new Map<string, { tenantId: string; customerId: string }>();
			for (const job of jobs.values())
				if (!job.folded && job.endedAt < before)
					found.set(key(job.tenantId, job.customerId), { tenantId: job.tenantId, customerId: job.customerId });
			return [...found.values()].sort(
				(a, b) => a.tenantId.localeCompare(b.tenantId) || a.customerId.localeCompare(b.customerId)
			);
		},
		async markJobsFolded(tenantId, customerId, before) {
			assertOpen();
			let n = 0;
			for (const job of jobs.values())
				if (job.tenantId === tenantId && job.customerId === customerId && !job.folded && job.endedAt < before) {
					job.folded = true;
					n++;
				}
			return n;
		},
		async knownServiceRequestIds(tenantId, requestIds) {
			assertOpen();
			return new Set(requestIds.filter((id) => requests.has(key(tenantId, id))));
		},
		async insertServiceRequestIds(tenantId, list) {
			assertOpen();
			let added = 0;
			for (const r of list) {
				if (requests.has(key(tenantId, r.requestId))) continue;
				requests.add(key(tenantId, r.requestId));
				added++;
			}
			return added;
		},
		async putBackupRequest(record) {
			assertOpen();
			if (backups.has(key(record.tenantId, record.id))) throw new Error('a backup request with this id exists');
			backups.set(key(record.tenantId, record.id), { ...record });
		},
		async takeQueuedBackupRequests(tenantId, at, limit) {
			assertOpen();
			const queued = [...backups.values()]
				.filter((r) => r.tenantId === tenantId && r.status === 'queued')
				.sort((a, b) => a.requestedAt.localeCompare(b.requestedAt) || a.id.localeCompare(b.id))
				.slice(0, limit);
			return queued.map((r) => {
				const sent = { ...r, status: 'sent', updatedAt: at };
				backups.set(key(r.tenantId, r.id), sent);
				return { ...sent };
			});
		},
		async updateBackupRequest(tenantId, id, status, at) {
			assertOpen();
			const found = backups.get(key(tenantId, id));
			if (!found) return null;
			const next = { ...found, status, updatedAt: at };
			backups.set(key(tenantId, id), next);
			return { ...next };
		}
	};
}
