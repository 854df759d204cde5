// H6, P1: a scoped person's view carries the server's summaries of the customers it covers, and only those.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { EMPTY_SUMMARY, type CustomerSummary } from '../schema/customer-summary';
import { DEFAULT_DEFINITION } from '../schema/reports';
import { scopedViewSchema } from '../schema/view';
import { buildScopedView, writeScopedView } from './scoped-view';
import { TenantRepository } from './tenant-repository';

const summary = (openRequests: number): CustomerSummary => ({
	updatedAt: '2026-11-20T12:00:00.000Z',
	...EMPTY_SUMMARY,
	openRequests
});

describe('scoped view summaries', () => {
	it('H6, P1: the view holds the summaries of covered customers only; the device reads them and a newer view replaces them', () => {
		const doc = new Y.Doc();
		const repo = new TenantRepository(doc);
		const msp = repo.createNode({ kind: 'msp', name: 'MSP', parentId: null });
		const covered = repo.createNode({ kind: 'customer', name: 'Covered', parentId: msp, country: 'DE' });
		const other = repo.createNode({ kind: 'customer', name: 'Other', parentId: msp });
		repo.putSummary(covered, summary(2));
		repo.putSummary(other, summary(5));

		const view = buildScopedView(doc, [{ scope: 'customer', id: covered }], new Date('2026-11-20T12:00:00Z'));
		expect(Object.keys(view.summaries ?? {})).toEqual([covered]);
		// What the device caches and parses again (S-view cache) keeps the summaries.
		const cached = scopedViewSchema.parse(JSON.parse(JSON.stringify(view)));

		const local = new Y.Doc();
		writeScopedView(local, cached);
		const localRepo = new TenantRepository(local);
		expect([...localRepo.summaries().keys()]).toEqual([covered]);
		expect(localRepo.summary(covered)?.openRequests).toBe(2);

		// A view cached before summaries came with it parses, and leaves none behind.
		const { summaries: _dropped, ...older } = cached;
		writeScopedView(local, scopedViewSchema.parse(older));
		expect(localRepo.summaries().size).toBe(0);
	});

	it('P11: the view carries the insight rule records, so a scoped device names custom rules and sees changed built-ins', () => {
		const doc = new Y.Doc();
		const repo = new TenantRepository(doc);
		const msp = repo.createNode({ kind: 'msp', name: 'MSP', parentId: null });
		const covered = repo.createNode({ kind: 'customer', name: 'Covered', parentId: msp });
		repo.putInsightRule({ id: 'builtin-failed-24h', kind: 'failedJobs', name: 'Failed', threshold: 4, windowHours: 24, enabled: true });
		repo.putInsightRule({ id: 'r-any', kind: 'failedJobs', name: 'Any failure', threshold: 0, windowHours: 2, enabled: true });
		const view = buildScopedView(doc, [{ scope: 'customer', id: covered }], new Date('2026-11-20T12:00:00Z'));
		const local = new Y.Doc();
		writeScopedView(local, scopedViewSchema.parse(JSON.parse(JSON.stringify(view))));
		const rules = new TenantRepository(local).insightRules();
		expect(rules.find((rule) => rule.id === 'builtin-failed-24h')?.threshold).toBe(4);
		expect(rules.find((rule) => rule.id === 'r-any')?.name).toBe('Any failure');
		// A newer view without the custom rule takes it away.
		writeScopedView(local, scopedViewSchema.parse({ ...JSON.parse(JSON.stringify(view)), insightRules: [] }));
		expect(new TenantRepository(local).insightRuleRecords()).toEqual([]);
	});
});

describe('scoped view saved reports', () => {
	it('P8, S103: the view carries the saved report definitions; the device writes them into its view and a newer view replaces them', () => {
		const doc = new Y.Doc();
		const repo = new TenantRepository(doc);
		const msp = repo.createNode({ kind: 'msp', name: 'MSP', parentId: null });
		const covered = repo.createNode({ kind: 'customer', name: 'Covered', parentId: msp });
		const saved = {
			id: 'r1',
			name: 'Storage',
			description: '',
			definition: DEFAULT_DEFINITION,
			createdBy: 'owner@example.test',
			updatedAt: '2026-12-02T08:00:00.000Z'
		};
		repo.putSavedReport(saved);

		const view = buildScopedView(doc, [{ scope: 'customer', id: covered }], new Date('2026-12-02T09:00:00Z'));
		expect(view.savedReports).toEqual([saved]);
		const local = new Y.Doc();
		writeScopedView(local, scopedViewSchema.parse(JSON.parse(JSON.stringify(view))));
		expect(new TenantRepository(local).savedReports()).toEqual([saved]);

		repo.deleteSavedReport('r1');
		writeScopedView(local, buildScopedView(doc, [{ scope: 'customer', id: covered }], new Date()));
		expect(new TenantRepository(local).savedReports()).toEqual([]);
		// A view cached before saved reports came with it parses.
		const { savedReports: _dropped, ...older } = view;
		expect(scopedViewSchema.safeParse(older).success).toBe(true);
	});
});
