// How job and request times read on screen: an instant in the tenant's time zone (P9), in the reader's own format.
const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
	let format = formats.get(timeZone);
	if (!format) {
		try {
			format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone });
		} catch {
			format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
		}
		formats.set(timeZone, format);
	}
	return format;
}

/** An instant (ISO 8601) as the tenant reads it: its date and time in `timeZone`. */
export function formatInstantIn(iso: string, timeZone: string): string {
	const date = new Date(iso);
	return Number.isNaN(date.getTime()) ? iso : formatIn(timeZone).format(date);
}
