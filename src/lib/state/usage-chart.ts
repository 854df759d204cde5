// L16: the usage chart's geometry (a small hand-drawn SVG line chart: no chart library for two lines).
import type { UsageDay } from '$lib/schema/license-api';

/** The chart's geometry for days of usage: points of activated and ordered units, and round ticks on the units axis. */
export interface UsageChartModel {
	readonly activated: readonly { x: number; y: number }[];
	readonly ordered: readonly { x: number; y: number }[];
	readonly yTicks: readonly { value: number; y: number }[];
	readonly xTicks: readonly { day: string; x: number }[];
}

/** A tick step of 1, 2 or 5 times a power of ten that gives about `count` ticks up to `max`. */
export function niceStep(max: number, count = 4): number {
	if (max <= 0) return 1;
	const rough = max / count;
	const power = 10 ** Math.floor(Math.log10(rough));
	const step = [1, 2, 5, 10].map((f) => f * power).find((s) => s >= rough) ?? 10 * power;
	return Math.max(1, step);
}

/** Lays the usage out in a `width` × `height` plot area (y grows downwards, as in SVG). */
export function usageChart(usage: readonly UsageDay[], width: number, height: number): UsageChartModel {
	const days = [...usage].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
	const top = Math.max(1, ...days.map((d) => Math.max(d.unitsActivated, d.unitsOrdered)));
	const step = niceStep(top);
	const max = Math.ceil(top / step) * step;
	const x = (i: number) => (days.length <= 1 ? width / 2 : (i / (days.length - 1)) * width);
	const y = (value: number) => height - (value / max) * height;
	const yTicks: { value: number; y: number }[] = [];
	for (let value = 0; value <= max; value += step) yTicks.push({ value, y: y(value) });
	const xIndexes = days.length <= 1 ? [0] : [...new Set([0, Math.floor((days.length - 1) / 2), days.length - 1])];
	return {
		activated: days.map((d, i) => ({ x: x(i), y: y(d.unitsActivated) })),
		ordered: days.map((d, i) => ({ x: x(i), y: y(d.unitsOrdered) })),
		yTicks,
		xTicks: days.length === 0 ? [] : xIndexes.map((i) => ({ day: days[i]!.day, x: x(i) }))
	};
}
