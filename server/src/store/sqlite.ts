// The Store on one SQLite file (better-sqlite3, WAL): documents, accounts, the audit log; plus online backup and a checked restore.
import Database from 'better-sqlite3';
import { chmodSync, closeSync, copyFileSync, existsSync, openSync, renameSync, rmSync } from 'node:fs';
import { customRoleSchema, roleSchema, type CustomRole } from '../../../src/lib/schema/access';
import { localeSchema, type Locale } from '../../../src/lib/schema/locale';
import { tenantSettingsSchema } from '../../../src/lib/schema/settings';
import { parseStoredGrants, TENANT_WIDE } from './grants';
import { groupCommit } from './group-commit';
import type {
	AuditEntry,
	AuditQuery,
	InvitationRecord,
	LicenseConnectorRecord,
	LicenseUsageRun,
	PasswordResetRecord,
	SessionRecord,
	Store,
	StoredAuditEntry,
	StoredDoc,
	TenantRecord,
	UserRecord
} from './types';
import { EmailTakenError, StaleCompactionError } from './errors';
import { usageRunWrites } from './license-usage';
import { sqliteIntegrationStore } from './sqlite-integrations';
import { sqliteTemplateStore } from './sqlite-templates';
import { sqliteBillingStore } from './sqlite-billing';

const REQUIRED_TABLES = ['doc_updates', 'doc_snapshots', 'tenants', 'users', 'sessions', 'audit_log'] as const;

/** Migration n takes a database from user_version n-1 to n. Append only; never edit a released one. */
export const MIGRATIONS: readonly string[] = [
	`CREATE TABLE doc_updates (
		doc TEXT NOT NULL,
		seq INTEGER NOT NULL,
		data BLOB NOT NULL,
		PRIMARY KEY (doc, seq)
	) WITHOUT ROWID;
	CREATE TABLE doc_snapshots (
		doc TEXT PRIMARY KEY,
		data BLOB NOT NULL,
		through_seq INTEGER NOT NULL
	);
	CREATE TABLE tenants (
		id TEXT PRIMARY KEY,
		name TEXT NOT NULL,
		created_at TEXT NOT NULL
	);
	CREATE TABLE users (
		id TEXT PRIMARY KEY,
		tenant_id TEXT NOT NULL REFERENCES tenants(id),
		email TEXT NOT NULL UNIQUE,
		password_hash TEXT NOT NULL,
		role TEXT NOT NULL,
		created_at TEXT NOT NULL
	);
	CREATE TABLE sessions (
		token_hash TEXT PRIMARY KEY,
		user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		created_at TEXT NOT NULL,
		expires_at TEXT NOT NULL
	);
	CREATE INDEX sessions_expires ON sessions(expires_at);
	CREATE TABLE doc_registry (
		doc TEXT PRIMARY KEY,
		tenant_id TEXT NOT NULL REFERENCES tenants(id)
	);
	CREATE TABLE audit_log (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		at TEXT NOT NULL,
		tenant_id TEXT,
		user_id TEXT,
		ip TEXT,
		item_type TEXT NOT NULL,
		item TEXT NOT NULL,
		action TEXT NOT NULL,
		description TEXT NOT NULL
	);
	CREATE INDEX audit_log_tenant_at ON audit_log(tenant_id, at);`,
	// S40: customer documents are stored per tenant ('<tenantId>/customer:<id>', server/src/store/doc-keys.ts), so the
	// registry that gave a customer id to the first tenant that opened it goes. S41: users can be deactivated.
	`UPDATE doc_updates SET doc = (SELECT r.tenant_id FROM doc_registry r WHERE r.doc = doc_updates.doc) || '/' || doc
		WHERE doc IN (SELECT doc FROM doc_registry);
	UPDATE doc_snapshots SET doc = (SELECT r.tenant_id FROM doc_registry r WHERE r.doc = doc_snapshots.doc) || '/' || doc
		WHERE doc IN (SELECT doc FROM doc_registry);
	DROP TABLE doc_registry;
	ALTER TABLE users ADD COLUMN disabled_at TEXT;
	CREATE INDEX sessions_user ON sessions(user_id);`,
	// P13, P16: roles become the partner roles (owner -> Super Admin and the tenant's owner), users get grants (H6),
	// tenants custom roles and settings (P9, P12, P17, P18).
	`ALTER TABLE tenants ADD COLUMN owner_id TEXT;
	UPDATE tenants SET owner_id = (
		SELECT u.id FROM users u WHERE u.tenant_id = tenants.id AND u.role = 'owner' ORDER BY u.created_at, u.id LIMIT 1
	);
	UPDATE users SET role = 'superAdmin' WHERE role = 'owner';
	ALTER TABLE users ADD COLUMN grants TEXT NOT NULL DEFAULT '[{"scope":"tenant"}]';
	CREATE TABLE custom_roles (
		tenant_id TEXT NOT NULL REFERENCES tenants(id),
		id TEXT NOT NULL,
		data TEXT NOT NULL,
		PRIMARY KEY (tenant_id, id)
	);
	CREATE TABLE tenant_settings (
		tenant_id TEXT PRIMARY KEY REFERENCES tenants(id),
		data TEXT NOT NULL
	);`,
	// 4, 5 and 6 are reserved for the users/invitations, audit and sign-in settings work landing beside this one.
	// P13: invitations (only the token's sha-256) and password resets (single use; they go with their user).
	`CREATE TABLE invitations (
		id TEXT PRIMARY KEY,
		tenant_id TEXT NOT NULL REFERENCES tenants(id),
		email TEXT NOT NULL,
		role TEXT NOT NULL,
		grants TEXT NOT NULL,
		token_hash TEXT NOT NULL UNIQUE,
		invited_by TEXT,
		created_at TEXT NOT NULL,
		expires_at TEXT NOT NULL,
		accepted_at TEXT,
		revoked_at TEXT
	);
	CREATE INDEX invitations_tenant ON invitations(tenant_id, created_at);
	CREATE TABLE password_resets (
		token_hash TEXT PRIMARY KEY,
		user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		created_at TEXT NOT NULL,
		expires_at TEXT NOT NULL
	);
	CREATE INDEX password_resets_user ON password_resets(user_id);`,
	// P17: when a change was made on its device (beside `at`, when it arrived), and an index per filter of the audit log
	// screen; each ends in the rowid, so a filtered page is read newest first from the index without a sort.
	`ALTER TABLE audit_log ADD COLUMN made_at TEXT;
	CREATE INDEX audit_log_tenant ON audit_log(tenant_id);
	CREATE INDEX audit_log_tenant_user ON audit_log(tenant_id, user_id);
	CREATE INDEX audit_log_tenant_type ON audit_log(tenant_id, item_type);
	CREATE INDEX audit_log_tenant_item ON audit_log(tenant_id, item);
	CREATE INDEX audit_log_tenant_action ON audit_log(tenant_id, action);`,
	// S61: server commands already answered, by tenant and the command's id (its idempotency key), with their first result.
	`CREATE TABLE commands (
		tenant_id TEXT NOT NULL,
		id TEXT NOT NULL,
		user_id TEXT NOT NULL,
		type TEXT NOT NULL,
		status TEXT NOT NULL,
		code TEXT,
		message TEXT,
		at TEXT NOT NULL,
		PRIMARY KEY (tenant_id, id)
	);`,
	// L12, L16: how each license account is synchronized (its sealed token stays here, never in a document), its daily
	// usage as runs of equal days (one row per license and first day at most), and what happened to each license.
	`CREATE TABLE license_connectors (
		tenant_id TEXT NOT NULL,
		account_id TEXT NOT NULL,
		kind TEXT NOT NULL,
		url TEXT,
		token TEXT,
		created_at TEXT NOT NULL,
		next_sync_at TEXT,
		last_sync TEXT,
		PRIMARY KEY (tenant_id, account_id)
	);
	CREATE INDEX license_connectors_due ON license_connectors(next_sync_at) WHERE next_sync_at IS NOT NULL;
	CREATE TABLE license_usage (
		tenant_id TEXT NOT NULL,
		account_id TEXT NOT NULL,
		public_id TEXT NOT NULL,
		day TEXT NOT NULL,
		last_day TEXT NOT NULL,
		units_activated INTEGER NOT NULL,
		units_ordered INTEGER NOT NULL,
		PRIMARY KEY (tenant_id, account_id, public_id, day)
	) WITHOUT ROWID;
	CREATE TABLE license_events (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		tenant_id TEXT NOT NULL,
		account_id TEXT NOT NULL,
		public_id TEXT NOT NULL,
		at TEXT NOT NULL,
		kind TEXT NOT NULL,
		detail TEXT NOT NULL
	);
	CREATE INDEX license_events_license ON license_events(tenant_id, account_id, public_id, id);`,
	// P4, P5, P7: integration tokens (only the secret's sha-256), the ids of ingested jobs and requests (idempotency per
	// tenant; a job is marked folded once the 90-day window moved past it), and the backup requests of "start a backup".
	`CREATE TABLE integration_tokens (
		id TEXT PRIMARY KEY,
		tenant_id TEXT NOT NULL REFERENCES tenants(id),
		name TEXT NOT NULL,
		secret_hash TEXT NOT NULL UNIQUE,
		created_at TEXT NOT NULL,
		created_by TEXT,
		last_used_at TEXT,
		revoked_at TEXT
	);
	CREATE INDEX integration_tokens_tenant ON integration_tokens(tenant_id, created_at);
	CREATE TABLE ingested_jobs (
		tenant_id TEXT NOT NULL,
		job_id TEXT NOT NULL,
		customer_id TEXT NOT NULL,
		status TEXT NOT NULL,
		ended_at TEXT NOT NULL,
		bytes INTEGER,
		folded INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (tenant_id, job_id)
	) WITHOUT ROWID;
	CREATE INDEX ingested_jobs_unfolded ON ingested_jobs(ended_at) WHERE folded = 0;
	CREATE TABLE ingested_requests (
		tenant_id TEXT NOT NULL,
		request_id TEXT NOT NULL,
		customer_id TEXT NOT NULL,
		at TEXT NOT NULL,
		PRIMARY KEY (tenant_id, request_id)
	) WITHOUT ROWID;
	CREATE TABLE backup_requests (
		tenant_id TEXT NOT NULL,
		id TEXT NOT NULL,
		customer_id TEXT NOT NULL,
		service_id TEXT,
		requested_at TEXT NOT NULL,
		requested_by TEXT NOT NULL,
		status TEXT NOT NULL,
		updated_at TEXT NOT NULL,
		PRIMARY KEY (tenant_id, id)
	);
	CREATE INDEX backup_requests_queued ON backup_requests(tenant_id, requested_at) WHERE status = 'queued';`,
	// 9 (P9, S115): the language each user chose for the UI and their mails; NULL until they choose (the browser's then).
	`ALTER TABLE users ADD COLUMN locale TEXT;`,
	// 10 (P14): custom notification templates, the default per kind and language (none: the built-in one), and the
	// recipient's language of an invitation (a resent mail speaks it too).
	`CREATE TABLE notification_templates (
		tenant_id TEXT NOT NULL REFERENCES tenants(id),
		id TEXT NOT NULL,
		name TEXT NOT NULL,
		kind TEXT NOT NULL,
		locale TEXT NOT NULL,
		subject TEXT NOT NULL,
		body TEXT NOT NULL,
		created_at TEXT NOT NULL,
		updated_at TEXT NOT NULL,
		PRIMARY KEY (tenant_id, id)
	);
	CREATE TABLE notification_template_defaults (
		tenant_id TEXT NOT NULL,
		kind TEXT NOT NULL,
		locale TEXT NOT NULL,
		template_id TEXT NOT NULL,
		PRIMARY KEY (tenant_id, kind, locale),
		FOREIGN KEY (tenant_id, template_id) REFERENCES notification_templates(tenant_id, id) ON DELETE CASCADE
	);
	ALTER TABLE invitations ADD COLUMN locale TEXT;`,
	// 11 (P15): billing reports, one row per profile, customer and billing reports, one row per profile, customer and
	// period, claimed (unique) before the mail is sent and marked after.
	`CREATE TABLE billing_sends (
		tenant_id TEXT NOT NULL,
		profile_id TEXT NOT NULL,
		customer_id TEXT NOT NULL,
		period TEXT NOT NULL,
		status TEXT NOT NULL,
		reason TEXT,
		customer_name TEXT NOT NULL,
		recipient TEXT,
		message_id TEXT NOT NULL,
		attempts INTEGER NOT NULL,
		updated_at TEXT NOT NULL,
		lease_until TEXT,
		sent_at TEXT,
		currency TEXT,
		total_minor INTEGER,
		PRIMARY KEY (tenant_id, profile_id, customer_id, period)
	) WITHOUT ROWID;
	CREATE INDEX billing_sends_recent ON billing_sends(tenant_id, updated_at);
	CREATE INDEX billing_sends_period ON billing_sends(tenant_id, period);`
];

/** One per migration; a file with a higher version was written by a newer server and is refused. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Owner-only: the file holds password hashes, session hashes and every tenant's documents. SQLite gives its -wal and -shm
 * files the mode of the database file, so they follow.
 */
export const DB_FILE_MODE = 0o600;

export interface SqliteStoreOptions {
	/** How long a writer waits for a lock held by another connection (the CLI's backup) before failing. */
	readonly busyTimeoutMs?: number;
}

interface UserRow {
	id: string;
	tenant_id: string;
	email: string;
	password_hash: string;
	role: string;
	grants: string;
	created_at: string;
	disabled_at: string | null;
	locale: string | null;
}
interface SessionRow {
	token_hash: string;
	user_id: string;
	created_at: string;
	expires_at: string;
}
interface CommandRow {
	tenant_id: string;
	id: string;
	user_id: string;
	type: string;
	status: string;
	code: string | null;
	message: string | null;
	at: string;
}

interface AuditRow {
	id: number;
	at: string;
	made_at: string | null;
	tenant_id: string | null;
	user_id: string | null;
	ip: string | null;
	item_type: string;
	item: string;
	action: string;
	description: string;
}
interface InvitationRow {
	id: string;
	tenant_id: string;
	email: string;
	role: string;
	grants: string;
	token_hash: string;
	invited_by: string | null;
	created_at: string;
	expires_at: string;
	accepted_at: string | null;
	revoked_at: string | null;
	/** Migration 10. */
	locale: string | null;
}
interface PasswordResetRow {
	token_hash: string;
	user_id: string;
	created_at: string;
	expires_at: string;
}
interface LicenseConnectorRow {
	tenant_id: string;
	account_id: string;
	kind: string;
	url: string | null;
	token: string | null;
	created_at: string;
	next_sync_at: string | null;
	last_sync: string | null;
}
interface LicenseUsageRow {
	public_id: string;
	day: string;
	last_day: string;
	units_activated: number;
	units_ordered: number;
}

const toLicenseConnector = (row: LicenseConnectorRow): LicenseConnectorRecord => ({
	tenantId: row.tenant_id,
	accountId: row.account_id,
	kind: row.kind === 'http' ? 'http' : 'file',
	url: row.url,
	token: row.token,
	createdAt: row.created_at,
	nextSyncAt: row.next_sync_at,
	lastSync: row.last_sync
});
const toUsageRun = (row: LicenseUsageRow): LicenseUsageRun => ({
	day: row.day,
	lastDay: row.last_day,
	unitsActivated: row.units_activated,
	unitsOrdered: row.units_ordered
});

interface TenantRow {
	id: string;
	name: string;
	created_at: string;
	owner_id: string | null;
}

function configure(db: Database.Database, busyTimeoutMs: number): void {
	db.pragma('journal_mode = WAL');
	// FULL: a commit is on disk before append() resolves, so an acknowledged update survives power loss, not only a crash.
	db.pragma('synchronous = FULL');
	db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
	db.pragma('foreign_keys = ON');
}

function migrate(db: Database.Database): void {
	const version = db.pragma('user_version', { simple: true });
	if (typeof version !== 'number') throw new Error('cannot read the database schema version');
	if (version > SCHEMA_VERSION) {
		throw new Error(
			`the database has schema version ${version}, newer than this server (${SCHEMA_VERSION}); upgrade the server`
		);
	}
	for (let next = version + 1; next <= SCHEMA_VERSION; next++) {
		const sql = MIGRATIONS[next - 1];
		if (sql === undefined) throw new Error(`missing migration ${next}`);
		db.transaction(() => {
			db.exec(sql);
			db.pragma(`user_version = ${next}`);
		})();
	}
}

function toUser(row: UserRow): UserRecord {
	return {
		id: row.id,
		tenantId: row.tenant_id,
		email: row.email,
		passwordHash: row.password_hash,
		role: roleSchema.parse(row.role),
		grants: parseStoredGrants(row.grants),
		createdAt: row.created_at,
		disabledAt: row.disabled_at,
		// S119: a value this version does not know (written by a newer one, or by hand) reads as no choice, never an error.
		...localeOf(row.locale)
	};
}

/** A stored language (a user's choice, S119; an invitation's, P14): rows from before migrations 9 and 10 have none. */
function localeOf(value: string | null | undefined): { locale?: Locale } {
	const parsed = localeSchema.safeParse(value);
	return parsed.success ? { locale: parsed.data } : {};
}

const toInvitation = (row: InvitationRow): InvitationRecord => ({
	id: row.id,
	tenantId: row.tenant_id,
	email: row.email,
	role: roleSchema.parse(row.role),
	grants: parseStoredGrants(row.grants),
	tokenHash: row.token_hash,
	invitedBy: row.invited_by,
	createdAt: row.created_at,
	expiresAt: row.expires_at,
	acceptedAt: row.accepted_at,
	revokedAt: row.revoked_at,
	...localeOf(row.locale)
});

const toAuditEntry = (row: AuditRow): StoredAuditEntry => ({
	id: row.id,
	at: row.at,
	tenantId: row.tenant_id,
	userId: row.user_id,
	ip: row.ip,
	itemType: row.item_type,
	item: row.item,
	action: row.action,
	description: row.description,
	madeAt: row.made_at
});

/** P17: the SELECT of one page of the audit log; only the filters given take part (values always bound, never spliced). */
function auditSelect(query: AuditQuery): { sql: string; params: unknown[] } {
	const where = ['tenant_id IS ?'];
	const params: unknown[] = [query.tenantId];
	const add = (clause: string, value: unknown): void => {
		where.push(clause);
		params.push(value);
	};
	if (query.beforeId !== undefined) add('id < ?', query.beforeId);
	if (query.from !== undefined) add('at >= ?', query.from);
	if (query.to !== undefined) add('at < ?', query.to);
	if (query.userId !== undefined) add('user_id = ?', query.userId);
	if (query.itemType !== undefined) add('item_type = ?', query.itemType);
	if (query.item !== undefined) add('item = ?', query.item);
	if (query.action !== undefined) add('action = ?', query.action);
	params.push(query.limit ?? 100);
	return { sql: `SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`, params };
}

const toTenant = (row: TenantRow): TenantRecord => ({
	id: row.id,
	name: row.name,
	createdAt: row.created_at,
	ownerId: row.owner_id
});
const toSession = (row: SessionRow): SessionRecord => ({
	tokenHash: row.token_hash,
	userId: row.user_id,
	createdAt: row.created_at,
	expiresAt: row.expires_at
});

/** Opens (creating and migrating when needed) the store in `file`. */
export function openSqliteStore(file: string, opts: SqliteStoreOptions = {}): Store {
	// Created here with the owner-only mode (an existing file keeps the mode its operator gave it).
	if (file !== ':memory:' && file !== '') closeSync(openSync(file, 'a', DB_FILE_MODE));
	const db = new Database(file);
	try {
		configure(db, opts.busyTimeoutMs ?? 5000);
		migrate(db);
	} catch (error) {
		db.close();
		throw error;
	}

	const q = {
		snapshot: db.prepare<[string], { data: Buffer; through_seq: number }>(
			'SELECT data, through_seq FROM doc_snapshots WHERE doc = ?'
		),
		updates: db.prepare<[string], { data: Buffer; seq: number }>(
			'SELECT data, seq FROM doc_updates WHERE doc = ? ORDER BY seq'
		),
		maxSeq: db.prepare<[string], { seq: number | null }>('SELECT MAX(seq) AS seq FROM doc_updates WHERE doc = ?'),
		insertUpdate: db.prepare<[string, number, Buffer]>('INSERT INTO doc_updates (doc, seq, data) VALUES (?, ?, ?)'),
		deleteUpdates: db.prepare<[string, number]>('DELETE FROM doc_updates WHERE doc = ? AND seq <= ?'),
		upsertSnapshot: db.prepare<[string, Buffer, number]>(
			'INSERT INTO doc_snapshots (doc, data, through_seq) VALUES (?, ?, ?) ON CONFLICT(doc) DO UPDATE SET data = excluded.data, through_seq = excluded.through_seq'
		),
		listDocs: db.prepare<[], { doc: string }>(
			'SELECT doc FROM doc_updates UNION SELECT doc FROM doc_snapshots ORDER BY doc'
		),
		countDocs: db.prepare<[], { n: number }>(
			'SELECT COUNT(*) AS n FROM (SELECT doc FROM doc_updates UNION SELECT doc FROM doc_snapshots)'
		),
		countUsers: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM users'),
		insertTenant: db.prepare<[string, string, string]>('INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)'),
		tenant: db.prepare<[string], TenantRow>('SELECT id, name, created_at, owner_id FROM tenants WHERE id = ?'),
		tenants: db.prepare<[], TenantRow>('SELECT id, name, created_at, owner_id FROM tenants ORDER BY created_at, id'),
		usersOf: db.prepare<[string], UserRow>('SELECT * FROM users WHERE tenant_id = ? ORDER BY email'),
		setOwner: db.prepare<[string, string]>('UPDATE tenants SET owner_id = ? WHERE id = ?'),
		customRoles: db.prepare<[string], { data: string }>('SELECT data FROM custom_roles WHERE tenant_id = ?'),
		putCustomRole: db.prepare<[string, string, string]>(
			'INSERT INTO custom_roles (tenant_id, id, data) VALUES (?, ?, ?) ON CONFLICT(tenant_id, id) DO UPDATE SET data = excluded.data'
		),
		deleteCustomRole: db.prepare<[string, string]>('DELETE FROM custom_roles WHERE tenant_id = ? AND id = ?'),
		settings: db.prepare<[string], { data: string }>('SELECT data FROM tenant_settings WHERE tenant_id = ?'),
		putSettings: db.prepare<[string, string]>(
			'INSERT INTO tenant_settings (tenant_id, data) VALUES (?, ?) ON CONFLICT(tenant_id) DO UPDATE SET data = excluded.data'
		),
		insertUser: db.prepare<[string, string, string, string, string, string, string, string | null]>(
			'INSERT INTO users (id, tenant_id, email, password_hash, role, grants, created_at, locale) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
		),
		userByEmail: db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?'),
		user: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
		// Sessions go with it: ON DELETE CASCADE (foreign_keys is on).
		deleteUser: db.prepare<[string]>('DELETE FROM users WHERE id = ?'),
		insertSession: db.prepare<[string, string, string, string]>(
			'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)'
		),
		session: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE token_hash = ?'),
		touchSession: db.prepare<[string, string]>('UPDATE sessions SET expires_at = ? WHERE token_hash = ?'),
		deleteSession: db.prepare<[string]>('DELETE FROM sessions WHERE token_hash = ?'),
		deleteExpired: db.prepare<[string]>('DELETE FROM sessions WHERE expires_at <= ?'),
		deleteUserSessions: db.prepare<[string]>('DELETE FROM sessions WHERE user_id = ?'),
		setDisabled: db.prepare<[string | null, string]>('UPDATE users SET disabled_at = ? WHERE id = ?'),
		setLocale: db.prepare<[string | null, string]>('UPDATE users SET locale = ? WHERE id = ?'),
		insertInvitation: db.prepare<
			[
				string,
				string,
				string,
				string,
				string,
				string,
				string | null,
				string,
				string,
				string | null,
				string | null,
				string | null
			]
		>(
			'INSERT INTO invitations (id, tenant_id, email, role, grants, token_hash, invited_by, created_at, expires_at, accepted_at, revoked_at, locale) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
		),
		invitation: db.prepare<[string], InvitationRow>('SELECT * FROM invitations WHERE id = ?'),
		invitationByToken: db.prepare<[string], InvitationRow>('SELECT * FROM invitations WHERE token_hash = ?'),
		pendingInvitations: db.prepare<[string], InvitationRow>(
			'SELECT * FROM invitations WHERE tenant_id = ? AND accepted_at IS NULL AND revoked_at IS NULL ORDER BY created_at, id'
		),
		claimInvitation: db.prepare<[string, string]>(
			'UPDATE invitations SET accepted_at = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL'
		),
		unclaimInvitation: db.prepare<[string]>(
			'UPDATE invitations SET accepted_at = NULL WHERE id = ? AND revoked_at IS NULL'
		),
		insertReset: db.prepare<[string, string, string, string]>(
			'INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)'
		),
		reset: db.prepare<[string], PasswordResetRow>('SELECT * FROM password_resets WHERE token_hash = ?'),
		deleteReset: db.prepare<[string]>('DELETE FROM password_resets WHERE token_hash = ?'),
		insertAudit: db.prepare<
			[string, string | null, string | null, string | null, string, string, string, string, string | null]
		>(
			'INSERT INTO audit_log (at, tenant_id, user_id, ip, item_type, item, action, description, made_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'
		),
		purgeAudit: db.prepare<[string, string]>('DELETE FROM audit_log WHERE tenant_id = ? AND at < ?'),
		command: db.prepare<[string, string], CommandRow>('SELECT * FROM commands WHERE tenant_id = ? AND id = ?'),
		insertCommand: db.prepare<[string, string, string, string, string, string | null, string | null, string]>(
			'INSERT OR IGNORE INTO commands (tenant_id, id, user_id, type, status, code, message, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
		),
		putConnector: db.prepare<
			[string, string, string, string | null, string | null, string, string | null, string | null]
		>(
			'INSERT OR REPLACE INTO license_connectors (tenant_id, account_id, kind, url, token, created_at, next_sync_at, last_sync) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
		),
		connector: db.prepare<[string, string], LicenseConnectorRow>(
			'SELECT * FROM license_connectors WHERE tenant_id = ? AND account_id = ?'
		),
		connectors: db.prepare<[string], LicenseConnectorRow>(
			'SELECT * FROM license_connectors WHERE tenant_id = ? ORDER BY account_id'
		),
		dueConnectors: db.prepare<[string], LicenseConnectorRow>(
			'SELECT * FROM license_connectors WHERE next_sync_at IS NOT NULL AND next_sync_at <= ? ORDER BY next_sync_at, tenant_id, account_id'
		),
		recordSync: db.prepare<[string, string | null, string, string]>(
			'UPDATE license_connectors SET last_sync = ?, next_sync_at = ? WHERE tenant_id = ? AND account_id = ?'
		),
		deleteConnector: db.prepare<[string, string]>(
			'DELETE FROM license_connectors WHERE tenant_id = ? AND account_id = ?'
		),
		// SQLite's bare columns: with MAX(day) they come from the row holding it, so this is each license's latest run.
		latestRuns: db.prepare<[string, string], LicenseUsageRow>(
			'SELECT public_id, MAX(day) AS day, last_day, units_activated, units_ordered FROM license_usage WHERE tenant_id = ? AND account_id = ? GROUP BY public_id'
		),
		putRun: db.prepare<[string, string, string, string, string, number, number]>(
			'INSERT OR REPLACE INTO license_usage (tenant_id, account_id, public_id, day, last_day, units_activated, units_ordered) VALUES (?, ?, ?, ?, ?, ?, ?)'
		),
		runs: db.prepare<[string, string, string], LicenseUsageRow>(
			'SELECT public_id, day, last_day, units_activated, units_ordered FROM license_usage WHERE tenant_id = ? AND account_id = ? AND public_id = ? ORDER BY day'
		),
		insertEvent: db.prepare<[string, string, string, string, string, string]>(
			'INSERT INTO license_events (tenant_id, account_id, public_id, at, kind, detail) VALUES (?, ?, ?, ?, ?, ?)'
		),
		events: db.prepare<[string, string, string, number], { at: string; kind: string; detail: string }>(
			'SELECT at, kind, detail FROM (SELECT id, at, kind, detail FROM license_events WHERE tenant_id = ? AND account_id = ? AND public_id = ? ORDER BY id DESC LIMIT ?) ORDER BY id'
		)
	};

	// L16: one transaction per sync (one fsync), whatever the number of licenses.
	const appendLicenseHistoryTx = db.transaction(
		(tenantId: string, accountId: string, history: Parameters<Store['appendLicenseHistory']>[2]): void => {
			if (history.usage.length > 0) {
				const latest = new Map(q.latestRuns.all(tenantId, accountId).map((row) => [row.public_id, toUsageRun(row)]));
				for (const units of history.usage)
					for (const run of usageRunWrites(latest.get(units.publicId) ?? null, history.day, units))
						q.putRun.run(
							tenantId,
							accountId,
							units.publicId,
							run.day,
							run.lastDay,
							run.unitsActivated,
							run.unitsOrdered
						);
			}
			for (const event of history.events)
				q.insertEvent.run(tenantId, accountId, event.publicId, event.at, event.kind, event.detail);
		}
	);

	const insertAudit = (entry: AuditEntry): void => {
		q.insertAudit.run(
			entry.at,
			entry.tenantId,
			entry.userId,
			entry.ip,
			entry.itemType,
			entry.item,
			entry.action,
			entry.description,
			entry.madeAt ?? null
		);
	};
	// P17: one transaction (one fsync) for a whole batch; a row per transaction froze the server under a big import.
	const insertAuditBatch = db.transaction((entries: readonly AuditEntry[]) => {
		for (const entry of entries) insertAudit(entry);
	});

	const lastSeqOf = (docName: string): number => {
		const fromUpdates = q.maxSeq.get(docName)?.seq ?? 0;
		const fromSnapshot = q.snapshot.get(docName)?.through_seq ?? 0;
		return Math.max(fromUpdates, fromSnapshot);
	};

	const appendTx = db.transaction((docName: string, update: Uint8Array): number => {
		const seq = lastSeqOf(docName) + 1;
		q.insertUpdate.run(docName, seq, Buffer.from(update.buffer, update.byteOffset, update.byteLength));
		return seq;
	});

	const compactTx = db.transaction((docName: string, snapshot: Uint8Array, throughSeq: number) => {
		const last = lastSeqOf(docName);
		const previous = q.snapshot.get(docName)?.through_seq ?? 0;
		if (throughSeq > last || throughSeq < previous) throw new StaleCompactionError(docName, throughSeq, previous, last);
		q.deleteUpdates.run(docName, throughSeq);
		q.upsertSnapshot.run(docName, Buffer.from(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength), throughSeq);
	});

	const headsTx = db.transaction((docNames: readonly string[]): Map<string, number> => {
		const heads = new Map<string, number>();
		for (const docName of docNames) heads.set(docName, lastSeqOf(docName));
		return heads;
	});

	const loadTx = db.transaction((docName: string): StoredDoc => {
		const snap = q.snapshot.get(docName);
		const rows = q.updates.all(docName);
		const lastSeq = Math.max(snap?.through_seq ?? 0, rows.at(-1)?.seq ?? 0);
		return {
			snapshot: snap ? new Uint8Array(snap.data) : null,
			updates: rows.map((row) => new Uint8Array(row.data)),
			lastSeq
		};
	});

	const takeResetTx = db.transaction((tokenHash: string): PasswordResetRecord | null => {
		const row = q.reset.get(tokenHash);
		if (!row) return null;
		q.deleteReset.run(tokenHash);
		return { tokenHash: row.token_hash, userId: row.user_id, createdAt: row.created_at, expiresAt: row.expires_at };
	});

	let closed = false;
	/** Appends and audit batches of one event-loop turn share one transaction (one fsync). */
	const group = groupCommit(db);

	return {
		...sqliteIntegrationStore(db),
		...sqliteTemplateStore(db),
		...sqliteBillingStore(db),
		kind: 'sqlite',
		async load(docName) {
			return loadTx(docName);
		},
		append(docName, update) {
			return group.add(() => appendTx(docName, update));
		},
		async compact(docName, snapshot, throughSeq) {
			compactTx(docName, snapshot, throughSeq);
		},
		async listDocs() {
			return q.listDocs.all().map((row) => row.doc);
		},
		async heads(docNames) {
			return headsTx(docNames);
		},
		async countUsers() {
			return q.countUsers.get()?.n ?? 0;
		},
		async createTenant(tenant) {
			q.insertTenant.run(tenant.id, tenant.name, tenant.createdAt);
		},
		async getTenant(id) {
			const row = q.tenant.get(id);
			return row ? toTenant(row) : null;
		},
		async listTenants() {
			return q.tenants.all().map(toTenant);
		},
		async createUser(user) {
			try {
				q.insertUser.run(
					user.id,
					user.tenantId,
					user.email,
					user.passwordHash,
					user.role,
					JSON.stringify(user.grants ?? TENANT_WIDE),
					user.createdAt,
					user.locale ?? null
				);
			} catch (error) {
				if (
					error instanceof Database.SqliteError &&
					error.code === 'SQLITE_CONSTRAINT_UNIQUE' &&
					/users\.email/.test(error.message)
				) {
					throw new EmailTakenError();
				}
				throw error;
			}
		},
		async getUserByEmail(email) {
			const row = q.userByEmail.get(email);
			return row ? toUser(row) : null;
		},
		async getUser(id) {
			const row = q.user.get(id);
			return row ? toUser(row) : null;
		},
		async deleteUser(id) {
			q.deleteUser.run(id);
		},
		async createSession(session) {
			q.insertSession.run(session.tokenHash, session.userId, session.createdAt, session.expiresAt);
		},
		async getSession(tokenHash) {
			const row = q.session.get(tokenHash);
			return row ? toSession(row) : null;
		},
		async touchSession(tokenHash, expiresAt) {
			q.touchSession.run(expiresAt, tokenHash);
		},
		async deleteSession(tokenHash) {
			q.deleteSession.run(tokenHash);
		},
		async deleteExpiredSessions(now) {
			return q.deleteExpired.run(now).changes;
		},
		async deleteSessionsOfUser(userId) {
			return q.deleteUserSessions.run(userId).changes;
		},
		async setUserDisabled(userId, disabledAt) {
			q.setDisabled.run(disabledAt, userId);
		},
		async listUsers(tenantId) {
			return q.usersOf.all(tenantId).map(toUser);
		},
		async updateUser(userId, patch) {
			const changes: Array<[string, string]> = [];
			if (patch.role !== undefined) changes.push(['role', patch.role]);
			if (patch.grants !== undefined) changes.push(['grants', JSON.stringify(patch.grants)]);
			if (patch.passwordHash !== undefined) changes.push(['password_hash', patch.passwordHash]);
			const sets = changes.map(([column]) => `${column} = ?`);
			const values = changes.map(([, value]) => value);
			if (sets.length === 0) return;
			db.prepare(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`).run(...values, userId);
		},
		async setUserLocale(userId, locale) {
			q.setLocale.run(locale, userId);
		},
		async setTenantOwner(tenantId, userId) {
			q.setOwner.run(userId, tenantId);
		},
		async listCustomRoles(tenantId) {
			return q.customRoles
				.all(tenantId)
				.flatMap((row): CustomRole[] => {
					const parsed = customRoleSchema.safeParse(JSON.parse(row.data));
					return parsed.success ? [parsed.data] : [];
				})
				.sort((a, b) => a.name.localeCompare(b.name));
		},
		async putCustomRole(tenantId, role) {
			q.putCustomRole.run(tenantId, role.id, JSON.stringify(customRoleSchema.parse(role)));
		},
		async deleteCustomRole(tenantId, roleId) {
			q.deleteCustomRole.run(tenantId, roleId);
		},
		async getTenantSettings(tenantId) {
			const row = q.settings.get(tenantId);
			const parsed = tenantSettingsSchema.safeParse(row ? JSON.parse(row.data) : {});
			// A stored value this server cannot read falls back to the defaults rather than to no protection at all.
			return parsed.success ? parsed.data : tenantSettingsSchema.parse({});
		},
		async putTenantSettings(tenantId, settings) {
			q.putSettings.run(tenantId, JSON.stringify(tenantSettingsSchema.parse(settings)));
		},
		async createInvitation(invitation) {
			q.insertInvitation.run(
				invitation.id,
				invitation.tenantId,
				invitation.email,
				invitation.role,
				JSON.stringify(invitation.grants),
				invitation.tokenHash,
				invitation.invitedBy,
				invitation.createdAt,
				invitation.expiresAt,
				invitation.acceptedAt,
				invitation.revokedAt,
				invitation.locale ?? null
			);
		},
		async getInvitation(id) {
			const row = q.invitation.get(id);
			return row ? toInvitation(row) : null;
		},
		async getInvitationByTokenHash(tokenHash) {
			const row = q.invitationByToken.get(tokenHash);
			return row ? toInvitation(row) : null;
		},
		async listPendingInvitations(tenantId) {
			return q.pendingInvitations.all(tenantId).map(toInvitation);
		},
		async updateInvitation(id, patch) {
			const changes: Array<[string, string]> = [];
			if (patch.tokenHash !== undefined) changes.push(['token_hash', patch.tokenHash]);
			if (patch.expiresAt !== undefined) changes.push(['expires_at', patch.expiresAt]);
			if (patch.revokedAt !== undefined) changes.push(['revoked_at', patch.revokedAt]);
			if (changes.length === 0) return;
			const sets = changes.map(([column]) => `${column} = ?`).join(', ');
			db.prepare(`UPDATE invitations SET ${sets} WHERE id = ?`).run(...changes.map(([, value]) => value), id);
		},
		async claimInvitation(id, at) {
			if (at === null) return q.unclaimInvitation.run(id).changes === 1;
			return q.claimInvitation.run(at, id).changes === 1;
		},
		async createPasswordReset(reset) {
			q.insertReset.run(reset.tokenHash, reset.userId, reset.createdAt, reset.expiresAt);
		},
		async takePasswordReset(tokenHash) {
			return takeResetTx(tokenHash);
		},
		async listAudit(query) {
			const { sql, params } = auditSelect(query);
			return db
				.prepare<unknown[], AuditRow>(sql)
				.all(...params)
				.map(toAuditEntry);
		},
		async appendAuditBatch(entries) {
			if (entries.length > 0) await group.add(() => insertAuditBatch(entries));
		},
		async purgeAudit(tenantId, before) {
			return q.purgeAudit.run(tenantId, before).changes;
		},
		async getCommand(tenantId, id) {
			const row = q.command.get(tenantId, id);
			if (!row) return null;
			return {
				tenantId: row.tenant_id,
				id: row.id,
				userId: row.user_id,
				type: row.type,
				status: row.status === 'applied' ? 'applied' : 'refused',
				code: row.code,
				message: row.message,
				at: row.at
			};
		},
		async recordCommand(record) {
			const { tenantId, id, userId, type, status, code, message, at } = record;
			return q.insertCommand.run(tenantId, id, userId, type, status, code, message, at).changes === 1;
		},
		async putLicenseConnector(record) {
			q.putConnector.run(
				record.tenantId,
				record.accountId,
				record.kind,
				record.url,
				record.token,
				record.createdAt,
				record.nextSyncAt,
				record.lastSync
			);
		},
		async getLicenseConnector(tenantId, accountId) {
			const row = q.connector.get(tenantId, accountId);
			return row ? toLicenseConnector(row) : null;
		},
		async listLicenseConnectors(tenantId) {
			return q.connectors.all(tenantId).map(toLicenseConnector);
		},
		async dueLicenseConnectors(now) {
			return q.dueConnectors.all(now).map(toLicenseConnector);
		},
		async recordLicenseSync(tenantId, accountId, lastSync, nextSyncAt) {
			q.recordSync.run(lastSync, nextSyncAt, tenantId, accountId);
		},
		async deleteLicenseConnector(tenantId, accountId) {
			q.deleteConnector.run(tenantId, accountId);
		},
		async appendLicenseHistory(tenantId, accountId, history) {
			appendLicenseHistoryTx(tenantId, accountId, history);
		},
		async licenseHistory(tenantId, accountId, publicId, maxEvents = 1000) {
			return {
				usage: q.runs.all(tenantId, accountId, publicId).map(toUsageRun),
				events: q.events.all(tenantId, accountId, publicId, maxEvents)
			};
		},
		async externalChanges() {
			// Changes when another connection to the file (the CLI) has committed since this connection last looked.
			return Number(db.pragma('data_version', { simple: true }));
		},
		async appendAudit(entry: AuditEntry) {
			insertAudit(entry);
		},
		async health() {
			try {
				return { ok: true, documents: q.countDocs.get()?.n ?? 0 };
			} catch {
				return { ok: false, documents: 0 };
			}
		},
		async close() {
			if (closed) return;
			closed = true;
			group.flush();
			db.close();
		}
	};
}

/** Copies a live database with SQLite's online backup: consistent even while the server writes. */
export async function backupSqlite(dbFile: string, destFile: string): Promise<void> {
	if (!existsSync(dbFile)) throw new Error(`no database at ${dbFile}`);
	// A backup holds the same secrets as the live file: created owner-only, and never over an existing file ('wx').
	closeSync(openSync(destFile, 'wx', DB_FILE_MODE));
	try {
		const db = new Database(dbFile, { readonly: true, fileMustExist: true });
		try {
			db.pragma('busy_timeout = 5000');
			await db.backup(destFile);
		} finally {
			db.close();
		}
		// A backup is only worth keeping when it can be restored.
		assertPortalDatabase(destFile);
	} catch (error) {
		rmSync(destFile, { force: true });
		throw error;
	}
}

/** Throws a clear error unless `file` is a healthy database of this product with a schema this server can open. */
export function assertPortalDatabase(file: string): void {
	if (!existsSync(file)) throw new Error(`no file at ${file}`);
	let db: Database.Database;
	try {
		db = new Database(file, { readonly: true, fileMustExist: true });
	} catch {
		throw new Error(`${file} is not an SQLite database`);
	}
	try {
		let version: unknown;
		let tables: Set<string>;
		let integrity: unknown;
		try {
			version = db.pragma('user_version', { simple: true });
			tables = new Set(
				db
					.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
					.all()
					.map((row) => row.name)
			);
			integrity = db.pragma('quick_check', { simple: true });
		} catch {
			throw new Error(`${file} is not an SQLite database`);
		}
		if (typeof version !== 'number' || version < 1)
			throw new Error(`${file} is not an MSP portal database (no schema version)`);
		if (version > SCHEMA_VERSION)
			throw new Error(`${file} has schema version ${version}, newer than this server (${SCHEMA_VERSION})`);
		const missing = REQUIRED_TABLES.filter((table) => !tables.has(table));
		if (missing.length > 0)
			throw new Error(`${file} is not an MSP portal database (missing tables: ${missing.join(', ')})`);
		if (integrity !== 'ok') throw new Error(`${file} is damaged (integrity check: ${String(integrity)})`);
	} finally {
		db.close();
	}
}

/**
 * Replaces the live database by a backup. Only while no server uses the file (the caller holds the data-dir lock).
 * The backup is checked first, copied beside the live file, and then renamed over it, so a failure leaves the old file.
 * The live file's -wal and -shm belong to the old database: replaying them on the new one would corrupt it, so they go first.
 */
export function restoreSqlite(backupFile: string, dbFile: string): void {
	assertPortalDatabase(backupFile);
	const staging = `${dbFile}.restoring`;
	rmSync(staging, { force: true });
	copyFileSync(backupFile, staging);
	chmodSync(staging, DB_FILE_MODE);
	assertPortalDatabase(staging);
	rmSync(`${staging}-wal`, { force: true });
	rmSync(`${staging}-shm`, { force: true });
	rmSync(`${dbFile}-wal`, { force: true });
	rmSync(`${dbFile}-shm`, { force: true });
	renameSync(staging, dbFile);
}
