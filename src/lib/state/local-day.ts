// A day picked in a date input, as an instant in the browser's own time zone (written with its offset).
/** A day's local start (or, `end`, its last millisecond) written with the browser's offset, so the server knows the day. */
export function localBound(day: string, end: boolean): string | undefined {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
	const local = new Date(`${day}T00:00:00`);
	if (Number.isNaN(local.getTime())) return undefined;
	const minutes = -local.getTimezoneOffset();
	const sign = minutes >= 0 ? '+' : '-';
	const hh = String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0');
	const mm = String(Math.abs(minutes) % 60).padStart(2, '0');
	return `${day}T${end ? '23:59:59.999' : '00:00:00.000'}${sign}${hh}:${mm}`;
}
