// P15, S21, S22: the relay's review of billing records: the same zod schema as the screen; a malformed profile or
// assignment, or a write by someone without billing.edit, is undone; two devices assigning different customers both keep
// theirs, and a customer has at most one profile.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { permissionsOf } from '../../src/lib/domain/access';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import type { Role } from '../../src/lib/schema/access';
import type { BillingProfileInput } from '../../src/lib/schema/billing';
import { tenantValidator } from '../../server/src/validation/tenant';
import type { Writer } from '../../server/src/validation/types';

const writer = (role: Role): Writer => ({ userId: 'u1', tenantId: 't1', role, permissions: [...permissionsOf(role)] });

const PROFILE: BillingProfileInput = {
	id: 'standard',
	name: 'Standard',
	description: '',
	discountPercent: 5,
	currency: 'EUR',
	prices: { exchangeBackup: 1250 },
	frequency: { kind: 'monthly', day: 31 },
	locale: 'en'
};

function seeded() {
	const doc = new Y.Doc();
	const repo = new TenantRepository(doc);
	const msp = repo.createNode({ kind: 'msp', name: 'Alpen IT', parentId: null });
	const huber = repo.createNode({ kind: 'customer', name: 'Huber', parentId: msp });
	const moser = repo.createNode({ kind: 'customer', name: 'Moser', parentId: msp });
	repo.putBillingProfile(PROFILE);
	const validation = tenantValidator().open(doc);
	return { doc, huber, moser, validation };
}

/** What `edit` does on a copy of `doc`, applied to `doc` as a client's update arrives. */
function asClient(doc: Y.Doc, edit: (repo: TenantRepository, copy: Y.Doc) => void): Uint8Array {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	const before = Y.encodeStateVector(copy);
	edit(new TenantRepository(copy), copy);
	const update = Y.encodeStateAsUpdate(copy, before);
	Y.applyUpdate(doc, update, 'client');
	return update;
}

/** A client that skips the repository's checks and writes the raw record. */
const rawProfile = (patch: Record<string, unknown>) => (_repo: TenantRepository, copy: Y.Doc) =>
	copy.getMap('billingProfiles').set('standard', { ...PROFILE, ...patch });

describe('P15: the relay checks billing records', () => {
	it('P15, S110: discount 0 or 101, price 0, an unknown currency and day 32 are refused by the relay and undone', () => {
		const { doc, validation } = seeded();
		const cases: Record<string, unknown>[] = [
			{ discountPercent: 0 },
			{ discountPercent: 101 },
			{ prices: { exchangeBackup: 0 } },
			{ prices: { exchangeBackup: 12.5 } },
			{ currency: 'XYZ' },
			{ frequency: { kind: 'monthly', day: 32 } },
			{ frequency: { kind: 'yearly', month: 2, day: 30 } },
			{ secret: 'not a field' }
		];
		for (const patch of cases) {
			asClient(doc, rawProfile(patch));
			const review = validation.review(writer('businessAdmin'));
			expect(review.rejected, JSON.stringify(patch)).toEqual([
				{ itemType: 'billingProfile', id: 'standard', code: expect.any(String) }
			]);
			expect(new TenantRepository(doc).billingProfile('standard')).toEqual(PROFILE);
		}
		// The repository refuses the same before writing anything.
		expect(() => new TenantRepository(doc).putBillingProfile({ ...PROFILE, discountPercent: 0 })).toThrow(/discount/);
		// A valid change by a Business Admin (billing.edit) is kept; "no discount" is null.
		asClient(doc, rawProfile({ discountPercent: null, currency: 'JPY', prices: { exchangeBackup: 1500 } }));
		expect(validation.review(writer('businessAdmin')).rejected).toEqual([]);
		expect(new TenantRepository(doc).billingProfile('standard')?.currency).toBe('JPY');
	});

	it('P15, S110: a profile or assignment written without billing.edit is undone', () => {
		const { doc, huber, validation } = seeded();
		asClient(doc, (repo) => repo.putBillingProfile({ ...PROFILE, discountPercent: 50 }));
		expect(validation.review(writer('helpDesk')).rejected).toEqual([
			{ itemType: 'billingProfile', id: 'standard', code: 'notPermitted' }
		]);
		asClient(doc, (repo) => repo.assignBilling([huber], 'standard'));
		expect(validation.review(writer('helpDesk')).rejected).toEqual([
			{ itemType: 'billingAssignment', id: huber, code: 'notPermitted' }
		]);
		const repo = new TenantRepository(doc);
		expect(repo.billingProfile('standard')?.discountPercent).toBe(5);
		expect(repo.billingAssignments().size).toBe(0);
		// A malformed assignment (not an id) is undone for anyone.
		asClient(doc, (_repo, copy) => copy.getMap('billingAssignments').set(huber, { profile: 'standard' }));
		expect(validation.review(writer('superAdmin')).rejected).toEqual([
			{ itemType: 'billingAssignment', id: huber, code: 'invalidRecord' }
		]);
	});

	it('P15, S110: two devices assigning different customers offline both keep theirs; one customer has one profile', () => {
		const { doc, huber, moser } = seeded();
		const tablet = new Y.Doc();
		const office = new Y.Doc();
		Y.applyUpdate(tablet, Y.encodeStateAsUpdate(doc));
		Y.applyUpdate(office, Y.encodeStateAsUpdate(doc));
		new TenantRepository(tablet).assignBilling([huber], 'standard');
		const officeRepo = new TenantRepository(office);
		officeRepo.putBillingProfile({ ...PROFILE, id: 'premium', name: 'Premium' });
		officeRepo.assignBilling([moser], 'premium');
		Y.applyUpdate(tablet, Y.encodeStateAsUpdate(office));
		Y.applyUpdate(office, Y.encodeStateAsUpdate(tablet));
		for (const replica of [tablet, office])
			expect([...new TenantRepository(replica).billingAssignments()].sort()).toEqual(
				[
					[huber, 'standard'],
					[moser, 'premium']
				].sort()
			);
		// Moving Huber to Premium replaces its profile; deleting Premium takes its customers off it.
		const repo = new TenantRepository(tablet);
		repo.assignBilling([huber], 'premium');
		expect(repo.billingAssignments().get(huber)).toBe('premium');
		repo.deleteBillingProfile('premium');
		expect(repo.billingAssignments().size).toBe(0);
		expect(() => repo.assignBilling([huber], 'premium')).toThrow(/no billing profile/);
	});
});
