// P6, C6: the rules of the invite-customer wizard, pure: the device checks them at each field, the server again on its day.
import { invitationEmailSchema } from '../schema/commands';
import { SERVICE_KINDS, type ServiceKind } from '../schema/customer';
import { BILLING_TYPES, type BillingType } from '../schema/tree';

/** P6: a trial license covers at most this many users. */
export const TRIAL_MAX_USERS = 5;
/** Purchased capacity of any license: at most this many users (the command's bound). */
export const MAX_LICENSE_USERS = 1_000_000;

/** The fields of the wizard a refusal is shown at. */
export type InvitationField =
	'organization' | 'contactName' | 'contactEmail' | 'services' | 'billingType' | 'product' | 'units' | 'expiresOn';

export type InvitationIssueCode =
	| 'organizationRequired'
	| 'contactNameRequired'
	| 'contactEmailInvalid'
	| 'serviceUnknown'
	| 'serviceTwice'
	| 'billingTypeUnknown'
	/** C6: monthly billing needs the tenant's monthly-billing program. */
	| 'monthlyNotInProgram'
	| 'productRequired'
	| 'unitsInvalid'
	/** P6: a trial covers at most TRIAL_MAX_USERS users. */
	| 'trialTooManyUsers'
	| 'expiryInvalid'
	/** P6: the expiry is not before the first booking date… */
	| 'expiryBeforeBooking'
	/** …and at most one year after it. */
	| 'expiryTooLate';

export interface InvitationIssue {
	readonly field: InvitationField;
	readonly code: InvitationIssueCode;
}

/** The license an invitation books (P6 "license information"). */
export interface InvitationLicense {
	readonly billingType: string;
	readonly product: string;
	/** Purchased capacity in users. */
	readonly units: number;
	/** `YYYY-MM-DD`. */
	readonly expiresOn: string;
}

export interface InvitationDraft {
	readonly organization: string;
	readonly contactName: string;
	readonly contactEmail: string;
	readonly services: readonly string[];
	readonly license: InvitationLicense;
}

export interface InvitationContext {
	/** The first booking date: the day the invitation is made, in the tenant's time zone (`YYYY-MM-DD`). */
	readonly bookingDate: string;
	/** C6: the tenant takes part in the monthly-billing program. */
	readonly monthlyBillingProgram: boolean;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day `YYYY-MM-DD` (no 2027-02-30). */
export function isCalendarDay(value: string): boolean {
	const match = DAY.exec(value);
	if (!match) return false;
	const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const parsed = new Date(Date.UTC(year, month - 1, date));
	return parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === date;
}

/**
 * P6: the last expiry a booking on `day` allows: the same date one year later (a booking on 29 February runs to
 * 1 March, the day after 28 February of the next year).
 */
export function latestExpiry(day: string): string {
	const [year, month, date] = day.split('-').map(Number) as [number, number, number];
	return new Date(Date.UTC(year + 1, month - 1, date)).toISOString().slice(0, 10);
}

const isBillingType = (value: string): value is BillingType => (BILLING_TYPES as readonly string[]).includes(value);
const isServiceKind = (value: string): value is ServiceKind => (SERVICE_KINDS as readonly string[]).includes(value);

/** P6, C6: what is wrong with the license information (empty: it may be booked on `context.bookingDate`). */
export function licenseIssues(license: InvitationLicense, context: InvitationContext): InvitationIssue[] {
	const issues: InvitationIssue[] = [];
	if (!isBillingType(license.billingType)) issues.push({ field: 'billingType', code: 'billingTypeUnknown' });
	else if (license.billingType === 'monthly' && !context.monthlyBillingProgram)
		issues.push({ field: 'billingType', code: 'monthlyNotInProgram' });
	if (license.product.trim() === '') issues.push({ field: 'product', code: 'productRequired' });
	if (!Number.isInteger(license.units) || license.units < 1 || license.units > MAX_LICENSE_USERS)
		issues.push({ field: 'units', code: 'unitsInvalid' });
	else if (license.billingType === 'trial' && license.units > TRIAL_MAX_USERS)
		issues.push({ field: 'units', code: 'trialTooManyUsers' });
	if (!isCalendarDay(license.expiresOn)) issues.push({ field: 'expiresOn', code: 'expiryInvalid' });
	else if (license.expiresOn < context.bookingDate) issues.push({ field: 'expiresOn', code: 'expiryBeforeBooking' });
	else if (license.expiresOn > latestExpiry(context.bookingDate))
		issues.push({ field: 'expiresOn', code: 'expiryTooLate' });
	return issues;
}

/** P6: the organization and its admin contact (step 1 and 2 of the wizard). */
export function organizationIssues(draft: Pick<InvitationDraft, 'organization'>): InvitationIssue[] {
	return draft.organization.trim() === '' ? [{ field: 'organization', code: 'organizationRequired' }] : [];
}

export function contactIssues(draft: Pick<InvitationDraft, 'contactName' | 'contactEmail'>): InvitationIssue[] {
	const issues: InvitationIssue[] = [];
	if (draft.contactName.trim() === '') issues.push({ field: 'contactName', code: 'contactNameRequired' });
	if (!invitationEmailSchema.safeParse(draft.contactEmail.trim()).success)
		issues.push({ field: 'contactEmail', code: 'contactEmailInvalid' });
	return issues;
}

/** P6: services to add: none or more, each a known kind, each once. */
export function serviceIssues(services: readonly string[]): InvitationIssue[] {
	if (services.some((kind) => !isServiceKind(kind))) return [{ field: 'services', code: 'serviceUnknown' }];
	if (new Set(services).size !== services.length) return [{ field: 'services', code: 'serviceTwice' }];
	return [];
}

/** P6, C6: every refusal of a whole invitation, one per field at most, in the wizard's order. */
export function invitationIssues(draft: InvitationDraft, context: InvitationContext): InvitationIssue[] {
	return [
		...organizationIssues(draft),
		...contactIssues(draft),
		...serviceIssues(draft.services),
		...licenseIssues(draft.license, context)
	];
}
