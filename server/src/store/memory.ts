// An in-memory Store with the same behaviour as SQLite (the contract suite runs on both); for tests and throwaway runs.
import type {
	CommandRecord,
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
import type { CustomRole } from '../../../src/lib/schema/access';
import { tenantSettingsSchema, type TenantSettings } from '../../../src/lib/schema/settings';
import { TENANT_WIDE } from './grants';
import { EmailTakenError, StaleCompactionError } from './errors';
import { usageRunWrites } from './license-usage';
import { memoryIntegrationStore } from './memory-integrations';
import { memoryTemplateStore } from './memory-templates';
import { memoryBillingStore } from './memory-billing';

interface MemoryDoc {
	snapshot: Uint8Array | null;
	snapshotSeq: number;
	updates: { seq: number; data: Uint8Array }[];
}

/** Copies in and out, as a real store would: a caller that mutates its buffer later must not change what is stored. */
const copy = (bytes: Uint8Array): Uint8Array => new Uint8Array(bytes);

export function createMemoryStore(): Store {
	const docs = new Map<string, MemoryDoc>();
	const tenants = new Map<string, TenantRecord>();
	const users = new Map<string, UserRecord>();
	const sessions = new Map<string, SessionRecord>();
	const audit: StoredAuditEntry[] = [];
	let nextAuditId = 1;
	const customRoles = new Map<string, Map<string, CustomRole>>();
	const settings = new Map<string, TenantSettings>();
	const invitations = new Map<string, InvitationRecord>();
	const resets = new Map<string, PasswordResetRecord>();
	const commands = new Map<string, CommandRecord>();
	const connectors = new Map<string, LicenseConnectorRecord>();
	/** L16: per (tenant, account, public id), the usage runs by first day. */
	const usage = new Map<string, Map<string, LicenseUsageRun>>();
	const events: Array<{ key: string; at: string; kind: string; detail: string }> = [];
	const licenseKey = (...parts: string[]): string => JSON.stringify(parts);
	let closed = false;

	const lastSeqOf = (doc: MemoryDoc | undefined): number =>
		Math.max(doc?.snapshotSeq ?? 0, doc?.updates.at(-1)?.seq ?? 0);
	const assertOpen = (): void => {
		if (closed) throw new Error('the store is closed');
	};

	return {
		...memoryIntegrationStore(assertOpen),
		...memoryTemplateStore(assertOpen),
		...memoryBillingStore(assertOpen),
		kind: 'memory',
		async load(docName): Promise<StoredDoc> {
			assertOpen();
			const doc = docs.get(docName);
			return {
				snapshot: doc?.snapshot ? copy(doc.snapshot) : null,
				updates: doc ? doc.updates.map((u) => copy(u.data)) : [],
				lastSeq: lastSeqOf(doc)
			};
		},
		async append(docName, update) {
			assertOpen();
			let doc = docs.get(docName);
			if (!doc) {
				doc = { snapshot: null, snapshotSeq: 0, updates: [] };
				docs.set(docName, doc);
			}
			const seq = lastSeqOf(doc) + 1;
			doc.updates.push({ seq, data: copy(update) });
			return seq;
		},
		async compact(docName, snapshot, throughSeq) {
			assertOpen();
			const doc = docs.get(docName) ?? { snapshot: null, snapshotSeq: 0, updates: [] };
			const last = lastSeqOf(doc);
			const previous = doc.snapshotSeq;
			if (throughSeq > last || throughSeq < previous)
				throw new StaleCompactionError(docName, throughSeq, previous, last);
			docs.set(docName, doc);
			doc.snapshot = copy(snapshot);
			doc.snapshotSeq = throughSeq;
			doc.updates = doc.updates.filter((u) => u.seq > throughSeq);
		},
		async listDocs() {
			assertOpen();
			return [...docs.keys()].sort();
		},
		async heads(docNames) {
			return new Map(docNames.map((docName) => [docName, lastSeqOf(docs.get(docName))]));
		},
		async countUsers() {
			return users.size;
		},
		async createTenant(tenant) {
			if (tenants.has(tenant.id)) throw new Error(`tenant ${tenant.id} exists`);
			tenants.set(tenant.id, { ownerId: null, ...tenant });
		},
		async getTenant(id) {
			return tenants.get(id) ?? null;
		},
		async listTenants() {
			return [...tenants.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
		},
		async createUser(user) {
			if ([...users.values()].some((u) => u.email === user.email)) throw new EmailTakenError();
			if (!tenants.has(user.tenantId)) throw new Error(`no tenant ${user.tenantId}`);
			if (users.has(user.id)) throw new Error(`user ${user.id} exists`);
			users.set(user.id, { disabledAt: null, ...user, grants: user.grants ?? TENANT_WIDE });
		},
		async getUserByEmail(email) {
			return [...users.values()].find((u) => u.email === email) ?? null;
		},
		async getUser(id) {
			return users.get(id) ?? null;
		},
		async deleteUser(id) {
			users.delete(id);
			for (const [hash, session] of sessions) if (session.userId === id) sessions.delete(hash);
			for (const [hash, reset] of resets) if (reset.userId === id) resets.delete(hash);
		},
		async createSession(session) {
			if (!users.has(session.userId)) throw new Error(`no user ${session.userId}`);
			sessions.set(session.tokenHash, { ...session });
		},
		async getSession(tokenHash) {
			return sessions.get(tokenHash) ?? null;
		},
		async touchSession(tokenHash, expiresAt) {
			const session = sessions.get(tokenHash);
			if (session) sessions.set(tokenHash, { ...session, expiresAt });
		},
		async deleteSession(tokenHash) {
			sessions.delete(tokenHash);
		},
		async deleteExpiredSessions(now) {
			let removed = 0;
			for (const [hash, session] of sessions) {
				if (session.expiresAt <= now) {
					sessions.delete(hash);
					removed++;
				}
			}
			return removed;
		},
		async deleteSessionsOfUser(userId) {
			let removed = 0;
			for (const [hash, session] of sessions) {
				if (session.userId !== userId) continue;
				sessions.delete(hash);
				removed++;
			}
			return removed;
		},
		async setUserDisabled(userId, disabledAt) {
			const user = users.get(userId);
			if (user) users.set(userId, { ...user, disabledAt });
		},
		async listUsers(tenantId) {
			return [...users.values()].filter((u) => u.tenantId === tenantId).sort((a, b) => a.email.localeCompare(b.email));
		},
		async updateUser(userId, patch) {
			const user = users.get(userId);
			if (!user) return;
			users.set(userId, {
				...user,
				...(patch.role !== undefined ? { role: patch.role } : {}),
				...(patch.grants !== undefined ? { grants: [...patch.grants] } : {}),
				...(patch.passwordHash !== undefined ? { passwordHash: patch.passwordHash } : {})
			});
		},
		async setUserLocale(userId, locale) {
			const user = users.get(userId);
			if (!user) return;
			const { locale: _previous, ...rest } = user;
			users.set(userId, locale === null ? rest : { ...rest, locale });
		},
		async setTenantOwner(tenantId, userId) {
			const tenant = tenants.get(tenantId);
			if (tenant) tenants.set(tenantId, { ...tenant, ownerId: userId });
		},
		async listCustomRoles(tenantId) {
			return [...(customRoles.get(tenantId)?.values() ?? [])].sort((a, b) => a.name.localeCompare(b.name));
		},
		async putCustomRole(tenantId, role) {
			const roles = customRoles.get(tenantId) ?? new Map<string, CustomRole>();
			roles.set(role.id, { ...role, permissions: [...role.permissions] });
			customRoles.set(tenantId, roles);
		},
		async deleteCustomRole(tenantId, roleId) {
			customRoles.get(tenantId)?.delete(roleId);
		},
		async getTenantSettings(tenantId) {
			return tenantSettingsSchema.parse(settings.get(tenantId) ?? {});
		},
		async putTenantSettings(tenantId, value) {
			settings.set(tenantId, tenantSettingsSchema.parse(value));
		},
		async createInvitation(invitation) {
			if (!tenants.has(invitation.tenantId)) throw new Error(`no tenant ${invitation.tenantId}`);
			if (invitations.has(invitation.id) || [...invitations.values()].some((i) => i.tokenHash === invitation.tokenHash))
				throw new Error(`invitation ${invitation.id} exists`);
			invitations.set(invitation.id, { ...invitation, grants: [...invitation.grants] });
		},
		async getInvitation(id) {
			return invitations.get(id) ?? null;
		},
		async getInvitationByTokenHash(tokenHash) {
			return [...invitations.values()].find((i) => i.tokenHash === tokenHash) ?? null;
		},
		async listPendingInvitations(tenantId) {
			return [...invitations.values()]
				.filter((i) => i.tenantId === tenantId && i.acceptedAt === null && i.revokedAt === null)
				.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
		},
		async updateInvitation(id, patch) {
			const invitation = invitations.get(id);
			if (invitation) invitations.set(id, { ...invitation, ...patch });
		},
		async claimInvitation(id, at) {
			const invitation = invitations.get(id);
			if (!invitation || invitation.revokedAt !== null) return false;
			if (at !== null && invitation.acceptedAt !== null) return false;
			invitations.set(id, { ...invitation, acceptedAt: at });
			return true;
		},
		async createPasswordReset(reset) {
			if (!users.has(reset.userId)) throw new Error(`no user ${reset.userId}`);
			resets.set(reset.tokenHash, { ...reset });
		},
		async takePasswordReset(tokenHash) {
			const reset = resets.get(tokenHash) ?? null;
			resets.delete(tokenHash);
			return reset;
		},
		async appendAudit(entry) {
			audit.push({ ...entry, madeAt: entry.madeAt ?? null, id: nextAuditId++ });
		},
		async appendAuditBatch(entries) {
			for (const entry of entries) audit.push({ ...entry, madeAt: entry.madeAt ?? null, id: nextAuditId++ });
		},
		async listAudit(query) {
			const matching = audit.filter(
				(entry) =>
					entry.tenantId === query.tenantId &&
					(query.beforeId === undefined || entry.id < query.beforeId) &&
					(query.from === undefined || entry.at >= query.from) &&
					(query.to === undefined || entry.at < query.to) &&
					(query.userId === undefined || entry.userId === query.userId) &&
					(query.itemType === undefined || entry.itemType === query.itemType) &&
					(query.item === undefined || entry.item === query.item) &&
					(query.action === undefined || entry.action === query.action)
			);
			return matching
				.slice(-(query.limit ?? 100))
				.reverse()
				.map((entry) => ({ ...entry }));
		},
		async purgeAudit(tenantId, before) {
			const kept = audit.filter((entry) => entry.tenantId !== tenantId || entry.at >= before);
			const removed = audit.length - kept.length;
			audit.splice(0, audit.length, ...kept);
			return removed;
		},
		async getCommand(tenantId, id) {
			const record = commands.get(`${tenantId}\n${id}`);
			return record ? { ...record } : null;
		},
		async recordCommand(record) {
			const key = `${record.tenantId}\n${record.id}`;
			if (commands.has(key)) return false;
			commands.set(key, { ...record });
			return true;
		},
		async putLicenseConnector(record) {
			assertOpen();
			connectors.set(licenseKey(record.tenantId, record.accountId), { ...record });
		},
		async getLicenseConnector(tenantId, accountId) {
			assertOpen();
			const record = connectors.get(licenseKey(tenantId, accountId));
			return record ? { ...record } : null;
		},
		async listLicenseConnectors(tenantId) {
			assertOpen();
			return [...connectors.values()]
				.filter((record) => record.tenantId === tenantId)
				.sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0))
				.map((record) => ({ ...record }));
		},
		async dueLicenseConnectors(now) {
			assertOpen();
			const order = (r: LicenseConnectorRecord): string =>
				`${r.nextSyncAt ?? ''}\u0000${r.tenantId}\u0000${r.accountId}`;
			return [...connectors.values()]
				.filter((record) => record.nextSyncAt !== null && record.nextSyncAt <= now)
				.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))
				.map((record) => ({ ...record }));
		},
		async recordLicenseSync(tenantId, accountId, lastSync, nextSyncAt) {
			assertOpen();
			const key = licenseKey(tenantId, accountId);
			const record = connectors.get(key);
			if (record) connectors.set(key, { ...record, lastSync, nextSyncAt });
		},
		async deleteLicenseConnector(tenantId, accountId) {
			assertOpen();
			connectors.delete(licenseKey(tenantId, accountId));
		},
		async appendLicenseHistory(tenantId, accountId, history) {
			assertOpen();
			for (const units of history.usage) {
				const key = licenseKey(tenantId, accountId, units.publicId);
				const runs = usage.get(key) ?? new Map<string, LicenseUsageRun>();
				usage.set(key, runs);
				const latest = [...runs.values()].reduce<LicenseUsageRun | null>(
					(found, run) => (found === null || run.day > found.day ? run : found),
					null
				);
				for (const run of usageRunWrites(latest, history.day, units)) runs.set(run.day, run);
			}
			for (const event of history.events)
				events.push({
					key: licenseKey(tenantId, accountId, event.publicId),
					at: event.at,
					kind: event.kind,
					detail: event.detail
				});
		},
		async licenseHistory(tenantId, accountId, publicId, maxEvents = 1000) {
			assertOpen();
			const key = licenseKey(tenantId, accountId, publicId);
			const runs = [...(usage.get(key)?.values() ?? [])].sort((a, b) => (a.day < b.day ? -1 : 1));
			const mine = events.filter((event) => event.key === key).slice(-maxEvents);
			return {
				usage: runs.map((run) => ({ ...run })),
				events: mine.map(({ at, kind, detail }) => ({ at, kind, detail }))
			};
		},
		async externalChanges() {
			return 0;
		},
		async health() {
			return { ok: !closed, documents: docs.size };
		},
		async close() {
			closed = true;
		}
	};
}
