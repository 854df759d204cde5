// P15: GET /api/billing/sends: which billing reports went out, when and to whom (or why not), newest first, optionally of
// one profile. Tenant-scoped; needs billing.edit or audit.read on the whole tenant.
import { hasTenantPermission } from '../../../src/lib/domain/access';
import {
	billingSendReasonSchema,
	billingSendsQuerySchema,
	type BillingSend,
	type BillingSendsResponse
} from '../../../src/lib/schema/billing';
import type { Auth } from '../auth/auth';
import type { Clock } from '../clock';
import type { BillingSendRecord, Store } from '../store/types';
import { HttpError, sendJson } from './errors';
import type { Router } from './router';

export interface BillingRouteDeps {
	readonly store: Store;
	readonly auth: Auth;
	readonly clock: Clock;
}

/** A row for the screen: a claim whose lease has passed is a send that was interrupted (it is retried, or was given up). */
export function toBillingSend(record: BillingSendRecord, now: Date): BillingSend {
	const interrupted =
		record.status === 'claimed' && (record.leaseUntil === null || record.leaseUntil <= now.toISOString());
	const reason = billingSendReasonSchema.safeParse(record.reason);
	return {
		profileId: record.profileId,
		customerId: record.customerId,
		customerName: record.customerName.slice(0, 200),
		period: record.period,
		status: interrupted ? 'failed' : record.status,
		reason: interrupted ? 'interrupted' : reason.success ? reason.data : null,
		recipient: record.recipient,
		at: record.updatedAt,
		sentAt: record.sentAt,
		attempts: record.attempts,
		currency: record.currency,
		totalMinor: record.totalMinor
	};
}

export function addBillingRoutes(router: Router, deps: BillingRouteDeps): void {
	const { store, auth, clock } = deps;

	router.add('GET', '/api/billing/sends', async ({ req, res, url }) => {
		const session = await auth.resolve(req);
		if (!session) throw new HttpError(401, 'not_signed_in', 'sign in first');
		const { principal } = session;
		if (!hasTenantPermission(principal, 'billing.edit') && !hasTenantPermission(principal, 'audit.read'))
			throw new HttpError(
				403,
				'forbidden',
				'the billing history needs the billing or the audit permission for the whole tenant'
			);
		const parsed = billingSendsQuerySchema.safeParse(Object.fromEntries(url.searchParams));
		if (!parsed.success) throw new HttpError(400, 'invalid_query', parsed.error.issues[0]?.message ?? 'invalid query');
		const records = await store.listBillingSends(principal.tenantId, parsed.data);
		const now = clock.now();
		const body: BillingSendsResponse = { sends: records.map((record) => toBillingSend(record, now)) };
		const cookie: Record<string, string> = session.refreshedCookie ? { 'set-cookie': session.refreshedCookie } : {};
		sendJson(res, 200, body, cookie);
	});
}
