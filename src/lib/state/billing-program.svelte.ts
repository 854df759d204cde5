// C6: whether the tenant takes part in the monthly-billing program: read with the settings (kept on the device for offline
// use by the invite wizard and the account section), changed by Super Admins and Admins (settings.edit) in the settings.
import { fetchSettings, patchSettings } from '$lib/api/client';

const STORAGE_KEY = 'msp-portal.monthlyBillingProgram';

function readStored(): boolean {
	try {
		return localStorage.getItem(STORAGE_KEY) === '1';
	} catch {
		return false;
	}
}

export class BillingProgram {
	#on = $state(typeof localStorage === 'undefined' ? false : readStored());
	#saving = $state(false);
	#error = $state<string | null>(null);

	/** C6: monthly billing is offered (false until the server said otherwise). */
	get on(): boolean {
		return this.#on;
	}

	get saving(): boolean {
		return this.#saving;
	}

	/** Why the last change failed (the server's message), or null. */
	get error(): string | null {
		return this.#error;
	}

	/** Reads the setting from the server; offline the last one known stays. */
	async refresh(): Promise<void> {
		try {
			this.#remember((await fetchSettings()).monthlyBillingProgram);
		} catch {
			// Offline or signed out: the stored value stays.
		}
	}

	/** Joins or leaves the program (PATCH /api/settings, settings.edit). */
	async set(on: boolean): Promise<void> {
		this.#saving = true;
		this.#error = null;
		try {
			this.#remember((await patchSettings({ monthlyBillingProgram: on })).monthlyBillingProgram);
		} catch (error) {
			this.#error = error instanceof Error ? error.message : String(error);
		} finally {
			this.#saving = false;
		}
	}

	#remember(on: boolean): void {
		this.#on = on;
		try {
			localStorage.setItem(STORAGE_KEY, on ? '1' : '0');
		} catch {
			// Blocked storage: the value holds while the page lives.
		}
	}
}

export const billingProgram = new BillingProgram();
