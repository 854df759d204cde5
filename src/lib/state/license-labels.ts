// L13-L16: license states, their details, account kinds, pending changes, events and refusals as translated text.
import { m } from '$lib/paraglide/messages.js';
import type { LicenseStateInfo, LicenseState } from '$lib/domain/license-state';
import type { License, LicenseAccountKind } from '$lib/schema/licenses';
import type { LicenseEvent } from '$lib/schema/license-api';
import type { PendingChange } from './license-rows';
import type { TrialRefusal } from './license-actions';
import type { CommandType } from '$lib/schema/commands';

export function licenseStateLabel(state: LicenseState): string {
	switch (state) {
		case 'ok':
			return m.license_state_ok();
		case 'warning':
			return m.license_state_warning();
		case 'overused':
			return m.license_state_overused();
		case 'expiringSoon':
			return m.license_state_expiringSoon();
		case 'expired':
			return m.license_state_expired();
		case 'suspended':
			return m.license_state_suspended();
		case 'trialExpired':
			return m.license_state_trialExpired();
		case 'removed':
			return m.license_state_removed();
	}
}

/** What makes the state what it is ("96 % activated", "5 days left"), or '' when the label says it all. */
export function licenseStateDetail(
	info: LicenseStateInfo,
	license: Pick<License, 'unitsActivated' | 'unitsOrdered' | 'held'>
): string {
	switch (info.state) {
		case 'warning':
			// Rounded down: 99.6 % is not yet "100 %", which would read as full.
			return m.license_state_detail_warning({ percent: Math.floor(info.activation * 100) });
		case 'overused':
			return m.license_state_detail_overused({ count: license.unitsActivated - license.unitsOrdered });
		case 'expiringSoon':
			if (info.daysLeft === 0) return m.license_state_detail_expires_today();
			if (info.daysLeft === 1) return m.license_state_detail_expires_tomorrow();
			return m.license_state_detail_days_left({ days: info.daysLeft });
		case 'expired':
		case 'trialExpired':
			return m.license_state_detail_expired_days({ days: -info.daysLeft });
		case 'suspended':
			return license.held ? m.license_state_detail_suspended_portal() : m.license_state_detail_suspended_vendor();
		case 'removed':
			return m.license_state_detail_removed();
		case 'ok':
			return '';
	}
}

export function accountKindLabel(kind: LicenseAccountKind): string {
	switch (kind) {
		case 'msp':
			return m.account_kind_msp();
		case 'managedMsp':
			return m.account_kind_managedMsp();
		case 'mspManager':
			return m.account_kind_mspManager();
		case 'distributor':
			return m.account_kind_distributor();
		case 'business':
			return m.account_kind_business();
	}
}

export function pendingChangeLabel(change: PendingChange): string {
	switch (change) {
		case 'delete':
			return m.license_pending_delete();
		case 'extend':
			return m.license_pending_extend();
		case 'convert':
			return m.license_pending_convert();
		case 'tag':
			return m.license_pending_tag();
		case 'move':
			return m.license_pending_move();
		case 'suspend':
			return m.license_pending_suspend();
		case 'resume':
			return m.license_pending_resume();
	}
}

export function trialRefusalLabel(reason: TrialRefusal): string {
	switch (reason) {
		case 'notTrial':
			return m.license_refusal_not_trial();
		case 'removed':
			return m.license_refusal_removed();
		case 'maxExtensions':
			return m.license_refusal_max_extensions();
		case 'allConverted':
			return m.license_refusal_all_converted();
	}
}

export function licenseEventLabel(kind: LicenseEvent['kind']): string {
	switch (kind) {
		case 'added':
			return m.license_event_added();
		case 'changed':
			return m.license_event_changed();
		case 'removed':
			return m.license_event_removed();
		case 'restored':
			return m.license_event_restored();
		case 'suspended':
			return m.license_event_suspended();
		case 'resumed':
			return m.license_event_resumed();
		case 'extended':
			return m.license_event_extended();
		case 'converted':
			return m.license_event_converted();
		case 'poolMoved':
			return m.license_event_poolMoved();
		case 'tagEdited':
			return m.license_event_tagEdited();
	}
}

/** A licenses' count with its noun ("1 license", "12 licenses"). */
export function licenseCount(count: number): string {
	return m.licenses_pool_count({ count });
}

/** What a license command was meant to do, for the refusal notice. */
export function licenseCommandLabel(type: CommandType): string {
	switch (type) {
		case 'license.delete':
			return m.license_command_delete();
		case 'license.extendTrial':
			return m.license_command_extend();
		case 'license.convertTrial':
			return m.license_command_convert();
		case 'license.setTag':
			return m.license_command_tag();
		case 'licensePool.move':
			return m.license_command_move();
		case 'licenses.suspendCompany':
			return m.license_command_suspend();
		case 'licenses.import':
			return m.licenses_import();
		case 'licenses.sync':
			return m.licenses_account_sync();
		default:
			return type;
	}
}
