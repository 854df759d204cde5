// P11 (docs/sync.md S95-S99): the server evaluates the insight rules when jobs arrive, once an hour on the injected clock
// (a rule fires by time passing) and after people change a rule; the findings ride in the customers' summaries.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INSIGHTS_INTERVAL_MS, SUMMARY_REFRESH_INTERVAL_MS } from '../../server/src/app';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { CustomerRepository } from '../../src/lib/data/customer-repository';
import { BUILT_IN_INSIGHT_RULES } from '../../src/lib/schema/insights';
import type { CustomerSummary } from '../../src/lib/schema/customer-summary';
import { createSignedIn, openSynced, sendEdit } from '../helpers/portal-clients';
import { job, startIntegrations, TENANT, type IntegrationsHarness } from './integrations-harness';

const HOUR = 60 * 60 * 1000;
const [FAILED, NO_SUCCESS] = BUILT_IN_INSIGHT_RULES;

let h: IntegrationsHarness;
beforeEach(async () => {
	h = await startIntegrations();
});
afterEach(async () => {
	await h.close();
});

const summaryOf = (customerId: string): Promise<CustomerSummary | null> =>
	h.portal.server.relay.withDoc(`tenant:${TENANT}`, (doc) => new TenantRepository(doc).summary(customerId));

/**
 * Moves the fake clock and waits for the scheduled runs it started. The scheduler plans a task's next run once the
 * previous one ended: `setImmediate` lets those promise callbacks run before the test moves the clock again.
 */
async function advance(ms: number): Promise<void> {
	h.clock.advance(ms);
	await h.portal.server.integrations.idle();
	await new Promise((resolve) => setImmediate(resolve));
}

async function addService(customerId: string): Promise<void> {
	await h.portal.server.relay.change(`${TENANT}/customer:${customerId}`, (doc) => {
		new CustomerRepository(doc, { now: () => h.clock.now() }).addService('exchangeBackup');
	});
}

describe('P11: insight findings on the server', () => {
	it('P11: jobs ingested through the integrations API make a finding appear in the summary of the tenant document', async () => {
		const now = h.clock.now();
		const at = (hoursAgo: number): string => new Date(now.getTime() - hoursAgo * HOUR).toISOString();
		await h.post('/api/v1/jobs', {
			items: [
				job('f1', 'c1', { status: 'failed', endedAt: at(1) }),
				job('f2', 'c1', { status: 'failed', endedAt: at(2) })
			]
		});
		expect((await summaryOf('c1'))?.insights).toEqual([]);
		await h.post('/api/v1/jobs', { items: [job('f3', 'c1', { status: 'failed', endedAt: at(3) })] });
		expect((await summaryOf('c1'))?.insights).toEqual([
			{ ruleId: FAILED!.id, kind: 'failedJobs', since: now.toISOString(), value: 3, threshold: 2 }
		]);
		// A device holding the tenant document reads the same finding offline.
		const tenant = await h.replica('tenant');
		expect(new TenantRepository(tenant.doc).summary('c1')?.insights.map((f) => f.ruleId)).toEqual([FAILED!.id]);
		expect((await summaryOf('c2'))?.insights ?? []).toEqual([]);
	});

	it('P11: the hourly run makes "no successful job for 3 days" fire by time passing, keeps its since, and the failures age out', async () => {
		await addService('c1');
		const start = h.clock.now();
		await h.post('/api/v1/jobs', {
			items: [
				job('ok', 'c1', { endedAt: start.toISOString() }),
				...['f1', 'f2', 'f3'].map((id) => job(id, 'c1', { status: 'failed', endedAt: start.toISOString() }))
			]
		});
		expect((await summaryOf('c1'))?.insights.map((f) => f.ruleId)).toEqual([FAILED!.id]);

		// 71 hours on: the failures are out of their 24 hours, the success is not 3 days old yet.
		await advance(71 * HOUR);
		expect((await summaryOf('c1'))?.insights).toEqual([]);

		// Past 72 hours, no new job arrived: the next hourly run finds it.
		await advance(2 * HOUR);
		const firedAt = h.clock.now().toISOString();
		expect((await summaryOf('c1'))?.insights).toEqual([
			{ ruleId: NO_SUCCESS!.id, kind: 'noSuccess', since: firedAt, value: 73, threshold: 72 }
		]);

		await advance(INSIGHTS_INTERVAL_MS);
		expect((await summaryOf('c1'))?.insights).toEqual([
			{ ruleId: NO_SUCCESS!.id, kind: 'noSuccess', since: firedAt, value: 74, threshold: 72 }
		]);

		// A success arrives: the finding goes with the ingest.
		await h.post('/api/v1/jobs', { items: [job('ok-2', 'c1', { endedAt: h.clock.now().toISOString() })] });
		expect((await summaryOf('c1'))?.insights).toEqual([]);
	});

	it('P11: a customer without services, storage or findings is left alone by the hourly run', async () => {
		await h.post('/api/v1/jobs', { items: [job('w', 'c2', { status: 'warning', bytes: undefined })] });
		const before = await summaryOf('c2');
		await advance(INSIGHTS_INTERVAL_MS);
		expect(await summaryOf('c2')).toEqual(before);
	});

	it("P11: a person's rule change re-evaluates the tenant's customers at the next refresh", async () => {
		const now = h.clock.now().toISOString();
		await h.post('/api/v1/jobs', {
			items: ['f1', 'f2', 'f3'].map((id) => job(id, 'c1', { status: 'failed', endedAt: now }))
		});
		expect((await summaryOf('c1'))?.insights).toHaveLength(1);
		const { client, doc } = await openSynced(h.portal.base, `tenant:${TENANT}`, await h.ownerCookie());
		await sendEdit(client, doc, (d) => new TenantRepository(d).putInsightRule({ ...FAILED!, threshold: 3 }));
		await advance(SUMMARY_REFRESH_INTERVAL_MS);
		expect((await summaryOf('c1'))?.insights).toEqual([]);

		// A custom rule: any failure within 2 hours.
		await sendEdit(client, doc, (d) =>
			new TenantRepository(d, { newId: () => 'r-any' }).putInsightRule({
				kind: 'failedJobs',
				name: 'Any failure',
				threshold: 0,
				windowHours: 2,
				enabled: true
			})
		);
		await advance(SUMMARY_REFRESH_INTERVAL_MS);
		expect((await summaryOf('c1'))?.insights).toMatchObject([{ ruleId: 'r-any', value: 3, threshold: 0 }]);

		// Reset of the built-in (its record deleted): it fires again with its default threshold.
		await sendEdit(client, doc, (d) => new TenantRepository(d).deleteInsightRule(FAILED!.id));
		await advance(SUMMARY_REFRESH_INTERVAL_MS);
		expect((await summaryOf('c1'))?.insights.map((f) => f.ruleId)).toEqual([FAILED!.id, 'r-any']);
		client.socket.close();
	});

	it('S96: the relay undoes a malformed rule end to end; a valid one stays', async () => {
		const { client, doc } = await openSynced(h.portal.base, `tenant:${TENANT}`, await h.ownerCookie());
		await sendEdit(client, doc, (d) => {
			d.getMap('insightRules').set('r-bad', {
				id: 'r-bad',
				kind: 'failedJobs',
				name: '',
				threshold: -1,
				windowHours: 24,
				enabled: true
			});
			d.getMap('insightRules').set('r-ok', {
				id: 'r-ok',
				kind: 'noSuccess',
				name: 'No success for a day',
				threshold: 0,
				windowHours: 24,
				enabled: true
			});
		});
		const records = await h.portal.server.relay.withDoc(`tenant:${TENANT}`, (d) =>
			new TenantRepository(d).insightRuleRecords().map((rule) => rule.id)
		);
		expect(records).toEqual(['r-ok']);
		client.socket.close();
	});

	it('S96: a Help Desk person (no settings.edit) writing a rule over the relay has it undone; the findings stay', async () => {
		const now = h.clock.now().toISOString();
		await h.post('/api/v1/jobs', {
			items: ['f1', 'f2', 'f3'].map((id) => job(id, 'c1', { status: 'failed', endedAt: now }))
		});
		const cookie = await createSignedIn(h.portal.base, h.store, {
			tenantId: TENANT,
			email: 'desk@acme.example',
			role: 'helpDesk',
			now: h.clock.now()
		});
		const { client, doc } = await openSynced(h.portal.base, `tenant:${TENANT}`, cookie);
		await sendEdit(client, doc, (d) => d.getMap('insightRules').set(FAILED!.id, { ...FAILED!, enabled: false }));
		await advance(SUMMARY_REFRESH_INTERVAL_MS);
		const records = await h.portal.server.relay.withDoc(`tenant:${TENANT}`, (d) =>
			new TenantRepository(d).insightRuleRecords()
		);
		expect(records).toEqual([]);
		expect((await summaryOf('c1'))?.insights.map((f) => f.ruleId)).toEqual([FAILED!.id]);
		client.socket.close();
	});
});
