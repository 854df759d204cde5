// The demo tenant: deterministic, realistic in size and spread, written through the repositories, seeded once.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import { CustomerRepository } from '../../../src/lib/data/customer-repository';
import { createMemoryStore } from '../store/memory';
import { buildDemo, DEMO_EMAIL, DEMO_TENANT_ID, seedDemo } from './seed';
import { storedDoc } from '../../../tests/helpers/sync-frames';

const NOW = new Date('2025-03-01T08:00:00Z');

function tenantOf(update: Uint8Array): TenantRepository {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, update);
	return new TenantRepository(doc);
}

describe('demo seed', () => {
	it('builds the same tree from the same seed', () => {
		const a = tenantOf(buildDemo(NOW).tenantUpdate).view();
		const b = tenantOf(buildDemo(NOW).tenantUpdate).view();
		const names = (view: typeof a) =>
			[...view.nodes.values()].map((node) => `${node.id}:${node.kind}:${node.name}:${node.address ?? ''}`);
		expect(names(a)).toEqual(names(b));
	});

	it('holds every kind of the MSP tree, ~150 customers over six countries with sites and license pools', () => {
		const demo = buildDemo(NOW);
		const tenant = tenantOf(demo.tenantUpdate);
		const view = tenant.view();
		expect(view.invalid).toEqual([]);
		const nodes = [...view.nodes.values()];
		const count = (kind: string) => nodes.filter((node) => node.kind === kind).length;
		expect([count('distributor'), count('mspManager'), count('managedMsp'), count('msp')]).toEqual([1, 1, 2, 1]);
		const customers = nodes.filter((node) => node.kind === 'customer');
		expect(customers).toHaveLength(150);
		expect(new Set(customers.map((c) => c.country))).toEqual(new Set(['DE', 'ES', 'PL', 'IT', 'AT', 'FR']));
		expect(customers.filter((c) => c.status === 'normal').length).toBeGreaterThan(100);
		expect(customers.some((c) => c.status === 'notSetUp')).toBe(true);
		expect(customers.some((c) => c.status === 'unlinked')).toBe(true);
		// C5, P10, C6, C8: groups, smart tags, every billing type and managed-customer orders to look at.
		expect(tenant.groups().map((g) => g.name)).toEqual(['Healthcare', 'Key accounts', 'Retail']);
		expect(customers.filter((c) => (c.groups ?? []).length > 0).length).toBeGreaterThan(20);
		expect(customers.filter((c) => (c.tags ?? []).length > 0).length).toBeGreaterThan(20);
		expect(new Set(customers.map((c) => c.billingType))).toEqual(new Set(['trial', 'monthly', 'term']));
		expect(customers.some((c) => c.origin === 'managedOrder')).toBe(true);
		for (const customer of customers) {
			const sites = view.children.get(customer.id) ?? [];
			expect(sites.length).toBeGreaterThanOrEqual(1);
			expect(sites.length).toBeLessThanOrEqual(3);
			expect(customer.contact?.email).toMatch(/@/);
		}
		const licenses = tenant.licenses();
		expect(tenant.pools().length).toBeGreaterThan(5);
		expect(licenses.some((l) => l.unitsActivated > l.unitsOrdered)).toBe(true);
		const soon = (l: { expiresOn: string }) => {
			const days = (Date.parse(l.expiresOn) - NOW.getTime()) / 86_400_000;
			return days > 0 && days < 14;
		};
		expect(licenses.some(soon)).toBe(true);
		expect(demo.customerUpdates.size).toBe(150);
		for (const update of demo.customerUpdates.values()) {
			const doc = new Y.Doc();
			Y.applyUpdate(doc, update);
			const contacts = new CustomerRepository(doc).contacts();
			expect(contacts.length).toBeGreaterThanOrEqual(1);
			expect(contacts.length).toBeLessThanOrEqual(3);
		}
	});

	it('seeds once: the tenant, its documents (stored under it, S40) and the demo owner', async () => {
		const store = createMemoryStore();
		const password = await seedDemo(store, NOW);
		expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
		expect(await seedDemo(createMemoryStore(), NOW)).not.toBe(password);
		const docs = await store.listDocs();
		expect(docs).toHaveLength(151);
		expect(docs.filter((name) => name.startsWith(`${DEMO_TENANT_ID}/customer:`))).toHaveLength(150);
		expect((await store.getUserByEmail(DEMO_EMAIL))?.role).toBe('superAdmin');
		expect((await store.getTenant(DEMO_TENANT_ID))?.ownerId).toBe('demo-owner');
		// P4, P5: jobs and requests arrived through the integrations service, and with them the summaries.
		const before = (await store.load(`tenant:${DEMO_TENANT_ID}`)).updates.length;
		const tenantDoc = await storedDoc(store, `tenant:${DEMO_TENANT_ID}`);
		const summaries = new TenantRepository(tenantDoc).summaries();
		expect(summaries.size).toBeGreaterThan(50);
		expect([...summaries.values()].some((s) => s.failedJobEnds.length > 0)).toBe(true);
		expect([...summaries.values()].some((s) => s.openRequests > 0)).toBe(true);
		// P11: the first look shows an insight: a customer with more than 2 failed jobs in 24 h.
		expect([...summaries.values()].some((s) => s.insights.some((f) => f.ruleId === 'builtin-failed-24h'))).toBe(true);
		expect(await seedDemo(store, NOW)).toBeNull();
		expect((await store.load(`tenant:${DEMO_TENANT_ID}`)).updates).toHaveLength(before);
		await store.close();
	});
});
