// P4, P5, P7: service kinds, job, request and backup statuses in words.
import { m } from '$lib/paraglide/messages.js';
import type { BackupRequestStatus, JobStatus, RequestStatus, ServiceKind } from '$lib/schema/customer';

export function serviceKindLabel(kind: ServiceKind): string {
	switch (kind) {
		case 'exchangeBackup':
			return m.service_kind_exchangeBackup();
		case 'oneDriveBackup':
			return m.service_kind_oneDriveBackup();
		case 'sharePointBackup':
			return m.service_kind_sharePointBackup();
		case 'teamsBackup':
			return m.service_kind_teamsBackup();
		case 'serverBackup':
			return m.service_kind_serverBackup();
		case 'endpointProtection':
			return m.service_kind_endpointProtection();
	}
}

export function requestStatusLabel(status: RequestStatus): string {
	switch (status) {
		case 'open':
			return m.work_request_status_open();
		case 'inProgress':
			return m.work_request_status_inProgress();
		case 'waiting':
			return m.work_request_status_waiting();
		case 'closed':
			return m.work_request_status_closed();
	}
}

export function jobStatusLabel(status: JobStatus): string {
	switch (status) {
		case 'succeeded':
			return m.work_job_status_succeeded();
		case 'failed':
			return m.work_job_status_failed();
		case 'warning':
			return m.work_job_status_warning();
	}
}

export function backupStatusLabel(status: BackupRequestStatus): string {
	switch (status) {
		case 'queued':
			return m.work_backup_status_queued();
		case 'sent':
			return m.work_backup_status_sent();
		case 'running':
			return m.work_backup_status_running();
		case 'succeeded':
			return m.work_backup_status_succeeded();
		case 'failed':
			return m.work_backup_status_failed();
	}
}
