// P15: never twice for the same period, also across a restart in the middle of a send and with two server processes on
// one data directory; a mail server that refuses is retried within the period and then given up.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BILLING_CHECK_INTERVAL_MS } from '../../server/src/app';
import { BILLING_LEASE_MS, BILLING_RETRY_MS } from '../../server/src/billing/service';
import type { MailMessage, Mailer } from '../../server/src/mail/mailer';
import { createMailbox } from '../helpers/mailbox';
import { billingWorld, header, TENANT, type BillingWorld } from './billing-harness';

const worlds: BillingWorld[] = [];
afterEach(async () => {
	for (const world of worlds.splice(0)) await world.close();
});

const CUSTOMERS = [
	{ id: 'huber', name: 'Huber GmbH', email: 'it@huber.example', services: ['exchangeBackup'] },
	{ id: 'moser', name: 'Moser KG', email: 'office@moser.example', services: ['teamsBackup'] },
	{ id: 'gruber', name: 'Gruber AG', email: 'admin@gruber.example', services: ['serverBackup'] }
] as const;

async function world(): Promise<BillingWorld> {
	const made = await billingWorld({
		start: '2026-11-30T06:00:00Z',
		customers: CUSTOMERS,
		assignments: { huber: 'standard', moser: 'standard', gruber: 'standard' }
	});
	worlds.push(made);
	return made;
}

/** A mailer that takes the message and never answers: the process "dies" while it sends. */
function hangingMailer(taken: MailMessage[]): Mailer {
	return {
		send(message) {
			taken.push(message);
			return new Promise<void>(() => {});
		}
	};
}

describe('P15: exactly once per period', () => {
	it('P15, S112: a restart in the middle of a send does not send again blindly: after the lease, once more, with the same Message-ID', async () => {
		const w = await world();
		// The first process claims Huber's report, hands the mail over, and dies before it marks it sent.
		const taken: MailMessage[] = [];
		const dying = w.service({ store: w.openStore(), mailer: hangingMailer(taken) });
		void dying.run();
		await vi.waitFor(() => expect(taken).toHaveLength(1));
		const [claimed] = await w.store.listBillingSends(TENANT, { limit: 10 });
		expect(claimed).toMatchObject({ customerId: 'huber', status: 'claimed', attempts: 1 });

		// The restarted server runs at once: Huber's claim is still held, so it is left alone; the others go.
		const mailbox = createMailbox();
		const restarted = w.service({ store: w.openStore(), mailer: mailbox });
		expect(await restarted.run()).toEqual({ sent: 2, skipped: 0, failed: 0 });
		expect(mailbox.sent.map((m) => m.to).sort()).toEqual(['admin@gruber.example', 'office@moser.example']);
		w.clock.advance(BILLING_LEASE_MS - 1);
		expect(await restarted.run()).toEqual({ sent: 0, skipped: 0, failed: 0 });

		// Once the lease has passed, the claim is taken over and the report sent again, carrying the first attempt's
		// Message-ID: a mail program (or the customer) recognises the duplicate, if the first one did go out.
		w.clock.advance(1);
		expect(await restarted.run()).toEqual({ sent: 1, skipped: 0, failed: 0 });
		const again = mailbox.sent.find((m) => m.to === 'it@huber.example');
		expect(again?.messageId).toBe(taken[0]?.messageId);
		expect(again?.text).toBe(taken[0]?.text);
		const huber = (await w.store.listBillingSends(TENANT, { limit: 10 })).find((s) => s.customerId === 'huber');
		expect(huber).toMatchObject({ status: 'sent', attempts: 2 });
		const audit = await w.store.listAudit({ tenantId: TENANT, item: 'standard/huber/2026-11' });
		expect(audit[0]?.description).toContain('again after an interrupted send');

		// And never a third time.
		w.clock.advance(BILLING_LEASE_MS * 4);
		expect(await restarted.run()).toEqual({ sent: 0, skipped: 0, failed: 0 });
	});

	it('P15, S112: two server processes on one data directory do not both send', async () => {
		const w = await world();
		// Two servers, each with its own connection to the same SQLite file and the default mailer (DATA_DIR/outbox),
		// their schedulers firing at the same moment.
		const first = w.start({ store: w.openStore() });
		const second = w.start({ store: w.openStore() });
		expect(first).not.toBe(second);
		w.clock.advance(BILLING_CHECK_INTERVAL_MS);
		await vi.waitFor(async () => {
			const sends = await w.store.listBillingSends(TENANT, { limit: 10 });
			expect(sends.map((s) => s.status)).toEqual(['sent', 'sent', 'sent']);
		});
		// Both runs are over once their servers close (close waits for the runs in progress).
		await first.close();
		await second.close();
		const outbox = w.outbox();
		expect(outbox.map((eml) => header(eml, 'To')).sort()).toEqual([
			'admin@gruber.example',
			'it@huber.example',
			'office@moser.example'
		]);
		expect(new Set(outbox.map((eml) => header(eml, 'Message-ID'))).size).toBe(3);
		const audit = await w.store.listAudit({ tenantId: TENANT, itemType: 'billingReport' });
		expect(audit).toHaveLength(3);
	});

	it('P15, S113: a mail server that refuses is retried within the period, and given up after three attempts', async () => {
		const w = await world();
		const mailbox = createMailbox();
		mailbox.failing = true;
		const billing = w.service({ mailer: mailbox });
		expect(await billing.run()).toEqual({ sent: 0, skipped: 0, failed: 3 });
		expect(await billing.run()).toEqual({ sent: 0, skipped: 0, failed: 0 });
		w.clock.advance(BILLING_RETRY_MS);
		expect(await billing.run()).toEqual({ sent: 0, skipped: 0, failed: 3 });
		w.clock.advance(BILLING_RETRY_MS);
		expect(await billing.run()).toEqual({ sent: 0, skipped: 0, failed: 3 });
		const sends = await w.store.listBillingSends(TENANT, { limit: 10 });
		expect(sends.map((s) => `${s.status} ${s.reason} ${s.attempts}`)).toEqual([
			'failed gaveUp 3',
			'failed gaveUp 3',
			'failed gaveUp 3'
		]);
		mailbox.failing = false;
		w.clock.advance(BILLING_RETRY_MS);
		expect(await billing.run()).toEqual({ sent: 0, skipped: 0, failed: 0 });
		expect(mailbox.sent).toEqual([]);
	});

	it('P15, S113: a refusal followed by a working mail server sends the report once', async () => {
		const w = await world();
		const mailbox = createMailbox();
		mailbox.failing = true;
		const billing = w.service({ mailer: mailbox });
		await billing.run();
		mailbox.failing = false;
		w.clock.advance(BILLING_RETRY_MS);
		expect(await billing.run()).toEqual({ sent: 3, skipped: 0, failed: 0 });
		expect(await billing.run()).toEqual({ sent: 0, skipped: 0, failed: 0 });
		expect(mailbox.sent).toHaveLength(3);
	});
});
