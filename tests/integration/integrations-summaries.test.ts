// P1, P2, P4, P5: the customers' summaries the server keeps in the tenant document (after each ingest, and after people
// change a customer document), S21 for the server-only records, and P4's 90-day window folded by the daily task.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { JOB_WINDOW_FOLD_INTERVAL_MS, SUMMARY_REFRESH_INTERVAL_MS } from '../../server/src/app';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { CUSTOMER_ROOTS } from '../../src/lib/data/customer-doc';
import { readJobDays, readJobs } from '../../src/lib/data/customer-feed';
import { toEpochMinutes, type CustomerSummary } from '../../src/lib/schema/customer-summary';
import { openSynced, sendEdit } from '../helpers/portal-clients';
import { job, request, startIntegrations, TENANT, type IntegrationsHarness } from './integrations-harness';

let h: IntegrationsHarness;
beforeEach(async () => {
	h = await startIntegrations();
});
afterEach(async () => {
	await h.close();
});

const summaryOf = (customerId: string): Promise<CustomerSummary | null> =>
	h.portal.server.relay.withDoc(`tenant:${TENANT}`, (doc) => new TenantRepository(doc).summary(customerId));

/** Lets the scheduler's summary task run once (fake clock) and waits for it to end. */
async function nextRefresh(): Promise<void> {
	h.clock.advance(SUMMARY_REFRESH_INTERVAL_MS);
	await h.portal.server.integrations.idle();
}

describe('summaries', () => {
	it('P2: an ingest writes the figures: failed jobs, open requests, storage used, registered accounts', async () => {
		await h.post('/api/v1/jobs', {
			items: [
				job('old-mail', 'c1', { endedAt: '2025-05-01T00:00:00Z', bytes: 500 }),
				job('new-mail', 'c1', { endedAt: '2025-06-01T10:30:00Z', bytes: 800 }),
				job('files', 'c1', { module: 'Files', bytes: 300 }),
				job('f1', 'c1', { status: 'failed', endedAt: '2025-05-31T08:00:00Z' }),
				job('f2', 'c1', { status: 'failed', endedAt: '2025-06-01T11:00:00Z' }),
				job('w1', 'c1', { status: 'warning', bytes: 9999 }),
				job('too-old', 'c1', { status: 'failed', endedAt: '2025-02-01T00:00:00Z' })
			]
		});
		await h.post('/api/v1/service-requests', {
			items: [
				request('r1', 'c1', { submittedAt: '2025-05-20T00:00:00Z' }),
				request('r2', 'c1', { status: 'closed' }),
				request('r3', 'c1', { submittedAt: '2025-06-01T11:30:00Z', status: 'waiting' })
			]
		});
		const summary = await summaryOf('c1');
		expect(summary).toMatchObject({
			updatedAt: h.clock.now().toISOString(),
			failedJobEnds: [toEpochMinutes('2025-06-01T11:00:00Z'), toEpochMinutes('2025-05-31T08:00:00Z')],
			requestSubmissions: [
				toEpochMinutes('2025-06-01T11:30:00Z'),
				toEpochMinutes('2025-06-01T09:00:00Z'),
				toEpochMinutes('2025-05-20T00:00:00Z')
			],
			openRequests: 2,
			// Mailboxes: the newest successful job's 800; Files: 300; warnings and older jobs do not count.
			storageBytes: 1100,
			accounts: ['ada@one.example']
		});
		expect(summary?.failedJobs.map((j) => j.jobId)).toEqual(['f2', 'f1']);
		expect(summary?.requests.map((r) => [r.requestId, r.status])).toEqual([
			['r3', 'waiting'],
			['r1', 'open']
		]);
		expect(await summaryOf('c2')).toBeNull();
	});

	it("P1: people's change of a customer document is in its summary after the next refresh", async () => {
		await h.post('/api/v1/jobs', { items: [job('j1', 'c1')] });
		const cookie = await h.ownerCookie();
		const { client, doc } = await openSynced(h.portal.base, 'customer:c1', cookie);
		await sendEdit(client, doc, (d) => {
			const contact = new Y.Map<unknown>();
			d.getMap(CUSTOMER_ROOTS.contacts).set('k1', contact);
			contact.set('name', 'Bea Backup');
			contact.set('role', 'IT');
			contact.set('email', 'bea@one.example');
			contact.set('phone', '');
		});
		expect((await summaryOf('c1'))?.accounts).toEqual(['ada@one.example']);
		await nextRefresh();
		expect((await summaryOf('c1'))?.accounts).toEqual(['ada@one.example', 'bea@one.example']);
		client.socket.close();
	});

	it('P1: the summary of a customer removed from the tree goes at the next refresh', async () => {
		await h.post('/api/v1/jobs', { items: [job('j1', 'c2')] });
		expect(await summaryOf('c2')).not.toBeNull();
		const { client, doc } = await openSynced(h.portal.base, `tenant:${TENANT}`, await h.ownerCookie());
		await sendEdit(client, doc, (d) => d.getMap('nodes').delete('c2'));
		await nextRefresh();
		expect(await summaryOf('c2')).toBeNull();
		client.socket.close();
	});

	it("S21: a client's write of a summary or a job is undone end to end", async () => {
		await h.post('/api/v1/jobs', { items: [job('j1', 'c1', { status: 'failed' })] });
		const real = await summaryOf('c1');
		const cookie = await h.ownerCookie();
		const tenant = await openSynced(h.portal.base, `tenant:${TENANT}`, cookie);
		await sendEdit(tenant.client, tenant.doc, (d) => {
			d.getMap('customerSummaries').set('c1', { ...real, failedJobEnds: [], failedJobs: [] });
			d.getMap('customerSummaries').set('c2', { ...real });
		});
		expect(await summaryOf('c1')).toEqual(real);
		expect(await summaryOf('c2')).toBeNull();
		const customer = await openSynced(h.portal.base, 'customer:c1', cookie);
		await sendEdit(customer.client, customer.doc, (d) =>
			d.getMap(CUSTOMER_ROOTS.jobs).set('forged', { ...job('forged', 'c1'), customerId: undefined })
		);
		expect((await h.customerDoc('c1')).getMap(CUSTOMER_ROOTS.jobs).has('forged')).toBe(false);
		tenant.client.socket.close();
		customer.client.socket.close();
	});
});

describe('the 90-day window', () => {
	it('P4: the daily task folds jobs older than 90 days into days and keeps the newer ones', async () => {
		await h.post('/api/v1/jobs', {
			items: [
				job('a', 'c1', { endedAt: '2025-03-01T01:00:00Z', bytes: 10 }),
				job('b', 'c1', { endedAt: '2025-03-01T23:00:00Z', status: 'failed', bytes: undefined }),
				job('c', 'c1', { endedAt: '2025-03-02T12:00:00Z', status: 'warning', bytes: 5 }),
				job('d', 'c1', { endedAt: '2025-05-31T12:00:00Z' }),
				job('e', 'c2', { endedAt: '2025-06-01T11:00:00Z' })
			]
		});
		// 2025-06-01 + 1 day: the window starts 2025-03-04T12:00Z; nothing is that old yet on c2.
		h.clock.advance(JOB_WINDOW_FOLD_INTERVAL_MS);
		await h.portal.server.integrations.idle();
		const c1 = await h.customerDoc('c1');
		expect(readJobs(c1).map((j) => j.jobId)).toEqual(['d']);
		expect(readJobDays(c1)).toEqual([
			{ day: '2025-03-01', succeeded: 1, failed: 1, warning: 0, bytes: 10 },
			{ day: '2025-03-02', succeeded: 0, failed: 0, warning: 1, bytes: 5 }
		]);
		expect(readJobs(await h.customerDoc('c2')).map((j) => j.jobId)).toEqual(['e']);
		// A late second delivery of a folded job is still a duplicate: it does not come back.
		const again = await h.post('/api/v1/jobs', { items: [job('a', 'c1', { endedAt: '2025-03-01T01:00:00Z' })] });
		expect(JSON.parse(again.body)).toMatchObject({ accepted: 0, duplicates: 1 });
		// 90 days later, 'd' and 'e' go too, into the days they ended (the scheduler's next run may or may not have come
		// within one advance of the fake clock; a run of its own changes nothing a second time).
		h.clock.advance(90 * JOB_WINDOW_FOLD_INTERVAL_MS);
		await h.portal.server.integrations.idle();
		await h.portal.server.integrations.foldWindow();
		const later = await h.customerDoc('c1');
		expect(readJobs(later)).toEqual([]);
		expect(readJobDays(later).map((d) => d.day)).toEqual(['2025-03-01', '2025-03-02', '2025-05-31']);
		expect(readJobDays(await h.customerDoc('c2'))).toEqual([
			{ day: '2025-06-01', succeeded: 1, failed: 0, warning: 0, bytes: 1000 }
		]);
		expect(await h.store.customersWithJobsBefore(h.clock.now().toISOString())).toEqual([]);
		expect(await h.portal.server.integrations.foldWindow()).toBe(0);
	});
});
