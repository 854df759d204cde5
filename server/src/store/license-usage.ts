// L16: a license's daily usage kept as runs of days with equal units, so a license that does not change for a year is one
// row, not 365. Both stores apply the same rule: at most one value per license and day, and the later sync of a day wins.
import { addDays } from '../../../src/lib/domain/license-state';
import type { LicenseUsageInput, LicenseUsageRun } from './types';

/**
 * The rows (keyed by their first `day`) to write so that `today` holds `units`, given the license's latest run. Empty when
 * nothing changes; a run never reaches back before a later one (a clock that went back does not rewrite history).
 */
export function usageRunWrites(
	latest: LicenseUsageRun | null,
	today: string,
	units: LicenseUsageInput
): LicenseUsageRun[] {
	const run: LicenseUsageRun = {
		day: today,
		lastDay: today,
		unitsActivated: units.unitsActivated,
		unitsOrdered: units.unitsOrdered
	};
	if (latest === null) return [run];
	if (latest.day > today) return [];
	if (latest.day === today) return sameUnits(latest, units) && latest.lastDay === today ? [] : [run];
	if (sameUnits(latest, units)) return latest.lastDay >= today ? [] : [{ ...latest, lastDay: today }];
	// The units changed today: the previous run ends yesterday (an earlier sync today may have extended it to today).
	const yesterday = addDays(today, -1);
	return latest.lastDay > yesterday ? [{ ...latest, lastDay: yesterday }, run] : [run];
}

function sameUnits(run: LicenseUsageRun, units: LicenseUsageInput): boolean {
	return run.unitsActivated === units.unitsActivated && run.unitsOrdered === units.unitsOrdered;
}

/** The runs as days, oldest first, at most the newest `maxDays` (days between runs, when no sync ran, are left out). */
export function usageDays(
	runs: readonly LicenseUsageRun[],
	maxDays: number
): Array<{ day: string; unitsActivated: number; unitsOrdered: number }> {
	const days: Array<{ day: string; unitsActivated: number; unitsOrdered: number }> = [];
	for (let i = runs.length - 1; i >= 0 && days.length < maxDays; i--) {
		const run = runs[i]!;
		for (let day = run.lastDay; day >= run.day && days.length < maxDays; day = addDays(day, -1))
			days.push({ day, unitsActivated: run.unitsActivated, unitsOrdered: run.unitsOrdered });
	}
	return days.reverse();
}
