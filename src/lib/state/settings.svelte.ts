// P9, P12, P18: the settings screen's form: loaded from and saved to the server (online only), checked with the shared schema.
import { m } from '$lib/paraglide/messages.js';
import { ApiRequestError, fetchSettings, patchSettings } from '$lib/api/client';
import {
	addressRangeSchema,
	tenantSettingsPatchSchema,
	type SettingsResponse,
	type TenantSettingsPatch
} from '$lib/schema/settings';
import { errorMessage } from './labels';
import { inactivity } from './inactivity.svelte';

export type SettingsStatus = 'loading' | 'ready' | 'failed';
const MAX_RANGES = 200;

export class SettingsForm {
	timeoutMinutes = $state('');
	retentionDays = $state('');
	trustedEnabled = $state(false);
	/** One address or range per line. */
	ranges = $state('');
	#status = $state<SettingsStatus>('loading');
	#loadError = $state<string | null>(null);
	#currentAddress = $state<string | null>(null);
	#errors = $state<Record<string, string>>({});
	#formError = $state<string | null>(null);
	#saving = $state(false);
	#saved = $state(false);

	get status(): SettingsStatus {
		return this.#status;
	}
	get loadError(): string | null {
		return this.#loadError;
	}
	get currentAddress(): string | null {
		return this.#currentAddress;
	}
	get errors(): Readonly<Record<string, string>> {
		return this.#errors;
	}
	get formError(): string | null {
		return this.#formError;
	}
	get saving(): boolean {
		return this.#saving;
	}
	get saved(): boolean {
		return this.#saved;
	}

	async load(): Promise<void> {
		this.#status = 'loading';
		try {
			this.#fill(await fetchSettings());
			this.#status = 'ready';
		} catch (error) {
			this.#loadError = errorMessage(error);
			this.#status = 'failed';
		}
	}

	/** Checks the form with the server's own schema; nothing is sent while a field is wrong. */
	async save(): Promise<void> {
		this.#saved = false;
		this.#formError = null;
		const patch = this.#parse();
		if (patch === null) return;
		this.#saving = true;
		try {
			const saved = await patchSettings(patch);
			this.#fill(saved);
			inactivity.setTimeoutMinutes(saved.sessionTimeoutMinutes);
			this.#saved = true;
		} catch (error) {
			this.#formError =
				error instanceof ApiRequestError && error.code === 'would_lock_you_out'
					? m.settings_would_lock_you_out()
					: errorMessage(error);
		} finally {
			this.#saving = false;
		}
	}

	#parse(): TenantSettingsPatch | null {
		const errors: Record<string, string> = {};
		const whole = (text: string, min: number, max: number, field: string): number | undefined => {
			const value = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
			if (Number.isInteger(value) && value >= min && value <= max) return value;
			errors[field] = m.settings_invalid_number({ min, max });
			return undefined;
		};
		const sessionTimeoutMinutes = whole(this.timeoutMinutes, 1, 24 * 60, 'timeout');
		const auditRetentionDays = whole(this.retentionDays, 1, 730, 'retention');
		const lines = this.ranges
			.split('\n')
			.map((line) => line.trim())
			.filter((line) => line !== '');
		const bad = lines.findIndex((line) => !addressRangeSchema.safeParse(line).success);
		if (bad >= 0) errors.ranges = m.settings_invalid_range({ line: bad + 1, value: lines[bad] ?? '' });
		else if (lines.length > MAX_RANGES) errors.ranges = m.settings_too_many_ranges();
		this.#errors = errors;
		if (Object.keys(errors).length > 0) return null;
		const parsed = tenantSettingsPatchSchema.safeParse({
			sessionTimeoutMinutes,
			auditRetentionDays,
			trustedAddresses: { enabled: this.trustedEnabled, ranges: lines }
		});
		if (!parsed.success) {
			this.#formError = m.domain_error_invalid_input();
			return null;
		}
		return parsed.data;
	}

	#fill(settings: SettingsResponse): void {
		this.timeoutMinutes = String(settings.sessionTimeoutMinutes);
		this.retentionDays = String(settings.auditRetentionDays);
		this.trustedEnabled = settings.trustedAddresses?.enabled ?? false;
		this.ranges = (settings.trustedAddresses?.ranges ?? []).join('\n');
		this.#currentAddress = settings.currentAddress ?? null;
	}
}
