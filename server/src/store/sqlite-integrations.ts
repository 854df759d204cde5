// P4, P5, P7 on SQLite (migration 8): integration tokens, ingested job and request ids, and the backup queue.
import type Database from 'better-sqlite3';
import type { BackupRequestRecord, IngestedJobRecord, IntegrationStore, IntegrationTokenRecord } from './types';

interface TokenRow {
	id: string;
	tenant_id: string;
	name: string;
	secret_hash: string;
	created_at: string;
	created_by: string | null;
	last_used_at: string | null;
	revoked_at: string | null;
}

interface BackupRow {
	tenant_id: string;
	id: string;
	customer_id: string;
	service_id: string | null;
	requested_at: string;
	requested_by: string;
	status: string;
	updated_at: string;
}

const toToken = (row: TokenRow): IntegrationTokenRecord => ({
	id: row.id,
	tenantId: row.tenant_id,
	name: row.name,
	secretHash: row.secret_hash,
	createdAt: row.created_at,
	createdBy: row.created_by,
	lastUsedAt: row.last_used_at,
	revokedAt: row.revoked_at
});

const toBackup = (row: BackupRow): BackupRequestRecord => ({
	tenantId: row.tenant_id,
	id: row.id,
	customerId: row.customer_id,
	serviceId: row.service_id,
	requestedAt: row.requested_at,
	requestedBy: row.requested_by,
	status: row.status,
	updatedAt: row.updated_at
});

/** SQLite binds at most 32,766 variables; ids are looked up in slices well below it. */
const LOOKUP_SLICE = 500;

export function sqliteIntegrationStore(db: Database.Database): IntegrationStore {
	const q = {
		insertToken: db.prepare(
			`INSERT INTO integration_tokens (id, tenant_id, name, secret_hash, created_at, created_by, last_used_at, revoked_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
		),
		token: db.prepare<[string], TokenRow>('SELECT * FROM integration_tokens WHERE id = ?'),
		tokenByHash: db.prepare<[string], TokenRow>('SELECT * FROM integration_tokens WHERE secret_hash = ?'),
		tokensOf: db.prepare<[string], TokenRow>(
			'SELECT * FROM integration_tokens WHERE tenant_id = ? ORDER BY created_at, id'
		),
		allTokens: db.prepare<[], TokenRow>('SELECT * FROM integration_tokens ORDER BY tenant_id, created_at, id'),
		revoke: db.prepare<[string, string]>(
			'UPDATE integration_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'
		),
		touch: db.prepare<[string, string]>('UPDATE integration_tokens SET last_used_at = ? WHERE id = ?'),
		insertJob: db.prepare<[string, string, string, string, string, number | null]>(
			`INSERT OR IGNORE INTO ingested_jobs (tenant_id, job_id, customer_id, status, ended_at, bytes, folded)
			VALUES (?, ?, ?, ?, ?, ?, 0)`
		),
		foldable: db.prepare<[string], { tenant_id: string; customer_id: string }>(
			`SELECT DISTINCT tenant_id, customer_id FROM ingested_jobs WHERE folded = 0 AND ended_at < ?
			ORDER BY tenant_id, customer_id`
		),
		markFolded: db.prepare<[string, string, string]>(
			'UPDATE ingested_jobs SET folded = 1 WHERE tenant_id = ? AND customer_id = ? AND folded = 0 AND ended_at < ?'
		),
		insertRequest: db.prepare<[string, string, string, string]>(
			'INSERT OR IGNORE INTO ingested_requests (tenant_id, request_id, customer_id, at) VALUES (?, ?, ?, ?)'
		),
		insertBackup: db.prepare(
			`INSERT INTO backup_requests (tenant_id, id, customer_id, service_id, requested_at, requested_by, status, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
		),
		queued: db.prepare<[string, number], BackupRow>(
			"SELECT * FROM backup_requests WHERE tenant_id = ? AND status = 'queued' ORDER BY requested_at, id LIMIT ?"
		),
		setBackupStatus: db.prepare<[string, string, string, string]>(
			'UPDATE backup_requests SET status = ?, updated_at = ? WHERE tenant_id = ? AND id = ?'
		),
		backup: db.prepare<[string, string], BackupRow>('SELECT * FROM backup_requests WHERE tenant_id = ? AND id = ?')
	};

	function known(
		table: 'ingested_jobs' | 'ingested_requests',
		column: string,
		tenantId: string,
		ids: readonly string[]
	) {
		const found = new Set<string>();
		for (let i = 0; i < ids.length; i += LOOKUP_SLICE) {
			const slice = ids.slice(i, i + LOOKUP_SLICE);
			const rows = db
				.prepare<unknown[], { id: string }>(
					`SELECT ${column} AS id FROM ${table} WHERE tenant_id = ? AND ${column} IN (${slice.map(() => '?').join(', ')})`
				)
				.all(tenantId, ...slice);
			for (const row of rows) found.add(row.id);
		}
		return found;
	}

	const insertJobsTx = db.transaction((tenantId: string, jobs: readonly IngestedJobRecord[]): number => {
		let added = 0;
		for (const job of jobs)
			added += q.insertJob.run(tenantId, job.jobId, job.customerId, job.status, job.endedAt, job.bytes).changes;
		return added;
	});
	const insertRequestsTx = db.transaction(
		(tenantId: string, requests: ReadonlyArray<{ requestId: string; customerId: string; at: string }>): number => {
			let added = 0;
			for (const r of requests) added += q.insertRequest.run(tenantId, r.requestId, r.customerId, r.at).changes;
			return added;
		}
	);
	const takeQueuedTx = db.transaction((tenantId: string, at: string, limit: number): BackupRequestRecord[] => {
		const rows = q.queued.all(tenantId, limit);
		for (const row of rows) q.setBackupStatus.run('sent', at, tenantId, row.id);
		return rows.map((row) => ({ ...toBackup(row), status: 'sent', updatedAt: at }));
	});

	return {
		async createIntegrationToken(r) {
			q.insertToken.run(r.id, r.tenantId, r.name, r.secretHash, r.createdAt, r.createdBy, r.lastUsedAt, r.revokedAt);
		},
		async getIntegrationToken(id) {
			const row = q.token.get(id);
			return row ? toToken(row) : null;
		},
		async integrationTokenByHash(secretHash) {
			const row = q.tokenByHash.get(secretHash);
			return row ? toToken(row) : null;
		},
		async listIntegrationTokens(tenantId) {
			return (tenantId === null ? q.allTokens.all() : q.tokensOf.all(tenantId)).map(toToken);
		},
		async revokeIntegrationToken(id, at) {
			return q.revoke.run(at, id).changes === 1;
		},
		async touchIntegrationToken(id, at) {
			q.touch.run(at, id);
		},
		async knownJobIds(tenantId, jobIds) {
			return known('ingested_jobs', 'job_id', tenantId, jobIds);
		},
		async insertJobs(tenantId, jobs) {
			return jobs.length === 0 ? 0 : insertJobsTx(tenantId, jobs);
		},
		async customersWithJobsBefore(before) {
			return q.foldable.all(before).map((row) => ({ tenantId: row.tenant_id, customerId: row.customer_id }));
		},
		async markJobsFolded(tenantId, customerId, before) {
			return q.markFolded.run(tenantId, customerId, before).changes;
		},
		async knownServiceRequestIds(tenantId, requestIds) {
			return known('ingested_requests', 'request_id', tenantId, requestIds);
		},
		async insertServiceRequestIds(tenantId, requests) {
			return requests.length === 0 ? 0 : insertRequestsTx(tenantId, requests);
		},
		async putBackupRequest(r) {
			q.insertBackup.run(
				r.tenantId,
				r.id,
				r.customerId,
				r.serviceId,
				r.requestedAt,
				r.requestedBy,
				r.status,
				r.updatedAt
			);
		},
		async takeQueuedBackupRequests(tenantId, at, limit) {
			return takeQueuedTx(tenantId, at, limit);
		},
		async updateBackupRequest(tenantId, id, status, at) {
			if (q.setBackupStatus.run(status, at, tenantId, id).changes === 0) return null;
			const row = q.backup.get(tenantId, id);
			return row ? toBackup(row) : null;
		}
	};
}
