// L16: one license's daily usage and history from the server (online only), and the CSV address.
import { fetchLicenseHistory, licenseHistoryCsvUrl } from '$lib/api/licenses';
import type { LicenseHistoryResponse } from '$lib/schema/license-api';
import { errorMessage } from './labels';

export type HistoryStatus = 'idle' | 'loading' | 'ready' | 'failed';

export class LicenseHistoryState {
	readonly licenseId: string;
	#status = $state<HistoryStatus>('idle');
	#history = $state.raw<LicenseHistoryResponse | null>(null);
	#error = $state<string | null>(null);

	constructor(licenseId: string) {
		this.licenseId = licenseId;
	}

	get status(): HistoryStatus {
		return this.#status;
	}
	get history(): LicenseHistoryResponse | null {
		return this.#history;
	}
	get error(): string | null {
		return this.#error;
	}
	get csvUrl(): string {
		return licenseHistoryCsvUrl(this.licenseId);
	}

	async load(): Promise<void> {
		this.#status = 'loading';
		try {
			this.#history = await fetchLicenseHistory(this.licenseId);
			this.#status = 'ready';
		} catch (error) {
			this.#error = errorMessage(error);
			this.#status = 'failed';
		}
	}
}
