// The attack suite, license records (docs/sync.md S71; L1, L4, L8, L14): a writer with licenses.edit sends, over a real
// socket to a real server, what the portal never does itself; the relay undoes it and nobody else ever holds it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { MESSAGE_REJECTED, readRejectedBody, type RejectedMessage } from '../../src/lib/data/sync/protocol';
import { toLicenseRecord, type LicenseInput } from '../../src/lib/schema/licenses';
import type { Role } from '../../src/lib/schema/access';
import { createMemoryStore } from '../../server/src/store/memory';
import type { Store } from '../../server/src/store/types';
import { createFakeClock } from '../helpers/fake-clock';
import { startPortal, type Portal } from '../helpers/portal';
import { createSignedIn, openSynced, sendEdit } from '../helpers/portal-clients';
import type { RawClient } from '../helpers/sync-clients';
import { storedDoc, syncPayload } from '../helpers/sync-frames';

const TENANT = 'acme';
const DOC = `tenant:${TENANT}`;

const LICENSE: LicenseInput = {
	id: 'lic1',
	publicId: 'PUB-1',
	poolId: 'p1',
	product: 'ESET PROTECT',
	type: 'msp',
	unitsOrdered: 50,
	unitsActivated: 10,
	expiresOn: '2026-12-31',
	suspended: false,
	ownerId: 'c1',
	tag: 'Contoso'
};

let store: Store;
let portal: Portal;
const sockets: RawClient[] = [];

beforeEach(async () => {
	store = createMemoryStore();
	const clock = createFakeClock(new Date());
	portal = await startPortal({ store, clock, relayLimits: { pingIntervalMs: 60 * 60 * 1000 } });
	await store.createTenant({ id: TENANT, name: 'Acme IT', createdAt: clock.now().toISOString() });
	const ids = ['m1', 'c1'];
	await portal.server.relay.change(DOC, (doc) => {
		const repo = new TenantRepository(doc, { newId: () => ids.shift()! });
		const m1 = repo.createNode({ kind: 'msp', name: 'MSP A', parentId: null });
		repo.createNode({ kind: 'customer', name: 'Contoso', parentId: m1 });
		repo.putLicenseData({
			accounts: [{ id: 'acc1', kind: 'msp', name: 'MSP account', login: 'a@example.com' }],
			pools: [
				{ id: 'p1', name: 'Contoso', accountId: 'acc1', groupId: 'c1' },
				{ id: 'p2', name: 'Elsewhere', accountId: 'acc1', groupId: 'm1' }
			],
			licenses: [LICENSE]
		});
	});
});

afterEach(async () => {
	for (const socket of sockets.splice(0)) socket.socket.terminate();
	await portal.server.close();
	await store.close();
});

let people = 0;
async function opened(role: Role = 'admin'): Promise<{ client: RawClient; doc: Y.Doc }> {
	people += 1;
	const cookie = await createSignedIn(portal.base, store, { tenantId: TENANT, email: `p${people}@acme.example`, role });
	const synced = await openSynced(portal.base, DOC, cookie);
	sockets.push(synced.client);
	return synced;
}

const isUpdate = (frame: Uint8Array): boolean => frame[0] === 0 && frame[1] === 2;

/** Every state the watcher went through while applying the updates the relay broadcast to it, read by `read`. */
async function statesSeen<T>(watcher: { client: RawClient; doc: Y.Doc }, read: (doc: Y.Doc) => T): Promise<T[]> {
	await watcher.client.nextFrame(isUpdate);
	const seen: T[] = [];
	for (const frame of watcher.client.frames.filter(isUpdate)) {
		Y.applyUpdate(watcher.doc, syncPayload(frame));
		seen.push(read(watcher.doc));
	}
	return seen;
}

function rejected(client: RawClient): RejectedMessage[] {
	return client.frames
		.filter((frame) => frame[0] === MESSAGE_REJECTED)
		.map((frame) => {
			const decoder = decoding.createDecoder(frame);
			decoding.readVarUint(decoder);
			return readRejectedBody(decoder);
		});
}

describe('attacks: license records', () => {
	it('S71, L8: a license moved to another pool by a client is put back; the others never hold it', async () => {
		const watcher = await opened();
		const attacker = await opened();
		await sendEdit(attacker.client, attacker.doc, (doc) =>
			doc.getMap('licenses').set('lic1', toLicenseRecord({ ...LICENSE, poolId: 'p2', tag: 'moved' }))
		);
		expect(rejected(attacker.client).flatMap((message) => message.items)).toEqual([
			{ itemType: 'license', id: 'lic1', code: 'poolChanged' }
		]);
		const seen = await statesSeen(watcher, (doc) => new TenantRepository(doc).licenseRecord('lic1')?.poolId);
		expect(seen.length).toBeGreaterThan(0);
		expect(seen.every((poolId) => poolId === 'p1')).toBe(true);
		expect(new TenantRepository(await storedDoc(store, DOC)).licenseRecord('lic1')).toMatchObject({
			poolId: 'p1',
			tag: 'Contoso'
		});
	});

	it('S71, L14: ordered units lowered by a client are put back', async () => {
		const watcher = await opened();
		const attacker = await opened();
		await sendEdit(attacker.client, attacker.doc, (doc) =>
			doc.getMap('licenses').set('lic1', toLicenseRecord({ ...LICENSE, unitsOrdered: 5 }))
		);
		expect(rejected(attacker.client).flatMap((message) => message.items.map((item) => item.code))).toEqual([
			'unitsReduced'
		]);
		const seen = await statesSeen(watcher, (doc) => new TenantRepository(doc).licenseRecord('lic1')?.unitsOrdered);
		expect(seen.every((units) => units === 50)).toBe(true);
		expect(new TenantRepository(await storedDoc(store, DOC)).licenseRecord('lic1')?.unitsOrdered).toBe(50);
	});

	it('S71, L1: a distributor account written by a client is undone; the others never hold it', async () => {
		const watcher = await opened();
		const attacker = await opened();
		await sendEdit(attacker.client, attacker.doc, (doc) => {
			doc.getMap('accounts').set('dist', { id: 'dist', kind: 'distributor', name: 'Ingram', login: 'd@example.com' });
			doc
				.getMap('accounts')
				.set('acc1', { id: 'acc1', kind: 'distributor', name: 'MSP account', login: 'a@example.com' });
		});
		expect(rejected(attacker.client).flatMap((message) => message.items)).toEqual([
			{ itemType: 'licenseAccount', id: 'dist', code: 'distributorAccount' },
			{ itemType: 'licenseAccount', id: 'acc1', code: 'distributorAccount' }
		]);
		const seen = await statesSeen(watcher, (doc) =>
			new TenantRepository(doc).accounts().map((account) => `${account.id}:${account.kind}`)
		);
		expect(seen.every((accounts) => accounts.join() === 'acc1:msp')).toBe(true);
		const stored = await storedDoc(store, DOC);
		expect(stored.getMap('accounts').has('dist')).toBe(false);
		expect(new TenantRepository(stored).accounts()).toMatchObject([{ id: 'acc1', kind: 'msp' }]);
	});

	it('S71, L4, P16: a hand-edited tag is kept for licenses.edit and undone for Help Desk', async () => {
		const admin = await opened();
		await sendEdit(admin.client, admin.doc, (doc) => doc.getMap('licenseTags').set('lic1', 'Contoso (old name)'));
		expect(rejected(admin.client)).toEqual([]);
		const helpDesk = await opened('helpDesk');
		await sendEdit(helpDesk.client, helpDesk.doc, (doc) => doc.getMap('licenseTags').set('lic1', 'Help Desk'));
		expect(rejected(helpDesk.client).flatMap((message) => message.items)).toEqual([
			{ itemType: 'licenseTag', id: 'lic1', code: 'notPermitted' }
		]);
		expect(new TenantRepository(await storedDoc(store, DOC)).licenses()[0]?.tag).toBe('Contoso (old name)');
	});
});
