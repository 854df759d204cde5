// L8, L11, L14, L15: which license actions a license allows, and why not, so a screen can offer an action disabled with
// its reason rather than let the server refuse it later.
import { addDays } from '$lib/domain/license-state';
import { MAX_TRIAL_EXTENSIONS, TRIAL_EXTENSION_DAYS, type License } from '$lib/schema/licenses';

export type TrialRefusal = 'notTrial' | 'removed' | 'maxExtensions' | 'allConverted';

export type TrialExtension =
	| { readonly ok: true; readonly newExpiry: string; readonly remaining: number }
	| { readonly ok: false; readonly reason: TrialRefusal };

/** L15: a trial is extended by 30 days, at most twice. */
export function trialExtension(
	license: Pick<License, 'type' | 'removed' | 'extensions' | 'expiresOn'>
): TrialExtension {
	if (license.type !== 'trial') return { ok: false, reason: 'notTrial' };
	if (license.removed) return { ok: false, reason: 'removed' };
	if (license.extensions >= MAX_TRIAL_EXTENSIONS) return { ok: false, reason: 'maxExtensions' };
	return {
		ok: true,
		newExpiry: addDays(license.expiresOn, TRIAL_EXTENSION_DAYS),
		remaining: MAX_TRIAL_EXTENSIONS - license.extensions
	};
}

export type TrialConversion =
	{ readonly ok: true; readonly max: number } | { readonly ok: false; readonly reason: TrialRefusal };

/** L15: how many of a trial's units can still be converted to a paid license (in whole or in part; never by itself). */
export function trialConversion(
	license: Pick<License, 'type' | 'removed' | 'unitsOrdered' | 'convertedUnits'>
): TrialConversion {
	if (license.type !== 'trial') return { ok: false, reason: 'notTrial' };
	if (license.removed) return { ok: false, reason: 'removed' };
	const max = license.unitsOrdered - license.convertedUnits;
	return max >= 1 ? { ok: true, max } : { ok: false, reason: 'allConverted' };
}

/** L15: the units a person typed, checked against the bounds (whole units, 1 to `max`); null when they are outside. */
export function parseUnits(text: string, max: number): number | null {
	if (!/^\s*\d+\s*$/.test(text)) return null;
	const units = Number(text);
	return Number.isSafeInteger(units) && units >= 1 && units <= max ? units : null;
}

/** L14: whether a company's licenses are suspended in the portal now: 'resume' when all of them are, else 'suspend'. */
export function companySuspension(licenses: readonly Pick<License, 'held' | 'removed'>[]): 'suspend' | 'resume' | null {
	const live = licenses.filter((license) => !license.removed);
	if (live.length === 0) return null;
	return live.every((license) => license.held) ? 'resume' : 'suspend';
}
