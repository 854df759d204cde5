// Bundled by bench/reports.ts (esbuild) into one script for a blank chromium page: the reports' pure computations as the
// app runs them, and plain loops over the same data as JSON, the baseline they are measured against.
import { operationsReport } from '../../src/lib/domain/reports/operations';
import { storageReport } from '../../src/lib/domain/reports/storage';
import { licenseUsageReport, type LicenseUsageFact } from '../../src/lib/domain/reports/license-usage';
import { activityReport, countActivity, type ActivityRow } from '../../src/lib/domain/reports/user-activity';
import type { CustomerSummary } from '../../src/lib/schema/customer-summary';
import type { TreeNode } from '../../src/lib/schema/tree';

export interface ReportsBenchData {
	readonly nodes: [string, TreeNode][];
	readonly summaries: [string, CustomerSummary][];
	readonly facts: LicenseUsageFact[];
	readonly rows: ActivityRow[];
	readonly month: string;
	readonly from: number;
	readonly to: number;
}

/** The replica as the app holds it: maps of parsed records. */
function replica(data: ReportsBenchData) {
	return { nodes: new Map(data.nodes), summaries: new Map(data.summaries) };
}

const ours = {
	operations(data: ReportsBenchData) {
		const { nodes, summaries } = replica(data);
		return () =>
			operationsReport({ nodes, summaries, window: { from: new Date(data.from), to: new Date(data.to) } }).totals
				.failedJobs;
	},
	storage(data: ReportsBenchData) {
		const { nodes, summaries } = replica(data);
		return () => storageReport({ nodes, summaries }).totalBytes;
	},
	licenses(data: ReportsBenchData) {
		return () => licenseUsageReport(data.facts).total.unitsActivated;
	},
	activity(data: ReportsBenchData) {
		return () => activityReport(data.month, countActivity(data.rows, data.month, 'Europe/Berlin')).total;
	}
};

/** The same figures by hand: one loop over plain JSON objects, no maps of records, no time zones. */
const plain = {
	operations(data: ReportsBenchData) {
		const json = JSON.parse(JSON.stringify(data.nodes.map(([, node]) => node))) as TreeNode[];
		const sums = JSON.parse(JSON.stringify(Object.fromEntries(data.summaries))) as Record<string, CustomerSummary>;
		const lo = Math.floor(data.from / 60_000);
		const hi = Math.floor(data.to / 60_000);
		return () => {
			const perService: Record<string, { customers: number; failed: number; open: number; bytes: number }> = {};
			let failed = 0;
			for (const node of json) {
				if (node.kind !== 'customer' || node.status === 'unlinked') continue;
				const s = sums[node.id];
				if (!s) continue;
				let f = 0;
				for (const t of s.failedJobEnds) if (t >= lo && t < hi) f++;
				failed += f;
				for (const service of s.services) {
					const into = (perService[service] ??= { customers: 0, failed: 0, open: 0, bytes: 0 });
					into.customers++;
					into.failed += f;
					into.open += s.openRequests;
					into.bytes += s.storageBytes;
				}
			}
			return failed;
		};
	},
	storage(data: ReportsBenchData) {
		const json = JSON.parse(JSON.stringify(data.nodes.map(([, node]) => node))) as TreeNode[];
		const sums = JSON.parse(JSON.stringify(Object.fromEntries(data.summaries))) as Record<string, CustomerSummary>;
		return () => {
			const rows: { name: string; bytes: number }[] = [];
			let total = 0;
			for (const node of json) {
				if (node.kind !== 'customer') continue;
				const bytes = sums[node.id]?.storageBytes ?? 0;
				total += bytes;
				rows.push({ name: node.name, bytes });
			}
			rows.sort((a, b) => b.bytes - a.bytes);
			return total;
		};
	},
	licenses(data: ReportsBenchData) {
		const json = JSON.parse(JSON.stringify(data.facts)) as LicenseUsageFact[];
		return () => {
			const groups: Record<string, { ordered: number; activated: number; n: number }> = {};
			let activated = 0;
			for (const f of json) {
				if (f.state === 'removed') continue;
				for (const key of [`p:${f.product}`, `a:${f.accountId}`, `u:${f.userKey}`]) {
					const g = (groups[key] ??= { ordered: 0, activated: 0, n: 0 });
					g.ordered += f.unitsOrdered;
					g.activated += f.unitsActivated;
					g.n++;
				}
				activated += f.unitsActivated;
			}
			return activated;
		};
	},
	activity(data: ReportsBenchData) {
		const json = JSON.parse(JSON.stringify(data.rows)) as ActivityRow[];
		const start = Date.parse(`${data.month}-01T00:00:00Z`);
		return () => {
			const perUser: Record<string, number> = {};
			const perDay: number[] = [];
			let total = 0;
			for (const row of json) {
				const day = Math.floor((Date.parse(row.at) - start) / 86_400_000);
				if (day < 0 || day > 30) continue;
				const key = `${row.user}|${row.action}|${row.itemType}`;
				perUser[key] = (perUser[key] ?? 0) + 1;
				perDay[day] = (perDay[day] ?? 0) + 1;
				total++;
			}
			return total;
		};
	}
};

/**
 * Median over `runs` samples of one call's time, after two warm-ups. Each sample repeats the call until it lasts 20 ms
 * at least (chromium rounds performance.now() to 0.1 ms); both sides must answer the same figure (the same work done).
 */
function time(fn: () => number, runs: number): { ms: number; answer: number } {
	let answer = fn();
	fn();
	let reps = 1;
	for (;;) {
		const start = performance.now();
		for (let i = 0; i < reps; i++) answer = fn();
		if (performance.now() - start >= 20) break;
		reps *= 2;
	}
	const times: number[] = [];
	for (let r = 0; r < runs; r++) {
		const start = performance.now();
		for (let i = 0; i < reps; i++) answer = fn();
		times.push((performance.now() - start) / reps);
	}
	times.sort((a, b) => a - b);
	return { ms: times[Math.floor(times.length / 2)]!, answer };
}

export type ReportName = keyof typeof ours;

(globalThis as unknown as { reportsBench: unknown }).reportsBench = {
	run(data: ReportsBenchData, report: ReportName, runs: number) {
		const a = time(ours[report](data), runs);
		const b = time(plain[report](data), runs);
		return { ours: a.ms, plain: b.ms, oursAnswer: a.answer, plainAnswer: b.answer };
	}
};
