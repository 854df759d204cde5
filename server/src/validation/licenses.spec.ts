// S71 (L1, L4, L8, L14): what the tenant validator refuses of a client's license writes, and how it puts them back.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import { permissionsOf } from '../../../src/lib/domain/access';
import { toLicenseRecord, type LicenseInput } from '../../../src/lib/schema/licenses';
import { tenantValidator } from './tenant';
import type { Writer } from './types';

const writer = (role: 'admin' | 'helpDesk'): Writer => ({
	userId: 'u1',
	tenantId: 't1',
	role,
	permissions: [...permissionsOf(role)]
});
const ADMIN = writer('admin');
const CLIENT = Symbol('client');

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

function seeded(): Y.Doc {
	const doc = new Y.Doc();
	const ids = ['m1', 'c1'];
	const repo = new TenantRepository(doc, { newId: () => ids.shift()! });
	const m1 = repo.createNode({ kind: 'msp', name: 'MSP A', parentId: null });
	repo.createNode({ kind: 'customer', name: 'Contoso', parentId: m1 });
	repo.putLicenseData({
		accounts: [{ id: 'acc1', kind: 'msp', name: 'MSP account', login: 'a@example.com' }],
		pools: [
			{ id: 'p1', name: 'Contoso', accountId: 'acc1', groupId: 'c1' },
			{ id: 'p2', name: 'Other', accountId: 'acc1', groupId: 'm1' }
		],
		licenses: [LICENSE]
	});
	return doc;
}

function asClient(doc: Y.Doc, edit: (copy: Y.Doc) => void): void {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	const before = Y.encodeStateVector(copy);
	edit(copy);
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(copy, before), CLIENT);
}

const licenses = (doc: Y.Doc) => doc.getMap<unknown>('licenses');

describe('tenant validator: licenses', () => {
	it('S71, L8: a license moved to another pool by a client is put back', () => {
		const doc = seeded();
		const validation = tenantValidator().open(doc);
		asClient(doc, (copy) => licenses(copy).set('lic1', toLicenseRecord({ ...LICENSE, poolId: 'p2' })));
		expect(validation.review(ADMIN).rejected).toEqual([{ itemType: 'license', id: 'lic1', code: 'poolChanged' }]);
		expect(new TenantRepository(doc).licenseRecord('lic1')?.poolId).toBe('p1');
	});

	it('S71, L14: ordered units never go down by a client; going up and other fields are fine', () => {
		const doc = seeded();
		const validation = tenantValidator().open(doc);
		asClient(doc, (copy) => licenses(copy).set('lic1', toLicenseRecord({ ...LICENSE, unitsOrdered: 40 })));
		expect(validation.review(ADMIN).rejected).toEqual([{ itemType: 'license', id: 'lic1', code: 'unitsReduced' }]);
		expect(new TenantRepository(doc).licenseRecord('lic1')?.unitsOrdered).toBe(50);
		asClient(doc, (copy) => licenses(copy).set('lic1', toLicenseRecord({ ...LICENSE, unitsOrdered: 60, held: true })));
		expect(validation.review(ADMIN).rejected).toEqual([]);
		expect(new TenantRepository(doc).licenseRecord('lic1')).toMatchObject({ unitsOrdered: 60, held: true });
	});

	it('S71: the server may lower units (the vendor did); that becomes the last valid state', () => {
		const doc = seeded();
		const validation = tenantValidator().open(doc);
		new TenantRepository(doc).putLicenseData({ licenses: [{ ...LICENSE, unitsOrdered: 20 }] });
		validation.accept();
		asClient(doc, (copy) => licenses(copy).set('lic1', toLicenseRecord({ ...LICENSE, unitsOrdered: 20, tag: 'x' })));
		expect(validation.review(ADMIN).rejected).toEqual([]);
		asClient(doc, (copy) => licenses(copy).set('lic1', toLicenseRecord({ ...LICENSE, unitsOrdered: 19 })));
		expect(validation.review(ADMIN).rejected.map((item) => item.code)).toEqual(['unitsReduced']);
		expect(new TenantRepository(doc).licenseRecord('lic1')).toMatchObject({ unitsOrdered: 20, tag: 'x' });
	});

	it('S71, L1: a distributor account is never kept; a pool keeps its account', () => {
		const doc = seeded();
		const validation = tenantValidator().open(doc);
		asClient(doc, (copy) => {
			copy
				.getMap('accounts')
				.set('acc1', { id: 'acc1', kind: 'distributor', name: 'MSP account', login: 'a@example.com' });
			copy.getMap('accounts').set('dist', { id: 'dist', kind: 'distributor', name: 'Ingram', login: 'd@example.com' });
			copy.getMap('pools').set('p1', { id: 'p1', name: 'Contoso', accountId: 'other', groupId: 'c1' });
		});
		expect(validation.review(ADMIN).rejected).toEqual([
			{ itemType: 'licenseAccount', id: 'acc1', code: 'distributorAccount' },
			{ itemType: 'licenseAccount', id: 'dist', code: 'distributorAccount' },
			{ itemType: 'licensePool', id: 'p1', code: 'accountChanged' }
		]);
		const repo = new TenantRepository(doc);
		expect(repo.accounts().map((account) => [account.id, account.kind])).toEqual([['acc1', 'msp']]);
		expect(repo.pools().find((pool) => pool.id === 'p1')?.accountId).toBe('acc1');
	});

	it('S71, L4: a hand-edited tag names an existing license, is a trimmed tag, and needs licenses.edit', () => {
		const doc = seeded();
		const validation = tenantValidator().open(doc);
		asClient(doc, (copy) => {
			copy.getMap('licenseTags').set('lic1', 'Contoso (renamed)');
			copy.getMap('licenseTags').set('ghost', 'Nobody');
			copy.getMap('licenseTags').set('lic2', 42);
		});
		expect(validation.review(ADMIN).rejected).toEqual([
			{ itemType: 'licenseTag', id: 'ghost', code: 'unknownLicense' },
			{ itemType: 'licenseTag', id: 'lic2', code: 'unknownLicense' }
		]);
		expect(new TenantRepository(doc).licenses()[0]?.tag).toBe('Contoso (renamed)');
		asClient(doc, (copy) => copy.getMap('licenseTags').set('lic1', '  padded  '));
		expect(validation.review(ADMIN).rejected).toEqual([{ itemType: 'licenseTag', id: 'lic1', code: 'invalidRecord' }]);
		asClient(doc, (copy) => copy.getMap('licenseTags').set('lic1', 'Help Desk wrote this'));
		expect(validation.review(writer('helpDesk')).rejected).toEqual([
			{ itemType: 'licenseTag', id: 'lic1', code: 'notPermitted' }
		]);
		expect(new TenantRepository(doc).licenses()[0]?.tag).toBe('Contoso (renamed)');
	});
});
