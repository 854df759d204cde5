// P8: the rows each custom-report subject runs over, built once per document change from what the other screens already
// compute (the resolved tree, the license entries with their L14 state and L9 license user, the server's summaries), so a
// report run only filters and groups. Text a person reads (country, services) is in their language; states stay raw.
import type { ReportRow } from '$lib/domain/reports/custom';
import type { CustomerSummary } from '$lib/schema/customer-summary';
import type { ReportSubject } from '$lib/schema/reports';
import type { TreeNode } from '$lib/schema/tree';
import { countryName } from '../countries';
import type { LicenseEntry } from '../license-rows';
import { serviceKindLabel } from '../work-labels';

export interface ReportSources {
	readonly nodes: ReadonlyMap<string, TreeNode>;
	readonly summaries: ReadonlyMap<string, CustomerSummary>;
	readonly licenses: readonly LicenseEntry[];
	readonly locale: string;
}

export type SubjectRows = Readonly<Record<ReportSubject, readonly ReportRow[]>>;

const minutesBetween = (from: string, to: string): number | null => {
	const [a, b] = [Date.parse(from), Date.parse(to)];
	return Number.isNaN(a) || Number.isNaN(b) ? null : Math.max(0, Math.round((b - a) / 60_000));
};

/** Every subject's rows: one pass over the customers (with their summaries) and one over the licenses. */
export function subjectRows({ nodes, summaries, licenses, locale }: ReportSources): SubjectRows {
	const licensesPerCustomer = new Map<string, number>();
	const licenseRows: ReportRow[] = [];
	for (const entry of licenses) {
		const { license, state } = entry;
		if (state.state !== 'removed' && entry.user.companyId !== null)
			licensesPerCustomer.set(entry.user.companyId, (licensesPerCustomer.get(entry.user.companyId) ?? 0) + 1);
		licenseRows.push({
			cells: {
				publicId: license.publicId,
				product: license.product,
				type: license.type,
				state: state.state,
				unitsOrdered: license.unitsOrdered,
				unitsActivated: license.unitsActivated,
				expiresOn: license.expiresOn,
				owner: entry.ownerName || null,
				licenseUser: entry.user.label || null,
				tag: license.tag || null,
				pool: entry.poolName || null,
				account: entry.accountName || null
			}
		});
	}

	const customers: ReportRow[] = [];
	const jobs: ReportRow[] = [];
	const requests: ReportRow[] = [];
	const countries = new Map<string, string>();
	for (const node of nodes.values()) {
		if (node.kind !== 'customer') continue;
		const summary = summaries.get(node.id);
		const code = node.country ?? null;
		let country: string | null = null;
		if (code !== null) {
			country = countries.get(code) ?? countryName(code, locale);
			countries.set(code, country);
		}
		customers.push({
			cells: {
				name: node.name,
				status: node.status ?? 'normal',
				country,
				tags: node.tags && node.tags.length > 0 ? node.tags.join('; ') : null,
				services: summary && summary.services.length > 0 ? summary.services.map(serviceKindLabel).join('; ') : null,
				failedJobs: summary?.failedJobEnds.length ?? 0,
				serviceRequests: summary?.requestSubmissions.length ?? 0,
				openRequests: summary?.openRequests ?? 0,
				storage: summary?.storageBytes ?? 0,
				licenses: licensesPerCustomer.get(node.id) ?? 0,
				insights: summary?.insights.length ?? 0,
				createdAt: node.createdAt ?? null
			}
		});
		if (!summary) continue;
		for (const job of summary.failedJobs)
			jobs.push({
				cells: {
					customer: node.name,
					jobId: job.jobId,
					service: job.service,
					module: job.module,
					startedAt: job.startedAt,
					endedAt: job.endedAt,
					durationMinutes: minutesBetween(job.startedAt, job.endedAt)
				},
				at: Date.parse(job.endedAt)
			});
		for (const request of summary.requests)
			requests.push({
				cells: {
					customer: node.name,
					requestId: request.requestId,
					subject: request.subject,
					status: request.status,
					submittedAt: request.submittedAt
				},
				at: Date.parse(request.submittedAt)
			});
	}
	return { customers, licenses: licenseRows, jobs, requests };
}
