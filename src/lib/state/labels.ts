// Turns domain values and errors into translated text: kind names, statuses, DomainError and API error codes, zod issues.
import type { z } from 'zod';
import { m } from '$lib/paraglide/messages.js';
import { DomainError } from '$lib/domain/errors';
import { ApiRequestError } from '$lib/api/client';
import type { BillingType, CustomerStatus, NodeKind } from '$lib/schema/tree';
import type { LicenseType } from '$lib/schema/licenses';

export function kindLabel(kind: NodeKind | null): string {
	switch (kind) {
		case 'distributor':
			return m.kind_distributor();
		case 'mspManager':
			return m.kind_mspManager();
		case 'msp':
			return m.kind_msp();
		case 'managedMsp':
			return m.kind_managedMsp();
		case 'customer':
			return m.kind_customer();
		case 'site':
			return m.kind_site();
		case null:
			return m.kind_root();
	}
}

export function statusLabel(status: CustomerStatus): string {
	switch (status) {
		case 'notSetUp':
			return m.status_notSetUp();
		case 'normal':
			return m.status_normal();
		case 'unlinked':
			return m.status_unlinked();
	}
}

export function billingLabel(type: BillingType | undefined): string {
	if (type === 'trial') return m.billing_trial();
	if (type === 'monthly') return m.billing_monthly();
	if (type === 'term') return m.billing_term();
	return m.billing_unset();
}

export function licenseTypeLabel(type: LicenseType): string {
	switch (type) {
		case 'business':
			return m.license_type_business();
		case 'trial':
			return m.license_type_trial();
		case 'msp':
			return m.license_type_msp();
		case 'nfr':
			return m.license_type_nfr();
	}
}

/** The `allowed` parameter of H2 errors lists raw kinds ("msp, root"); show them translated. */
function allowedList(raw: string | number | undefined): string {
	if (typeof raw !== 'string') return '';
	return raw
		.split(',')
		.map((part) => part.trim())
		.map((part) => (part === 'root' ? kindLabel(null) : isKind(part) ? kindLabel(part) : part))
		.join(', ');
}

function isKind(value: string): value is NodeKind {
	return ['distributor', 'mspManager', 'msp', 'managedMsp', 'customer', 'site'].includes(value);
}

function kindParam(raw: string | number | undefined): string {
	return typeof raw === 'string' && isKind(raw) ? kindLabel(raw) : String(raw ?? '');
}

export function domainErrorMessage(error: DomainError): string {
	const p = error.params;
	switch (error.code) {
		case 'tree.parentNotAllowed':
			return m.domain_error_parent_not_allowed({
				kind: kindParam(p.kind),
				parentKind: kindParam(p.parentKind),
				allowed: allowedList(p.allowed)
			});
		case 'tree.rootNotAllowed':
			return m.domain_error_root_not_allowed({ kind: kindParam(p.kind), allowed: allowedList(p.allowed) });
		case 'tree.cycle':
			return m.domain_error_cycle({ name: String(p.name ?? '') });
		case 'tree.nodeNotFound':
			return m.domain_error_node_not_found();
		case 'tree.parentNotFound':
			return m.domain_error_parent_not_found();
		case 'tree.hasLicensePools':
			return m.domain_error_has_license_pools({ count: Number(p.count ?? 0) });
		case 'tree.invalidInput':
		case 'customer.invalidInput':
		case 'billing.invalidInput':
			return m.domain_error_invalid_input();
		case 'customer.contactNotFound':
			return m.domain_error_contact_not_found();
		case 'customer.serviceExists':
			return m.work_error_service_exists();
		case 'customer.recordNotFound':
			return m.work_error_record_not_found();
		case 'customer.unlinked':
			return m.domain_error_customer_unlinked({ name: String(p.name ?? '') });
		case 'access.readOnly':
			return m.domain_error_read_only();
		case 'license.notFound':
			return m.domain_error_license_not_found();
		case 'license.invalidInput':
			return m.domain_error_invalid_input();
		case 'license.poolFixed':
			return m.domain_error_license_pool_fixed();
		case 'license.trialRule':
			return m.domain_error_license_trial_rule();
		case 'report.invalidInput':
			return m.domain_error_invalid_input();
		case 'report.limit':
			return m.custrep_error_limit({ limit: Number(p.limit ?? 0) });
	}
}

export function apiErrorMessage(error: ApiRequestError): string {
	switch (error.code) {
		case 'network':
			return m.api_error_network();
		case 'invalid_credentials':
			return m.api_error_invalid_credentials();
		case 'too_many_attempts':
			return m.api_error_rate_limited();
		case 'invalid_setup_token':
			return m.api_error_invalid_token();
		case 'setup_done':
			return m.api_error_setup_done();
		case 'email_taken':
			return m.api_error_email_taken();
		case 'not_signed_in':
			return m.api_error_unauthorized();
		case 'forbidden_origin':
			return m.api_error_forbidden();
		case 'invalid_body':
		case 'invalid_json':
		case 'bad_request':
		case 'payload_too_large':
			return m.api_error_invalid_body();
		case 'internal':
		case 'server':
			return m.api_error_server();
	}
	if (error.status === 401) return m.api_error_unauthorized();
	if (error.status === 403) return m.api_error_forbidden();
	if (error.status === 429) return m.api_error_rate_limited();
	if (error.status >= 500) return m.api_error_server();
	return m.api_error_unknown({ code: error.code });
}

/** Any error a screen may catch, as text a person can act on. */
export function errorMessage(error: unknown): string {
	if (error instanceof DomainError) return domainErrorMessage(error);
	if (error instanceof ApiRequestError) return apiErrorMessage(error);
	return m.api_error_unknown({ code: error instanceof Error ? error.name : 'unknown' });
}

type Issue = z.core.$ZodIssue;

/** A zod issue as translated text; `field` tells which field it is about when the schema's own words do not. */
function issueMessage(issue: Issue, field: string): string {
	if (field === 'email' || field.endsWith('Email') || (issue.code === 'invalid_format' && issue.format === 'email')) {
		if (issue.code === 'too_big') return m.error_too_long({ max: Number(issue.maximum) });
		if (issue.code === 'invalid_format' || issue.code === 'invalid_union' || issue.code === 'invalid_type')
			return m.error_email_invalid();
	}
	if (field === 'country') return m.error_country_invalid();
	if (field === 'password') {
		if (issue.code === 'too_small')
			return Number(issue.minimum) > 1 ? m.error_password_short() : m.error_password_required();
		if (issue.code === 'too_big') return m.error_password_long();
	}
	if (issue.code === 'too_small') return m.error_required();
	if (issue.code === 'too_big') return m.error_too_long({ max: Number(issue.maximum) });
	if (issue.code === 'invalid_union' || issue.code === 'invalid_format') return m.error_email_invalid();
	return m.domain_error_invalid_input();
}

/**
 * Field name → first translated message, for a form's inline errors. Nested paths are joined with dots. `field` names
 * the value when a single one was parsed (empty path): a short password then reads as such, not as "required".
 */
export function fieldErrors(error: z.ZodError, field = ''): Record<string, string> {
	const out: Record<string, string> = {};
	for (const issue of error.issues) {
		const key = issue.path.length === 0 ? field : issue.path.map(String).join('.');
		const last = String(issue.path[issue.path.length - 1] ?? field);
		if (!(key in out)) out[key] = issueMessage(issue, last);
	}
	return out;
}
