// P2: the time window the dashboard's figures are counted over (job end time, request submission time), as the URL query
// keeps it: the last 24 hours, 7 days or 30 days, or custom days in the tenant's time zone (both days included).
import { z } from 'zod';
import { addDays } from '$lib/domain/license-state';
import { startOfDayIn } from '$lib/domain/activity';

export const WINDOW_PRESETS = ['24h', '7d', '30d'] as const;
export type WindowPreset = (typeof WINDOW_PRESETS)[number];
export const DEFAULT_PRESET: WindowPreset = '7d';

const PRESET_MINUTES: Readonly<Record<WindowPreset, number>> = {
	'24h': 24 * 60,
	'7d': 7 * 24 * 60,
	'30d': 30 * 24 * 60
};

const daySchema = z.iso.date();

export type WindowChoice =
	{ readonly kind: WindowPreset } | { readonly kind: 'custom'; readonly from: string; readonly to: string };

const choiceSchema = z.union([
	z.object({ kind: z.enum(WINDOW_PRESETS) }),
	z
		.object({ kind: z.literal('custom'), from: daySchema, to: daySchema })
		.refine((choice) => choice.from <= choice.to, 'the first day comes before the last one')
]);

/** The window a URL query asks for (`?window=24h`, `?from=YYYY-MM-DD&to=YYYY-MM-DD`); anything else is the default. */
export function parseWindowQuery(params: URLSearchParams): WindowChoice {
	const from = params.get('from');
	const to = params.get('to');
	const raw = from !== null || to !== null ? { kind: 'custom', from, to } : { kind: params.get('window') };
	const parsed = choiceSchema.safeParse(raw);
	return parsed.success ? parsed.data : { kind: DEFAULT_PRESET };
}

/** The query that reproduces `choice` (the default preset needs none). */
export function windowQuery(choice: WindowChoice): Record<string, string> {
	if (choice.kind === 'custom') return { from: choice.from, to: choice.to };
	return choice.kind === DEFAULT_PRESET ? {} : { window: choice.kind };
}

/** Why a custom range cannot be used (null: it can). */
export function customRangeProblem(from: string, to: string): 'invalid' | 'order' | null {
	if (!daySchema.safeParse(from).success || !daySchema.safeParse(to).success) return 'invalid';
	return from <= to ? null : 'order';
}

export interface TimeWindow {
	/** Inclusive. */
	readonly from: Date;
	/** Exclusive. */
	readonly to: Date;
}

/**
 * The instants of `choice` at `now`. A preset ends after the current minute (summaries keep whole minutes, so an event of
 * this minute counts) and starts exactly its length earlier; custom days run from the first day's midnight to the midnight
 * after the last day, in `timeZone`.
 */
export function windowBounds(choice: WindowChoice, now: Date, timeZone: string): TimeWindow {
	if (choice.kind === 'custom')
		return { from: startOfDayIn(choice.from, timeZone), to: startOfDayIn(addDays(choice.to, 1), timeZone) };
	const end = (Math.floor(now.getTime() / 60_000) + 1) * 60_000;
	return { from: new Date(end - PRESET_MINUTES[choice.kind] * 60_000), to: new Date(end) };
}
