import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TenantRepository } from '../tenant-repository';
import { importLicenses } from './import';
import { readLicenseFile } from './export-reader';
import type { LicenseExport } from '../../schema/license-export';

const fixture = (name: string) => readFileSync(new URL(`../../../../tests/fixtures/licenses/${name}`, import.meta.url), 'utf8');

function read(name: string): LicenseExport {
	const outcome = readLicenseFile(fixture(name), { name });
	if (!outcome.ok) throw new Error(JSON.stringify(outcome.issues));
	return outcome.data;
}

function tenant(name = 'Northwind IT Services') {
	const doc = new Y.Doc();
	const repo = new TenantRepository(doc);
	repo.setTenantName(name);
	let n = 0;
	const run = (data: LicenseExport) => importLicenses(doc, data, { newId: () => `id-${++n}` });
	return { doc, repo, run };
}

const byPublicId = (repo: TenantRepository) => new Map(repo.licenses().map((l) => [l.publicId, l]));

describe('license import', () => {
	it('L6: a company without licenses goes into the tree only, not into License management', () => {
		const { repo, run } = tenant();
		const outcome = run(read('msp-account.json'));
		expect(outcome.ok).toBe(true);
		const names = [...repo.view().nodes.values()].map((n) => n.name);
		expect(names).toContain('Tailspin Sp. z o.o.');
		const pools = repo.pools().map((p) => p.name);
		expect(pools.sort()).toEqual(['Adatum S.r.l.', 'Contoso GmbH', 'Fabrikam S.A.']);
	});

	it('L3: licenses of an MSP account are tagged with the company name', () => {
		const { repo, run } = tenant();
		run(read('msp-account.json'));
		const licenses = byPublicId(repo);
		expect(licenses.get('3AB-XQ4-77K')?.tag).toBe('Contoso GmbH');
		expect(licenses.get('5EF-RT7-14R')?.tag).toBe('Adatum S.r.l.');
	});

	it('L4: a renamed company keeps its old license tag, and a tag edited by hand survives the next sync', () => {
		const { repo, run } = tenant();
		run(read('msp-account.json'));
		const contoso = byPublicId(repo).get('3AB-XQ4-77K')!;
		repo.setLicenseTag(contoso.id, 'Contoso HQ');
		const outcome = run(read('msp-account-next-day.json'));
		expect(outcome.ok).toBe(true);
		const licenses = byPublicId(repo);
		expect(licenses.get('4CD-PL2-09A')?.tag).toBe('Fabrikam S.A.');
		expect(licenses.get('3AB-XQ4-77K')?.tag).toBe('Contoso HQ');
		const fabrikam = [...repo.view().nodes.values()].find((n) => n.vendorRef === 'company:co-202');
		expect(fabrikam?.name).toBe('Fabrikam Iberia S.A.');
	});

	it('L7: a company added on the vendor side appears in the tree at the next sync', () => {
		const { repo, run } = tenant();
		run(read('msp-account.json'));
		const outcome = run(read('msp-account-next-day.json'));
		expect(outcome.ok && outcome.plan.summary).toEqual({ accountId: 'acc-7710', added: 2, changed: 0, removed: 0, companiesAdded: 1 });
		const wingtip = [...repo.view().nodes.values()].find((n) => n.name === 'Wingtip Toys Ltd');
		expect(wingtip?.kind).toBe('customer');
		expect(byPublicId(repo).get('6GH-KM3-22P')?.ownerId).toBe(wingtip?.id);
	});

	it('L8: licenses a later sync adds appear in their pool wherever the pool is now', () => {
		const { repo, run } = tenant();
		run(read('msp-account.json'));
		const pool = repo.pools().find((p) => p.name === 'Contoso GmbH')!;
		const elsewhere = repo.createNode({ kind: 'customer', name: 'Elsewhere', parentId: repo.view().children.get(null)![0]! });
		repo.putLicenseData({ pools: [{ ...pool, groupId: elsewhere }] });
		run(read('msp-account-next-day.json'));
		const sandbox = byPublicId(repo).get('3AB-XQ4-90Z')!;
		expect(sandbox.poolId).toBe(pool.id);
		expect(repo.pools().find((p) => p.id === pool.id)?.groupId).toBe(elsewhere);
		expect(repo.pools().filter((p) => p.accountId === 'acc-7710')).toHaveLength(4);
	});

	it('L10: a business account puts its licenses into one pool per site', () => {
		const { repo, run } = tenant();
		run(read('msp-account.json'));
		const outcome = run(read('business-account.json'));
		expect(outcome.ok).toBe(true);
		const pools = repo.pools().filter((p) => p.accountId === 'acc-b-5521');
		expect(pools.map((p) => p.name).sort()).toEqual(['Litware Inc. – Graz', 'Litware Inc. – Wien']);
		const view = repo.view();
		for (const pool of pools) expect(view.nodes.get(pool.groupId)?.kind).toBe('site');
		const wien = pools.find((p) => p.name.endsWith('Wien'))!;
		expect(repo.licenses().filter((l) => l.poolId === wien.id).map((l) => l.publicId).sort()).toEqual(['7JK-AA1-001', '7JK-AA1-002']);
		expect(repo.licenses().find((l) => l.publicId === '7JK-AA1-001')?.tag).toBe('');
		// Both accounts' licenses are there (one login for both, L10).
		expect(repo.licenses()).toHaveLength(8);
	});

	it('L1: a distributor account is refused with a clear error and changes nothing', () => {
		const { doc, run } = tenant();
		const before = Y.encodeStateVector(doc);
		const outcome = run(read('distributor-account.json'));
		expect(outcome).toMatchObject({ ok: false, code: 'distributor_account' });
		expect(!outcome.ok && outcome.message).toMatch(/distributor/);
		expect(Y.encodeStateVector(doc)).toEqual(before);
	});

	it('L2: an account that cannot read any company is refused', () => {
		const { repo, run } = tenant();
		const outcome = run(read('no-access-account.json'));
		expect(outcome).toMatchObject({ ok: false, code: 'no_readable_company' });
		expect(repo.view().nodes.size).toBe(0);
	});

	it('L12: a second sync with nothing changed writes no update at all, and never duplicates', () => {
		const { doc, repo, run } = tenant();
		run(read('msp-account.json'));
		let updates = 0;
		doc.on('update', () => updates++);
		const outcome = run(read('msp-account.json'));
		expect(outcome.ok && outcome.plan.summary).toMatchObject({ added: 0, changed: 0, removed: 0, companiesAdded: 0 });
		expect(updates).toBe(0);
		expect(repo.licenses()).toHaveLength(5);
	});

	it('marks licenses the vendor no longer lists as removed, and unmarks them when they come back', () => {
		const { repo, run } = tenant();
		run(read('msp-account-next-day.json'));
		const outcome = run(read('msp-account.json'));
		expect(outcome.ok && outcome.plan.summary).toMatchObject({ removed: 2 });
		const licenses = byPublicId(repo);
		expect(licenses.get('6GH-KM3-22P')?.removed).toBe(true);
		expect(licenses.size).toBe(7);
		run(read('msp-account-next-day.json'));
		expect(byPublicId(repo).get('6GH-KM3-22P')?.removed).toBe(false);
	});

	it('reads the CSV form into the same account as the JSON form', () => {
		const json = read('msp-account.json');
		const csv = read('msp-account.csv');
		expect(csv.account).toEqual(json.account);
		expect(new Set(csv.licenses.map((l) => JSON.stringify(l)))).toEqual(new Set(json.licenses.map((l) => JSON.stringify(l))));
		expect(csv.companies.map((c) => c.id).sort()).toEqual(json.companies.map((c) => c.id).sort());
	});

	it('refuses broken.json with one issue per bad entry, pointing at each', () => {
		const outcome = readLicenseFile(fixture('broken.json'), { name: 'broken.json' });
		expect(outcome.ok).toBe(false);
		const issues = outcome.ok ? [] : outcome.issues;
		expect(issues.map((i) => i.where)).toEqual([
			'broken.json: licenses[0].expiresOn',
			'broken.json: licenses[1].unitsOrdered',
			'broken.json: licenses[2].companyId'
		]);
	});
});
