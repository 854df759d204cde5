// P8: custom reports in words: subjects, fields, operators, windows, charts, and each cell as the reader reads it (dates in
// the tenant's time zone, numbers and sizes in the UI's language) or as the CSV export writes it.
import { m } from '$lib/paraglide/messages.js';
import { LICENSE_STATES, type LicenseState } from '$lib/domain/license-state';
import type { Cell } from '$lib/domain/reports/custom';
import { REQUEST_STATUSES, type RequestStatus } from '$lib/schema/customer';
import { LICENSE_TYPES, type LicenseType } from '$lib/schema/licenses';
import {
	reportField,
	type ReportAggregate,
	type ReportChart,
	type ReportFieldType,
	type ReportOperator,
	type ReportSubject,
	type ReportWindow
} from '$lib/schema/reports';
import { CUSTOMER_STATUSES, type CustomerStatus } from '$lib/schema/tree';
import type { Formatter } from '../format';
import { licenseTypeLabel, statusLabel } from '../labels';
import { licenseStateLabel } from '../license-labels';
import { requestStatusLabel } from '../work-labels';

export function subjectLabel(subject: ReportSubject): string {
	switch (subject) {
		case 'customers':
			return m.custrep_subject_customers();
		case 'licenses':
			return m.custrep_subject_licenses();
		case 'jobs':
			return m.custrep_subject_jobs();
		case 'requests':
			return m.custrep_subject_requests();
	}
}

const FIELD_LABELS: { readonly [S in ReportSubject]: Readonly<Record<string, () => string>> } = {
	customers: {
		name: m.custrep_field_customers_name,
		status: m.custrep_field_customers_status,
		country: m.custrep_field_customers_country,
		tags: m.custrep_field_customers_tags,
		services: m.custrep_field_customers_services,
		failedJobs: m.custrep_field_customers_failed_jobs,
		serviceRequests: m.custrep_field_customers_service_requests,
		openRequests: m.custrep_field_customers_open_requests,
		storage: m.custrep_field_customers_storage,
		licenses: m.custrep_field_customers_licenses,
		insights: m.custrep_field_customers_insights,
		createdAt: m.custrep_field_customers_created_at
	},
	licenses: {
		publicId: m.custrep_field_licenses_public_id,
		product: m.custrep_field_licenses_product,
		type: m.custrep_field_licenses_type,
		state: m.custrep_field_licenses_state,
		unitsOrdered: m.custrep_field_licenses_units_ordered,
		unitsActivated: m.custrep_field_licenses_units_activated,
		expiresOn: m.custrep_field_licenses_expires_on,
		owner: m.custrep_field_licenses_owner,
		licenseUser: m.custrep_field_licenses_license_user,
		tag: m.custrep_field_licenses_tag,
		pool: m.custrep_field_licenses_pool,
		account: m.custrep_field_licenses_account
	},
	jobs: {
		customer: m.custrep_field_jobs_customer,
		jobId: m.custrep_field_jobs_job_id,
		service: m.custrep_field_jobs_service,
		module: m.custrep_field_jobs_module,
		startedAt: m.custrep_field_jobs_started_at,
		endedAt: m.custrep_field_jobs_ended_at,
		durationMinutes: m.custrep_field_jobs_duration_minutes
	},
	requests: {
		customer: m.custrep_field_requests_customer,
		requestId: m.custrep_field_requests_request_id,
		subject: m.custrep_field_requests_subject,
		status: m.custrep_field_requests_status,
		submittedAt: m.custrep_field_requests_submitted_at
	}
};

/** A field's name in the UI's language (the field's own id when the catalog lacks it, e.g. a broken saved report). */
export function fieldLabel(subject: ReportSubject, field: string): string {
	const labels = FIELD_LABELS[subject];
	return Object.hasOwn(labels, field) ? labels[field]!() : field;
}

export function operatorLabel(op: ReportOperator, type: ReportFieldType): string {
	switch (op) {
		case 'equals':
			return m.custrep_op_equals();
		case 'contains':
			return m.custrep_op_contains();
		case 'greaterThan':
			return type === 'date' ? m.custrep_op_after() : m.custrep_op_greater();
		case 'lessThan':
			return type === 'date' ? m.custrep_op_before() : m.custrep_op_less();
		case 'between':
			return m.custrep_op_between();
		case 'oneOf':
			return m.custrep_op_one_of();
	}
}

export function windowLabel(window: ReportWindow | null): string {
	switch (window) {
		case null:
			return m.custrep_window_all();
		case '24h':
			return m.custrep_window_24h();
		case '7d':
			return m.custrep_window_7d();
		case '30d':
			return m.custrep_window_30d();
		case '90d':
			return m.custrep_window_90d();
	}
}

export function chartLabel(chart: ReportChart): string {
	switch (chart) {
		case 'bar':
			return m.custrep_chart_bar();
		case 'line':
			return m.custrep_chart_line();
		case 'pie':
			return m.custrep_chart_pie();
		case 'table':
			return m.custrep_chart_table();
	}
}

export function aggregateLabel(aggregate: ReportAggregate): string {
	switch (aggregate) {
		case 'count':
			return m.custrep_agg_count();
		case 'sum':
			return m.custrep_agg_sum();
		case 'average':
			return m.custrep_agg_average();
	}
}

/** The figure a grouping shows, as a heading: "Count", "Sum of Units ordered". */
export function figureLabel(subject: ReportSubject, aggregate: ReportAggregate, measure: string | null): string {
	if (aggregate === 'count' || measure === null) return m.custrep_agg_count();
	const field = fieldLabel(subject, measure);
	return aggregate === 'sum' ? m.custrep_agg_label_sum({ field }) : m.custrep_agg_label_average({ field });
}

export interface StateOption {
	readonly value: string;
	readonly label: string;
}

/** The values a state field takes, in words (for "is" and "is one of"). */
export function stateOptions(subject: ReportSubject, field: string): StateOption[] {
	if (subject === 'customers' && field === 'status')
		return CUSTOMER_STATUSES.map((value) => ({ value, label: statusLabel(value) }));
	if (subject === 'licenses' && field === 'type')
		return LICENSE_TYPES.map((value) => ({ value, label: licenseTypeLabel(value) }));
	if (subject === 'licenses' && field === 'state')
		return LICENSE_STATES.map((value) => ({ value, label: licenseStateLabel(value) }));
	if (subject === 'requests' && field === 'status')
		return REQUEST_STATUSES.map((value) => ({ value, label: requestStatusLabel(value) }));
	return [];
}

function stateText(subject: ReportSubject, field: string, value: string): string {
	if (subject === 'customers' && field === 'status') return statusLabel(value as CustomerStatus);
	if (subject === 'licenses' && field === 'type') return licenseTypeLabel(value as LicenseType);
	if (subject === 'licenses' && field === 'state') return licenseStateLabel(value as LicenseState);
	if (subject === 'requests' && field === 'status') return requestStatusLabel(value as RequestStatus);
	return value;
}

/** A figure in a report: one decimal at most, in the reader's language. */
export function formatReportNumber(value: number, format: Formatter): string {
	return format.number(value, { maximumFractionDigits: 1 });
}

/** P9: a cell is formatted in the UI's language, the report's time zone and the tenant's date and time formats. */
export type CellFormat = Formatter;

/** A cell as the screen shows it: sizes and numbers in the reader's language, days and instants as the tenant writes them. */
export function cellText(subject: ReportSubject, field: string, cell: Cell, format: CellFormat): string {
	if (cell === null) return '';
	const info = reportField(subject, field);
	if (typeof cell === 'number') {
		if (info?.unit === 'bytes') return format.bytes(cell);
		return formatReportNumber(cell, format);
	}
	if (info?.type === 'state') return stateText(subject, field, cell);
	// A day (`YYYY-MM-DD`) is not moved by a time zone; an instant is shown in the report's.
	if (info?.type === 'date') return cell.length === 10 ? format.day(cell) : format.dateTime(cell);
	return cell;
}

/** A group's key as the chart and the table show it. */
export function groupText(subject: ReportSubject, field: string, key: Cell, format: CellFormat): string {
	if (key === null) return m.custrep_group_none();
	return cellText(subject, field, key, format);
}

/**
 * A cell in the CSV export: numbers as plain numbers (spreadsheets compute with them), states in words, days as
 * `YYYY-MM-DD` and instants as `YYYY-MM-DD HH:mm` in the tenant's time zone (sortable, unambiguous in every language).
 */
const csvInstantFormats = new Map<string, Intl.DateTimeFormat>();

export function csvCell(subject: ReportSubject, field: string, cell: Cell, timeZone: string): string | number | null {
	if (cell === null || typeof cell === 'number') return cell;
	const info = reportField(subject, field);
	if (info?.type === 'state') return stateText(subject, field, cell);
	if (info?.type === 'date' && cell.length > 10) {
		const date = new Date(cell);
		if (Number.isNaN(date.getTime())) return cell;
		let csvFormat = csvInstantFormats.get(timeZone);
		if (!csvFormat) {
			csvFormat = new Intl.DateTimeFormat('en-CA', {
				year: 'numeric',
				month: '2-digit',
				day: '2-digit',
				hour: '2-digit',
				minute: '2-digit',
				hourCycle: 'h23',
				timeZone
			});
			csvInstantFormats.set(timeZone, csvFormat);
		}
		const parts = csvFormat.formatToParts(date);
		const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
		return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
	}
	return cell;
}
