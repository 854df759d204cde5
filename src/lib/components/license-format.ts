// How license dates and units read on screen (L13): "48/50", and a day in the UI's language and the tenant's date format (P9).
import { fmt } from '$lib/state/locale.svelte';

/** A `YYYY-MM-DD` day (a date, not an instant: formatted as written, whatever the time zone). */
export function formatDay(day: string): string {
	return fmt().day(day);
}

/** L13: units activated/ordered, "48/50". */
export function formatUnits(activated: number, ordered: number): string {
	const format = fmt();
	return `${format.number(activated)}/${format.number(ordered)}`;
}

/** An instant (ISO 8601) in the tenant's time zone. */
export function formatTime(iso: string): string {
	return fmt().dateTime(iso);
}
