// P15: the server sends billing reports on the tenant's day through the one Mailer (the outbox by default), once per
// profile, customer and period, and shows what it sent, to whom, and what it skipped and why.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PortalServer } from '../../server/src/app';
import { BILLING_CHECK_INTERVAL_MS } from '../../server/src/app';
import { billingSendsResponseSchema, type BillingSend } from '../../src/lib/schema/billing';
import { createSignedIn } from '../helpers/portal-clients';
import { billingWorld, body, header, STANDARD, TENANT, type BillingWorld } from './billing-harness';

const worlds: BillingWorld[] = [];
afterEach(async () => {
	for (const world of worlds.splice(0)) await world.close();
});

const CUSTOMERS = [
	{
		id: 'huber',
		name: 'Huber GmbH',
		email: 'it@huber.example',
		services: ['teamsBackup', 'exchangeBackup', 'endpointProtection']
	},
	{ id: 'moser', name: 'Moser KG', services: ['exchangeBackup'] },
	{ id: 'gruber', name: 'Gruber AG', email: 'admin@gruber.example', services: ['oneDriveBackup'] },
	{ id: 'kofler', name: 'Kofler OG', email: 'it@kofler.example', services: ['exchangeBackup'], unlinked: true },
	{ id: 'wagner', name: 'Wagner e.U.', email: 'it@wagner.example', services: ['exchangeBackup'] }
] as const;

async function world(options: Partial<Parameters<typeof billingWorld>[0]> & { start: string }): Promise<BillingWorld> {
	const made = await billingWorld({
		customers: CUSTOMERS,
		assignments: { huber: 'standard', moser: 'standard', gruber: 'standard', kofler: 'standard' },
		...options
	});
	worlds.push(made);
	return made;
}

async function sendsOf(server: PortalServer, world: BillingWorld, cookie: string): Promise<BillingSend[]> {
	const url = await world.url(server);
	const response = await fetch(`${url}/api/billing/sends`, { headers: { cookie } });
	expect(response.status).toBe(200);
	return billingSendsResponseSchema.parse(await response.json()).sends;
}

const brief = (sends: readonly BillingSend[]) =>
	sends
		.map((s) => `${s.customerId} ${s.period} ${s.status}${s.reason ? ` ${s.reason}` : ''}`)
		.sort((a, b) => a.localeCompare(b));

describe('P15: billing reports', () => {
	it('P15, S111, S113: the scheduler sends each assigned customer its report once per period, into the outbox with the right lines', async () => {
		// 30 November, 07:00 in Berlin: monthly on day 31 is due on November's last day, the 30th.
		const w = await world({ start: '2026-11-30T06:00:00Z' });
		const server = w.start();
		w.clock.advance(BILLING_CHECK_INTERVAL_MS);
		await vi.waitFor(async () => {
			const done = await w.store.listBillingSends(TENANT, { limit: 10 });
			expect(done.filter((send) => send.status !== 'claimed')).toHaveLength(3);
		});
		const outbox = w.outbox();
		expect(outbox).toHaveLength(1);
		const mail = outbox[0]!;
		expect(header(mail, 'To')).toBe('it@huber.example');
		expect(header(mail, 'Message-ID')).toMatch(/^<billing-[0-9a-f]{32}@msp-portal\.invalid>$/);
		// German (the profile's language), amounts through Intl in German, in euros; endpoint protection has no price.
		const text = body(mail);
		expect(text).toContain('anbei erhalten Sie den Abrechnungsbericht für Huber GmbH für November 2026');
		const lines = text.split('\n').filter((line) => line.startsWith('  '));
		expect(lines).toEqual([
			'  Exchange-Backup: 1 × 12,50\u00a0€ = 12,50\u00a0€',
			'  Teams-Backup: 1 × 3,99\u00a0€ = 3,99\u00a0€'
		]);
		expect(text).toContain('Zwischensumme: 16,49\u00a0€');
		// 10 % of 16.49 is 1.649: 1.65 (half up), total 14.84.
		expect(text).toContain('Rabatt (10 %): −1,65\u00a0€');
		expect(text).toContain('Gesamtbetrag: 14,84\u00a0€');

		// The history: sent to whom, and the skipped ones visibly with why; unlinked and unassigned customers not at all.
		const cookie = await createSignedIn(await w.url(server), w.store, {
			tenantId: TENANT,
			email: 'owner@alpen.example',
			role: 'superAdmin'
		});
		const sends = await sendsOf(server, w, cookie);
		expect(brief(sends)).toEqual([
			'gruber 2026-11 skipped noServices',
			'huber 2026-11 sent',
			'moser 2026-11 skipped noEmail'
		]);
		expect(sends.find((s) => s.customerId === 'huber')).toMatchObject({
			recipient: 'it@huber.example',
			sentAt: '2026-11-30T06:01:00.000Z',
			currency: 'EUR',
			totalMinor: 1484,
			customerName: 'Huber GmbH'
		});
		// Every send is audited (ids and the period, no address).
		const audit = await w.store.listAudit({ tenantId: TENANT, itemType: 'billingReport' });
		expect(audit.map((entry) => `${entry.item} ${entry.action}`).sort()).toEqual([
			'standard/gruber/2026-11 skipped',
			'standard/huber/2026-11 sent',
			'standard/moser/2026-11 skipped'
		]);
		expect(JSON.stringify(audit)).not.toContain('@');

		// Never twice for the same period: the next runs send nothing. (From here the run is called by the test, with no
		// server and so no scheduler running beside it.)
		await server.close();
		const billing = w.service();
		expect(await billing.run()).toEqual({ sent: 0, skipped: 0, failed: 0 });
		w.clock.advance(6 * 60 * 60 * 1000);
		expect(await billing.run()).toEqual({ sent: 0, skipped: 0, failed: 0 });
		expect(w.outbox()).toHaveLength(1);

		// A skipped customer that gets an email later in the period gets its report then.
		await w.changeTenant((repo) =>
			repo.updateProfile('moser', { contact: { name: '', email: 'office@moser.example', phone: '' } })
		);
		expect(await billing.run()).toEqual({ sent: 1, skipped: 0, failed: 0 });
		expect(header(w.outbox()[1]!, 'To')).toBe('office@moser.example');

		// December: nothing on the 1st (day 31 is the 31st there); on the 31st the next period goes out.
		w.clock.advance(24 * 60 * 60 * 1000);
		expect(await billing.run()).toEqual({ sent: 0, skipped: 0, failed: 0 });
		w.clock.advance(30 * 24 * 60 * 60 * 1000);
		expect(await billing.run()).toEqual({ sent: 2, skipped: 1, failed: 0 });
		const december = await w.store.listBillingSends(TENANT, { limit: 10 });
		expect(
			december
				.filter((s) => s.period === '2026-12')
				.map((s) => `${s.customerId} ${s.status}`)
				.sort()
		).toEqual(['gruber skipped', 'huber sent', 'moser sent']);
	});

	it('P15, S111: a missed run catches up within the period, never for a period that has ended', async () => {
		// The server was down from 29 November to 2 December: November's report (day 31 -> the 30th) is not sent late
		// into December, and a profile on day 1 sends December's on the 2nd.
		const early = { ...STANDARD, id: 'early', name: 'Early', frequency: { kind: 'monthly' as const, day: 1 } };
		const w = await world({
			start: '2026-12-02T09:00:00Z',
			profiles: [STANDARD, early],
			assignments: { huber: 'standard', wagner: 'early' }
		});
		expect(await w.service().run()).toEqual({ sent: 1, skipped: 0, failed: 0 });
		const sends = await w.store.listBillingSends(TENANT, { limit: 10 });
		expect(sends.map((s) => `${s.customerId} ${s.period} ${s.status}`)).toEqual(['wagner 2026-12 sent']);
	});

	it("P15, S111: yearly on 29 February goes on 28 February in a non-leap year, on the tenant's day near midnight", async () => {
		const leapDay = {
			...STANDARD,
			id: 'leap',
			name: 'Leap',
			frequency: { kind: 'yearly' as const, month: 2, day: 29 }
		};
		// 27 February 2027, 23:59 in Berlin (22:59 UTC): not yet.
		const w = await world({ start: '2027-02-27T22:59:00Z', profiles: [leapDay], assignments: { huber: 'leap' } });
		const billing = w.service();
		expect(await billing.run()).toEqual({ sent: 0, skipped: 0, failed: 0 });
		// One minute later it is 28 February in Berlin (still the 27th in UTC): 2027 has no 29 February, so it goes now.
		w.clock.advance(60_000);
		expect(await billing.run()).toEqual({ sent: 1, skipped: 0, failed: 0 });
		const [send] = await w.store.listBillingSends(TENANT, { limit: 10 });
		expect(send).toMatchObject({ period: '2027', status: 'sent', sentAt: '2027-02-27T23:00:00.000Z' });
		expect(body(w.outbox()[0]!)).toContain('für 2027');
	});

	it('P15, S114: the history is tenant-scoped and needs billing.edit or audit.read on the whole tenant', async () => {
		const w = await world({ start: '2026-11-30T06:00:00Z' });
		const server = w.start();
		await server.billing.run();
		const url = await w.url(server);
		await w.store.createTenant({ id: 'other', name: 'Other', createdAt: w.clock.now().toISOString() });
		const as = async (email: string, role: 'businessAdmin' | 'readOnly' | 'helpDesk', tenantId = TENANT) => {
			const cookie = await createSignedIn(url, w.store, { tenantId, email, role });
			return fetch(`${url}/api/billing/sends?profileId=standard`, { headers: { cookie } });
		};
		const business = await as('billing@alpen.example', 'businessAdmin');
		expect(business.status).toBe(200);
		expect(billingSendsResponseSchema.parse(await business.json()).sends).toHaveLength(3);
		expect((await as('reader@alpen.example', 'readOnly')).status).toBe(403);
		expect((await as('desk@alpen.example', 'helpDesk')).status).toBe(403);
		const stranger = await as('billing@other.example', 'businessAdmin', 'other');
		expect(billingSendsResponseSchema.parse(await stranger.json()).sends).toEqual([]);
		expect((await fetch(`${url}/api/billing/sends`)).status).toBe(401);
		const cookie = await createSignedIn(url, w.store, {
			tenantId: TENANT,
			email: 'o@alpen.example',
			role: 'superAdmin'
		});
		expect((await fetch(`${url}/api/billing/sends?limit=0`, { headers: { cookie } })).status).toBe(400);
	});
});
