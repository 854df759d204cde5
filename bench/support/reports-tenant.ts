// The reports bench's tenant: `customers` customers under one MSP, `licensesPerCustomer` licenses each (one pool per
// customer, five products, every L14 state), and the server's summaries of 90 days of jobs (failed job end times,
// services, storage, open requests). Deterministic, so that two runs measure the same data.
import * as Y from 'yjs';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { addDays } from '../../src/lib/domain/license-state';
import { SERVICE_KINDS } from '../../src/lib/schema/customer';
import { EMPTY_SUMMARY } from '../../src/lib/schema/customer-summary';
import type { LicenseInput } from '../../src/lib/schema/licenses';

const PRODUCTS = ['Endpoint Security', 'Mail Security', 'Server Security', 'Cloud Sandbox', 'Full Disk Encryption'];
const DAY_MINUTES = 24 * 60;

export interface ReportsTenantPlan {
	readonly customers: number;
	readonly licensesPerCustomer: number;
	/** Days of jobs the summaries cover (the server keeps 90). */
	readonly days: number;
}

export function writeReportsTenant(doc: Y.Doc, plan: ReportsTenantPlan, now: Date, newId: () => string): void {
	const repo = new TenantRepository(doc, { newId });
	const today = now.toISOString().slice(0, 10);
	const nowMinutes = Math.floor(now.getTime() / 60_000);
	const msp = repo.createNode({ kind: 'msp', name: 'Bench MSP', parentId: null });
	const accountId = newId();
	repo.putLicenseData({ accounts: [{ id: accountId, kind: 'msp', name: 'Bench account', login: 'b@example.test' }] });
	let licenseNo = 0;
	for (let c = 0; c < plan.customers; c++) {
		const name = `Customer ${String(c + 1).padStart(5, '0')} GmbH`;
		const id = repo.createNode({ kind: 'customer', name, parentId: msp, status: 'normal' });
		const poolId = newId();
		const licenses: LicenseInput[] = [];
		for (let l = 0; l < plan.licensesPerCustomer; l++) {
			const i = licenseNo++;
			const ordered = [5, 10, 25, 50, 100][i % 5]!;
			licenses.push({
				id: newId(),
				publicId: `REP-${String(i).padStart(7, '0')}`,
				poolId,
				product: PRODUCTS[(i * 7) % PRODUCTS.length]!,
				type: i % 11 === 0 ? 'trial' : 'msp',
				unitsOrdered: ordered,
				unitsActivated: (i * 13) % (ordered + 3),
				expiresOn: addDays(today, (i % 400) - 40),
				suspended: i % 97 === 0,
				ownerId: id,
				tag: name
			});
		}
		repo.putLicenseData({ pools: [{ id: poolId, name, accountId, groupId: id }], licenses });
		// 0-20 failed jobs over the days (about 9,000 in a 2,000-customer tenant), one to three services.
		const failures = (c * 7) % 21;
		const span = plan.days * DAY_MINUTES;
		repo.putSummary(id, {
			...EMPTY_SUMMARY,
			updatedAt: now.toISOString(),
			failedJobEnds: Array.from(
				{ length: failures },
				(_, k) => nowMinutes - Math.floor(((k + 1) * span) / (failures + 1))
			),
			openRequests: c % 4,
			storageBytes: ((c * 7919) % 5000) * 1_000_000_000 + c,
			services: SERVICE_KINDS.filter((_, k) => (c + k) % 3 === 0 || k === c % SERVICE_KINDS.length)
		});
	}
}
