// The license list's rows: states on the tenant's day, counts, search, filters, sorts, groups (L9, L11, L13, L14).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TenantRepository } from '$lib/data/tenant-repository';
import { importLicenses } from '$lib/data/licenses/import';
import type { LicenseExport } from '$lib/schema/license-export';
import type { Command } from '$lib/schema/commands';
import {
	countByState,
	isFiltered,
	LicenseIndex,
	licenseDeletionPreview,
	licenseEntries,
	licenseListRows,
	NO_FILTERS,
	pendingIndex,
	poolsWithLicenses,
	SORT_COLUMNS,
	sortedMatches,
	toggled,
	type LicenseFilters,
	type LicenseSource
} from './license-rows';

const fixture = (name: string): LicenseExport =>
	JSON.parse(readFileSync(`tests/fixtures/licenses/${name}`, 'utf8')) as LicenseExport;

/** The MSP account (5 licenses) and the business account with two sites (3 licenses), imported as the server would. */
function tenant(): { source: LicenseSource; repo: TenantRepository } {
	const doc = new Y.Doc();
	const repo = new TenantRepository(doc);
	repo.setTenantName('Northwind IT Services');
	for (const name of ['msp-account.json', 'business-account.json']) {
		const outcome = importLicenses(doc, fixture(name));
		if (!outcome.ok) throw new Error(outcome.message);
	}
	const view = repo.view();
	return {
		repo,
		source: {
			licenses: repo.licenses(),
			pools: repo.pools(),
			accounts: repo.accounts(),
			nodes: view.nodes,
			parentOf: view.parentOf
		}
	};
}

const TODAY = '2026-11-20';
const filters = (patch: Partial<LicenseFilters>): LicenseFilters => ({ ...NO_FILTERS, ...patch });
const ids = (entries: readonly { license: { publicId: string } }[]) => entries.map((entry) => entry.license.publicId);

describe('license rows', () => {
	it('L14: every license has its state on the tenant day, and the counts add up per state', () => {
		const { source } = tenant();
		const entries = licenseEntries(source, TODAY);
		const state = Object.fromEntries(entries.map((entry) => [entry.license.publicId, entry.state.state]));
		expect(state).toEqual({
			'3AB-XQ4-77K': 'warning',
			'3AB-XQ4-81M': 'overused',
			'4CD-PL2-09A': 'expiringSoon',
			'5EF-RT7-13Q': 'expired',
			'5EF-RT7-14R': 'suspended',
			'7JK-AA1-001': 'warning',
			'7JK-AA1-002': 'ok',
			'7JK-AA1-003': 'warning'
		});
		expect(countByState(entries)).toEqual({
			removed: 0,
			suspended: 1,
			trialExpired: 0,
			expired: 1,
			overused: 1,
			expiringSoon: 1,
			warning: 3,
			ok: 1
		});
		// The trial's day in the tenant: nine days later it has expired.
		const later = licenseEntries(source, '2026-11-29');
		expect(later.find((entry) => entry.license.publicId === '4CD-PL2-09A')?.state.state).toBe('trialExpired');
	});

	it('L9: the license user is the company of the pool, with the site when the pool sits on a site (L10)', () => {
		const { source } = tenant();
		const entries = licenseEntries(source, TODAY);
		const user = (publicId: string) => entries.find((entry) => entry.license.publicId === publicId)!.user;
		expect(user('3AB-XQ4-77K')).toMatchObject({ company: 'Contoso GmbH', site: null, label: 'Contoso GmbH' });
		expect(user('7JK-AA1-001')).toMatchObject({ company: 'Litware Inc.', site: 'Wien', label: 'Litware Inc. › Wien' });
		expect(user('7JK-AA1-003')).toMatchObject({ company: 'Litware Inc.', site: 'Graz' });
		const index = new LicenseIndex(entries);
		expect(index.users).toEqual([
			'Adatum S.r.l.',
			'Contoso GmbH',
			'Fabrikam S.A.',
			'Litware Inc. › Graz',
			'Litware Inc. › Wien'
		]);
		const sort = { column: 'publicId', descending: false } as const;
		expect(ids(sortedMatches(index, filters({ user: 'Inc. › WIEN' }), sort))).toEqual(['7JK-AA1-001', '7JK-AA1-002']);
		expect(ids(sortedMatches(index, filters({ user: 'graz' }), sort))).toEqual(['7JK-AA1-003']);
	});

	it('P7: manage licenses of one customer: the licenses whose pool sits on the customer or on its sites', () => {
		const { source } = tenant();
		const index = new LicenseIndex(licenseEntries(source, TODAY));
		const sort = { column: 'publicId', descending: false } as const;
		const idOf = (name: string) => [...source.nodes.values()].find((node) => node.name === name)!.id;
		const find = (patch: Partial<LicenseFilters>) => ids(sortedMatches(index, filters(patch), sort));
		// Business-account pools sit on the sites Wien and Graz of Litware.
		expect(find({ customerId: idOf('Litware Inc.') })).toEqual(['7JK-AA1-001', '7JK-AA1-002', '7JK-AA1-003']);
		expect(find({ customerId: idOf('Contoso GmbH') })).toEqual(['3AB-XQ4-77K', '3AB-XQ4-81M']);
		expect(find({ customerId: idOf('Tailspin Sp. z o.o.') })).toEqual([]);
		expect(isFiltered(filters({ customerId: idOf('Contoso GmbH') }))).toBe(true);
		expect(find({ customerId: '' })).toHaveLength(8);
	});

	it('L13: the search finds a public ID, a tag or a company, whatever the case; the filters narrow by state, product, account and type', () => {
		const { source } = tenant();
		const index = new LicenseIndex(licenseEntries(source, TODAY));
		const sort = { column: 'publicId', descending: false } as const;
		const find = (patch: Partial<LicenseFilters>) => ids(sortedMatches(index, filters(patch), sort));
		expect(find({ query: '3ab-xq4-81m' })).toEqual(['3AB-XQ4-81M']);
		// L3: MSP-account licenses are tagged with the company name; business-account licenses have no tag.
		expect(find({ query: 'fabrikam' })).toEqual(['4CD-PL2-09A']);
		expect(find({ query: 'LITWARE' })).toEqual(['7JK-AA1-001', '7JK-AA1-002', '7JK-AA1-003']);
		expect(find({ query: '  adatum ' })).toEqual(['5EF-RT7-13Q', '5EF-RT7-14R']);
		expect(find({ states: new Set(['warning', 'overused'] as const) })).toEqual([
			'3AB-XQ4-77K',
			'3AB-XQ4-81M',
			'7JK-AA1-001',
			'7JK-AA1-003'
		]);
		expect(find({ product: 'Mail Security' })).toEqual(['3AB-XQ4-81M']);
		expect(find({ type: 'trial' })).toEqual(['4CD-PL2-09A']);
		expect(find({ accountId: 'acc-b-5521' })).toEqual(['7JK-AA1-001', '7JK-AA1-002', '7JK-AA1-003']);
		expect(find({ accountId: 'acc-b-5521', states: new Set(['ok'] as const) })).toEqual(['7JK-AA1-002']);
		expect(find({ query: 'nothing like it' })).toEqual([]);
	});

	it('L13, L14: sorts by every column both ways; the state by urgency (L14 precedence), units by how full', () => {
		const { source } = tenant();
		const index = new LicenseIndex(licenseEntries(source, TODAY));
		const sorted = (column: (typeof SORT_COLUMNS)[number], descending = false) =>
			ids(sortedMatches(index, NO_FILTERS, { column, descending }));
		for (const column of SORT_COLUMNS) {
			expect(sorted(column)).toHaveLength(8);
			expect(new Set(sorted(column))).toEqual(new Set(sorted(column, true)));
		}
		expect(sorted('state').slice(0, 5)).toEqual([
			'5EF-RT7-14R',
			'5EF-RT7-13Q',
			'3AB-XQ4-81M',
			'4CD-PL2-09A',
			'3AB-XQ4-77K'
		]);
		expect(sorted('state').at(-1)).toBe('7JK-AA1-002');
		expect(sorted('units', true).slice(0, 3)).toEqual(['3AB-XQ4-81M', '7JK-AA1-003', '5EF-RT7-13Q']);
		expect(sorted('expiry')[0]).toBe('5EF-RT7-13Q');
		expect(sorted('expiry', true)[0]).toBe('5EF-RT7-14R');
		expect(sorted('user', true)[0]).toBe('7JK-AA1-001');
		expect(sorted('publicId', true)[0]).toBe('7JK-AA1-003');
	});

	it('groups rows by account, then pool, each header with its count; flat without groups', () => {
		const { source } = tenant();
		const index = new LicenseIndex(licenseEntries(source, TODAY));
		const sort = { column: 'publicId', descending: false } as const;
		const rows = licenseListRows(index, NO_FILTERS, sort, true, source);
		const outline = rows.map((row) =>
			row.kind === 'account'
				? `A ${row.name} ${row.count}`
				: row.kind === 'pool'
					? `P ${row.pool.name} ${row.count}`
					: `  ${row.entry.license.publicId}`
		);
		expect(outline).toEqual([
			'A Litware Inc. 3',
			'P Litware Inc. – Graz 1',
			'  7JK-AA1-003',
			'P Litware Inc. – Wien 2',
			'  7JK-AA1-001',
			'  7JK-AA1-002',
			'A Northwind IT Services 5',
			'P Adatum S.r.l. 2',
			'  5EF-RT7-13Q',
			'  5EF-RT7-14R',
			'P Contoso GmbH 2',
			'  3AB-XQ4-77K',
			'  3AB-XQ4-81M',
			'P Fabrikam S.A. 1',
			'  4CD-PL2-09A'
		]);
		const byAccountDesc = licenseListRows(index, NO_FILTERS, { column: 'account', descending: true }, true, source);
		expect(byAccountDesc[0]).toMatchObject({ kind: 'account', name: 'Northwind IT Services' });
		const flat = licenseListRows(index, filters({ query: 'contoso' }), sort, false, source);
		expect(flat.map((row) => row.kind)).toEqual(['license', 'license']);
	});

	it('L11: deleting a license lists every pool of its account, with their licenses', () => {
		const { source } = tenant();
		const contoso = source.licenses.find((license) => license.publicId === '3AB-XQ4-77K')!;
		const preview = licenseDeletionPreview(source, contoso.id)!;
		expect(preview.accountName).toBe('Northwind IT Services');
		expect(preview.pools.map((pool) => [pool.pool.name, pool.licenses])).toEqual([
			['Adatum S.r.l.', 2],
			['Contoso GmbH', 2],
			['Fabrikam S.A.', 1]
		]);
		expect(preview.licenses).toBe(5);
		expect(licenseDeletionPreview(source, 'no-such-license')).toBeNull();
	});

	it('L9, L13: a customer page gets its own pools with their licenses (a business customer one per site)', () => {
		const { source } = tenant();
		const entries = licenseEntries(source, TODAY);
		const litware = [...source.nodes.values()].find((node) => node.name === 'Litware Inc.')!;
		const sites = [...source.nodes.values()].filter((node) => source.parentOf.get(node.id) === litware.id);
		const pools = poolsWithLicenses(entries, source, new Set([litware.id, ...sites.map((site) => site.id)]));
		expect(pools.map((pool) => [pool.pool.name, pool.user.label, pool.accountName, ids(pool.licenses)])).toEqual([
			['Litware Inc. – Graz', 'Litware Inc. › Graz', 'Litware Inc.', ['7JK-AA1-003']],
			['Litware Inc. – Wien', 'Litware Inc. › Wien', 'Litware Inc.', ['7JK-AA1-001', '7JK-AA1-002']]
		]);
	});

	it('S60: commands waiting in the outbox mark the rows they touch (a deletion the whole account, L11)', () => {
		const { source } = tenant();
		const entries = licenseEntries(source, TODAY);
		const entry = (publicId: string) => entries.find((candidate) => candidate.license.publicId === publicId)!;
		const base = { at: '2026-11-20T10:00:00.000Z' };
		const commands: Command[] = [
			{
				...base,
				id: '00000000-0000-4000-8000-000000000001',
				type: 'license.delete',
				licenseId: entry('3AB-XQ4-77K').license.id
			},
			{
				...base,
				id: '00000000-0000-4000-8000-000000000002',
				type: 'license.extendTrial',
				licenseId: entry('4CD-PL2-09A').license.id
			},
			{
				...base,
				id: '00000000-0000-4000-8000-000000000003',
				type: 'licensePool.move',
				poolId: entry('7JK-AA1-001').license.poolId,
				groupId: entry('7JK-AA1-003').pool!.groupId
			}
		];
		const pending = pendingIndex(commands, source);
		expect(pending.of(entry('3AB-XQ4-77K'))).toEqual(['delete']);
		expect(pending.of(entry('5EF-RT7-13Q'))).toEqual(['delete']);
		expect(pending.of(entry('4CD-PL2-09A'))).toEqual(['extend', 'delete']);
		expect(pending.of(entry('7JK-AA1-002'))).toEqual(['move']);
		expect(pending.of(entry('7JK-AA1-003'))).toEqual([]);
		expect(pending.pools.has(entry('7JK-AA1-001').license.poolId)).toBe(true);
		expect(pendingIndex([], source).of(entry('3AB-XQ4-77K'))).toEqual([]);
	});

	it('toggles a value in a set without changing the old one', () => {
		const before = new Set(['ok']);
		const after = toggled(before, 'warning');
		expect([...after]).toEqual(['ok', 'warning']);
		expect([...toggled(after, 'ok')]).toEqual(['warning']);
		expect([...before]).toEqual(['ok']);
	});
});
