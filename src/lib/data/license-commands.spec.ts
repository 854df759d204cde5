// L4, L8, L11, L14, L15: the license commands as applyCommand runs them (the server for real, a scoped device optimistically).
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DomainError } from '../domain/errors';
import type { Command, CommandInput } from '../schema/commands';
import type { LicenseInput } from '../schema/licenses';
import { applyCommand, checkCommand } from './commands';
import { deletionPreview, oneYearAfter, portalPublicId } from './license-commands';
import { TenantRepository } from './tenant-repository';

const TODAY = '2026-03-10';
let ids = 0;
const command = (input: CommandInput): Command =>
	({ ...input, id: `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`, at: '2026-03-10T09:00:00.000Z' }) as Command;

const license = (id: string, patch: Partial<LicenseInput>): LicenseInput => ({
	id,
	publicId: `PUB-${id}`,
	poolId: 'p1',
	product: 'ESET PROTECT Advanced',
	type: 'msp',
	unitsOrdered: 10,
	unitsActivated: 4,
	expiresOn: '2026-12-31',
	suspended: false,
	ownerId: 'c1',
	tag: 'Contoso',
	...patch
});

/**
 * MSP A (m1) with customers c1, c2 and an unlinked c3. Account acc1 (MSP) has pools p1 (in c1) and p2 (in c2); account acc2
 * (business) has p3 (in m1).
 */
function tenant(): { doc: Y.Doc; repo: TenantRepository } {
	const doc = new Y.Doc();
	const names = ['m1', 'c1', 'c2', 'c3'];
	const repo = new TenantRepository(doc, { newId: () => names.shift()! });
	const m1 = repo.createNode({ kind: 'msp', name: 'MSP A', parentId: null });
	repo.createNode({ kind: 'customer', name: 'Contoso', parentId: m1, status: 'normal' });
	repo.createNode({ kind: 'customer', name: 'Fabrikam', parentId: m1, status: 'normal' });
	repo.createNode({ kind: 'customer', name: 'Gone Ltd', parentId: m1, status: 'unlinked' });
	repo.putLicenseData({
		accounts: [
			{ id: 'acc1', kind: 'msp', name: 'MSP account', login: 'msp@example.com' },
			{ id: 'acc2', kind: 'business', name: 'Business account', login: 'biz@example.com' }
		],
		pools: [
			{ id: 'p1', name: 'Contoso', accountId: 'acc1', groupId: 'c1' },
			{ id: 'p2', name: 'Fabrikam', accountId: 'acc1', groupId: 'c2' },
			{ id: 'p3', name: 'Head office', accountId: 'acc2', groupId: 'm1' }
		],
		licenses: [
			license('trial1', { type: 'trial', unitsOrdered: 25, expiresOn: '2026-04-01' }),
			license('paid1', {}),
			license('fab1', { poolId: 'p2', ownerId: 'c2', tag: 'Fabrikam' }),
			license('fab2', { poolId: 'p2', ownerId: 'c1', suspended: true }),
			license('biz1', { poolId: 'p3', ownerId: 'm1', type: 'trial', tag: '' })
		]
	});
	return { doc, repo };
}

function refusal(fn: () => unknown): { code: string; message: string } {
	try {
		fn();
	} catch (error) {
		if (error instanceof DomainError) return { code: error.code, message: error.message };
		throw error;
	}
	throw new Error('expected a DomainError');
}

const apply = (doc: Y.Doc, input: CommandInput) => applyCommand(doc, command(input), { today: TODAY });

describe('license.delete', () => {
	it('L11: deleting one license deletes every pool of its account with their licenses, and the account', () => {
		const { doc, repo } = tenant();
		const effect = apply(doc, { type: 'license.delete', licenseId: 'paid1' });
		expect(repo.pools().map((pool) => pool.id)).toEqual(['p3']);
		expect(repo.licenseRecords().map((l) => l.id)).toEqual(['biz1']);
		expect(repo.accounts().map((a) => a.id)).toEqual(['acc2']);
		expect(effect.deletedAccounts).toEqual(['acc1']);
	});

	it('L11: the preview lists everything that will go: pools with their names, access groups and license counts', () => {
		const { repo } = tenant();
		expect(deletionPreview(repo, 'fab1')).toEqual({
			licenseId: 'fab1',
			accountId: 'acc1',
			accountName: 'MSP account',
			pools: [
				{ id: 'p1', name: 'Contoso', groupId: 'c1', groupName: 'Contoso', licenses: 2 },
				{ id: 'p2', name: 'Fabrikam', groupId: 'c2', groupName: 'Fabrikam', licenses: 2 }
			],
			licenses: 4
		});
		expect(deletionPreview(repo, 'nope')).toBeNull();
	});

	it('L11: a hand-edited tag goes with its license; an unknown license is refused and nothing changes', () => {
		const { doc, repo } = tenant();
		repo.setLicenseTag('paid1', 'Edited');
		apply(doc, { type: 'license.delete', licenseId: 'paid1' });
		expect(doc.getMap('licenseTags').size).toBe(0);
		expect(refusal(() => apply(doc, { type: 'license.delete', licenseId: 'paid1' })).code).toBe('license.notFound');
		expect(repo.licenseRecords()).toHaveLength(1);
	});
});

describe('licensePool.move', () => {
	it('L8: a whole pool moves to another access group and its licenses stay in it', () => {
		const { doc, repo } = tenant();
		const effect = apply(doc, { type: 'licensePool.move', poolId: 'p2', groupId: 'm1' });
		expect(repo.pools().find((pool) => pool.id === 'p2')?.groupId).toBe('m1');
		expect(
			repo
				.licenseRecords()
				.filter((l) => l.poolId === 'p2')
				.map((l) => l.id)
		).toEqual(['fab1', 'fab2']);
		expect(effect.events.map((e) => [e.licenseId, e.kind])).toEqual([
			['fab1', 'poolMoved'],
			['fab2', 'poolMoved']
		]);
		expect(effect.events[0]?.detail).toBe('pool "Fabrikam" moved from "Fabrikam" to "MSP A"');
	});

	it('L8: a license never leaves its pool: the move needs an existing node, not an unlinked customer', () => {
		const { doc, repo } = tenant();
		expect(refusal(() => apply(doc, { type: 'licensePool.move', poolId: 'p2', groupId: 'nowhere' })).code).toBe(
			'tree.nodeNotFound'
		);
		expect(refusal(() => apply(doc, { type: 'licensePool.move', poolId: 'p2', groupId: 'c3' }))).toEqual({
			code: 'license.invalidInput',
			message: 'an unlinked customer cannot take a license pool'
		});
		expect(refusal(() => apply(doc, { type: 'licensePool.move', poolId: 'p9', groupId: 'c1' })).code).toBe(
			'license.notFound'
		);
		expect(repo.pools().find((pool) => pool.id === 'p2')?.groupId).toBe('c2');
		expect(repo.licenseRecord('fab1')?.poolId).toBe('p2');
	});
});

describe('licenses.suspendCompany', () => {
	it('L14: suspending a company suspends every license it owns; the vendor flag and the units stay', () => {
		const { doc, repo } = tenant();
		const before = repo.licenseRecords();
		const effect = apply(doc, { type: 'licenses.suspendCompany', companyId: 'c1', suspended: true });
		const owned = repo.licenseRecords().filter((l) => l.ownerId === 'c1');
		expect(owned.map((l) => [l.id, l.held])).toEqual([
			['trial1', true],
			['paid1', true],
			['fab2', true]
		]);
		for (const after of repo.licenseRecords()) {
			const was = before.find((l) => l.id === after.id)!;
			expect(after.unitsOrdered).toBe(was.unitsOrdered);
			expect(after.suspended).toBe(was.suspended);
		}
		expect(repo.licenseRecord('fab1')?.held).toBe(false);
		expect(effect.events.map((e) => e.kind)).toEqual(['suspended', 'suspended', 'suspended']);

		const resumed = apply(doc, { type: 'licenses.suspendCompany', companyId: 'c1', suspended: false });
		expect(repo.licenseRecords().some((l) => l.held)).toBe(false);
		expect(repo.licenseRecord('fab2')?.suspended).toBe(true);
		expect(resumed.events.map((e) => e.kind)).toEqual(['resumed', 'resumed', 'resumed']);
	});

	it('L14: a company that is not in the tree is refused', () => {
		const { doc } = tenant();
		expect(refusal(() => apply(doc, { type: 'licenses.suspendCompany', companyId: 'x', suspended: true })).code).toBe(
			'tree.nodeNotFound'
		);
	});
});

describe('license.extendTrial', () => {
	it('L15: a trial is extended by 30 days twice; a third extension is refused with a clear error', () => {
		const { doc, repo } = tenant();
		const first = apply(doc, { type: 'license.extendTrial', licenseId: 'trial1' });
		expect(repo.licenseRecord('trial1')).toMatchObject({ expiresOn: '2026-05-01', extensions: 1 });
		expect(first.events).toEqual([{ licenseId: 'trial1', kind: 'extended', detail: 'expiry 2026-04-01 → 2026-05-01' }]);
		apply(doc, { type: 'license.extendTrial', licenseId: 'trial1' });
		expect(repo.licenseRecord('trial1')).toMatchObject({ expiresOn: '2026-05-31', extensions: 2 });
		expect(refusal(() => apply(doc, { type: 'license.extendTrial', licenseId: 'trial1' }))).toEqual({
			code: 'license.trialRule',
			message: 'a trial can be extended at most 2 times'
		});
		expect(repo.licenseRecord('trial1')).toMatchObject({ expiresOn: '2026-05-31', extensions: 2 });
	});

	it('L15: a license that is not a trial is refused', () => {
		const { doc, repo } = tenant();
		expect(refusal(() => apply(doc, { type: 'license.extendTrial', licenseId: 'paid1' }))).toEqual({
			code: 'license.trialRule',
			message: 'only a trial license can be extended'
		});
		expect(repo.licenseRecord('paid1')?.expiresOn).toBe('2026-12-31');
	});
});

describe('license.convertTrial', () => {
	it('L15: part of a trial becomes a new paid license in the same pool; the trial keeps its units and counts them', () => {
		const { doc, repo } = tenant();
		repo.setLicenseTag('trial1', 'Contoso (hand)');
		const conversion = command({ type: 'license.convertTrial', licenseId: 'trial1', units: 10 });
		const effect = applyCommand(doc, conversion, { today: TODAY });
		expect(repo.licenseRecord('trial1')).toMatchObject({ unitsOrdered: 25, convertedUnits: 10, type: 'trial' });
		expect(repo.licenses().find((l) => l.id === conversion.id)).toEqual({
			id: conversion.id,
			publicId: portalPublicId(conversion.id),
			poolId: 'p1',
			product: 'ESET PROTECT Advanced',
			type: 'msp',
			unitsOrdered: 10,
			unitsActivated: 0,
			expiresOn: '2027-03-10',
			suspended: false,
			ownerId: 'c1',
			tag: 'Contoso (hand)',
			removed: false,
			held: false,
			extensions: 0,
			convertedUnits: 0,
			origin: 'portal'
		});
		expect(effect.events.map((e) => [e.licenseId, e.kind])).toEqual([
			['trial1', 'converted'],
			[conversion.id, 'converted']
		]);
	});

	it('L15: the rest of a trial converts whole; then nothing is left and more is refused', () => {
		const { doc, repo } = tenant();
		apply(doc, { type: 'license.convertTrial', licenseId: 'trial1', units: 10 });
		expect(refusal(() => apply(doc, { type: 'license.convertTrial', licenseId: 'trial1', units: 16 }))).toEqual({
			code: 'license.trialRule',
			message: 'between 1 and 15 units of this trial can be converted'
		});
		apply(doc, { type: 'license.convertTrial', licenseId: 'trial1', units: 15 });
		expect(repo.licenseRecord('trial1')?.convertedUnits).toBe(25);
		expect(refusal(() => apply(doc, { type: 'license.convertTrial', licenseId: 'trial1', units: 1 })).message).toBe(
			'every unit of this trial is converted already'
		);
		expect(repo.licenseRecords().filter((l) => l.origin === 'portal')).toHaveLength(2);
	});

	it('L15: a business account’s trial becomes a business license; a non-trial is refused; nothing converts by itself', () => {
		const { doc, repo } = tenant();
		const conversion = command({ type: 'license.convertTrial', licenseId: 'biz1', units: 10 });
		applyCommand(doc, conversion, { today: '2028-02-29' });
		expect(repo.licenseRecord(conversion.id)).toMatchObject({ type: 'business', expiresOn: '2029-03-01', poolId: 'p3' });
		expect(refusal(() => apply(doc, { type: 'license.convertTrial', licenseId: 'paid1', units: 1 }))).toEqual({
			code: 'license.trialRule',
			message: 'only a trial license can be converted'
		});
		// An untouched trial keeps all its units unconverted.
		expect(repo.licenseRecord('trial1')?.convertedUnits).toBe(0);
		expect(oneYearAfter('2026-03-10')).toBe('2027-03-10');
	});
});

describe('license.setTag', () => {
	it('L4: a hand-edited tag is written beside the record; the imported tag stays in the record', () => {
		const { doc, repo } = tenant();
		const effect = apply(doc, { type: 'license.setTag', licenseId: 'paid1', tag: '  Contoso (renamed) ' });
		expect(repo.licenses().find((l) => l.id === 'paid1')?.tag).toBe('Contoso (renamed)');
		expect(repo.licenseRecord('paid1')?.tag).toBe('Contoso');
		expect(effect.events).toEqual([
			{ licenseId: 'paid1', kind: 'tagEdited', detail: 'tag "Contoso" → "Contoso (renamed)"' }
		]);
		expect(refusal(() => apply(doc, { type: 'license.setTag', licenseId: 'nope', tag: 'x' })).code).toBe(
			'license.notFound'
		);
	});
});

describe('checkCommand', () => {
	it('S65: answers the refusal applying would give, and writes nothing', () => {
		const { doc } = tenant();
		const before = Y.encodeStateVector(doc);
		expect(refusal(() => checkCommand(doc, command({ type: 'license.extendTrial', licenseId: 'paid1' }))).code).toBe(
			'license.trialRule'
		);
		checkCommand(doc, command({ type: 'license.extendTrial', licenseId: 'trial1' }));
		checkCommand(doc, command({ type: 'licenses.sync', accountId: 'acc1' }));
		expect(Y.encodeStateVector(doc)).toEqual(before);
	});
});
