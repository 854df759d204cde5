// P9: an instant's wall clock in a time zone, and the fixed date patterns a tenant may choose (shared by the screens' format
// module, CSV exports and the server's mails: pure Intl, no locale data beyond the numbers).
import type { DateFormat } from '../schema/settings';

export interface WallClock {
	readonly year: number;
	readonly month: number;
	readonly day: number;
	readonly hour: number;
	readonly minute: number;
	readonly second: number;
	/** Minutes the zone's wall clock is ahead of UTC at that instant (negative west of Greenwich). */
	readonly offsetMinutes: number;
}

const clocks = new Map<string, Intl.DateTimeFormat>();

function clockIn(timeZone: string): Intl.DateTimeFormat {
	let clock = clocks.get(timeZone);
	if (!clock) {
		clock = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric'
		});
		clocks.set(timeZone, clock);
	}
	return clock;
}

/** The wall clock of `instant` in `timeZone` (an IANA name; UTC when the name is unknown). */
export function wallClock(instant: Date, timeZone: string): WallClock {
	let parts: Intl.DateTimeFormatPart[];
	try {
		parts = clockIn(timeZone).formatToParts(instant);
	} catch {
		parts = clockIn('UTC').formatToParts(instant);
	}
	const get = (type: string): number => Number(parts.find((part) => part.type === type)?.value ?? 0);
	const [year, month, day, hour, minute, second] = [
		get('year'),
		get('month'),
		get('day'),
		get('hour'),
		get('minute'),
		get('second')
	];
	const wall = Date.UTC(year, month - 1, day, hour, minute, second);
	const offsetMinutes = Math.round((wall - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
	return { year, month, day, hour, minute, second, offsetMinutes };
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** ISO 8601 with the zone's offset: `2026-03-29T03:30:00+02:00` (what a machine reading a CSV file expects). */
export function isoInZone(instant: Date, timeZone: string): string {
	const c = wallClock(instant, timeZone);
	const sign = c.offsetMinutes < 0 ? '-' : '+';
	const off = Math.abs(c.offsetMinutes);
	return (
		`${pad(c.year, 4)}-${pad(c.month)}-${pad(c.day)}T${pad(c.hour)}:${pad(c.minute)}:${pad(c.second)}` +
		`${sign}${pad(Math.floor(off / 60))}:${pad(off % 60)}`
	);
}

/** A calendar date in one of the fixed patterns (`auto` is not a pattern: it reads as `yyyy-mm-dd` here). */
export function patternDate(year: number, month: number, day: number, format: DateFormat): string {
	const [y, m, d] = [pad(year, 4), pad(month), pad(day)];
	switch (format) {
		case 'dd.mm.yyyy':
			return `${d}.${m}.${y}`;
		case 'dd/mm/yyyy':
			return `${d}/${m}/${y}`;
		case 'mm/dd/yyyy':
			return `${m}/${d}/${y}`;
		default:
			return `${y}-${m}-${d}`;
	}
}

/** `HH:mm` (or `HH:mm:ss`) on a 24-hour clock. */
export function clock24(c: Pick<WallClock, 'hour' | 'minute' | 'second'>, seconds = false): string {
	return `${pad(c.hour)}:${pad(c.minute)}${seconds ? `:${pad(c.second)}` : ''}`;
}

/**
 * P9: an instant in a CSV file. ISO 8601 with the tenant's offset (`2026-11-20T13:05:00+01:00`), which every program
 * reads, unless the tenant chose a date pattern: then that pattern and a 24-hour time in the tenant's zone
 * (`20.11.2026 13:05`), which spreadsheets set up for that pattern read as a date. Never the language's own wording.
 */
export function csvInstant(instant: Date, timeZone: string, dateFormat: DateFormat): string {
	if (Number.isNaN(instant.getTime())) return '';
	if (dateFormat === 'auto') return isoInZone(instant, timeZone);
	const c = wallClock(instant, timeZone);
	return `${patternDate(c.year, c.month, c.day, dateFormat)} ${clock24(c)}`;
}

/** P9: a calendar day (`YYYY-MM-DD`) in a CSV file: as it is, or in the tenant's chosen pattern. */
export function csvDay(day: string, dateFormat: DateFormat): string {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
	if (!match || dateFormat === 'auto') return day;
	return patternDate(Number(match[1]), Number(match[2]), Number(match[3]), dateFormat);
}
