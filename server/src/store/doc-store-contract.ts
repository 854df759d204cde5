// One contract suite for every Store implementation (SQLite, memory, later PostgreSQL): run it from each implementation's spec.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AuditEntry, AuditQuery, InvitationRecord, LicenseConnectorRecord, Store, UserRecord } from './types';
import { EmailTakenError, StaleCompactionError } from './errors';
import { integrationsContract } from './integrations-contract';
import { templatesContract } from './templates-contract';
import { billingContract } from './billing-contract';

export interface StoreFactory {
	/** A fresh, empty store. */
	open(): Promise<Store>;
	/** Reopens the same storage after close(), when the implementation is durable; null for in-memory stores. */
	reopen: (() => Promise<Store>) | null;
}

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);
const at = (iso: string): string => new Date(iso).toISOString();

function user(overrides: Partial<UserRecord> = {}): UserRecord {
	return {
		id: 'u1',
		tenantId: 't1',
		email: 'owner@example.com',
		passwordHash: 'scrypt$hash',
		role: 'superAdmin',
		createdAt: at('2025-01-01T00:00:00Z'),
		disabledAt: null,
		grants: [{ scope: 'tenant' }],
		...overrides
	};
}

export function runStoreContract(name: string, factory: StoreFactory): void {
	describe(`Store contract: ${name}`, () => {
		let store: Store;
		beforeEach(async () => {
			store = await factory.open();
		});
		afterEach(async () => {
			await store.close();
		});

		describe('documents', () => {
			it('an unknown document loads empty', async () => {
				expect(await store.load('tenant:nobody')).toEqual({ snapshot: null, updates: [], lastSeq: 0 });
				expect(await store.listDocs()).toEqual([]);
			});

			it('appends keep their order and numbers increase per document', async () => {
				expect(await store.append('tenant:a', bytes(1))).toBe(1);
				expect(await store.append('tenant:a', bytes(2, 2))).toBe(2);
				expect(await store.append('tenant:b', bytes(9))).toBe(1);
				expect(await store.append('tenant:a', bytes(3))).toBe(3);
				const a = await store.load('tenant:a');
				expect(a.snapshot).toBeNull();
				expect(a.updates.map((u) => [...u])).toEqual([[1], [2, 2], [3]]);
				expect(a.lastSeq).toBe(3);
				expect(await store.listDocs()).toEqual(['tenant:a', 'tenant:b']);
				expect((await store.health()).documents).toBe(2);
			});

			it('stores a copy: changing the caller buffer later changes nothing', async () => {
				const update = bytes(1, 2, 3);
				await store.append('tenant:a', update);
				update[0] = 42;
				expect([...((await store.load('tenant:a')).updates[0] ?? [])]).toEqual([1, 2, 3]);
			});

			it('compact replaces the snapshot and the updates it covers, and keeps later updates', async () => {
				for (let i = 1; i <= 5; i++) await store.append('tenant:a', bytes(i));
				await store.compact('tenant:a', bytes(100), 3);
				const after = await store.load('tenant:a');
				expect([...(after.snapshot ?? [])]).toEqual([100]);
				expect(after.updates.map((u) => [...u])).toEqual([[4], [5]]);
				expect(after.lastSeq).toBe(5);
				// Numbers go on after compaction, even when every update was folded into the snapshot.
				await store.compact('tenant:a', bytes(101), 5);
				expect(await store.load('tenant:a')).toMatchObject({ updates: [], lastSeq: 5 });
				expect(await store.append('tenant:a', bytes(6))).toBe(6);
				expect(await store.listDocs()).toEqual(['tenant:a']);
			});

			it('S32: heads are the last sequence numbers, 0 for unknown documents, unchanged by compaction', async () => {
				for (let i = 1; i <= 3; i++) await store.append('customer:a', bytes(i));
				await store.append('customer:b', bytes(9));
				expect(await store.heads(['customer:a', 'customer:b', 'customer:none'])).toEqual(
					new Map([
						['customer:a', 3],
						['customer:b', 1],
						['customer:none', 0]
					])
				);
				await store.compact('customer:a', bytes(100), 3);
				expect((await store.heads(['customer:a'])).get('customer:a')).toBe(3);
				await store.append('customer:a', bytes(4));
				expect((await store.heads(['customer:a'])).get('customer:a')).toBe(4);
				expect(await store.heads([])).toEqual(new Map());
			});

			it('compact is refused, changing nothing, when it would drop unseen updates or undo a newer snapshot', async () => {
				for (let i = 1; i <= 4; i++) await store.append('tenant:a', bytes(i));
				await expect(store.compact('tenant:a', bytes(100), 9)).rejects.toBeInstanceOf(StaleCompactionError);
				await store.compact('tenant:a', bytes(100), 3);
				await expect(store.compact('tenant:a', bytes(99), 2)).rejects.toBeInstanceOf(StaleCompactionError);
				const after = await store.load('tenant:a');
				expect([...(after.snapshot ?? [])]).toEqual([100]);
				expect(after.updates.map((u) => [...u])).toEqual([[4]]);
			});

			it('a Yjs document survives append, compact and load', async () => {
				const doc = new Y.Doc();
				// append resolves once the update is durable (the SQLite store commits a turn's appends together).
				const appended: Promise<number>[] = [];
				doc.on('update', (update: Uint8Array) => appended.push(store.append('tenant:y', update)));
				doc.getMap('nodes').set('a', 1);
				doc.getMap('nodes').set('b', 2);
				await Promise.all(appended);
				const first = await store.load('tenant:y');
				await store.compact('tenant:y', Y.encodeStateAsUpdate(doc), first.lastSeq);
				doc.getMap('nodes').set('c', 3);
				await Promise.all(appended);
				const stored = await store.load('tenant:y');
				const copy = new Y.Doc();
				if (stored.snapshot) Y.applyUpdate(copy, stored.snapshot);
				for (const update of stored.updates) Y.applyUpdate(copy, update);
				expect(copy.getMap('nodes').toJSON()).toEqual({ a: 1, b: 2, c: 3 });
			});

			if (factory.reopen) {
				const reopen = factory.reopen;
				it('what was appended and compacted is there after reopening', async () => {
					await store.append('tenant:a', bytes(1));
					await store.append('tenant:a', bytes(2));
					await store.compact('tenant:a', bytes(50), 1);
					await store.close();
					store = await reopen();
					const loaded = await store.load('tenant:a');
					expect([...(loaded.snapshot ?? [])]).toEqual([50]);
					expect(loaded.updates.map((u) => [...u])).toEqual([[2]]);
				});
			}
		});

		describe('accounts', () => {
			beforeEach(async () => {
				await store.createTenant({ id: 't1', name: 'Acme IT', createdAt: at('2025-01-01T00:00:00Z') });
				await store.createTenant({ id: 't2', name: 'Other IT', createdAt: at('2025-01-02T00:00:00Z') });
			});

			it('tenants are listed in creation order', async () => {
				expect((await store.listTenants()).map((t) => t.id)).toEqual(['t1', 't2']);
				expect(await store.getTenant('t1')).toEqual({
					id: 't1',
					name: 'Acme IT',
					createdAt: at('2025-01-01T00:00:00Z'),
					ownerId: null
				});
				expect(await store.getTenant('nope')).toBeNull();
			});

			it('P13, P16: users are listed per tenant; role, grants and owner change; custom roles and settings are kept', async () => {
				await store.createUser(user());
				await store.createUser(user({ id: 'u2', email: 'tech@example.com', role: 'helpDesk' }));
				await store.createUser(user({ id: 'u3', tenantId: 't2', email: 'other@example.com' }));
				expect((await store.listUsers('t1')).map((u) => u.email)).toEqual(['owner@example.com', 'tech@example.com']);
				await store.updateUser('u2', { role: 'custom:noc', grants: [{ scope: 'customer', id: 'c1' }] });
				expect(await store.getUser('u2')).toMatchObject({
					role: 'custom:noc',
					grants: [{ scope: 'customer', id: 'c1' }]
				});
				await store.setTenantOwner('t1', 'u1');
				expect((await store.getTenant('t1'))?.ownerId).toBe('u1');
				await store.putCustomRole('t1', { id: 'noc', name: 'NOC', permissions: ['audit.read'] });
				await store.putCustomRole('t1', { id: 'noc', name: 'NOC shift', permissions: ['audit.read', 'licenses.sync'] });
				expect(await store.listCustomRoles('t1')).toEqual([
					{ id: 'noc', name: 'NOC shift', permissions: ['audit.read', 'licenses.sync'] }
				]);
				expect(await store.listCustomRoles('t2')).toEqual([]);
				await store.deleteCustomRole('t1', 'noc');
				expect(await store.listCustomRoles('t1')).toEqual([]);
				expect(await store.getTenantSettings('t1')).toEqual({
					sessionTimeoutMinutes: 15,
					trustedAddresses: { enabled: false, ranges: [] },
					auditRetentionDays: 180,
					timeZone: 'UTC',
					dateFormat: 'auto',
					timeFormat: 'auto',
					weekStart: 'auto',
					monthlyBillingProgram: false
				});
				const settings = {
					sessionTimeoutMinutes: 30,
					trustedAddresses: { enabled: true, ranges: ['10.0.0.0/8'] },
					auditRetentionDays: 30,
					timeZone: 'Europe/Berlin',
					dateFormat: 'dd.mm.yyyy' as const,
					timeFormat: '24h' as const,
					weekStart: 'monday' as const,
					monthlyBillingProgram: true
				};
				await store.putTenantSettings('t1', settings);
				expect(await store.getTenantSettings('t1')).toEqual(settings);
				expect((await store.getTenantSettings('t2')).auditRetentionDays).toBe(180);
			});

			it("P9, S115: a user's language is theirs: set, changed and cleared per user, kept apart from everyone else's", async () => {
				await store.createUser(user());
				await store.createUser(user({ id: 'u2', email: 'tech@example.com', role: 'helpDesk' }));
				expect((await store.getUser('u1'))?.locale).toBeUndefined();
				await store.setUserLocale('u1', 'de');
				await store.setUserLocale('u2', 'pl');
				await store.setUserLocale('u1', 'it');
				expect((await store.getUser('u1'))?.locale).toBe('it');
				expect((await store.getUserByEmail('tech@example.com'))?.locale).toBe('pl');
				expect((await store.listUsers('t1')).map((u) => u.locale)).toEqual(['it', 'pl']);
				await store.setUserLocale('u1', null);
				expect((await store.getUser('u1'))?.locale).toBeUndefined();
				expect((await store.getUser('u2'))?.locale).toBe('pl');
				await store.setUserLocale('nobody', 'de');
				expect(await store.getUser('nobody')).toBeNull();
			});

			it('S61: a command id is recorded once per tenant; the first result stays', async () => {
				const record = {
					tenantId: 't1',
					id: '6f1c1c1e-5d7a-4a53-9f49-3c1b2d1e0a01',
					userId: 'u1',
					type: 'site.rename',
					status: 'applied' as const,
					code: null,
					message: null,
					at: '2026-01-01T00:00:00.000Z'
				};
				expect(await store.getCommand('t1', record.id)).toBeNull();
				expect(await store.recordCommand(record)).toBe(true);
				expect(await store.recordCommand({ ...record, status: 'refused', code: 'notFound' })).toBe(false);
				expect(await store.getCommand('t1', record.id)).toEqual(record);
				expect(await store.getCommand('t2', record.id)).toBeNull();
				expect(await store.recordCommand({ ...record, tenantId: 't2' })).toBe(true);
			});

			it('emails are unique across the server', async () => {
				expect(await store.countUsers()).toBe(0);
				await store.createUser(user());
				await expect(store.createUser(user({ id: 'u2', tenantId: 't2' }))).rejects.toBeInstanceOf(EmailTakenError);
				expect(await store.countUsers()).toBe(1);
				expect(await store.getUserByEmail('owner@example.com')).toEqual(user());
				expect(await store.getUser('u1')).toEqual(user());
				expect(await store.getUserByEmail('other@example.com')).toBeNull();
			});

			it('sessions are found by token hash, slide, and expired ones are removed', async () => {
				await store.createUser(user());
				await store.createSession({
					tokenHash: 'h1',
					userId: 'u1',
					createdAt: at('2025-01-01T00:00:00Z'),
					expiresAt: at('2025-01-01T08:00:00Z')
				});
				await store.createSession({
					tokenHash: 'h2',
					userId: 'u1',
					createdAt: at('2025-01-01T00:00:00Z'),
					expiresAt: at('2025-01-01T01:00:00Z')
				});
				await store.touchSession('h1', at('2025-01-01T09:00:00Z'));
				expect((await store.getSession('h1'))?.expiresAt).toBe(at('2025-01-01T09:00:00Z'));
				expect(await store.deleteExpiredSessions(at('2025-01-01T02:00:00Z'))).toBe(1);
				expect(await store.getSession('h2')).toBeNull();
				expect(await store.getSession('h1')).not.toBeNull();
				await store.deleteSession('h1');
				expect(await store.getSession('h1')).toBeNull();
				await store.touchSession('h1', at('2025-01-02T00:00:00Z'));
				expect(await store.getSession('h1')).toBeNull();
			});

			it('deleting a user removes their sessions and frees the email', async () => {
				await store.createUser(user());
				await store.createSession({
					tokenHash: 'h1',
					userId: 'u1',
					createdAt: at('2025-01-01T00:00:00Z'),
					expiresAt: at('2025-01-01T08:00:00Z')
				});
				await store.deleteUser('u1');
				expect(await store.getUser('u1')).toBeNull();
				expect(await store.getSession('h1')).toBeNull();
				expect(await store.countUsers()).toBe(0);
				await store.createUser(user({ id: 'u2' }));
				expect((await store.getUserByEmail('owner@example.com'))?.id).toBe('u2');
			});

			it('audit entries are read back newest first, per tenant, at most the limit', async () => {
				const entry = (n: number, tenantId: string | null) => ({
					at: at(`2025-01-01T00:00:0${n}Z`),
					tenantId,
					userId: null,
					ip: '127.0.0.1',
					itemType: 'tenant',
					item: `item-${n}`,
					action: 'create',
					description: `entry ${n}`
				});
				for (const n of [1, 2, 3]) await store.appendAudit(entry(n, 't1'));
				await store.appendAudit(entry(4, 't2'));
				await store.appendAudit(entry(5, null));
				expect((await store.listAudit({ tenantId: 't1' })).map((e) => e.item)).toEqual(['item-3', 'item-2', 'item-1']);
				expect(await store.listAudit({ tenantId: 't1', limit: 1 })).toEqual([
					{ ...entry(3, 't1'), id: expect.any(Number), madeAt: null }
				]);
				expect((await store.listAudit({ tenantId: null })).map((e) => e.item)).toEqual(['item-5']);
			});

			it('P13: invitations are found by id and token hash, listed while pending, resent, claimed once and revoked', async () => {
				const invitation = (overrides: Partial<InvitationRecord> = {}): InvitationRecord => ({
					id: 'i1',
					tenantId: 't1',
					email: 'new@example.com',
					role: 'helpDesk',
					grants: [{ scope: 'customer', id: 'c1' }],
					tokenHash: 'th1',
					invitedBy: 'u1',
					createdAt: at('2025-01-01T00:00:00Z'),
					expiresAt: at('2025-01-08T00:00:00Z'),
					acceptedAt: null,
					revokedAt: null,
					...overrides
				});
				await store.createInvitation(invitation());
				await store.createInvitation(invitation({ id: 'i2', tokenHash: 'th2', createdAt: at('2025-01-02T00:00:00Z') }));
				await store.createInvitation(invitation({ id: 'i3', tokenHash: 'th3', tenantId: 't2' }));
				await expect(store.createInvitation(invitation({ id: 'i4' }))).rejects.toThrow();
				expect(await store.getInvitation('i1')).toEqual(invitation());
				expect((await store.getInvitationByTokenHash('th2'))?.id).toBe('i2');
				expect(await store.getInvitationByTokenHash('nope')).toBeNull();
				expect((await store.listPendingInvitations('t1')).map((i) => i.id)).toEqual(['i1', 'i2']);

				await store.updateInvitation('i1', { tokenHash: 'th1b', expiresAt: at('2025-01-09T00:00:00Z') });
				expect(await store.getInvitationByTokenHash('th1')).toBeNull();
				expect(await store.getInvitationByTokenHash('th1b')).toMatchObject({
					id: 'i1',
					expiresAt: at('2025-01-09T00:00:00Z')
				});

				expect(await store.claimInvitation('i1', at('2025-01-03T00:00:00Z'))).toBe(true);
				expect(await store.claimInvitation('i1', at('2025-01-03T00:00:01Z'))).toBe(false);
				expect((await store.getInvitation('i1'))?.acceptedAt).toBe(at('2025-01-03T00:00:00Z'));
				expect(await store.claimInvitation('i1', null)).toBe(true);
				expect((await store.getInvitation('i1'))?.acceptedAt).toBeNull();
				expect(await store.claimInvitation('i1', at('2025-01-03T00:00:02Z'))).toBe(true);

				await store.updateInvitation('i2', { revokedAt: at('2025-01-04T00:00:00Z') });
				expect(await store.claimInvitation('i2', at('2025-01-04T00:00:01Z'))).toBe(false);
				expect(await store.listPendingInvitations('t1')).toEqual([]);
				expect((await store.listPendingInvitations('t2')).map((i) => i.id)).toEqual(['i3']);
			});

			it('P13: a password reset is taken once and goes with its user', async () => {
				await store.createUser(user());
				const reset = (tokenHash: string) => ({
					tokenHash,
					userId: 'u1',
					createdAt: at('2025-01-01T00:00:00Z'),
					expiresAt: at('2025-01-01T01:00:00Z')
				});
				await store.createPasswordReset(reset('r1'));
				await store.createPasswordReset(reset('r2'));
				expect(await store.takePasswordReset('r1')).toEqual(reset('r1'));
				expect(await store.takePasswordReset('r1')).toBeNull();
				await store.deleteUser('u1');
				expect(await store.takePasswordReset('r2')).toBeNull();
			});

			it('P17: a batch of audit entries is stored at once, filtered, paged by id and purged per tenant', async () => {
				const entry = (n: number, tenantId: string, extra: Partial<AuditEntry> = {}): AuditEntry => ({
					at: at(`2025-01-${String(n).padStart(2, '0')}T00:00:00Z`),
					tenantId,
					userId: n % 2 === 0 ? 'u-even' : 'u-odd',
					ip: '127.0.0.1',
					itemType: n % 3 === 0 ? 'contact' : 'treeNode',
					item: `item-${n}`,
					action: n === 5 ? 'deleted' : 'updated',
					description: 'fields: name',
					...extra
				});
				await store.appendAuditBatch([]);
				await store.appendAuditBatch(
					Array.from({ length: 9 }, (_, i) => entry(i + 1, 't1', i === 0 ? { madeAt: at('2024-12-31T23:00:00Z') } : {}))
				);
				await store.appendAuditBatch([entry(1, 't2')]);
				const items = async (query: Partial<AuditQuery>) =>
					(await store.listAudit({ tenantId: 't1', ...query })).map((e) => e.item);
				expect(await items({})).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1].map((n) => `item-${n}`));
				expect(await items({ userId: 'u-even' })).toEqual(['item-8', 'item-6', 'item-4', 'item-2']);
				expect(await items({ itemType: 'contact' })).toEqual(['item-9', 'item-6', 'item-3']);
				expect(await items({ action: 'deleted' })).toEqual(['item-5']);
				expect(await items({ item: 'item-7' })).toEqual(['item-7']);
				expect(await items({ from: at('2025-01-03T00:00:00Z'), to: at('2025-01-05T00:00:00Z') })).toEqual([
					'item-4',
					'item-3'
				]);
				const first = await store.listAudit({ tenantId: 't1', limit: 4 });
				expect(await items({ limit: 4, beforeId: first.at(-1)!.id })).toEqual(['item-5', 'item-4', 'item-3', 'item-2']);
				expect((await store.listAudit({ tenantId: 't1', item: 'item-1' }))[0]!.madeAt).toBe(at('2024-12-31T23:00:00Z'));
				expect(await store.purgeAudit('t1', at('2025-01-04T00:00:00Z'))).toBe(3);
				expect(await items({})).toEqual([9, 8, 7, 6, 5, 4].map((n) => `item-${n}`));
				expect((await store.listAudit({ tenantId: 't2' })).map((e) => e.item)).toEqual(['item-1']);
			});

			it("S41: a user is deactivated and reactivated; ending a user's sessions leaves the others", async () => {
				await store.createUser(user());
				await store.createUser(user({ id: 'u2', email: 'second@example.com' }));
				expect((await store.getUser('u1'))?.disabledAt).toBeNull();
				await store.setUserDisabled('u1', at('2025-01-01T03:00:00Z'));
				expect((await store.getUser('u1'))?.disabledAt).toBe(at('2025-01-01T03:00:00Z'));
				expect((await store.getUserByEmail('owner@example.com'))?.disabledAt).toBe(at('2025-01-01T03:00:00Z'));
				await store.setUserDisabled('u1', null);
				expect((await store.getUser('u1'))?.disabledAt).toBeNull();
				const session = (tokenHash: string, userId: string) => ({
					tokenHash,
					userId,
					createdAt: at('2025-01-01T00:00:00Z'),
					expiresAt: at('2025-01-01T08:00:00Z')
				});
				await store.createSession(session('s1', 'u1'));
				await store.createSession(session('s2', 'u1'));
				await store.createSession(session('s3', 'u2'));
				expect(await store.deleteSessionsOfUser('u1')).toBe(2);
				expect(await store.getSession('s1')).toBeNull();
				expect(await store.getSession('s3')).not.toBeNull();
			});
		});

		describe('licenses', () => {
			const connector = (overrides: Partial<LicenseConnectorRecord> = {}): LicenseConnectorRecord => ({
				tenantId: 't1',
				accountId: 'acc-1',
				kind: 'http',
				url: 'https://vendor.example/api',
				token: 'v1.sealed',
				createdAt: at('2025-01-01T00:00:00Z'),
				nextSyncAt: at('2025-01-02T00:00:00Z'),
				lastSync: null,
				...overrides
			});

			it('L12: connectors are kept per tenant and account, replaced, found when due, and forgotten', async () => {
				await store.putLicenseConnector(connector());
				await store.putLicenseConnector(
					connector({ accountId: 'acc-0', kind: 'file', url: null, token: null, nextSyncAt: null })
				);
				await store.putLicenseConnector(connector({ tenantId: 't2', nextSyncAt: at('2025-01-01T12:00:00Z') }));
				expect((await store.listLicenseConnectors('t1')).map((c) => c.accountId)).toEqual(['acc-0', 'acc-1']);
				expect(await store.getLicenseConnector('t1', 'acc-1')).toEqual(connector());
				expect(await store.getLicenseConnector('t1', 'nope')).toBeNull();

				const due = async (now: string) =>
					(await store.dueLicenseConnectors(at(now))).map((c) => `${c.tenantId}/${c.accountId}`);
				expect(await due('2025-01-01T11:00:00Z')).toEqual([]);
				expect(await due('2025-01-01T12:00:00Z')).toEqual(['t2/acc-1']);
				expect(await due('2025-01-03T00:00:00Z')).toEqual(['t2/acc-1', 't1/acc-1']);

				const record = JSON.stringify({ at: at('2025-01-02T00:00:00Z'), status: 'ok' });
				await store.recordLicenseSync('t1', 'acc-1', record, at('2025-01-03T00:00:00Z'));
				await store.recordLicenseSync('t1', 'unknown', record, null);
				expect(await store.getLicenseConnector('t1', 'acc-1')).toMatchObject({
					lastSync: record,
					nextSyncAt: at('2025-01-03T00:00:00Z')
				});
				expect(await store.getLicenseConnector('t1', 'unknown')).toBeNull();
				await store.putLicenseConnector(connector({ token: 'v1.other' }));
				expect((await store.getLicenseConnector('t1', 'acc-1'))?.token).toBe('v1.other');

				await store.deleteLicenseConnector('t1', 'acc-1');
				expect(await store.getLicenseConnector('t1', 'acc-1')).toBeNull();
				expect(await store.getLicenseConnector('t2', 'acc-1')).not.toBeNull();
			});

			it('L16: usage is one value per license and day (the later sync wins), kept as runs of equal days', async () => {
				const units = (publicId: string, unitsActivated: number, unitsOrdered = 50) => ({
					publicId,
					unitsActivated,
					unitsOrdered
				});
				const sync = (day: string, ...usage: ReturnType<typeof units>[]) =>
					store.appendLicenseHistory('t1', 'acc-1', { day, usage, events: [] });
				await sync('2025-01-01', units('A', 10), units('B', 1));
				await sync('2025-01-01', units('A', 11), units('B', 1));
				await sync('2025-01-02', units('A', 11), units('B', 1));
				await sync('2025-01-03', units('A', 11), units('B', 2));
				await sync('2025-01-03', units('A', 11), units('B', 3));
				await sync('2025-01-05', units('A', 12, 60));
				const runs = async (publicId: string) => (await store.licenseHistory('t1', 'acc-1', publicId)).usage;
				expect(await runs('A')).toEqual([
					{ day: '2025-01-01', lastDay: '2025-01-03', unitsActivated: 11, unitsOrdered: 50 },
					{ day: '2025-01-05', lastDay: '2025-01-05', unitsActivated: 12, unitsOrdered: 60 }
				]);
				expect(await runs('B')).toEqual([
					{ day: '2025-01-01', lastDay: '2025-01-02', unitsActivated: 1, unitsOrdered: 50 },
					{ day: '2025-01-03', lastDay: '2025-01-03', unitsActivated: 3, unitsOrdered: 50 }
				]);
				// A clock that went back does not rewrite later days.
				await sync('2025-01-04', units('A', 99));
				expect((await runs('A')).map((run) => run.unitsActivated)).toEqual([11, 12]);
				expect(await store.licenseHistory('t2', 'acc-1', 'A')).toEqual({ usage: [], events: [] });
			});

			it('L16: events are kept per license in order, the newest when capped', async () => {
				const event = (publicId: string, n: number) => ({
					publicId,
					at: at(`2025-01-0${n}T00:00:00Z`),
					kind: n === 1 ? 'added' : 'changed',
					detail: `step ${n}`
				});
				await store.appendLicenseHistory('t1', 'acc-1', {
					day: '2025-01-01',
					usage: [],
					events: [event('A', 1), event('B', 1)]
				});
				await store.appendLicenseHistory('t1', 'acc-1', {
					day: '2025-01-02',
					usage: [],
					events: [event('A', 2), event('A', 3)]
				});
				expect((await store.licenseHistory('t1', 'acc-1', 'A')).events.map((e) => e.detail)).toEqual([
					'step 1',
					'step 2',
					'step 3'
				]);
				expect((await store.licenseHistory('t1', 'acc-1', 'A', 2)).events).toEqual([
					{ at: at('2025-01-02T00:00:00Z'), kind: 'changed', detail: 'step 2' },
					{ at: at('2025-01-03T00:00:00Z'), kind: 'changed', detail: 'step 3' }
				]);
				expect((await store.licenseHistory('t1', 'acc-2', 'A')).events).toEqual([]);
			});
		});

		integrationsContract(() => store);
		templatesContract(() => store);
		billingContract(() => store);
	});
}
