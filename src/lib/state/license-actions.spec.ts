// Which license actions a license allows, and why not (L14, L15); the usage chart's scale (L16).
import { describe, expect, it } from 'vitest';
import { companySuspension, parseUnits, trialConversion, trialExtension } from './license-actions';
import { niceStep, usageChart } from './usage-chart';

const trial = {
	type: 'trial' as const,
	removed: false,
	extensions: 0,
	expiresOn: '2026-11-28',
	unitsOrdered: 25,
	convertedUnits: 0
};

describe('license actions', () => {
	it('L15: a trial is extended by 30 days at most twice; the third time is refused with the reason', () => {
		expect(trialExtension(trial)).toEqual({ ok: true, newExpiry: '2026-12-28', remaining: 2 });
		expect(trialExtension({ ...trial, extensions: 1 })).toEqual({ ok: true, newExpiry: '2026-12-28', remaining: 1 });
		expect(trialExtension({ ...trial, extensions: 2 })).toEqual({ ok: false, reason: 'maxExtensions' });
		expect(trialExtension({ ...trial, type: 'msp' })).toEqual({ ok: false, reason: 'notTrial' });
		expect(trialExtension({ ...trial, removed: true })).toEqual({ ok: false, reason: 'removed' });
	});

	it('L15: a trial converts in whole or in part, up to the units not converted yet', () => {
		expect(trialConversion(trial)).toEqual({ ok: true, max: 25 });
		expect(trialConversion({ ...trial, convertedUnits: 20 })).toEqual({ ok: true, max: 5 });
		expect(trialConversion({ ...trial, convertedUnits: 25 })).toEqual({ ok: false, reason: 'allConverted' });
		expect(trialConversion({ ...trial, type: 'business' })).toEqual({ ok: false, reason: 'notTrial' });
		expect(parseUnits('5', 5)).toBe(5);
		expect(parseUnits(' 1 ', 5)).toBe(1);
		for (const bad of ['0', '6', '2.5', '-1', '', 'five', '1e3']) expect(parseUnits(bad, 5)).toBeNull();
	});

	it('L14: a company is resumed when all its live licenses are suspended in the portal, else suspended', () => {
		expect(
			companySuspension([
				{ held: false, removed: false },
				{ held: true, removed: false }
			])
		).toBe('suspend');
		expect(
			companySuspension([
				{ held: true, removed: false },
				{ held: false, removed: true }
			])
		).toBe('resume');
		expect(companySuspension([{ held: false, removed: true }])).toBeNull();
		expect(companySuspension([])).toBeNull();
	});

	it('L16: the usage chart runs left to right in time on a round units axis', () => {
		expect(niceStep(50)).toBe(20);
		expect(niceStep(7)).toBe(2);
		expect(niceStep(0)).toBe(1);
		const chart = usageChart(
			[
				{ day: '2026-11-02', unitsActivated: 48, unitsOrdered: 50 },
				{ day: '2026-11-01', unitsActivated: 40, unitsOrdered: 50 },
				{ day: '2026-11-03', unitsActivated: 49, unitsOrdered: 50 }
			],
			200,
			100
		);
		expect(chart.activated.map((p) => p.x)).toEqual([0, 100, 200]);
		expect(chart.activated[0]!.y).toBeCloseTo(100 - (40 / 60) * 100);
		expect(chart.yTicks.map((t) => t.value)).toEqual([0, 20, 40, 60]);
		expect(chart.xTicks.map((t) => t.day)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
		expect(usageChart([], 200, 100).xTicks).toEqual([]);
	});
});
