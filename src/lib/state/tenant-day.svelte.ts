// L14, P9: the tenant's time zone on this device (read with the settings, kept for offline starts) and the tenant's "today"
// in it, which decides when a license is expired or expiring soon.
import { createSubscriber } from 'svelte/reactivity';
import { dayIn } from '$lib/domain/license-state';
import { DEFAULT_TIME_ZONE, isKnownTimeZone } from '$lib/schema/settings';

const STORAGE_KEY = 'msp-portal.timeZone';
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
	readonly #now: () => Date;
	#tick = createSubscriber((update) => {
		const timer = setInterval(update, TICK_MS);
		return () => clearInterval(timer);
	});

	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a clock read on demand, not state; the tick makes it reactive
	constructor(now: () => Date = () => new Date()) {
		this.#now = now;
	}

	/** The tenant's IANA time zone ('UTC' until the server said otherwise). */
	get timeZone(): string {
		return this.#timeZone;
	}

	/** The tenant's day now, `YYYY-MM-DD`; read in an effect, it follows the clock past midnight. */
	get today(): string {
		this.#tick();
		return dayIn(this.#now(), this.#timeZone);
	}

	/** A time zone from the server (settings read or saved); an unknown name is ignored. */
	setTimeZone(timeZone: string): void {
		if (!isKnownTimeZone(timeZone) || timeZone === this.#timeZone) return;
		this.#timeZone = timeZone;
		try {
			localStorage.setItem(STORAGE_KEY, timeZone);
		} catch {
			// Blocked storage: the zone holds while the page lives.
		}
	}
}

export const tenantDay = new TenantDay();
