// Builds large tenant documents for the benchmarks through TenantRepository, in chunks so that seeding stays fast.
import * as Y from 'yjs';
import { TenantRepository } from '../../src/lib/data/tenant-repository';

export interface SeededTree {
	/** The whole document as one update. */
	readonly update: Uint8Array;
	readonly mspId: string;
	readonly customerIds: readonly string[];
	readonly siteIds: readonly string[];
}

const COUNTRIES = ['DE', 'ES', 'PL', 'IT', 'AT', 'FR'] as const;
/** createNode reads the whole tree (view()) to place each node, so one document of 6,000 nodes would take a minute. */
const CHUNK = 100;

export const customerName = (i: number): string => `Customer ${String(i).padStart(4, '0')}`;
export const siteName = (i: number): string => `Site ${String(i).padStart(4, '0')}`;

/**
 * An MSP at the root with `customers` customers under it, each with `sitesPerCustomer` sites. Chunks of customers are
 * created on copies of the base document (each copy its own Yjs client) and merged, like several devices adding customers.
 */
export function buildTenantTree(options: {
	tenantName: string;
	customers: number;
	sitesPerCustomer?: number;
	/** Prefix of every node id: customer ids are unique across tenants (the relay registers each to one tenant). */
	idPrefix?: string;
}): SeededTree {
	const sitesPerCustomer = options.sitesPerCustomer ?? 1;
	const prefix = options.idPrefix ?? '';
	const now = new Date('2025-03-01T08:00:00Z');
	const base = new Y.Doc();
	const baseRepo = new TenantRepository(base, { newId: () => 'msp', now: () => now });
	baseRepo.setTenantName(options.tenantName);
	const mspId = baseRepo.createNode({ kind: 'msp', name: options.tenantName, parentId: null, country: 'DE' });
	const baseState = Y.encodeStateAsUpdate(base);
	const baseVector = Y.encodeStateVector(base);
	base.destroy();

	const parts: Uint8Array[] = [baseState];
	const customerIds: string[] = [];
	const siteIds: string[] = [];
	for (let first = 0; first < options.customers; first += CHUNK) {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, baseState);
		let nextId = '';
		const repo = new TenantRepository(doc, { newId: () => nextId, now: () => now });
		doc.transact(() => {
			for (let i = first; i < Math.min(first + CHUNK, options.customers); i++) {
				nextId = `${prefix}cust-${i}`;
				const country = COUNTRIES[i % COUNTRIES.length]!;
				customerIds.push(
					repo.createNode({ kind: 'customer', name: customerName(i), parentId: mspId, country, status: 'normal' })
				);
				for (let s = 0; s < sitesPerCustomer; s++) {
					nextId = `${prefix}site-${i}-${s}`;
					siteIds.push(repo.createNode({ kind: 'site', name: siteName(i), parentId: `${prefix}cust-${i}` }));
				}
			}
		});
		parts.push(Y.encodeStateAsUpdate(doc, baseVector));
		doc.destroy();
	}
	return { update: Y.mergeUpdates(parts), mspId, customerIds, siteIds };
}

/**
 * A document's history as `count` separate updates, as the relay stores them between compactions: the tree of
 * `customers`, then one update per edit, every fifth creating a customer and the others renaming one.
 */
export function buildUpdateHistory(options: { tenantName: string; customers: number; count: number }): {
	readonly updates: readonly Uint8Array[];
	readonly state: Uint8Array;
} {
	const seeded = buildTenantTree({ tenantName: options.tenantName, customers: options.customers });
	const doc = new Y.Doc();
	Y.applyUpdate(doc, seeded.update);
	const updates: Uint8Array[] = [seeded.update];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	let created = 0;
	const repo = new TenantRepository(doc, { newId: () => `extra-${created}` });
	for (let i = 1; updates.length < options.count; i++) {
		if (i % 5 === 0) {
			repo.createNode({ kind: 'customer', name: `New customer ${created}`, parentId: seeded.mspId, country: 'DE' });
			created += 1;
		} else {
			repo.rename(seeded.customerIds[i % seeded.customerIds.length]!, `${customerName(i)} renamed`);
		}
	}
	const state = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return { updates, state };
}
