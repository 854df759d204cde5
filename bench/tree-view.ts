// Cost of turning the tenant document into the tree a screen shows (zod parse + H7 resolution + children index),
// against the baseline of reading the same records with toJSON alone.
import * as Y from 'yjs';
import { TenantRepository } from '../src/lib/data/tenant-repository';
import { measure, type BenchResult } from './measure';

export function benchTreeView(customers = 2_000): BenchResult[] {
	const doc = new Y.Doc();
	let n = 0;
	const repo = new TenantRepository(doc, { newId: () => `n${n++}` });
	const msp = repo.createNode({ kind: 'msp', name: 'MSP', parentId: null });
	doc.transact(() => {
		for (let i = 0; i < customers; i++) {
			const customer = repo.createNode({ kind: 'customer', name: `Customer ${i}`, parentId: msp, country: 'DE' });
			repo.createNode({ kind: 'site', name: `Site ${i}`, parentId: customer });
		}
	});
	const nodes = doc.getMap('nodes');
	return [
		{
			name: `tree view of ${customers * 2 + 1} nodes`,
			unit: 'ms',
			ours: measure(() => repo.view()),
			baseline: measure(() => nodes.toJSON()),
			baselineName: 'toJSON only, no checks'
		}
	];
}
