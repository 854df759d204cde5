// The relay checks what clients write (docs/sync.md S21-S25) over real sockets: invalid changes are undone, stored, audited, reported.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { CustomerRepository } from '../../src/lib/data/customer-repository';
import { MESSAGE_AWARENESS } from '../../src/lib/data/sync/protocol';
import type { Replica } from '../../src/lib/data/sync/types';
import type { LicenseRecord } from '../../src/lib/schema/licenses';
import type { AuditEntry } from '../../server/src/store/types';
import { startRelayHarness, type RelayHarness } from '../helpers/relay-harness';
import {
	openTestReplica,
	rawClient,
	settled,
	waitForDoc,
	waitForStatus,
	type RawClient
} from '../helpers/sync-clients';
import { isSyncStep1, seedDoc, storedDoc } from '../helpers/sync-frames';

const TENANT = 'tenant:t1';

const harnesses: RelayHarness[] = [];
const replicas: Replica[] = [];
const raws: RawClient[] = [];

afterEach(async () => {
	await Promise.all(replicas.splice(0).map((r) => r.destroy()));
	for (const client of raws.splice(0)) client.socket.terminate();
	for (const h of harnesses.splice(0)) await h.close();
});

async function start(
	options: Parameters<typeof startRelayHarness>[0] = {}
): Promise<{ h: RelayHarness; audit: AuditEntry[] }> {
	const audit: AuditEntry[] = [];
	const h = await startRelayHarness({
		...options,
		audit: {
			// What was undone (S23, S35); the rows of kept changes are P17's (tests/attacks/audit.test.ts).
			async appendAuditBatch(entries) {
				audit.push(...entries.filter((entry) => entry.action === 'rejected'));
			}
		}
	});
	harnesses.push(h);
	return { h, audit };
}

function replica(h: RelayHarness, docName: `tenant:${string}` | `customer:${string}`, cookie: string): Replica {
	const r = openTestReplica(h.syncUrl, docName, cookie);
	replicas.push(r);
	return r;
}

interface Tree {
	readonly dist: string;
	readonly msp: string;
	readonly customer: string;
	readonly site: string;
	readonly license: string;
	readonly record: LicenseRecord;
}

/** A valid tree and license through the repository, the way the app writes it. */
async function seedTree(owner: Replica): Promise<Tree> {
	const repo = new TenantRepository(owner.doc);
	const dist = repo.createNode({ kind: 'distributor', name: 'Nordic Distribution', parentId: null });
	const msp = repo.createNode({ kind: 'msp', name: 'Alpen IT', parentId: dist });
	const customer = repo.createNode({ kind: 'customer', name: 'Bäckerei Huber', parentId: msp });
	const site = repo.createNode({ kind: 'site', name: 'Linz', parentId: customer });
	repo.putLicenseData({
		accounts: [{ id: 'acc-1', kind: 'msp', name: 'Alpen IT account', login: 'admin' }],
		pools: [{ id: 'pool-1', name: 'Main pool', accountId: 'acc-1', groupId: customer }],
		licenses: [
			{
				id: 'lic-1',
				publicId: 'ABC-123',
				poolId: 'pool-1',
				product: 'Endpoint Security',
				type: 'business',
				unitsOrdered: 10,
				unitsActivated: 3,
				expiresOn: '2030-06-30',
				suspended: false,
				ownerId: customer,
				tag: ''
			}
		]
	});
	await settled(owner);
	const record = owner.doc.getMap<LicenseRecord>('licenses').get('lic-1')!;
	return { dist, msp, customer, site, license: 'lic-1', record };
}

const nodeField = (doc: Y.Doc, id: string, field: string): unknown =>
	(doc.getMap<Y.Map<unknown>>('nodes').get(id) as Y.Map<unknown> | undefined)?.get(field);

interface InvalidWrite {
	readonly name: string;
	/** The invalid change, written as raw Yjs by a client that bypasses the repository's checks. */
	write(doc: Y.Doc, tree: Tree): void;
	/** The invalid change is not visible: the previous valid value is there (or the record is gone when it never was valid). */
	undone(doc: Y.Doc, tree: Tree): boolean;
	readonly itemType: string;
	id(tree: Tree): string;
	readonly code: string;
}

const cases: InvalidWrite[] = [
	{
		name: 'S21, H1: a node of kind "planet" is removed (it never was valid)',
		write(doc) {
			const record = new Y.Map<unknown>();
			doc.getMap('nodes').set('planet-1', record);
			record.set('kind', 'planet');
			record.set('name', 'Pluto');
			record.set('placement', { parent: null, prev: null, ts: 90, client: doc.clientID });
		},
		undone: (doc) => !doc.getMap('nodes').has('planet-1'),
		itemType: 'treeNode',
		id: () => 'planet-1',
		code: 'invalidRecord'
	},
	{
		name: 'S21, H2: a site moved under an msp is put back under its customer',
		write(doc, tree) {
			(doc.getMap('nodes').get(tree.site) as Y.Map<unknown>).set('placement', {
				parent: tree.msp,
				prev: tree.customer,
				ts: 100,
				client: doc.clientID
			});
		},
		undone: (doc, tree) => (nodeField(doc, tree.site, 'placement') as { parent: string }).parent === tree.customer,
		itemType: 'treeNode',
		id: (tree) => tree.site,
		code: 'parentNotAllowed'
	},
	{
		name: 'S22: an empty name on an existing node gets its previous name back',
		write(doc, tree) {
			(doc.getMap('nodes').get(tree.msp) as Y.Map<unknown>).set('name', '');
		},
		undone: (doc, tree) => nodeField(doc, tree.msp, 'name') === 'Alpen IT',
		itemType: 'treeNode',
		id: (tree) => tree.msp,
		code: 'invalidRecord'
	},
	{
		name: 'S21: a license with unitsOrdered 0 gets its previous record back',
		write(doc, tree) {
			const bad = [...tree.record];
			bad[5] = 0;
			doc.getMap('licenses').set(tree.license, bad);
		},
		undone: (doc, tree) => JSON.stringify(doc.getMap('licenses').get(tree.license)) === JSON.stringify(tree.record),
		itemType: 'license',
		id: (tree) => tree.license,
		code: 'invalidRecord'
	},
	{
		name: 'S21: an unknown top-level map is emptied',
		write(doc) {
			doc.getMap('evil').set('payload', 'x'.repeat(100));
		},
		undone: (doc) => doc.getMap('evil').size === 0,
		itemType: 'sharedType',
		id: () => 'evil',
		code: 'unknownType'
	}
];

describe('relay validation: invalid client changes are undone', () => {
	it.each(cases)('$name; S23: stored, broadcast, audited, reported, acked', async (c) => {
		const { h, audit } = await start();
		const other = replica(h, TENANT, h.signIn('t1'));
		await settled(other);
		const tree = await seedTree(other);
		const sender = replica(h, TENANT, h.signIn('t1', 'admin'));
		await settled(sender);
		const updatesBefore = (await h.store.load(TENANT)).updates.length;

		// The other client must never see the invalid state: the change and its compensation reach it as one update.
		let otherSawInvalid = false;
		other.doc.on('afterTransaction', () => {
			if (!c.undone(other.doc, tree)) otherSawInvalid = true;
		});

		sender.doc.transact(() => {
			c.write(sender.doc, tree);
			// A valid edit in the same update survives.
			(sender.doc.getMap('nodes').get(tree.dist) as Y.Map<unknown>).set('name', 'Nordic Distribution AB');
		});
		expect(c.undone(sender.doc, tree)).toBe(false);
		expect(sender.status().pending).toBe(1);

		const expected = { itemType: c.itemType, id: c.id(tree), code: c.code };
		const status = await waitForStatus(sender, (s) => s.rejected !== null);
		expect(status.rejected?.items).toEqual([expected]);
		expect(status.rejected?.total).toBe(1);
		// S23: the compensation arrived before the report.
		expect(c.undone(sender.doc, tree)).toBe(true);
		// Acknowledged, not dropped: nothing is left to resend.
		await waitForStatus(sender, (s) => s.pending === 0);
		expect(sender.status().connection).toBe('online');
		expect(nodeField(sender.doc, tree.dist, 'name')).toBe('Nordic Distribution AB');

		await waitForDoc(other.doc, (doc) => nodeField(doc, tree.dist, 'name') === 'Nordic Distribution AB');
		expect(c.undone(other.doc, tree)).toBe(true);
		expect(otherSawInvalid).toBe(false);
		expect(other.status().rejected).toBeNull();

		// S23: the client's update and the compensation are one stored update (one commit).
		expect((await h.store.load(TENANT)).updates.length).toBe(updatesBefore + 1);
		const stored = await storedDoc(h.store, TENANT);
		expect(c.undone(stored, tree)).toBe(true);
		expect(nodeField(stored, tree.dist, 'name')).toBe('Nordic Distribution AB');

		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({
			tenantId: 't1',
			userId: expect.stringMatching(/^user-/),
			ip: '127.0.0.1',
			itemType: c.itemType,
			item: c.id(tree),
			action: 'rejected'
		});
		expect(audit[0]!.description).toContain(c.code);
		expect(audit[0]!.description).not.toContain('Pluto');
		expect(h.events.some((e) => e.type === 'rejected' && e.items.length === 1)).toBe(true);

		// A fresh relay on the same store serves the compensated state.
		await h.close();
		harnesses.splice(harnesses.indexOf(h), 1);
		const { h: fresh, audit: freshAudit } = await start({ store: h.store });
		const reader = replica(fresh, TENANT, fresh.signIn('t1'));
		await settled(reader);
		expect(c.undone(reader.doc, tree)).toBe(true);
		expect(nodeField(reader.doc, tree.dist, 'name')).toBe('Nordic Distribution AB');
		expect(freshAudit).toHaveLength(0);
	});

	it('S22: a valid edit of another field of the same record survives; only the bad field is put back', async () => {
		const { h } = await start();
		const owner = replica(h, TENANT, h.signIn('t1'));
		await settled(owner);
		const tree = await seedTree(owner);
		const record = owner.doc.getMap('nodes').get(tree.customer) as Y.Map<unknown>;
		owner.doc.transact(() => {
			record.set('name', 'Bäckerei Huber GmbH');
			record.set('country', 'Austria');
		});
		await waitForStatus(owner, (s) => s.rejected !== null && s.pending === 0);
		expect(owner.status().rejected?.items).toEqual([
			{ itemType: 'treeNode', id: tree.customer, code: 'invalidRecord' }
		]);
		expect(record.get('country')).toBeUndefined();
		expect(record.get('name')).toBe('Bäckerei Huber GmbH');
		expect(new TenantRepository(await storedDoc(h.store, TENANT)).node(tree.customer)?.name).toBe(
			'Bäckerei Huber GmbH'
		);
	});

	it('S21, H2: a valid move through the repository is accepted and nothing is reported', async () => {
		const { h, audit } = await start();
		const owner = replica(h, TENANT, h.signIn('t1'));
		await settled(owner);
		const tree = await seedTree(owner);
		const repo = new TenantRepository(owner.doc);
		const other = repo.createNode({ kind: 'customer', name: 'Second customer', parentId: tree.msp });
		repo.move(tree.site, other);
		repo.setTenantName('Alpen IT Group');
		await settled(owner);
		expect(owner.status().rejected).toBeNull();
		expect(audit).toHaveLength(0);
		expect(new TenantRepository(await storedDoc(h.store, TENANT)).view().parentOf.get(tree.site)).toBe(other);
	});

	it('S21: customer documents: an invalid note is removed, an invalid contact email is put back, valid ones stay', async () => {
		const { h } = await start();
		h.registerCustomer('customer:c1', 't1');
		const cookie = h.signIn('t1');
		const r = replica(h, 'customer:c1', cookie);
		await settled(r);
		const repo = new CustomerRepository(r.doc);
		const contact = repo.addContact({ name: 'Anna Huber', role: 'IT', email: 'anna@example.test', phone: '' });
		await settled(r);
		r.doc.transact(() => {
			r.doc.getArray('notes').push([
				{ id: 'note-ok', text: 'Called about renewal', author: 'tech', at: '2025-01-02T10:00:00.000Z' },
				{ id: 'note-bad', text: '', author: 'tech', at: 'yesterday' }
			]);
			(r.doc.getMap('contacts').get(contact) as Y.Map<unknown>).set('email', 'not an email');
		});
		const status = await waitForStatus(r, (s) => s.rejected !== null && s.pending === 0);
		expect(status.rejected?.items).toEqual(
			expect.arrayContaining([
				{ itemType: 'note', id: 'note-bad', code: 'invalidRecord' },
				{ itemType: 'contact', id: contact, code: 'invalidRecord' }
			])
		);
		const stored = new CustomerRepository(await storedDoc(h.store, 't1/customer:c1'));
		expect(stored.notes().map((n) => n.id)).toEqual(['note-ok']);
		expect(r.doc.getArray('notes').length).toBe(1);
		expect(stored.contacts()[0]?.email).toBe('anna@example.test');
	});

	it('S22: records already invalid in the stored state are left alone when the document loads', async () => {
		const { h } = await start();
		await seedDoc(h.store, TENANT, (doc) => {
			const record = new Y.Map<unknown>();
			doc.getMap('nodes').set('old-bad', record);
			record.set('kind', 'msp');
			record.set('name', '');
			record.set('placement', { parent: null, prev: null, ts: 1, client: 1 });
		});
		const before = await h.store.load(TENANT);
		const r = replica(h, TENANT, h.signIn('t1'));
		await settled(r);
		expect(await h.store.load(TENANT)).toEqual(before);
		expect(r.doc.getMap('nodes').has('old-bad')).toBe(true);
		expect(r.status().rejected).toBeNull();
	});
});

describe('relay: awareness belongs to the connection that introduced it', () => {
	function awarenessFrame(presence: Awareness): Uint8Array {
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
		encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(presence, [presence.clientID]));
		return encoding.toUint8Array(encoder);
	}

	it("S25: another person's connection cannot overwrite a presence it did not introduce", async () => {
		const { h } = await start();
		const victim = replica(h, TENANT, h.signIn('t1', 'superAdmin', 'victim@example.test'));
		const watcher = replica(h, TENANT, h.signIn('t1'));
		await Promise.all([settled(victim), settled(watcher)]);
		const victimState = { user: { email: 'victim@example.test' }, editing: null };
		victim.awareness.setLocalState(victimState);
		const id = victim.awareness.clientID;
		await new Promise<void>((resolve) => {
			const seen = (): boolean =>
				(watcher.awareness.getStates().get(id) as { user?: { email?: string } } | undefined)?.user?.email ===
				'victim@example.test';
			if (seen()) return resolve();
			watcher.awareness.on('change', () => seen() && resolve());
		});

		// A forger announces the victim's client id with a newer clock, and then its own presence.
		const forged = new Awareness(new Y.Doc());
		forged.clientID = id;
		const forgerState = { user: { email: 'forger@example.test' }, editing: null };
		forged.setLocalState(forgerState);
		for (let i = 0; i < 5; i++) forged.setLocalState({ ...forgerState, editing: `field-${i}` });
		const own = new Awareness(new Y.Doc());
		own.setLocalState(forgerState);
		const forger = rawClient(`${h.syncUrl}/${TENANT}`, { cookie: h.signIn('t1', 'superAdmin', 'forger@example.test') });
		raws.push(forger);
		await forger.nextFrame(isSyncStep1);
		forger.send(awarenessFrame(forged));
		forger.send(awarenessFrame(own));
		// Frames of one connection are handled in order: once its own presence shows, the forged one was handled before it.
		await new Promise<void>((resolve) => {
			const seen = (): boolean => watcher.awareness.getStates().has(own.clientID);
			if (seen()) return resolve();
			watcher.awareness.on('change', () => seen() && resolve());
		});
		expect(watcher.awareness.getStates().get(id)).toEqual(victimState);
		forged.destroy();
		own.destroy();
	});

	it('S30: a connection cannot announce itself as another person; as itself it is seen', async () => {
		const { h } = await start();
		const impostor = replica(h, TENANT, h.signIn('t1', 'superAdmin', 'mallory@example.test'));
		const watcher = replica(h, TENANT, h.signIn('t1', 'superAdmin', 'watcher@example.test'));
		await Promise.all([settled(impostor), settled(watcher)]);
		const id = impostor.awareness.clientID;
		const emailSeen = (): string | undefined =>
			(watcher.awareness.getStates().get(id) as { user?: { email?: string } } | undefined)?.user?.email;
		const seen: Array<string | undefined> = [];
		watcher.awareness.on('change', () => seen.push(emailSeen()));

		impostor.awareness.setLocalState({ user: { email: 'Alice@Example.test' }, editing: 'profile' });
		impostor.awareness.setLocalState({ user: { email: 'MALLORY@example.test' }, editing: null });
		// Handled in order: once the honest state shows, the forged one before it was handled (and dropped). The relay
		// writes the person from the account (S43): the session's email, lower-case.
		await new Promise<void>((resolve) => {
			if (emailSeen() === 'mallory@example.test') return resolve();
			watcher.awareness.on('change', () => emailSeen() === 'mallory@example.test' && resolve());
		});
		expect(seen).not.toContain('Alice@Example.test');
		expect(watcher.awareness.getStates().get(id)).toEqual({ user: { email: 'mallory@example.test' }, editing: null });
	});
});
