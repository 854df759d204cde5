// How compact the tenant document stays with many licenses: our layout (one plain record per license)
// against the baseline the issue measured (one Y.Map per license, 10 fields), both built and decoded here.
import * as Y from 'yjs';
import { TenantRepository } from '../src/lib/data/tenant-repository';
import type { LicenseInput } from '../src/lib/schema';
import { measure, type BenchResult } from './measure';

function license(i: number): LicenseInput {
	return {
		id: `lic-${i}`,
		publicId: `${(i * 7919).toString(36).toUpperCase().padStart(3, '0')}-${(i % 997).toString(36).toUpperCase()}`,
		poolId: `pool-${i % 200}`,
		product: i % 3 === 0 ? 'Endpoint Security' : i % 3 === 1 ? 'Mail Security' : 'Cloud Office Security',
		type: i % 10 === 0 ? 'trial' : 'msp',
		unitsOrdered: 10 + (i % 90),
		unitsActivated: i % 100,
		expiresOn: `2027-${String((i % 12) + 1).padStart(2, '0')}-15`,
		suspended: i % 50 === 0,
		ownerId: `cust-${i % 1000}`,
		tag: `Company ${i % 1000}`
	};
}

function buildOurs(count: number): Uint8Array {
	const doc = new Y.Doc();
	const repo = new TenantRepository(doc);
	repo.putLicenseData({ licenses: Array.from({ length: count }, (_, i) => license(i)) });
	return Y.encodeStateAsUpdate(doc);
}

function buildBaseline(count: number): Uint8Array {
	const doc = new Y.Doc();
	const licenses = doc.getMap<Y.Map<unknown>>('licenses');
	doc.transact(() => {
		for (let i = 0; i < count; i++) {
			const record = new Y.Map<unknown>();
			licenses.set(`lic-${i}`, record);
			for (const [key, value] of Object.entries(license(i))) record.set(key, value);
		}
	});
	return Y.encodeStateAsUpdate(doc);
}

export function benchTenantDocLayout(count = 20_000): BenchResult[] {
	const ours = buildOurs(count);
	const baseline = buildBaseline(count);
	const decode = (update: Uint8Array) => () => {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, update);
		new TenantRepository(doc).licenses();
	};
	return [
		{
			name: `tenant doc bytes, ${count} licenses`,
			unit: 'bytes',
			ours: ours.byteLength,
			baseline: baseline.byteLength,
			baselineName: 'Y.Map per license'
		},
		{
			name: `tenant doc decode + read, ${count} licenses`,
			unit: 'ms',
			ours: measure(decode(ours)),
			baseline: measure(decode(baseline)),
			baselineName: 'Y.Map per license'
		}
	];
}
