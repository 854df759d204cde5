// L14, P9: the tenant's time zone and date, time and week formats on this device (read with the settings, kept for offline
// starts) and the tenant's "today" in that zone, which decides when a license is expired or expiring soon.
import { createSubscriber } from 'svelte/reactivity';
import { z } from 'zod';
import { dayIn } from '$lib/domain/license-state';
import {
	DEFAULT_TIME_ZONE,
	dateFormatSchema,
	isKnownTimeZone,
	timeFormatSchema,
	weekStartSchema
} from '$lib/schema/settings';

const STORAGE_KEY = 'msp-portal.timeZone';
const FORMATS_KEY = 'msp-portal.dateTimeFormats';

/** P9: the tenant's format settings as this device keeps them; each one that does not parse is `auto`. */
const dateTimeFormatsSchema = z.object({
	dateFormat: dateFormatSchema.catch('auto'),
	timeFormat: timeFormatSchema.catch('auto'),
	weekStart: weekStartSchema.catch('auto')
});
export type DateTimeFormats = z.infer<typeof dateTimeFormatsSchema>;
const AUTO_FORMATS: DateTimeFormats = { dateFormat: 'auto', timeFormat: 'auto', weekStart: 'auto' };

function readStoredFormats(): DateTimeFormats {
	try {
		const raw = localStorage.getItem(FORMATS_KEY);
		if (raw === null) return AUTO_FORMATS;
		const parsed = dateTimeFormatsSchema.safeParse(JSON.parse(raw));
		return parsed.success ? parsed.data : AUTO_FORMATS;
	} catch {
		return AUTO_FORMATS;
	}
}
/** "Today" is looked at again this often while a screen shows it (it changes at the tenant's midnight). */
const TICK_MS = 60_000;

function readStored(): string | null {
	try {
		const value = localStorage.getItem(STORAGE_KEY);
		return value !== null && isKnownTimeZone(value) ? value : null;
	} catch {
		return null;
	}
}

export class TenantDay {
	#timeZone = $state(typeof localStorage === 'undefined' ? DEFAULT_TIME_ZONE : (readStored() ?? DEFAULT_TIME_ZONE));
	#formats = $state<DateTimeFormats>(typeof localStorage === 'undefined' ? AUTO_FORMATS : readStoredFormats());
	readonly #now: () => Date;
	/** Changes only when the day does, so that what is computed from it (every license's state) is not redone each minute. */
	#today = $state('');
	// While a screen reads the day, the clock is looked at every minute (and once right away: it may have slept past midnight).
	#watch = createSubscriber(() => {
		const first = setTimeout(() => this.#refresh(), 0);
		const timer = setInterval(() => this.#refresh(), TICK_MS);
		return () => {
			clearTimeout(first);
			clearInterval(timer);
		};
	});

	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a clock read on demand, not state
	constructor(now: () => Date = () => new Date()) {
		this.#now = now;
		this.#today = dayIn(now(), this.#timeZone);
	}

	/** The tenant's IANA time zone ('UTC' until the server said otherwise). */
	get timeZone(): string {
		return this.#timeZone;
	}

	/** P9: the tenant's date format, clock and first day of the week (`auto` until the server said otherwise). */
	get formats(): DateTimeFormats {
		return this.#formats;
	}

	/** P9: the formats from the server (settings read or saved); a value that does not parse is `auto`. */
	setFormats(formats: Partial<DateTimeFormats>): void {
		const next = dateTimeFormatsSchema.parse({ ...AUTO_FORMATS, ...formats });
		const current = this.#formats;
		if (
			next.dateFormat === current.dateFormat &&
			next.timeFormat === current.timeFormat &&
			next.weekStart === current.weekStart
		)
			return;
		this.#formats = next;
		try {
			localStorage.setItem(FORMATS_KEY, JSON.stringify(next));
		} catch {
			// Blocked storage: the formats hold while the page lives.
		}
	}

	/** The tenant's day now, `YYYY-MM-DD`; read in an effect, it follows the clock past midnight. */
	get today(): string {
		this.#watch();
		return this.#today;
	}

	/** A time zone from the server (settings read or saved); an unknown name is ignored. */
	setTimeZone(timeZone: string): void {
		if (!isKnownTimeZone(timeZone) || timeZone === this.#timeZone) return;
		this.#timeZone = timeZone;
		this.#refresh();
		try {
			localStorage.setItem(STORAGE_KEY, timeZone);
		} catch {
			// Blocked storage: the zone holds while the page lives.
		}
	}

	#refresh(): void {
		// The same day again changes nothing (a $state keeps an equal string without notifying).
		this.#today = dayIn(this.#now(), this.#timeZone);
	}
}

export const tenantDay = new TenantDay();
