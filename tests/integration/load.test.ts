// S155-S157 in the suite: a small share of the load run (npm run load does 500 sockets on 50 documents) against the real
// server process: every edit acknowledged, on every socket of its document and in the store after the server stopped.
import { describe, expect, it } from 'vitest';
import { runLoad } from '../load/load-run';

describe('load', () => {
	it(
		'S155, S156, S157: 60 sockets on 6 documents editing for 3 s lose no update (acked, fanned out, stored)',
		{ timeout: 90_000 },
		async () => {
			const report = await runLoad({ sockets: 60, docs: 6, seconds: 3, warmUpSeconds: 1, rate: 2 });
			expect(report.failures).toEqual([]);
			expect(report.storeChecked).toBe(true);
			expect(report.users).toBe(2);
			// Each socket's first edit, then about rate × (warm-up + measured) more: the workload really ran.
			expect(report.sent).toBeGreaterThanOrEqual(60 * 4);
			expect(report.editToAck.samples).toBe(report.measuredEdits);
			// Every measured edit reached each of the 9 other sockets of its document.
			expect(report.fanOut.samples).toBe(report.measuredEdits * 9);
		}
	);
});
