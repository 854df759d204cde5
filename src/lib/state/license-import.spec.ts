// The import dialog's checks on the device (L1-L3, L6, L7, L10): a broken file is refused entry by entry, a distributor
// account or one without access is refused, a valid file is previewed against the local data; only "Import" sends it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TenantRepository } from '$lib/data/tenant-repository';
import { holdingsOf, importLicenses } from '$lib/data/licenses/import';
import { readLicenseFile } from '$lib/data/licenses/export-reader';
import { planLicenseImport } from '$lib/domain/license-plan';
import type { LicenseExport } from '$lib/schema/license-export';
import { LicenseImportState } from './license-import.svelte';
import type { LicensesState } from './licenses.svelte';

const text = (name: string) => readFileSync(`tests/fixtures/licenses/${name}`, 'utf8');

/** The part of LicensesState the import uses, over a tenant document. */
function licensesOver(doc: Y.Doc, sent: string[] = []): LicensesState {
	const repo = new TenantRepository(doc);
	const stub: Pick<LicensesState, 'previewImport' | 'accounts' | 'importFile' | 'outcome' | 'isPending'> = {
		previewImport: (data: LicenseExport) =>
			planLicenseImport(holdingsOf(repo), data, { newId: () => crypto.randomUUID() }),
		get accounts() {
			return repo.accounts();
		},
		importFile: (fileName) => {
			sent.push(fileName);
			return '00000000-0000-4000-8000-000000000001';
		},
		outcome: () => null,
		isPending: () => true
	};
	return stub as LicensesState;
}

function tenant(): Y.Doc {
	const doc = new Y.Doc();
	new TenantRepository(doc).setTenantName('Northwind IT Services');
	return doc;
}

describe('license import on the device', () => {
	it('L1: broken.json is refused with one problem per bad entry, and nothing is sent', () => {
		const sent: string[] = [];
		const importer = new LicenseImportState(licensesOver(tenant(), sent));
		const step = importer.check('broken.json', text('broken.json'));
		expect(step.kind).toBe('invalid');
		if (step.kind !== 'invalid') return;
		expect(step.issues.map((issue) => issue.where)).toEqual([
			'licenses[0].expiresOn',
			'licenses[1].unitsOrdered',
			'licenses[2].companyId'
		]);
		importer.confirm();
		expect(sent).toEqual([]);
	});

	it('L1, L2: a distributor account and an account that reads no company are refused with their reason', () => {
		const importer = new LicenseImportState(licensesOver(tenant()));
		expect(importer.check('distributor-account.json', text('distributor-account.json'))).toMatchObject({
			kind: 'refused',
			code: 'distributor_account',
			accountName: 'Alpine Distribution AG'
		});
		expect(importer.check('no-access-account.json', text('no-access-account.json'))).toMatchObject({
			kind: 'refused',
			code: 'no_readable_company'
		});
	});

	it('L6, L10: a new MSP account previews its companies, one pool per company with licenses, and the CSV form reads the same', () => {
		const importer = new LicenseImportState(licensesOver(tenant()));
		const json = importer.check('msp-account.json', text('msp-account.json'));
		const csv = importer.check('msp-account.csv', text('msp-account.csv'));
		expect(json).toMatchObject({ kind: 'preview', format: 'json' });
		expect(csv).toMatchObject({ kind: 'preview', format: 'csv' });
		if (json.kind !== 'preview' || csv.kind !== 'preview') return;
		expect(json.preview).toMatchObject({ knownAccount: false, added: 5, changed: 0, removed: 0 });
		// L6: Tailspin has no licenses: in the tree, but no pool.
		expect(json.preview.companiesAdded).toContain('Tailspin Sp. z o.o.');
		expect(json.preview.poolsAdded).toEqual(['Contoso GmbH', 'Fabrikam S.A.', 'Adatum S.r.l.']);
		// The CSV lists companies in the order of its rows.
		const sorted = (preview: typeof json.preview) => ({
			...preview,
			companiesAdded: [...preview.companiesAdded].sort()
		});
		expect(sorted(csv.preview)).toEqual(sorted(json.preview));
	});

	it('L7: the next day previews the new company and licenses against what this device holds; the same file again changes nothing', () => {
		const doc = tenant();
		const read = readLicenseFile(text('msp-account.json'));
		if (!read.ok) throw new Error('fixture');
		importLicenses(doc, read.data);
		const sent: string[] = [];
		const importer = new LicenseImportState(licensesOver(doc, sent));
		const nextDay = importer.check('msp-account-next-day.json', text('msp-account-next-day.json'));
		expect(nextDay).toMatchObject({ kind: 'preview', preview: { knownAccount: true, added: 2 } });
		if (nextDay.kind === 'preview') expect(nextDay.preview.companiesAdded).toEqual(['Wingtip Toys Ltd']);
		const again = importer.check('msp-account.json', text('msp-account.json'));
		expect(again).toMatchObject({ kind: 'preview', preview: { nothingChanges: true } });
	});

	it('a chosen file is read, previewed and sent only on confirm; the outcome follows the outbox', async () => {
		const sent: string[] = [];
		const importer = new LicenseImportState(licensesOver(tenant(), sent));
		await importer.choose(new File([text('business-account.json')], 'business-account.json'));
		expect(importer.step.kind).toBe('preview');
		expect(sent).toEqual([]);
		importer.confirm();
		expect(sent).toEqual(['business-account.json']);
		expect(importer.step.kind).toBe('sent');
		expect(importer.outcome).toEqual({ kind: 'pending' });
	});
});
