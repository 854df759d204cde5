// P8 (docs/sync.md S100-S102) over real sockets: saved custom reports in the tenant document are checked by the relay like
// every record (S21): a malformed one is undone, a write without reports.edit is undone; reports saved on two devices both
// stay, and one report renamed on two devices converges to one name on every replica.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import type { Replica } from '../../src/lib/data/sync/types';
import { DEFAULT_DEFINITION, type SavedReport } from '../../src/lib/schema/reports';
import type { AuditEntry } from '../../server/src/store/types';
import { startRelayHarness, type RelayHarness } from '../helpers/relay-harness';
import { openTestReplica, settled, waitForDoc, waitForStatus } from '../helpers/sync-clients';
import { storedDoc } from '../helpers/sync-frames';

const TENANT = 'tenant:t1';
const harnesses: RelayHarness[] = [];
const replicas: Replica[] = [];

afterEach(async () => {
	await Promise.all(replicas.splice(0).map((r) => r.destroy()));
	for (const h of harnesses.splice(0)) await h.close();
});

async function start(): Promise<{ h: RelayHarness; rejected: AuditEntry[] }> {
	const rejected: AuditEntry[] = [];
	const h = await startRelayHarness({
		audit: {
			async appendAuditBatch(entries) {
				rejected.push(...entries.filter((entry) => entry.action === 'rejected'));
			}
		}
	});
	harnesses.push(h);
	return { h, rejected };
}

function replica(h: RelayHarness, cookie: string): Replica {
	const r = openTestReplica(h.syncUrl, TENANT, cookie);
	replicas.push(r);
	return r;
}

const report = (id: string, name: string): SavedReport => ({
	id,
	name,
	description: '',
	definition: { ...DEFAULT_DEFINITION, columns: ['name', 'failedJobs'] },
	createdBy: 'owner@example.test',
	updatedAt: '2026-12-02T08:00:00.000Z'
});

const stored = (doc: Y.Doc, id: string): unknown => doc.getMap('savedReports').get(id);
const nameOf = (doc: Y.Doc, id: string): string | undefined => new TenantRepository(doc).savedReport(id)?.name;

/** Resolves once `doc` holds everything `from` has written. */
const caughtUp = (doc: Y.Doc, from: Y.Doc): Promise<void> =>
	waitForDoc(doc, (d) => Y.getState(d.store, from.clientID) >= Y.getState(from.store, from.clientID));

describe('saved custom reports through the relay (P8)', () => {
	it('S100, S21: a saved report naming a field that does not exist is undone; a valid report in the same update stays', async () => {
		const { h, rejected } = await start();
		const sender = replica(h, h.signIn('t1', 'admin'));
		const other = replica(h, h.signIn('t1'));
		await Promise.all([settled(sender), settled(other)]);

		sender.doc.transact(() => {
			const bad = report('bad-1', 'Fax list');
			sender.doc.getMap('savedReports').set('bad-1', {
				...bad,
				definition: { ...bad.definition, columns: ['name', 'faxNumber'] }
			});
			sender.doc.getMap('savedReports').set('good-1', report('good-1', 'Failed jobs'));
		});
		const status = await waitForStatus(sender, (s) => s.rejected !== null && s.pending === 0);
		expect(status.rejected?.items).toEqual([{ itemType: 'savedReport', id: 'bad-1', code: 'invalidRecord' }]);
		expect(stored(sender.doc, 'bad-1')).toBeUndefined();
		expect(nameOf(sender.doc, 'good-1')).toBe('Failed jobs');

		await waitForDoc(other.doc, (doc) => nameOf(doc, 'good-1') === 'Failed jobs');
		expect(stored(other.doc, 'bad-1')).toBeUndefined();
		const onServer = await storedDoc(h.store, TENANT);
		expect(stored(onServer, 'bad-1')).toBeUndefined();
		expect(nameOf(onServer, 'good-1')).toBe('Failed jobs');
		expect(rejected).toHaveLength(1);
		expect(rejected[0]).toMatchObject({ itemType: 'savedReport', item: 'bad-1', action: 'rejected' });
		// Only codes and ids are audited, never what the report held.
		expect(rejected[0]!.description).not.toContain('Fax');
	});

	it('S100, S22: a malformed change of a saved report (an unknown key, a sum without a measure) gets its last valid value back', async () => {
		const { h } = await start();
		const sender = replica(h, h.signIn('t1', 'helpDesk'));
		await settled(sender);
		new TenantRepository(sender.doc).putSavedReport(report('r1', 'Storage'));
		await waitForStatus(sender, (s) => s.pending === 0);

		const valid = stored(sender.doc, 'r1');
		sender.doc.getMap('savedReports').set('r1', { ...report('r1', 'Storage'), script: 'alert(1)' });
		await waitForStatus(sender, (s) => s.rejected !== null && s.pending === 0);
		expect(sender.status().rejected?.items).toEqual([{ itemType: 'savedReport', id: 'r1', code: 'unknownField' }]);
		expect(stored(sender.doc, 'r1')).toEqual(valid);

		const broken = report('r1', 'Storage sum');
		sender.doc.getMap('savedReports').set('r1', {
			...broken,
			definition: { ...broken.definition, grouping: { field: 'country', aggregate: 'sum', measure: null } }
		});
		expect(nameOf(sender.doc, 'r1')).toBeUndefined();
		await waitForStatus(sender, (s) => s.pending === 0 && nameOf(sender.doc, 'r1') === 'Storage');
		expect(stored(sender.doc, 'r1')).toEqual(valid);
		expect(nameOf(await storedDoc(h.store, TENANT), 'r1')).toBe('Storage');
	});

	it('S101: a person without reports.edit cannot save, rename or delete a report (undone, notPermitted); a Business Admin can', async () => {
		const { h } = await start();
		const owner = replica(h, h.signIn('t1'));
		await settled(owner);
		new TenantRepository(owner.doc).putSavedReport(report('r1', 'Licenses by product'));
		await waitForStatus(owner, (s) => s.pending === 0);

		// A custom role that edits customers writes the tenant document, but not its saved reports.
		const noc = replica(h, h.signIn('t1', 'custom:noc', undefined, ['customers.edit']));
		await settled(noc);
		await caughtUp(noc.doc, owner.doc);
		const repo = new TenantRepository(noc.doc);
		noc.doc.transact(() => {
			repo.putSavedReport(report('r2', 'Mine'));
			repo.putSavedReport({ ...report('r1', 'Renamed'), updatedAt: '2026-12-02T09:00:00.000Z' });
		});
		const status = await waitForStatus(noc, (s) => s.rejected !== null && s.pending === 0);
		expect(status.rejected?.items).toEqual(
			expect.arrayContaining([
				{ itemType: 'savedReport', id: 'r2', code: 'notPermitted' },
				{ itemType: 'savedReport', id: 'r1', code: 'notPermitted' }
			])
		);
		expect(stored(noc.doc, 'r2')).toBeUndefined();
		expect(nameOf(noc.doc, 'r1')).toBe('Licenses by product');
		repo.deleteSavedReport('r1');
		await waitForStatus(noc, (s) => s.pending === 0 && nameOf(noc.doc, 'r1') === 'Licenses by product');
		expect(nameOf(await storedDoc(h.store, TENANT), 'r1')).toBe('Licenses by product');

		// Business Admin (billing and reports) may.
		const business = replica(h, h.signIn('t1', 'businessAdmin'));
		await settled(business);
		await caughtUp(business.doc, owner.doc);
		new TenantRepository(business.doc).putSavedReport(report('r3', 'Billing basis'));
		await waitForStatus(business, (s) => s.pending === 0);
		expect(business.status().rejected).toBeNull();
		expect(nameOf(await storedDoc(h.store, TENANT), 'r3')).toBe('Billing basis');
	});

	it('S102: two devices offline save two reports and rename a third at once: both reports stay and the names converge', async () => {
		const { h } = await start();
		const a = replica(h, h.signIn('t1'));
		const b = replica(h, h.signIn('t1', 'helpDesk'));
		await Promise.all([settled(a), settled(b)]);
		new TenantRepository(a.doc).putSavedReport(report('shared', 'Weekly'));
		await waitForStatus(a, (s) => s.pending === 0);
		await caughtUp(b.doc, a.doc);

		a.disconnect();
		b.disconnect();
		const [repoA, repoB] = [new TenantRepository(a.doc), new TenantRepository(b.doc)];
		repoA.putSavedReport(report('from-a', 'Made on A'));
		repoB.putSavedReport(report('from-b', 'Made on B'));
		repoA.putSavedReport({ ...report('shared', 'Weekly (office)'), updatedAt: '2026-12-02T09:00:00.000Z' });
		repoB.putSavedReport({ ...report('shared', 'Weekly (tablet)'), updatedAt: '2026-12-02T09:00:01.000Z' });
		a.connect();
		b.connect();
		await Promise.all([
			waitForStatus(a, (s) => s.connection === 'online' && s.pending === 0),
			waitForStatus(b, (s) => s.connection === 'online' && s.pending === 0)
		]);
		await Promise.all([caughtUp(a.doc, b.doc), caughtUp(b.doc, a.doc)]);

		const server = await storedDoc(h.store, TENANT);
		for (const doc of [a.doc, b.doc, server]) {
			const names = new TenantRepository(doc).savedReports().map((saved) => saved.name);
			expect(names).toContain('Made on A');
			expect(names).toContain('Made on B');
		}
		// One whole value wins everywhere (never a mix of the two edits), the same on every replica and on the server.
		const winner = nameOf(a.doc, 'shared');
		expect(['Weekly (office)', 'Weekly (tablet)']).toContain(winner);
		expect(nameOf(b.doc, 'shared')).toBe(winner);
		expect(nameOf(server, 'shared')).toBe(winner);
		expect(a.status().rejected).toBeNull();
		expect(b.status().rejected).toBeNull();
	});
});
