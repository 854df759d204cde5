// Issue 8's import targets: an account of 2,000 companies and 20,000 licenses imported from its JSON file (read, checked,
// planned, written) against writing the same records into a fresh tenant document directly; and a second sync with nothing
// changed, which must write no update at all.
import * as Y from 'yjs';
import { TenantRepository } from '../src/lib/data/tenant-repository';
import { importLicenses } from '../src/lib/data/licenses/import';
import { readLicenseFile } from '../src/lib/data/licenses/export-reader';
import type { LicenseInput } from '../src/lib/schema';
import { LICENSE_EXPORT_FORMAT } from '../src/lib/schema/license-export';
import { measure, type BenchResult } from './measure';

const PRODUCTS = ['Endpoint Security', 'Mail Security', 'Server Security', 'Cloud Sandbox', 'Full Disk Encryption'];

export function exportFile(companies: number, licenses: number): string {
	const list = [
		{ id: 'co-root', name: 'Bench MSP', kind: 'msp', parentId: null, access: 'write', country: 'DE', sites: [] },
		...Array.from({ length: companies }, (_, i) => ({
			id: `co-${i}`,
			name: `Customer ${i} GmbH`,
			kind: 'customer',
			parentId: 'co-root',
			access: 'write',
			country: 'DE',
			sites: []
		}))
	];
	return JSON.stringify({
		format: LICENSE_EXPORT_FORMAT,
		exportedAt: '2026-12-01T06:00:00Z',
		account: { id: 'acc-bench', kind: 'msp', name: 'Bench MSP', login: 'bench@example.com' },
		companies: list,
		licenses: Array.from({ length: licenses }, (_, i) => ({
			publicId: `P${i.toString(36).toUpperCase().padStart(6, '0')}`,
			product: PRODUCTS[i % PRODUCTS.length],
			type: i % 10 === 0 ? 'trial' : 'msp',
			companyId: `co-${i % companies}`,
			siteId: null,
			unitsOrdered: 10 + (i % 90),
			unitsActivated: i % 100,
			expiresOn: `2027-${String((i % 12) + 1).padStart(2, '0')}-15`,
			suspended: false
		}))
	});
}

function importFromFile(text: string): Y.Doc {
	const doc = new Y.Doc();
	new TenantRepository(doc).setTenantName('Bench MSP');
	const read = readLicenseFile(text, { format: 'json' });
	if (!read.ok) throw new Error(JSON.stringify(read.issues.slice(0, 3)));
	let n = 0;
	const outcome = importLicenses(doc, read.data, { newId: () => `id-${++n}` });
	if (!outcome.ok) throw new Error(outcome.message);
	return doc;
}

/** The same nodes, pools and licenses written straight into a fresh document (no reading, checking or planning). */
function writeDirectly(companies: number, licenses: number): Y.Doc {
	const doc = new Y.Doc();
	const repo = new TenantRepository(doc);
	repo.setTenantName('Bench MSP');
	repo.createNodes([
		{ id: 'n-root', kind: 'msp', name: 'Bench MSP', parentId: null, vendorRef: 'company:co-root' },
		...Array.from({ length: companies }, (_, i) => ({
			id: `n-${i}`,
			kind: 'customer' as const,
			name: `Customer ${i} GmbH`,
			parentId: 'n-root',
			country: 'DE',
			vendorRef: `company:co-${i}`
		}))
	]);
	const list: LicenseInput[] = Array.from({ length: licenses }, (_, i) => ({
		id: `l-${i}`,
		publicId: `P${i.toString(36).toUpperCase().padStart(6, '0')}`,
		poolId: `p-${i % companies}`,
		product: PRODUCTS[i % PRODUCTS.length]!,
		type: i % 10 === 0 ? 'trial' : 'msp',
		unitsOrdered: 10 + (i % 90),
		unitsActivated: i % 100,
		expiresOn: `2027-${String((i % 12) + 1).padStart(2, '0')}-15`,
		suspended: false,
		ownerId: `n-${i % companies}`,
		tag: `Customer ${i % companies} GmbH`
	}));
	repo.putLicenseData({
		accounts: [{ id: 'acc-bench', kind: 'msp', name: 'Bench MSP', login: 'bench@example.com' }],
		pools: Array.from({ length: companies }, (_, i) => ({
			id: `p-${i}`,
			name: `Customer ${i} GmbH`,
			accountId: 'acc-bench',
			groupId: `n-${i}`,
			vendorRef: `company:co-${i}`
		})),
		licenses: list
	});
	return doc;
}

export function benchLicenseImport(companies = 2_000, licenses = 20_000): BenchResult[] {
	const text = exportFile(companies, licenses);
	const results: BenchResult[] = [
		{
			name: `import ${companies} companies / ${licenses} licenses from JSON`,
			unit: 'ms',
			ours: measure(() => importFromFile(text), 3),
			baseline: measure(() => writeDirectly(companies, licenses), 3),
			baselineName: 'same records written directly'
		}
	];
	// A second sync with nothing changed: updates the document emits (the goal is none), against the first import's.
	const doc = new Y.Doc();
	new TenantRepository(doc).setTenantName('Bench MSP');
	const read = readLicenseFile(text, { format: 'json' });
	if (!read.ok) throw new Error('bench export did not read');
	let updates = 0;
	doc.on('update', () => updates++);
	let n = 0;
	importLicenses(doc, read.data, { newId: () => `id-${++n}` });
	const first = updates;
	updates = 0;
	const second = measure(() => importLicenses(doc, read.data, { newId: () => `id-${++n}` }), 3);
	results.push({
		name: 'second sync, nothing changed: document updates',
		unit: 'updates',
		ours: updates,
		baseline: first,
		baselineName: 'first import'
	});
	results.push({
		name: 'second sync, nothing changed: time',
		unit: 'ms',
		ours: second,
		baseline: results[0]!.ours,
		baselineName: 'first import'
	});
	return results;
}
