// P9, P12, P18: the tenant's settings over the API: everyone reads the session timeout and the time zone, settings.edit reads
// and changes the rest.
import type pino from 'pino';
import { hasTenantPermission } from '../../../src/lib/domain/access';
import { tenantDocName } from '../../../src/lib/schema/ids';
import {
	tenantSettingsPatchSchema,
	tenantSettingsSchema,
	type SettingsResponse,
	type TenantSettings
} from '../../../src/lib/schema/settings';
import type { Auth } from '../auth/auth';
import type { Clock } from '../clock';
import type { Relay } from '../relay/types';
import type { TenantSettingsCache } from '../settings/settings-cache';
import { isAddressTrusted } from '../settings/trusted-addresses';
import type { Store } from '../store/types';
import type { Mutating } from './api';
import { readJsonBody } from './body';
import { HttpError, sendJson } from './errors';
import type { Router } from './router';

export interface SettingsRoutesDeps {
	readonly store: Store;
	readonly auth: Auth;
	readonly relay: Relay;
	readonly settings: TenantSettingsCache;
	readonly clock: Clock;
	readonly log: pino.Logger;
	readonly mutating: Mutating;
}

/** What changed, for the audit log: names and numbers, never the addresses themselves. */
export function describeSettingsChange(before: TenantSettings, after: TenantSettings): string[] {
	const changes: string[] = [];
	if (before.sessionTimeoutMinutes !== after.sessionTimeoutMinutes)
		changes.push(`session timeout ${before.sessionTimeoutMinutes} -> ${after.sessionTimeoutMinutes} min`);
	if (before.auditRetentionDays !== after.auditRetentionDays)
		changes.push(`audit retention ${before.auditRetentionDays} -> ${after.auditRetentionDays} days`);
	if (before.timeZone !== after.timeZone) changes.push(`time zone ${before.timeZone} -> ${after.timeZone}`);
	if (before.dateFormat !== after.dateFormat) changes.push(`date format ${before.dateFormat} -> ${after.dateFormat}`);
	if (before.timeFormat !== after.timeFormat) changes.push(`time format ${before.timeFormat} -> ${after.timeFormat}`);
	if (before.weekStart !== after.weekStart)
		changes.push(`first day of the week ${before.weekStart} -> ${after.weekStart}`);
	if (before.monthlyBillingProgram !== after.monthlyBillingProgram)
		changes.push(`monthly-billing program ${after.monthlyBillingProgram ? 'joined' : 'left'}`);
	const was = before.trustedAddresses;
	const is = after.trustedAddresses;
	if (was.enabled !== is.enabled) changes.push(`trusted addresses ${is.enabled ? 'enabled' : 'disabled'}`);
	if (JSON.stringify(was.ranges) !== JSON.stringify(is.ranges))
		changes.push(`trusted address list changed (${was.ranges.length} -> ${is.ranges.length} entries)`);
	return changes;
}

export function addSettingsRoutes(router: Router, deps: SettingsRoutesDeps): void {
	const { store, auth, relay, settings, clock, log, mutating } = deps;

	router.add('GET', '/api/settings', async ({ req, res, ip }) => {
		const session = await auth.resolve(req);
		if (!session) throw new HttpError(401, 'not_signed_in', 'sign in first');
		const { principal } = session;
		const current = await store.getTenantSettings(principal.tenantId);
		const body: SettingsResponse = {
			sessionTimeoutMinutes: current.sessionTimeoutMinutes,
			auditRetentionDays: current.auditRetentionDays,
			// L14: every person's license states follow the tenant's day.
			timeZone: current.timeZone,
			// P9: every screen formats dates and times with them.
			dateFormat: current.dateFormat,
			timeFormat: current.timeFormat,
			weekStart: current.weekStart,
			// C6: the wizard and the account section offer monthly billing only in the program.
			monthlyBillingProgram: current.monthlyBillingProgram,
			// The list of an organization's networks is for those who may change it.
			...(hasTenantPermission(principal, 'settings.edit')
				? { trustedAddresses: current.trustedAddresses, currentAddress: ip }
				: {})
		};
		sendJson(res, 200, body, session.refreshedCookie ? { 'set-cookie': session.refreshedCookie } : {});
	});

	router.add(
		'PATCH',
		'/api/settings',
		mutating(async ({ req, res, ip }) => {
			const session = await auth.resolve(req);
			if (!session) throw new HttpError(401, 'not_signed_in', 'sign in first');
			const { principal } = session;
			if (!hasTenantPermission(principal, 'settings.edit'))
				throw new HttpError(403, 'forbidden', 'your role may not change the settings');
			const patch = await readJsonBody(req, tenantSettingsPatchSchema);
			const before = await store.getTenantSettings(principal.tenantId);
			const after = tenantSettingsSchema.parse({ ...before, ...patch });
			// P12: whoever switches the list on must be on it, or the change would lock them out with their next request.
			if (after.trustedAddresses.enabled && !isAddressTrusted(ip, after.trustedAddresses.ranges))
				throw new HttpError(
					400,
					'would_lock_you_out',
					`your address ${ip} is not in the trusted addresses; add it before you enable them`
				);
			const changes = describeSettingsChange(before, after);
			if (changes.length > 0) {
				await store.putTenantSettings(principal.tenantId, after);
				settings.forget(principal.tenantId);
				await store.appendAudit({
					at: clock.now().toISOString(),
					tenantId: principal.tenantId,
					userId: principal.userId,
					ip,
					itemType: 'settings',
					item: tenantDocName(principal.tenantId),
					action: 'settingsChanged',
					description: changes.join('; ')
				});
				log.info({ tenantId: principal.tenantId, userId: principal.userId }, 'settings changed');
				// P12: open sockets from addresses no longer trusted end now, not at their session's next check.
				if (after.trustedAddresses.enabled) await relay.recheckSessions();
			}
			const body: SettingsResponse = { ...after, currentAddress: ip };
			sendJson(res, 200, body, session.refreshedCookie ? { 'set-cookie': session.refreshedCookie } : {});
		})
	);
}
