// P2: the figures of the directory, the dashboard and the jobs and requests pages over a chosen window of job end or
// request submission times: counts over summary times, and where a day of the tenant's time zone begins.

/** How many of `times` (epoch minutes, as summaries keep them) fall in [from, to). */
export function countBetween(times: readonly number[], from: Date, to: Date): number {
	const lo = Math.floor(from.getTime() / 60_000);
	const hi = Math.floor(to.getTime() / 60_000);
	let n = 0;
	for (const t of times) if (t >= lo && t < hi) n++;
	return n;
}

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in milliseconds (0 for an unknown zone). */
function offsetAt(instant: number, timeZone: string): number {
	let parts: Intl.DateTimeFormatPart[];
	try {
		parts = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric'
		}).formatToParts(new Date(instant));
	} catch {
		return 0;
	}
	const get = (type: string): number => Number(parts.find((part) => part.type === type)?.value ?? 0);
	const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant `day` (`YYYY-MM-DD`) begins in `timeZone` (UTC for an unknown zone). */
export function startOfDayIn(day: string, timeZone: string): Date {
	const [year, month, date] = day.split('-').map(Number) as [number, number, number];
	const midnight = Date.UTC(year, month - 1, date);
	// Twice: the offset at the first guess can differ from the one at the answer around a daylight-saving change.
	const guess = midnight - offsetAt(midnight, timeZone);
	return new Date(midnight - offsetAt(guess, timeZone));
}
