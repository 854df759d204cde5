// Timing helpers for the benchmarks: median of repeated runs after a warm-up, and a printed table of ratios.

export interface BenchResult {
	readonly name: string;
	readonly unit: 'ms' | 'bytes' | 'MiB' | 'updates/s' | 'updates' | 'jobs/s';
	readonly ours: number;
	readonly baseline: number;
	/** What the baseline is, in a few words. */
	readonly baselineName: string;
}

export function measure(fn: () => void, runs = 5): number {
	fn();
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const start = performance.now();
		fn();
		times.push(performance.now() - start);
	}
	times.sort((a, b) => a - b);
	return times[Math.floor(times.length / 2)]!;
}

export function median(values: readonly number[]): number {
	return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) throw new Error('percentile of an empty list');
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
	return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function printResults(results: readonly BenchResult[]): void {
	const rows = results.map((r) => {
		return {
			benchmark: r.name,
			ours: `${format(r.ours)} ${r.unit}`,
			baseline: `${r.baselineName}: ${format(r.baseline)} ${r.unit}`,
			'ours ÷ baseline': (r.ours / r.baseline).toFixed(2)
		};
	});
	console.table(rows);
}

function format(value: number): string {
	return value >= 100 ? Math.round(value).toLocaleString('en') : value.toFixed(2);
}
