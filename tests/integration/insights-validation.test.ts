// S96 (P11, P16): what the relay's tenant validator lets a client write into `insightRules`, on plain Y.Docs the way
// server/src/validation/validation.spec.ts checks the other records.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { tenantValidator } from '../../server/src/validation/tenant';
import type { Writer } from '../../server/src/validation/types';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { permissionsOf } from '../../src/lib/domain/access';
import { BUILT_IN_INSIGHT_RULES, MAX_INSIGHT_RULES, type InsightRule } from '../../src/lib/schema/insights';

const CLIENT = Symbol('client');
const writer = (role: 'superAdmin' | 'admin' | 'helpDesk' | 'businessAdmin'): Writer => ({
	userId: 'u1',
	tenantId: 't1',
	role,
	permissions: [...permissionsOf(role)]
});

function asClient(doc: Y.Doc, edit: (copy: Y.Doc) => void): void {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	const before = Y.encodeStateVector(copy);
	edit(copy);
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(copy, before), CLIENT);
}

const custom = (id: string, overrides: Partial<InsightRule> = {}): InsightRule => ({
	id,
	kind: 'failedJobs',
	name: `Rule ${id}`,
	threshold: 0,
	windowHours: 24,
	enabled: true,
	...overrides
});

const rules = (doc: Y.Doc) => doc.getMap<unknown>('insightRules');

describe('S96: insight rules in the tenant document', () => {
	it('S96, P16: settings.edit writes rules (Super Admin, Admin); Help Desk and Business Admin are undone', () => {
		for (const role of ['superAdmin', 'admin'] as const) {
			const doc = new Y.Doc();
			const validation = tenantValidator().open(doc);
			asClient(doc, (copy) => new TenantRepository(copy).putInsightRule(custom('r1')));
			expect(validation.review(writer(role)).rejected).toEqual([]);
			expect(new TenantRepository(doc).insightRuleRecords()).toEqual([custom('r1')]);
		}
		for (const role of ['helpDesk', 'businessAdmin'] as const) {
			const doc = new Y.Doc();
			new TenantRepository(doc).putInsightRule({ ...BUILT_IN_INSIGHT_RULES[0]!, threshold: 4 });
			const validation = tenantValidator().open(doc);
			asClient(doc, (copy) => {
				new TenantRepository(copy).putInsightRule(custom('r1'));
				new TenantRepository(copy).putInsightRule({ ...BUILT_IN_INSIGHT_RULES[0]!, enabled: false });
			});
			const rejected = validation.review(writer(role)).rejected.map((r) => [r.itemType, r.id, r.code]);
			expect(rejected).toHaveLength(2);
			expect(rejected).toEqual(
				expect.arrayContaining([
					['insightRule', BUILT_IN_INSIGHT_RULES[0]!.id, 'notPermitted'],
					['insightRule', 'r1', 'notPermitted']
				])
			);
			expect(new TenantRepository(doc).insightRuleRecords()).toEqual([{ ...BUILT_IN_INSIGHT_RULES[0]!, threshold: 4 }]);
		}
	});

	it('S96: a malformed rule is undone: bad threshold, empty or overlong name, unknown kind, an extra field, a wrong id', () => {
		const doc = new Y.Doc();
		new TenantRepository(doc).putInsightRule(custom('r-kept'));
		const validation = tenantValidator().open(doc);
		asClient(doc, (copy) => {
			rules(copy).set('r-kept', { ...custom('r-kept'), threshold: -5 });
			rules(copy).set('r-name', custom('r-name', { name: ' ' }));
			rules(copy).set('r-long', custom('r-long', { name: 'x'.repeat(81) }));
			rules(copy).set('r-kind', { ...custom('r-kind'), kind: 'cpuLoad' });
			rules(copy).set('r-extra', { ...custom('r-extra'), secret: 'x' });
			rules(copy).set('r-id', custom('other'));
			rules(copy).set('r-window', custom('r-window', { windowHours: 0 }));
		});
		const rejected = validation.review(writer('superAdmin')).rejected;
		expect(rejected.map((r) => r.id).sort()).toEqual(
			['r-extra', 'r-id', 'r-kept', 'r-kind', 'r-long', 'r-name', 'r-window'].sort()
		);
		expect(new TenantRepository(doc).insightRuleRecords()).toEqual([custom('r-kept')]);
		expect([...rules(doc).keys()]).toEqual(['r-kept']);
	});

	it("S96: a rule keeps its kind, and a built-in's override keeps the built-in's kind", () => {
		const doc = new Y.Doc();
		new TenantRepository(doc).putInsightRule(custom('r1'));
		const validation = tenantValidator().open(doc);
		const builtIn = BUILT_IN_INSIGHT_RULES[0]!;
		asClient(doc, (copy) => {
			rules(copy).set('r1', { ...custom('r1'), kind: 'noSuccess' });
			rules(copy).set(builtIn.id, { ...builtIn, kind: 'storageGrowth' });
		});
		expect(validation.review(writer('superAdmin')).rejected.map((r) => [r.id, r.code])).toEqual([
			['r1', 'kindChanged'],
			[builtIn.id, 'kindChanged']
		]);
		expect(new TenantRepository(doc).insightRuleRecords()).toEqual([custom('r1')]);
	});

	it('S96: at most 50 rules, built-ins counted: the repository refuses the 48th custom rule, the relay undoes it', () => {
		const doc = new Y.Doc();
		const repo = new TenantRepository(doc);
		const allowed = MAX_INSIGHT_RULES - BUILT_IN_INSIGHT_RULES.length;
		for (let i = 0; i < allowed; i++) repo.putInsightRule(custom(`r${i}`));
		expect(repo.insightRules()).toHaveLength(MAX_INSIGHT_RULES);
		expect(() => repo.putInsightRule(custom('one-more'))).toThrow(/at most 50/);
		// Overriding a built-in is not a new rule.
		repo.putInsightRule({ ...BUILT_IN_INSIGHT_RULES[1]!, enabled: false });
		const validation = tenantValidator().open(doc);
		asClient(doc, (copy) => rules(copy).set('one-more', custom('one-more')));
		expect(validation.review(writer('superAdmin')).rejected).toEqual([
			{ itemType: 'insightRule', id: 'one-more', code: 'tooManyRules' }
		]);
		expect(rules(doc).has('one-more')).toBe(false);
		// After a deletion there is room again.
		asClient(doc, (copy) => {
			rules(copy).delete('r0');
			rules(copy).set('one-more', custom('one-more'));
		});
		expect(validation.review(writer('superAdmin')).rejected).toEqual([]);
		expect(rules(doc).has('one-more')).toBe(true);
	});
});
