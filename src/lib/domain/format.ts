// P9: how dates, times, numbers, byte counts and money read: in a language, the tenant's time zone and the tenant's
// date, time and week settings. Pure (Intl only), so the server's mails and exports format as the screens do;
// `fmt()` in src/lib/state/locale.svelte.ts hands screens the current one (re-exported as src/lib/state/format.ts).
import type { DateFormat, TimeFormat, WeekStart } from '../schema/settings';
import { csvDay, csvInstant, patternDate, wallClock } from './zoned-time';

const UNITS = ['kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** F7: "3.2 MB", "1.1 GB": decimal units (as browsers and disks count) with one decimal; kilobytes at least ("0.5 kB"). */
export function formatBytes(bytes: number, locale?: string): string {
	let value = Math.max(0, bytes) / 1000;
	let unit = 0;
	while (value >= 1000 && unit < UNITS.length - 1) {
		value /= 1000;
		unit += 1;
	}
	// 999.96 kB would round to "1,000 kB": say "1 MB".
	if (unit < UNITS.length - 1 && Math.round(value * 10) / 10 >= 1000) {
		value /= 1000;
		unit += 1;
	}
	return new Intl.NumberFormat(locale, {
		style: 'unit',
		unit: UNITS[unit],
		unitDisplay: 'short',
		maximumFractionDigits: 1
	}).format(value);
}

export interface FormatSettings {
	/** A BCP 47 tag, the UI's language (`getLocale()`). */
	readonly locale: string;
	/** The tenant's IANA time zone. */
	readonly timeZone: string;
	readonly dateFormat: DateFormat;
	readonly timeFormat: TimeFormat;
	readonly weekStart: WeekStart;
}

export const DEFAULT_FORMAT_SETTINGS: FormatSettings = {
	locale: 'en',
	timeZone: 'UTC',
	dateFormat: 'auto',
	timeFormat: 'auto',
	weekStart: 'auto'
};

/** An instant: a Date, an ISO 8601 string or epoch milliseconds. */
export type Instant = Date | string | number;

/** ISO weekday numbers, as `Intl.Locale#getWeekInfo` gives them: 1 Monday … 7 Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

const WEEK_START_DAYS: Record<Exclude<WeekStart, 'auto'>, IsoWeekday> = { monday: 1, sunday: 7, saturday: 6 };

interface WeekInfoLocale {
	getWeekInfo?: () => { firstDay: number };
	weekInfo?: { firstDay: number };
}

/** The first day of the week: the setting, or (`auto`) the language's, from Intl where the runtime knows it, else Monday. */
export function firstDayOfWeek(weekStart: WeekStart, locale: string): IsoWeekday {
	if (weekStart !== 'auto') return WEEK_START_DAYS[weekStart];
	try {
		const tag = new Intl.Locale(locale) as unknown as WeekInfoLocale;
		const first = (tag.getWeekInfo?.() ?? tag.weekInfo)?.firstDay;
		if (typeof first === 'number' && first >= 1 && first <= 7) return first as IsoWeekday;
	} catch {
		// A tag Intl does not take: Monday, as ISO 8601 has it.
	}
	return 1;
}

/** How many minor units a currency has (JPY 0, EUR 2, KWD 3), as Intl knows ISO 4217; 2 for a code it does not know. */
export function currencyDigits(currency: string): number {
	try {
		return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
	} catch {
		return 2;
	}
}

/** An amount in minor units as an exact decimal string (12345, 2 -> "123.45"), so no floating point is involved. */
export function minorToDecimal(minor: number, digits: number): string {
	if (!Number.isSafeInteger(minor)) throw new RangeError('money must be a whole number of minor units');
	const sign = minor < 0 ? '-' : '';
	const whole = String(Math.abs(minor)).padStart(digits + 1, '0');
	return digits === 0 ? `${sign}${whole}` : `${sign}${whole.slice(0, -digits)}.${whole.slice(-digits)}`;
}

function toDate(value: Instant): Date | null {
	const date = value instanceof Date ? value : new Date(value);
	return Number.isNaN(date.getTime()) ? null : date;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Formats with one set of settings; the Intl objects are made once per formatter. */
export class Formatter {
	readonly settings: FormatSettings;
	readonly #cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>();
	readonly #zones = new Map<string, Formatter>();
	#collator: Intl.Collator | null = null;

	constructor(settings: FormatSettings) {
		this.settings = settings;
	}

	#dateTimeFormat(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
		let format = this.#cache.get(`d:${key}`) as Intl.DateTimeFormat | undefined;
		if (!format) {
			try {
				format = new Intl.DateTimeFormat(this.settings.locale, options);
			} catch {
				format = new Intl.DateTimeFormat(this.settings.locale, { ...options, timeZone: 'UTC' });
			}
			this.#cache.set(`d:${key}`, format);
		}
		return format;
	}

	#numberFormat(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
		let format = this.#cache.get(`n:${key}`) as Intl.NumberFormat | undefined;
		if (!format) {
			format = new Intl.NumberFormat(this.settings.locale, options);
			this.#cache.set(`n:${key}`, format);
		}
		return format;
	}

	get #hourCycle(): Intl.DateTimeFormatOptions {
		const { timeFormat } = this.settings;
		return timeFormat === '24h' ? { hourCycle: 'h23' } : timeFormat === '12h' ? { hourCycle: 'h12' } : {};
	}

	/** The date of an instant in the tenant's zone: "20 Nov 2026", or the chosen pattern ("20.11.2026"). */
	date(value: Instant): string {
		const date = toDate(value);
		if (!date) return String(value);
		const { dateFormat, timeZone } = this.settings;
		if (dateFormat !== 'auto') {
			const c = wallClock(date, timeZone);
			return patternDate(c.year, c.month, c.day, dateFormat);
		}
		return this.#dateTimeFormat('date', { dateStyle: 'medium', timeZone }).format(date);
	}

	/** A calendar day (`YYYY-MM-DD`: a date, not an instant, so no time zone moves it), as dates read. */
	day(day: string): string {
		const match = DAY.exec(day);
		if (!match) return day;
		const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
		const { dateFormat } = this.settings;
		if (dateFormat !== 'auto') return patternDate(year, month, date, dateFormat);
		const instant = new Date(Date.UTC(year, month - 1, date));
		if (Number.isNaN(instant.getTime())) return day;
		return this.#dateTimeFormat('day', { dateStyle: 'medium', timeZone: 'UTC' }).format(instant);
	}

	/** The time of an instant in the tenant's zone, on the chosen clock: "13:05", "1:05 PM". */
	time(value: Instant, options: { seconds?: boolean } = {}): string {
		const date = toDate(value);
		if (!date) return String(value);
		const style = options.seconds ? 'medium' : 'short';
		return this.#dateTimeFormat(`time:${style}`, {
			timeStyle: style,
			timeZone: this.settings.timeZone,
			...this.#hourCycle
		}).format(date);
	}

	/** Date and time of an instant in the tenant's zone. */
	dateTime(value: Instant, options: { seconds?: boolean } = {}): string {
		const date = toDate(value);
		if (!date) return String(value);
		if (this.settings.dateFormat !== 'auto') return `${this.date(date)} ${this.time(date, options)}`;
		const style = options.seconds ? 'medium' : 'short';
		return this.#dateTimeFormat(`dateTime:${style}`, {
			dateStyle: 'medium',
			timeStyle: style,
			timeZone: this.settings.timeZone,
			...this.#hourCycle
		}).format(date);
	}

	/** A month and its year ("November 2026") of an instant in the tenant's zone, or of a `YYYY-MM` month. */
	month(value: Instant): string {
		const match = typeof value === 'string' ? /^(\d{4})-(\d{2})$/.exec(value) : null;
		if (match) {
			const instant = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 15));
			return this.#dateTimeFormat('month:utc', { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(instant);
		}
		const date = toDate(value);
		if (!date) return String(value);
		return this.#dateTimeFormat('month', { year: 'numeric', month: 'long', timeZone: this.settings.timeZone }).format(
			date
		);
	}

	/** How long ago or ahead an instant is from `now`: "3 minutes ago", "vor 2 Stunden", "yesterday". */
	relative(value: Instant, now: Date): string {
		const date = toDate(value);
		if (!date) return String(value);
		const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
		const abs = Math.abs(seconds);
		const [amount, unit]: [number, Intl.RelativeTimeFormatUnit] =
			abs < 60
				? [seconds, 'second']
				: abs < 3600
					? [Math.round(seconds / 60), 'minute']
					: abs < 86_400
						? [Math.round(seconds / 3600), 'hour']
						: abs < 30 * 86_400
							? [Math.round(seconds / 86_400), 'day']
							: abs < 365 * 86_400
								? [Math.round(seconds / (30 * 86_400)), 'month']
								: [Math.round(seconds / (365 * 86_400)), 'year'];
		let format = this.#cache.get('relative') as Intl.RelativeTimeFormat | undefined;
		if (!format) {
			format = new Intl.RelativeTimeFormat(this.settings.locale, { numeric: 'auto' });
			this.#cache.set('relative', format);
		}
		return format.format(amount, unit);
	}

	/** A number with the language's separators ("12,345.6", "12.345,6"). */
	number(value: number, options: Intl.NumberFormatOptions = {}): string {
		return this.#numberFormat(`number:${JSON.stringify(options)}`, options).format(value);
	}

	/** A fraction as a percentage (0.125 -> "12.5 %" in de, "13%" with no digits). */
	percent(fraction: number, maximumFractionDigits = 0): string {
		return this.#numberFormat(`percent:${maximumFractionDigits}`, {
			style: 'percent',
			maximumFractionDigits
		}).format(fraction);
	}

	/** A byte count in decimal units ("3.2 MB", "3,2 MB"). */
	bytes(bytes: number): string {
		return formatBytes(bytes, this.settings.locale);
	}

	/** Money from integer minor units and an ISO 4217 code: (123456, 'EUR') -> "1.234,56 €" in de. Never floating point. */
	money(minor: number, currency: string): string {
		const digits = currencyDigits(currency);
		let format: Intl.NumberFormat;
		try {
			format = this.#numberFormat(`money:${currency}`, {
				style: 'currency',
				currency,
				minimumFractionDigits: digits,
				maximumFractionDigits: digits
			});
		} catch {
			return `${minorToDecimal(minor, digits)} ${currency}`;
		}
		// A decimal string is formatted exactly (Intl.NumberFormat v3), where minor / 100 might not be.
		return format.format(minorToDecimal(minor, digits) as unknown as number);
	}

	/**
	 * The same settings in another time zone (a report's or a profile's own zone), made once per zone; this formatter when
	 * the zone is its own.
	 */
	inTimeZone(timeZone: string): Formatter {
		if (timeZone === this.settings.timeZone) return this;
		let formatter = this.#zones.get(timeZone);
		if (!formatter) {
			formatter = new Formatter({ ...this.settings, timeZone });
			this.#zones.set(timeZone, formatter);
		}
		return formatter;
	}

	/** Orders names people read as the language sorts them ("Kunde 2" before "Kunde 10", case aside); never ids. */
	get collator(): Intl.Collator {
		this.#collator ??= new Intl.Collator(this.settings.locale, { sensitivity: 'base', numeric: true });
		return this.#collator;
	}

	/** Compares two names people read with `collator` (for lists sorted for display, not for ids). */
	compare(a: string, b: string): number {
		return this.collator.compare(a, b);
	}

	/** The first day of the week (ISO weekday number). */
	get weekStart(): IsoWeekday {
		return firstDayOfWeek(this.settings.weekStart, this.settings.locale);
	}

	/** The weekdays' names in the order a week runs here, from its first day ("Mo", "Di", … or "Sun", "Mon", …). */
	weekdays(style: 'long' | 'short' | 'narrow' = 'short'): string[] {
		const format = this.#dateTimeFormat(`weekday:${style}`, { weekday: style, timeZone: 'UTC' });
		// 2024-01-01 was a Monday (ISO weekday 1).
		return Array.from({ length: 7 }, (_, i) => {
			const iso = ((this.weekStart - 1 + i) % 7) + 1;
			return format.format(new Date(Date.UTC(2024, 0, iso)));
		});
	}

	/** An instant in a CSV file (`csvInstant`: ISO 8601 with offset, or the tenant's chosen date pattern). */
	csvInstant(value: Instant): string {
		const date = toDate(value);
		return date ? csvInstant(date, this.settings.timeZone, this.settings.dateFormat) : String(value);
	}

	/** A calendar day in a CSV file: `YYYY-MM-DD`, or the tenant's chosen pattern. */
	csvDay(day: string): string {
		return csvDay(day, this.settings.dateFormat);
	}
}

/** A language's name in that language, as a person looks for it in a list ("Deutsch", "Español", "Polski"). */
export function languageName(locale: string): string {
	try {
		const name = new Intl.DisplayNames([locale], { type: 'language' }).of(locale) ?? locale;
		return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
	} catch {
		return locale;
	}
}

/**
 * P9: the week (`YYYY-MM-DD` first and last day) that holds `day`, starting on `firstDay`, moved by `offset` weeks (-1:
 * the week before). Calendar arithmetic on dates, so no time zone or daylight-saving change moves it.
 */
export function weekAround(day: string, firstDay: IsoWeekday, offset = 0): { from: string; to: string } {
	const match = DAY.exec(day);
	if (!match) return { from: day, to: day };
	const noon = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 12);
	const isoWeekday = ((new Date(noon).getUTCDay() + 6) % 7) + 1;
	const back = (isoWeekday - firstDay + 7) % 7;
	const start = noon - (back - offset * 7) * 86_400_000;
	const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
	return { from: iso(start), to: iso(start + 6 * 86_400_000) };
}
