// P1: when a customer organization needs the MSP's attention, and who counts as its registered accounts.
import type { LicenseState } from './license-state';

/** L14 states that are a problem today (not one coming soon): the customer needs attention while one of them holds. */
export const LICENSE_TROUBLE_STATES: ReadonlySet<LicenseState> = new Set<LicenseState>([
	'expired',
	'overused',
	'trialExpired',
	'suspended'
]);

export function isLicenseInTrouble(state: LicenseState): boolean {
	return LICENSE_TROUBLE_STATES.has(state);
}

export interface AttentionFacts {
	/** Failed jobs that ended in the chosen window (P2). */
	readonly failedJobs: number;
	/** Service requests not closed (whenever they were submitted). */
	readonly openRequests: number;
	/** Licenses of the customer's pools in one of LICENSE_TROUBLE_STATES. */
	readonly licensesInTrouble: number;
}

/** P1: an organization needs attention when a job failed in the window, a request is open or a license is in trouble. */
export function needsAttention(facts: AttentionFacts): boolean {
	return facts.failedJobs > 0 || facts.openRequests > 0 || facts.licensesInTrouble > 0;
}

/**
 * P1, P3: the registered accounts of a customer: the contact emails the server summarized, and the admin contact's email
 * from the node when the summary does not hold it yet (a new customer, or no summary at all). Each once, case-insensitive.
 */
export function registeredAccounts(adminEmail: string | null | undefined, summarized: readonly string[]): string[] {
	const seen = new Set<string>();
	const out: string[] = [];
	for (const email of adminEmail ? [adminEmail, ...summarized] : summarized) {
		const key = email.trim().toLowerCase();
		if (key === '' || seen.has(key)) continue;
		seen.add(key);
		out.push(email.trim());
	}
	return out;
}
