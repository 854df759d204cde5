// The server's storage behind interfaces: documents (append-only updates + snapshots) and accounts (users, sessions, tenants).
// SQLite implements both for one machine; PostgreSQL comes later behind the same interfaces (one contract suite runs on each).
import type { CustomRole, Grant, Role } from '../../../src/lib/schema/access';
import type { Locale } from '../../../src/lib/schema/locale';
import type { TenantSettings } from '../../../src/lib/schema/settings';
import type { NotificationTemplate, TemplateDefault, TemplateKind } from '../../../src/lib/schema/templates';

export interface StoredDoc {
	/** Compacted state, or null when the document was never compacted. */
	readonly snapshot: Uint8Array | null;
	/** Updates appended after the snapshot, in order. */
	readonly updates: readonly Uint8Array[];
	/** Sequence number of the last update (0 when none). */
	readonly lastSeq: number;
}

export interface DocStore {
	/** Everything stored for a document; an unknown document loads empty. */
	load(docName: string): Promise<StoredDoc>;
	/** Appends an update; when the promise resolves the update is committed (durable). Returns its sequence number. */
	append(docName: string, update: Uint8Array): Promise<number>;
	/** Replaces the snapshot and every update up to `throughSeq` by `snapshot`, atomically. */
	compact(docName: string, snapshot: Uint8Array, throughSeq: number): Promise<void>;
	/** Names of all stored documents. */
	listDocs(): Promise<string[]>;
	/**
	 * S32: the sequence number of each document's last committed update (0 for an unknown document). It grows with every
	 * append and stays through compaction, so an unchanged number means an unchanged document.
	 */
	heads(docNames: readonly string[]): Promise<Map<string, number>>;
}

export interface TenantRecord {
	readonly id: string;
	readonly name: string;
	readonly createdAt: string;
	/** P13: the tenant's owner, always exactly one Super Admin once the setup ran (null before). */
	readonly ownerId?: string | null;
}

export interface UserRecord {
	readonly id: string;
	readonly tenantId: string;
	readonly email: string;
	readonly passwordHash: string;
	readonly role: Role;
	/** H6, P16: where the role applies (default: the whole tenant). */
	readonly grants?: readonly Grant[];
	readonly createdAt: string;
	/** When an operator or an admin deactivated the account (S41: it cannot sign in, its sessions and sockets end); null: active. */
	readonly disabledAt?: string | null;
	/** P9, S115: the language this person chose for the UI and their mails; absent until they choose one. */
	readonly locale?: Locale;
}

export interface SessionRecord {
	/** sha-256 of the cookie token, hex: the token itself is never stored. */
	readonly tokenHash: string;
	readonly userId: string;
	readonly createdAt: string;
	readonly expiresAt: string;
}

/** P13: an invitation to join a tenant; the person chooses a password when accepting and gets `role` and `grants`. */
export interface InvitationRecord {
	readonly id: string;
	readonly tenantId: string;
	readonly email: string;
	readonly role: Role;
	readonly grants: readonly Grant[];
	/** sha-256 of the token in the mailed link, hex: the token itself is never stored. */
	readonly tokenHash: string;
	/** Who invited (a user id; kept when that user is deleted). */
	readonly invitedBy: string | null;
	readonly createdAt: string;
	readonly expiresAt: string;
	readonly acceptedAt: string | null;
	readonly revokedAt: string | null;
	/** P14: the recipient's language (the mail and a resent one use its templates); absent: English. */
	readonly locale?: Locale;
}

/** P13: a password reset an administrator sent; single use. */
export interface PasswordResetRecord {
	/** sha-256 of the token in the mailed link, hex. */
	readonly tokenHash: string;
	readonly userId: string;
	readonly createdAt: string;
	readonly expiresAt: string;
}

export interface AuditEntry {
	/** When the server recorded it (for a client's change: when the change arrived, P17). */
	readonly at: string;
	readonly tenantId: string | null;
	readonly userId: string | null;
	readonly ip: string | null;
	readonly itemType: string;
	readonly item: string;
	readonly action: string;
	readonly description: string;
	/** P17: when the change was made on the device, where the record carries it (a node's createdAt, a note's at). */
	readonly madeAt?: string | null;
}

/** An audit entry as read back: its id orders the log (newest first) and is the paging cursor. */
export interface StoredAuditEntry extends AuditEntry {
	readonly id: number;
	readonly madeAt: string | null;
}

/** P17: which audit entries to read; every filter is optional and they combine with AND. */
export interface AuditQuery {
	/** One tenant's entries, or (null) the server's own. */
	readonly tenantId: string | null;
	/** At most this many (default 100). */
	readonly limit?: number;
	/** Only entries with an id below this one (the cursor of the previous page). */
	readonly beforeId?: number;
	/** `at` from (inclusive) and to (exclusive), ISO 8601 UTC. */
	readonly from?: string;
	readonly to?: string;
	readonly userId?: string;
	readonly itemType?: string;
	readonly item?: string;
	readonly action?: string;
}

/** S61: what a server command got the first time it was applied (or refused), kept so a retry changes nothing. */
export interface CommandRecord {
	readonly tenantId: string;
	/** The command's id (its idempotency key, unique per tenant). */
	readonly id: string;
	readonly userId: string;
	readonly type: string;
	readonly status: 'applied' | 'refused';
	readonly code: string | null;
	readonly message: string | null;
	readonly at: string;
}

export interface AccountStore {
	countUsers(): Promise<number>;
	createTenant(tenant: TenantRecord): Promise<void>;
	getTenant(id: string): Promise<TenantRecord | null>;
	listTenants(): Promise<TenantRecord[]>;
	/** Fails with a clear error when the email is taken (emails are unique across the server). */
	createUser(user: UserRecord): Promise<void>;
	getUserByEmail(email: string): Promise<UserRecord | null>;
	getUser(id: string): Promise<UserRecord | null>;
	/** Removes the user and their sessions (the CLI's `user delete`; S55: removing the demo account). */
	deleteUser(id: string): Promise<void>;
	createSession(session: SessionRecord): Promise<void>;
	getSession(tokenHash: string): Promise<SessionRecord | null>;
	/** Slides a session's expiry (no-op when the session is gone). */
	touchSession(tokenHash: string, expiresAt: string): Promise<void>;
	deleteSession(tokenHash: string): Promise<void>;
	deleteExpiredSessions(now: string): Promise<number>;
	/** Ends every session of a user (sign-out everywhere, deactivation); answers how many there were. */
	deleteSessionsOfUser(userId: string): Promise<number>;
	/** Deactivates (a time) or reactivates (null) a user; no-op for an unknown id. */
	setUserDisabled(userId: string, disabledAt: string | null): Promise<void>;
	/** P13: the users of a tenant, by email. */
	listUsers(tenantId: string): Promise<UserRecord[]>;
	/** P13, P16: changes a user's role, grants or password hash; no-op for an unknown id. */
	updateUser(
		userId: string,
		patch: { readonly role?: Role; readonly grants?: readonly Grant[]; readonly passwordHash?: string }
	): Promise<void>;
	/** P9, S115: a user's chosen language, or null to follow the browser again; no-op for an unknown id. */
	setUserLocale(userId: string, locale: Locale | null): Promise<void>;
	/** P13: makes `userId` the tenant's owner. */
	setTenantOwner(tenantId: string, userId: string): Promise<void>;
	/** P16: a tenant's custom roles. */
	listCustomRoles(tenantId: string): Promise<CustomRole[]>;
	putCustomRole(tenantId: string, role: CustomRole): Promise<void>;
	deleteCustomRole(tenantId: string, roleId: string): Promise<void>;
	/** P9, P12, P17, P18: the tenant's settings (the defaults when none were saved). */
	getTenantSettings(tenantId: string): Promise<TenantSettings>;
	putTenantSettings(tenantId: string, settings: TenantSettings): Promise<void>;
	/** P13: invitations. Fails when the id or the token hash exists. */
	createInvitation(invitation: InvitationRecord): Promise<void>;
	getInvitation(id: string): Promise<InvitationRecord | null>;
	getInvitationByTokenHash(tokenHash: string): Promise<InvitationRecord | null>;
	/** A tenant's invitations neither accepted nor revoked (expired ones included: they can be sent again), oldest first. */
	listPendingInvitations(tenantId: string): Promise<InvitationRecord[]>;
	/** A new token and expiry (resend), or revoked; no-op for an unknown id. */
	updateInvitation(
		id: string,
		patch: { readonly tokenHash?: string; readonly expiresAt?: string; readonly revokedAt?: string }
	): Promise<void>;
	/**
	 * Marks the invitation accepted when it is still neither accepted nor revoked (atomic: of two concurrent accepts one
	 * wins); answers whether it did. `at` null gives a claimed invitation back (the account could not be created).
	 */
	claimInvitation(id: string, at: string | null): Promise<boolean>;
	createPasswordReset(reset: PasswordResetRecord): Promise<void>;
	/** Removes and answers the reset stored under `tokenHash` (single use), or null. */
	takePasswordReset(tokenHash: string): Promise<PasswordResetRecord | null>;
	appendAudit(entry: AuditEntry): Promise<void>;
	/** P17: many entries in ONE transaction (the relay writes a batch's accepted changes this way, never row by row). */
	appendAuditBatch(entries: readonly AuditEntry[]): Promise<void>;
	/** The newest audit entries first, at most `limit` (default 100), of one tenant or (null) of the server itself. */
	listAudit(query: AuditQuery): Promise<StoredAuditEntry[]>;
	/** P17: removes a tenant's entries recorded before `before` (ISO 8601); answers how many. */
	purgeAudit(tenantId: string, before: string): Promise<number>;
	/** S61: the first result of a server command, or null when the tenant never saw its id. */
	getCommand(tenantId: string, id: string): Promise<CommandRecord | null>;
	/** S61: records a command's result; answers false (and keeps the first) when its (tenant, id) was recorded already. */
	recordCommand(record: CommandRecord): Promise<boolean>;
}

export interface Store extends DocStore, AccountStore, LicenseStore, IntegrationStore, TemplateStore, BillingStore {
	readonly kind: string;
	/**
	 * A number that changes when another process (the operators' CLI) has written to the store since the last call; the
	 * server re-checks its open sockets' sessions when it moves (S41). Constant for stores no other process can reach.
	 */
	externalChanges(): Promise<number>;
	/** Cheap liveness check for /api/health. */
	health(): Promise<{ ok: boolean; documents: number }>;
	close(): Promise<void>;
}

/**
 * L12: how a tenant's license account is synchronized: a file connector (imports, the watched folder) or the vendor's HTTP
 * API. The token is sealed by the license service (AES-256-GCM, server/src/licenses/secret-box.ts) before it gets here;
 * it never leaves the server (no API answer, no document, no log).
 */
export interface LicenseConnectorRecord {
	readonly tenantId: string;
	readonly accountId: string;
	readonly kind: 'file' | 'http';
	/** The vendor API's base address (http), without credentials; null for files. */
	readonly url: string | null;
	/** The sealed API token (http); null for files. */
	readonly token: string | null;
	readonly createdAt: string;
	/** When the daily sync runs next (http); null: nothing to sync from. */
	readonly nextSyncAt: string | null;
	/** The last import or sync (a SyncRecord as JSON text, parsed by the service); null before the first. */
	readonly lastSync: string | null;
}

/** L16: one license's units on one day (stored as runs of equal days, see server/src/store/license-usage.ts). */
export interface LicenseUsageInput {
	readonly publicId: string;
	readonly unitsActivated: number;
	readonly unitsOrdered: number;
}

/** L16: one thing that happened to a license (an import, a sync, a command); by public id, so it outlives a re-import. */
export interface LicenseEventInput {
	readonly publicId: string;
	readonly at: string;
	readonly kind: string;
	readonly detail: string;
}

/** L16: a run of days on which a license had the same units (`day` to `lastDay`, both inclusive, YYYY-MM-DD). */
export interface LicenseUsageRun {
	readonly day: string;
	readonly lastDay: string;
	readonly unitsActivated: number;
	readonly unitsOrdered: number;
}

export interface LicenseStore {
	/** Creates or replaces the connector of (tenant, account). */
	putLicenseConnector(record: LicenseConnectorRecord): Promise<void>;
	getLicenseConnector(tenantId: string, accountId: string): Promise<LicenseConnectorRecord | null>;
	/** A tenant's connectors, by account id. */
	listLicenseConnectors(tenantId: string): Promise<LicenseConnectorRecord[]>;
	/** L12: connectors of every tenant whose next sync is due at `now` (ISO 8601), the longest due first. */
	dueLicenseConnectors(now: string): Promise<LicenseConnectorRecord[]>;
	/** Records a sync's outcome; no-op for an unknown connector. */
	recordLicenseSync(tenantId: string, accountId: string, lastSync: string, nextSyncAt: string | null): Promise<void>;
	/** L11: forgets the connector and its credentials; the history stays (by public id). */
	deleteLicenseConnector(tenantId: string, accountId: string): Promise<void>;
	/**
	 * L16: one sync's history in ONE transaction: each license's units on `day` (the tenant's day; at most one value per
	 * license and day, the later sync of a day wins) and the events.
	 */
	appendLicenseHistory(
		tenantId: string,
		accountId: string,
		history: {
			readonly day: string;
			readonly usage: readonly LicenseUsageInput[];
			readonly events: readonly LicenseEventInput[];
		}
	): Promise<void>;
	/** L16: a license's usage runs (oldest first) and events (oldest first, at most `maxEvents`, the newest kept). */
	licenseHistory(
		tenantId: string,
		accountId: string,
		publicId: string,
		maxEvents?: number
	): Promise<{ usage: LicenseUsageRun[]; events: Array<{ at: string; kind: string; detail: string }> }>;
}

/** P4, P5: an integration's API token. Only the SHA-256 of its secret is stored; the secret is shown once. */
export interface IntegrationTokenRecord {
	readonly id: string;
	readonly tenantId: string;
	readonly name: string;
	/** sha-256 of the whole token (`mspi_…`), hex. */
	readonly secretHash: string;
	readonly createdAt: string;
	/** Who created it: an email, or null for the operators' CLI. */
	readonly createdBy: string | null;
	readonly lastUsedAt: string | null;
	readonly revokedAt: string | null;
}

/** P4: what the server keeps of an ingested job: its id (idempotency, per tenant) and what the 90-day fold needs. */
export interface IngestedJobRecord {
	readonly jobId: string;
	readonly customerId: string;
	readonly status: string;
	readonly endedAt: string;
	readonly bytes: number | null;
}

/** P7: a backup a person asked for, waiting for (or picked up by) the backup integration. */
export interface BackupRequestRecord {
	readonly tenantId: string;
	readonly id: string;
	readonly customerId: string;
	readonly serviceId: string | null;
	readonly requestedAt: string;
	readonly requestedBy: string;
	readonly status: string;
	readonly updatedAt: string;
}

export interface IntegrationStore {
	/** Fails when the id or the secret hash exists. */
	createIntegrationToken(record: IntegrationTokenRecord): Promise<void>;
	getIntegrationToken(id: string): Promise<IntegrationTokenRecord | null>;
	integrationTokenByHash(secretHash: string): Promise<IntegrationTokenRecord | null>;
	/** A tenant's tokens (every tenant's with null), oldest first, revoked ones included. */
	listIntegrationTokens(tenantId: string | null): Promise<IntegrationTokenRecord[]>;
	/** Answers false for an unknown or already revoked token. */
	revokeIntegrationToken(id: string, at: string): Promise<boolean>;
	touchIntegrationToken(id: string, at: string): Promise<void>;
	/** Which of `jobIds` the tenant has ingested before. */
	knownJobIds(tenantId: string, jobIds: readonly string[]): Promise<Set<string>>;
	/** Records jobs in ONE transaction; ids known already are left alone. Answers how many were new. */
	insertJobs(tenantId: string, jobs: readonly IngestedJobRecord[]): Promise<number>;
	/** The customers with jobs that ended before `before` and are not folded into days yet. */
	customersWithJobsBefore(before: string): Promise<Array<{ tenantId: string; customerId: string }>>;
	/** Marks a customer's jobs that ended before `before` folded; answers how many. */
	markJobsFolded(tenantId: string, customerId: string, before: string): Promise<number>;
	/** Which of `requestIds` the tenant has ingested before. */
	knownServiceRequestIds(tenantId: string, requestIds: readonly string[]): Promise<Set<string>>;
	/** Records request ids in ONE transaction; known ones are left alone. Answers how many were new. */
	insertServiceRequestIds(
		tenantId: string,
		requests: ReadonlyArray<{ readonly requestId: string; readonly customerId: string; readonly at: string }>
	): Promise<number>;
	/** Fails when (tenant, id) exists. */
	putBackupRequest(record: BackupRequestRecord): Promise<void>;
	/** The tenant's queued backup requests, oldest first, at most `limit`, marked `sent` at `at` in the same transaction. */
	takeQueuedBackupRequests(tenantId: string, at: string, limit: number): Promise<BackupRequestRecord[]>;
	/** Sets the status; answers the updated record, or null for an unknown (tenant, id). */
	updateBackupRequest(tenantId: string, id: string, status: string, at: string): Promise<BackupRequestRecord | null>;
}

/** P14: a tenant's custom notification templates and which one is the default per kind and language (migration 10). */
export interface TemplateStore {
	/** The tenant's custom templates, by kind, language, name and id. */
	listNotificationTemplates(tenantId: string): Promise<NotificationTemplate[]>;
	getNotificationTemplate(tenantId: string, id: string): Promise<NotificationTemplate | null>;
	/** Creates or replaces the template with this id in the tenant. */
	putNotificationTemplate(tenantId: string, template: NotificationTemplate): Promise<void>;
	/** Deletes it, and the defaults that named it (the built-in template is the default again); false when there was none. */
	deleteNotificationTemplate(tenantId: string, id: string): Promise<boolean>;
	listTemplateDefaults(tenantId: string): Promise<TemplateDefault[]>;
	/** Makes `templateId` the default of its kind and language; null: the built-in one again. */
	setTemplateDefault(tenantId: string, kind: TemplateKind, locale: Locale, templateId: string | null): Promise<void>;
}

/** P15: one customer's billing report for one period of one profile: the unique key that is claimed before a mail goes. */
export interface BillingSendKey {
	readonly tenantId: string;
	readonly profileId: string;
	readonly customerId: string;
	/** `2026-11` (monthly) or `2026` (yearly). */
	readonly period: string;
}

export interface BillingSendRecord extends BillingSendKey {
	/** `claimed` (a process is sending it, or died while it did), `sent`, `skipped` (nothing to send to), `failed`. */
	readonly status: 'claimed' | 'sent' | 'skipped' | 'failed';
	/** Why it was skipped or failed (`noEmail`, `noServices`, `mailFailed`, `gaveUp`); null otherwise. */
	readonly reason: string | null;
	readonly customerName: string;
	readonly recipient: string | null;
	/** The mail's Message-ID, the same for every attempt: a duplicate after an interrupted send is recognisable. */
	readonly messageId: string;
	/** How often it was claimed (1 for the first claim). */
	readonly attempts: number;
	/** When it was last claimed or finished. */
	readonly updatedAt: string;
	/** Until when a claim is held (a later claim may take it over after), or when a failed one may be tried again; null: never. */
	readonly leaseUntil: string | null;
	readonly sentAt: string | null;
	readonly currency: string | null;
	readonly totalMinor: number | null;
}

export interface BillingClaim extends BillingSendKey {
	readonly customerName: string;
	readonly messageId: string;
	readonly at: string;
	readonly leaseUntil: string;
	/** A claimed or failed row is taken over only while it has had fewer attempts than this. */
	readonly maxAttempts: number;
	/** A skipped row is claimed again (the customer has an email and billed services now). */
	readonly retrySkipped: boolean;
}

export interface BillingOutcome {
	readonly status: 'sent' | 'skipped' | 'failed';
	readonly reason: string | null;
	readonly recipient: string | null;
	readonly at: string;
	readonly leaseUntil: string | null;
	readonly currency: string | null;
	readonly totalMinor: number | null;
}

export interface BillingStore {
	/**
	 * P15: claims the key before anything is sent (atomic across processes on one file): a new key is inserted; an existing
	 * one is taken over only when it is `claimed` or `failed` with its lease passed and fewer than `maxAttempts` attempts,
	 * or `skipped` and `retrySkipped`. Answers the record as claimed, with the status it had before (null when new), or
	 * null when someone else holds it or it is done.
	 */
	claimBillingSend(
		claim: BillingClaim
	): Promise<{ readonly record: BillingSendRecord; readonly previous: BillingSendRecord['status'] | null } | null>;
	/** Records how a claimed send ended; no-op unless the key is `claimed` with `attempts` (a newer claim wins). */
	finishBillingSend(key: BillingSendKey, attempts: number, outcome: BillingOutcome): Promise<void>;
	/** P15: a tenant's rows of these periods (a run reads them once and claims only keys that may still need a mail). */
	billingSendsOfPeriods(tenantId: string, periods: readonly string[]): Promise<BillingSendRecord[]>;
	/** A tenant's sends, newest first (by `updatedAt`), optionally of one profile, at most `limit`. */
	listBillingSends(
		tenantId: string,
		query: { readonly profileId?: string; readonly limit: number }
	): Promise<BillingSendRecord[]>;
}
