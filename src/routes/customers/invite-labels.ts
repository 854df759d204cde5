// P6: the invite wizard's words: steps, services and each refusal at its field (Paraglide messages).
import { m } from '$lib/paraglide/messages.js';
import type { InviteStep, InviteWizardState, WizardField, WizardIssueCode } from '$lib/state/invite-wizard.svelte';

export function inviteStepLabel(step: InviteStep): string {
	switch (step) {
		case 'organization':
			return m.invite_step_organization();
		case 'contact':
			return m.invite_step_contact();
		case 'services':
			return m.invite_step_services();
		case 'license':
			return m.invite_step_license();
		case 'review':
			return m.invite_step_review();
	}
}

function issueText(code: WizardIssueCode, latestExpiry: string): string {
	switch (code) {
		case 'organizationRequired':
			return m.invite_error_organizationRequired();
		case 'contactNameRequired':
			return m.invite_error_contactNameRequired();
		case 'contactEmailInvalid':
			return m.invite_error_contactEmailInvalid();
		case 'serviceUnknown':
			return m.invite_error_serviceUnknown();
		case 'serviceTwice':
			return m.invite_error_serviceTwice();
		case 'billingTypeUnknown':
			return m.invite_error_billingTypeUnknown();
		case 'monthlyNotInProgram':
			return m.invite_error_monthlyNotInProgram();
		case 'productRequired':
			return m.invite_error_productRequired();
		case 'unitsInvalid':
			return m.invite_error_unitsInvalid();
		case 'trialTooManyUsers':
			return m.invite_error_trialTooManyUsers();
		case 'expiryInvalid':
			return m.invite_error_expiryInvalid();
		case 'expiryBeforeBooking':
			return m.invite_error_expiryBeforeBooking();
		case 'expiryTooLate':
			return m.invite_error_expiryTooLate({ date: latestExpiry });
		case 'countryInvalid':
			return m.invite_error_countryInvalid();
		case 'tagInvalid':
			return m.invite_error_tagInvalid();
		case 'tooManyTags':
			return m.invite_error_tooManyTags();
		case 'parentRequired':
			return m.invite_error_parentRequired();
	}
}

/** The refusal shown at `field` after the last "Next" or "Start", or null. */
export function inviteIssueMessage(wizard: InviteWizardState, field: WizardField): string | null {
	const code = wizard.errors[field];
	return code === undefined ? null : issueText(code, wizard.latestExpiry);
}
