// P9, P12, P18: the settings screen's form (time zone, date and time formats, first day of the week, security): loaded from and saved to the server (online only), checked with the shared schema.
import { m } from '$lib/paraglide/messages.js';
import { ApiRequestError, fetchSettings, patchSettings } from '$lib/api/client';
import {
	addressRangeSchema,
	DATE_FORMATS,
	tenantSettingsPatchSchema,
	type DateFormat,
	type SettingsResponse,
	type TenantSettingsPatch,
	type TimeFormat,
	type WeekStart
} from '$lib/schema/settings';
import { errorMessage } from './labels';
import { inactivity } from './inactivity.svelte';
import { Formatter } from './format';
import { tenantDay, type DateTimeFormats } from './tenant-day.svelte';

export type SettingsStatus = 'loading' | 'ready' | 'failed';
const MAX_RANGES = 200;

export class SettingsForm {
	timeoutMinutes = $state('');
	retentionDays = $state('');
	/** P9, L14: an IANA name from the select. */
	timeZone = $state('UTC');
	/** P9: how dates, times and weeks read everywhere. */
	dateFormat = $state<DateFormat>('auto');
	timeFormat = $state<TimeFormat>('auto');
	weekStart = $state<WeekStart>('auto');
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
			tenantDay.setTimeZone(saved.timeZone);
			tenantDay.setFormats(saved);
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
			timeZone: this.timeZone,
			dateFormat: this.dateFormat,
			timeFormat: this.timeFormat,
			weekStart: this.weekStart,
			trustedAddresses: { enabled: this.trustedEnabled, ranges: lines }
		});
		if (!parsed.success) {
			if (parsed.error.issues.some((issue) => issue.path[0] === 'timeZone'))
				this.#errors = { timeZone: m.settings_invalid_time_zone() };
			else this.#formError = m.domain_error_invalid_input();
			return null;
		}
		return parsed.data;
	}

	/**
	 * The time zones to choose from: what this browser knows (Intl.supportedValuesOf), with UTC and the saved zone
	 * always among them (some browsers list neither UTC nor old aliases).
	 */
	get timeZones(): readonly string[] {
		return timeZoneChoices(this.timeZone);
	}

	#fill(settings: SettingsResponse): void {
		this.timeoutMinutes = String(settings.sessionTimeoutMinutes);
		this.retentionDays = String(settings.auditRetentionDays);
		this.timeZone = settings.timeZone;
		this.dateFormat = settings.dateFormat;
		this.timeFormat = settings.timeFormat;
		this.weekStart = settings.weekStart;
		this.trustedEnabled = settings.trustedAddresses?.enabled ?? false;
		this.ranges = (settings.trustedAddresses?.ranges ?? []).join('\n');
		this.#currentAddress = settings.currentAddress ?? null;
	}
}

/** The IANA time zones to offer, sorted, with UTC first and `current` included. */
export function timeZoneChoices(current: string): string[] {
	let known: string[] = [];
	try {
		known = Intl.supportedValuesOf('timeZone');
	} catch {
		// An older browser: UTC and the saved zone only.
	}
	const zones = known.filter((zone) => zone !== 'UTC');
	if (current !== 'UTC' && !zones.includes(current)) zones.push(current);
	return ['UTC', ...zones.sort()];
}

/** P9: how a formatter with these date, time and week settings would read (the form's examples), in the UI's language. */
export function formatPreview(locale: string, timeZone: string, formats: DateTimeFormats): Formatter {
	return new Formatter({ locale, timeZone, ...formats });
}

/** 31 December: day and month cannot be mistaken for each other; 13:05 shows which clock is used. */
const SAMPLE = new Date(Date.UTC(2026, 11, 31, 13, 5));
const AUTO: DateTimeFormats = { dateFormat: 'auto', timeFormat: 'auto', weekStart: 'auto' };

export interface Choice<T extends string> {
	readonly value: T;
	readonly label: string;
}

/** P9: the choices of the date, time and week settings, each shown as it would read in `locale`. */
export function dateTimeChoices(locale: string): {
	dateFormats: Choice<DateFormat>[];
	timeFormats: Choice<TimeFormat>[];
	weekStarts: Choice<WeekStart>[];
} {
	const sample = (formats: Partial<DateTimeFormats>) => formatPreview(locale, 'UTC', { ...AUTO, ...formats });
	const weekdays = sample({ weekStart: 'monday' }).weekdays('long');
	const weekday = (iso: number): string => weekdays[iso - 1] ?? '';
	const time = (timeFormat: TimeFormat) => sample({ timeFormat }).time(SAMPLE);
	return {
		dateFormats: DATE_FORMATS.map((dateFormat) => {
			const example = sample({ dateFormat }).date(SAMPLE);
			return { value: dateFormat, label: dateFormat === 'auto' ? m.settings_date_format_auto({ example }) : example };
		}),
		timeFormats: [
			{ value: 'auto', label: m.settings_time_format_auto({ example: time('auto') }) },
			{ value: '24h', label: m.settings_time_format_24h({ example: time('24h') }) },
			{ value: '12h', label: m.settings_time_format_12h({ example: time('12h') }) }
		],
		weekStarts: [
			{ value: 'auto', label: m.settings_week_start_auto({ day: weekday(sample({}).weekStart) }) },
			{ value: 'monday', label: weekday(1) },
			{ value: 'sunday', label: weekday(7) },
			{ value: 'saturday', label: weekday(6) }
		]
	};
}
