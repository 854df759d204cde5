// P15: the scheduler's billing run. For every tenant, every customer assigned to a billing profile whose report is due on
// the tenant's day (its time zone) gets one report per period: the key (profile, customer, period) is claimed in the store
// BEFORE the mail goes and marked after. A claim whose process died (claimed, never marked) is taken over once its lease
// has passed: that mail may go twice, but both carry the same Message-ID, so the duplicate is recognisable; never more
// than MAX_ATTEMPTS times. Two servers on one data directory never both send: the unique claim decides.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import { billingAmounts, duePeriod, type BillingAmounts } from '../../../src/lib/domain/billing';
import { dayIn } from '../../../src/lib/domain/license-state';
import type { BillingProfile } from '../../../src/lib/schema/billing';
import { tenantDocName } from '../../../src/lib/schema/ids';
import type { Audit } from '../audit/audit';
import type { Clock } from '../clock';
import { MailError, type Mailer } from '../mail/mailer';
import type { Relay } from '../relay/types';
import type { BillingSendKey, BillingSendRecord, Store } from '../store/types';
import { billingMail } from './mail';

/** How long a claim is held before another run may take it over (a send takes seconds; a crash leaves it claimed). */
export const BILLING_LEASE_MS = 15 * 60 * 1000;
/** A mail server that refused is asked again after this long, within the same period. */
export const BILLING_RETRY_MS = 60 * 60 * 1000;
/** Claims per key, the first one included: then the send is recorded as failed for good (`gaveUp`). */
export const BILLING_MAX_ATTEMPTS = 3;

export interface BillingDeps {
	readonly store: Store;
	readonly docs: Pick<Relay, 'withDoc'>;
	readonly clock: Clock;
	readonly log: Logger;
	readonly audit: Audit;
	readonly mailer: Mailer;
	/** The host part of Message-IDs (PUBLIC_URL's host name, or a name that is never a real host). */
	readonly messageIdHost: string;
}

export interface BillingRunResult {
	sent: number;
	skipped: number;
	failed: number;
}

/** What the run needs of one assigned customer, read from the tenant document in one look. */
interface DueReport {
	readonly profile: BillingProfile;
	readonly customerId: string;
	readonly customerName: string;
	readonly recipient: string | null;
	readonly period: string;
	readonly amounts: BillingAmounts;
}

export interface BillingService {
	/** One run over every tenant; answers what it did. Never throws for one tenant's trouble (logged, next tenant). */
	run(): Promise<BillingRunResult>;
}

/** The same id for every attempt of one report: `<billing-<hash>@host>`. */
export function billingMessageId(key: BillingSendKey, host: string): string {
	const hash = createHash('sha256')
		.update(JSON.stringify([key.tenantId, key.profileId, key.customerId, key.period]))
		.digest('hex')
		.slice(0, 32);
	return `<billing-${hash}@${host}>`;
}

/** Whether a stored row may still need this run (the same conditions as the store's claim, read without a write). */
function mayClaim(row: BillingSendRecord, report: DueReport, now: string): boolean {
	if (row.status === 'sent') return false;
	if (row.status === 'skipped') return report.recipient !== null && report.amounts.lines.length > 0;
	return row.leaseUntil !== null && row.leaseUntil <= now && row.attempts < BILLING_MAX_ATTEMPTS;
}

export function createBillingService(deps: BillingDeps): BillingService {
	const { store, docs, clock, log, audit, mailer } = deps;

	/** The reports due today in the tenant's time zone (unlinked customers are not billed, C7). */
	async function dueReports(tenantId: string): Promise<{ tenantName: string; due: DueReport[] }> {
		const { timeZone } = await store.getTenantSettings(tenantId);
		const today = dayIn(clock.now(), timeZone);
		return docs.withDoc(tenantDocName(tenantId), (doc) => {
			const repo = new TenantRepository(doc);
			const due: DueReport[] = [];
			for (const [customerId, profileId] of repo.billingAssignments()) {
				const profile = repo.billingProfile(profileId);
				const node = repo.node(customerId);
				if (!profile || !node || node.status === 'unlinked') continue;
				const period = duePeriod(profile.frequency, today);
				if (!period) continue;
				const email = node.contact?.email.trim() ?? '';
				due.push({
					profile,
					customerId,
					customerName: node.name,
					recipient: email === '' ? null : email,
					period: period.key,
					amounts: billingAmounts(profile, repo.summary(customerId)?.services ?? [])
				});
			}
			return { tenantName: repo.tenantName ?? '', due };
		});
	}

	async function sendOne(tenantId: string, tenantName: string, report: DueReport, result: BillingRunResult) {
		const key: BillingSendKey = {
			tenantId,
			profileId: report.profile.id,
			customerId: report.customerId,
			period: report.period
		};
		const deliverable = report.recipient !== null && report.amounts.lines.length > 0;
		const now = clock.now();
		const claim = await store.claimBillingSend({
			...key,
			customerName: report.customerName,
			messageId: billingMessageId(key, deps.messageIdHost),
			at: now.toISOString(),
			leaseUntil: new Date(now.getTime() + BILLING_LEASE_MS).toISOString(),
			maxAttempts: BILLING_MAX_ATTEMPTS,
			retrySkipped: deliverable
		});
		if (!claim) return;
		const { attempts, messageId } = claim.record;
		const item = `${key.profileId}/${key.customerId}/${key.period}`;
		const base = {
			recipient: report.recipient,
			currency: report.profile.currency,
			totalMinor: report.amounts.totalMinor
		};
		const record = async (
			status: 'sent' | 'skipped' | 'failed',
			reason: string | null,
			leaseUntil: string | null,
			description: string
		) => {
			const at = clock.now().toISOString();
			await store.finishBillingSend(key, attempts, { ...base, status, reason, at, leaseUntil });
			await audit({ tenantId, userId: null, ip: null, itemType: 'billingReport', item, action: status, description });
			result[status] += 1;
		};
		if (report.recipient === null)
			return record('skipped', 'noEmail', null, `period ${key.period}: no admin contact email`);
		if (report.amounts.lines.length === 0)
			return record('skipped', 'noServices', null, `period ${key.period}: no active service with a price`);
		const mail = billingMail({
			locale: report.profile.locale,
			tenantName,
			customerName: report.customerName,
			profileName: report.profile.name,
			period: key.period,
			currency: report.profile.currency,
			amounts: report.amounts
		});
		const retried = claim.previous === 'claimed' ? ', again after an interrupted send (same Message-ID)' : '';
		try {
			await mailer.send({ to: report.recipient, subject: mail.subject, text: mail.text, messageId });
		} catch (error) {
			const kind = error instanceof MailError ? error.kind : error instanceof Error ? error.name : typeof error;
			log.warn(
				{ tenantId, profileId: key.profileId, customerId: key.customerId, kind },
				'a billing report mail failed'
			);
			const last = attempts >= BILLING_MAX_ATTEMPTS;
			const retryAt = new Date(clock.now().getTime() + BILLING_RETRY_MS).toISOString();
			return record(
				'failed',
				last ? 'gaveUp' : 'mailFailed',
				last ? null : retryAt,
				`period ${key.period}: the mail could not be sent (attempt ${attempts})`
			);
		}
		await record(
			'sent',
			null,
			null,
			`period ${key.period}, total ${report.amounts.totalMinor} minor units ${report.profile.currency}${retried}`
		);
	}

	return {
		async run() {
			const result: BillingRunResult = { sent: 0, skipped: 0, failed: 0 };
			for (const tenant of await store.listTenants()) {
				try {
					const { tenantName, due } = await dueReports(tenant.id);
					if (due.length === 0) continue;
					// One read of the period's rows: keys that are done are not claimed again every minute (the claim
					// itself still decides for those that may need a mail).
					const rows = await store.billingSendsOfPeriods(tenant.id, [...new Set(due.map((report) => report.period))]);
					const known = new Map(rows.map((row) => [`${row.profileId}/${row.customerId}/${row.period}`, row]));
					const now = clock.now().toISOString();
					for (const report of due) {
						const row = known.get(`${report.profile.id}/${report.customerId}/${report.period}`);
						if (row && !mayClaim(row, report, now)) continue;
						await sendOne(tenant.id, tenantName || tenant.name, report, result);
					}
				} catch (error) {
					log.error(
						{ tenantId: tenant.id, err: { type: error instanceof Error ? error.name : typeof error } },
						'billing run failed'
					);
				}
			}
			return result;
		}
	};
}
