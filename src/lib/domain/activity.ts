// P2: the figures of the directory and the dashboard over a chosen window of job end or request submission times.

/** How many of `times` (epoch minutes, as summaries keep them) fall in [from, to). */
export function countBetween(times: readonly number[], from: Date, to: Date): number {
	const lo = Math.floor(from.getTime() / 60_000);
	const hi = Math.floor(to.getTime() / 60_000);
	let n = 0;
	for (const t of times) if (t >= lo && t < hi) n++;
	return n;
}
