// How license dates and units read on screen (L13): "48/50", and a day in the reader's own format.
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const numberFormat = new Intl.NumberFormat();

/** A `YYYY-MM-DD` day (a date, not an instant: formatted as written, whatever the reader's time zone). */
export function formatDay(day: string): string {
	const date = new Date(`${day}T00:00:00Z`);
	return Number.isNaN(date.getTime()) ? day : dayFormat.format(date);
}

/** L13: units activated/ordered, "48/50". */
export function formatUnits(activated: number, ordered: number): string {
	return `${numberFormat.format(activated)}/${numberFormat.format(ordered)}`;
}

/** An instant (ISO 8601) in the reader's own time zone. */
export function formatTime(iso: string): string {
	const date = new Date(iso);
	return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
