// L4, L8, L11, L14, L15: what the license server commands change in a tenant document. Each command is first planned
// (every rule checked, nothing written) and then written, so that a device can ask "would this be refused?" without a copy.
import { DomainError } from '../domain/errors';
import { addDays } from '../domain/license-state';
import type { Command } from '../schema/commands';
import type { LicenseEvent } from '../schema/license-api';
import {
	MAX_TRIAL_EXTENSIONS,
	TRIAL_EXTENSION_DAYS,
	type License,
	type LicensePool,
	type LicenseType
} from '../schema/licenses';
import type { TenantRepository } from './tenant-repository';

/** The license commands (import and sync are not document changes: the server's LicenseService runs them). */
export type LicenseCommand = Extract<
	Command,
	{
		type:
			| 'license.delete'
			| 'licensePool.move'
			| 'licenses.suspendCompany'
			| 'license.extendTrial'
			| 'license.convertTrial'
			| 'license.setTag';
	}
>;

export const LICENSE_COMMAND_TYPES: ReadonlySet<Command['type']> = new Set<LicenseCommand['type']>([
	'license.delete',
	'licensePool.move',
	'licenses.suspendCompany',
	'license.extendTrial',
	'license.convertTrial',
	'license.setTag'
]);

export function isLicenseCommand(command: Command): command is LicenseCommand {
	return LICENSE_COMMAND_TYPES.has(command.type);
}

/** L16: what a command did to one license, for its history (recorded by the server after the change is stored). */
export interface LicenseCommandEvent {
	readonly licenseId: string;
	readonly kind: Extract<LicenseEvent['kind'], 'extended' | 'converted' | 'suspended' | 'resumed' | 'poolMoved' | 'tagEdited'>;
	/** What changed, in words without personal data. */
	readonly detail: string;
}

/** What applying a command did beside the document change itself. */
export interface CommandEffect {
	readonly events: readonly LicenseCommandEvent[];
	/** L11: accounts whose pools and licenses were all deleted (the server forgets their connector). */
	readonly deletedAccounts: readonly string[];
}

export const NO_EFFECT: CommandEffect = { events: [], deletedAccounts: [] };

/** A command checked against the document: `write` makes the change (nothing is written before it is called). */
export interface LicenseCommandPlan {
	readonly effect: CommandEffect;
	write(): void;
}

/** L11: one pool that deleting a license takes with it, as the confirmation lists it. */
export interface DeletedPool {
	readonly id: string;
	readonly name: string;
	/** The access group (tree node) the pool sits in, and its name (null when the node is not in this document). */
	readonly groupId: string;
	readonly groupName: string | null;
	readonly licenses: number;
}

/** L11: everything deleting a license removes: the account and every pool of it, with their licenses. */
export interface DeletionPreview {
	readonly licenseId: string;
	/** The account the license came from (null: its pool is gone, only the license itself goes). */
	readonly accountId: string | null;
	readonly accountName: string | null;
	readonly pools: readonly DeletedPool[];
	/** Every license that goes, the one asked for included. */
	readonly licenses: number;
}

const notFound = (licenseId: string): DomainError =>
	new DomainError('license.notFound', `no license ${licenseId}`, { id: licenseId });

function requireLicense(repo: TenantRepository, licenseId: string): License {
	const license = repo.licenseRecord(licenseId);
	if (!license) throw notFound(licenseId);
	return license;
}

function poolOf(repo: TenantRepository, poolId: string): LicensePool | null {
	return repo.pools().find((pool) => pool.id === poolId) ?? null;
}

interface Doomed {
	readonly accountId: string | null;
	readonly pools: readonly LicensePool[];
	readonly licenseIds: readonly string[];
}

/** L11: the license, and when its pool is known every pool of the same account with all their licenses. */
function doomedBy(repo: TenantRepository, license: License): Doomed {
	const pool = poolOf(repo, license.poolId);
	if (!pool) return { accountId: null, pools: [], licenseIds: [license.id] };
	const pools = repo.pools().filter((candidate) => candidate.accountId === pool.accountId);
	const poolIds = new Set(pools.map((candidate) => candidate.id));
	const licenseIds = repo
		.licenseRecords()
		.filter((candidate) => poolIds.has(candidate.poolId))
		.map((candidate) => candidate.id);
	if (!licenseIds.includes(license.id)) licenseIds.push(license.id);
	return { accountId: pool.accountId, pools, licenseIds };
}

/** L11: what deleting `licenseId` would remove, for the confirmation; null when there is no such license. */
export function deletionPreview(repo: TenantRepository, licenseId: string): DeletionPreview | null {
	const license = repo.licenseRecord(licenseId);
	if (!license) return null;
	const doomed = doomedBy(repo, license);
	const counts = new Map<string, number>();
	for (const candidate of repo.licenseRecords())
		counts.set(candidate.poolId, (counts.get(candidate.poolId) ?? 0) + 1);
	const account = doomed.accountId === null ? null : repo.accounts().find((a) => a.id === doomed.accountId);
	return {
		licenseId,
		accountId: doomed.accountId,
		accountName: account?.name ?? null,
		pools: doomed.pools.map((pool) => ({
			id: pool.id,
			name: pool.name,
			groupId: pool.groupId,
			groupName: repo.node(pool.groupId)?.name ?? null,
			licenses: counts.get(pool.id) ?? 0
		})),
		licenses: doomed.licenseIds.length
	};
}

/** The pools' and licenses' access groups a command touches (the server checks `licenses.edit` on each). */
export type LicenseCommandTargets =
	| { readonly found: true; readonly groups: readonly string[] }
	| { readonly found: false; readonly what: 'license' | 'pool' | 'node' };

/**
 * H6, P16: where a license command acts, for the access check: the access group of the license's pool (every pool of
 * the account for a deletion, L11), the pool's old and new group (L8), or the company (L14). A license whose pool is gone
 * has no group: `groups` is empty and only a tenant-wide grant may change it.
 */
export function licenseCommandTargets(repo: TenantRepository, command: LicenseCommand): LicenseCommandTargets {
	const groupsOf = (pools: readonly (LicensePool | null)[]): string[] =>
		pools.some((pool) => pool === null) ? [] : [...new Set(pools.map((pool) => pool!.groupId))];
	switch (command.type) {
		case 'license.delete': {
			const license = repo.licenseRecord(command.licenseId);
			if (!license) return { found: false, what: 'license' };
			const doomed = doomedBy(repo, license);
			return { found: true, groups: doomed.accountId === null ? [] : groupsOf(doomed.pools) };
		}
		case 'license.extendTrial':
		case 'license.convertTrial':
		case 'license.setTag': {
			const license = repo.licenseRecord(command.licenseId);
			if (!license) return { found: false, what: 'license' };
			return { found: true, groups: groupsOf([poolOf(repo, license.poolId)]) };
		}
		case 'licensePool.move': {
			const pool = poolOf(repo, command.poolId);
			if (!pool) return { found: false, what: 'pool' };
			if (!repo.node(command.groupId)) return { found: false, what: 'node' };
			return { found: true, groups: [...new Set([pool.groupId, command.groupId])] };
		}
		case 'licenses.suspendCompany':
			if (!repo.node(command.companyId)) return { found: false, what: 'node' };
			return { found: true, groups: [command.companyId] };
	}
}

/** `day` one calendar year later (29 February becomes 1 March). */
export function oneYearAfter(day: string): string {
	const [year, month, date] = day.split('-').map(Number) as [number, number, number];
	return new Date(Date.UTC(year + 1, month - 1, date)).toISOString().slice(0, 10);
}

/** The public license ID of a license made in the portal (L15), derived from its id so every replica shows the same. */
export function portalPublicId(id: string): string {
	const hex = id.replace(/[^0-9a-f]/gi, '').toUpperCase();
	return `PRT-${hex.slice(0, 4)}-${hex.slice(4, 8)}-${hex.slice(8, 12)}`;
}

/** L15: a trial (not one the vendor no longer lists) or a clear refusal. */
function requireTrial(license: License, action: 'extended' | 'converted'): void {
	if (license.type !== 'trial')
		throw new DomainError('license.trialRule', `only a trial license can be ${action}`, { type: license.type });
	if (license.removed)
		throw new DomainError('license.trialRule', `the vendor no longer lists this trial; it cannot be ${action}`);
}

/** What the license commands need beside the document: the tenant's day (L15: a converted license runs a year from it). */
export interface LicenseCommandContext {
	/** `YYYY-MM-DD`. */
	readonly today: string;
}

/**
 * Checks `command` against the document behind `repo` and answers its plan; throws a DomainError (`license.notFound`,
 * `license.trialRule`, `license.invalidInput`, `tree.nodeNotFound`) when it is refused. Nothing is written until `write`.
 */
export function planLicenseCommand(
	repo: TenantRepository,
	command: LicenseCommand,
	context: LicenseCommandContext
): LicenseCommandPlan {
	switch (command.type) {
		case 'license.delete':
			return planDelete(repo, requireLicense(repo, command.licenseId));
		case 'licensePool.move':
			return planPoolMove(repo, command.poolId, command.groupId);
		case 'licenses.suspendCompany':
			return planSuspend(repo, command.companyId, command.suspended);
		case 'license.extendTrial':
			return planExtend(repo, requireLicense(repo, command.licenseId));
		case 'license.convertTrial':
			return planConvert(repo, requireLicense(repo, command.licenseId), command.units, command.id, context.today);
		case 'license.setTag':
			return planSetTag(repo, command.licenseId, command.tag);
	}
}

/** L11: the license, every pool of its account with their licenses, and the account. */
function planDelete(repo: TenantRepository, license: License): LicenseCommandPlan {
	const doomed = doomedBy(repo, license);
	const accountIds = doomed.accountId === null ? [] : [doomed.accountId];
	return {
		effect: { events: [], deletedAccounts: accountIds },
		write: () =>
			repo.deleteLicenseData({
				accountIds,
				poolIds: doomed.pools.map((pool) => pool.id),
				licenseIds: doomed.licenseIds
			})
	};
}

/** L8: the whole pool moves to another access group; its licenses stay in it. */
function planPoolMove(repo: TenantRepository, poolId: string, groupId: string): LicenseCommandPlan {
	const pool = poolOf(repo, poolId);
	if (!pool) throw new DomainError('license.notFound', `no license pool ${poolId}`, { id: poolId });
	const group = repo.node(groupId);
	if (!group) throw new DomainError('tree.nodeNotFound', `no access group ${groupId}`, { id: groupId });
	if (group.kind === 'customer' && group.status === 'unlinked')
		throw new DomainError('license.invalidInput', 'an unlinked customer cannot take a license pool');
	if (pool.groupId === groupId) return { effect: NO_EFFECT, write: () => undefined };
	const from = repo.node(pool.groupId)?.name ?? pool.groupId;
	const detail = `pool "${pool.name}" moved from "${from}" to "${group.name}"`;
	const events = repo
		.licenseRecords()
		.filter((license) => license.poolId === poolId)
		.map((license): LicenseCommandEvent => ({ licenseId: license.id, kind: 'poolMoved', detail }));
	return {
		effect: { events, deletedAccounts: [] },
		write: () => repo.putLicenseData({ pools: [{ ...pool, groupId }] })
	};
}

/** L14: `held` on every license the company owns; the vendor's `suspended` and the units stay as they are. */
function planSuspend(repo: TenantRepository, companyId: string, suspended: boolean): LicenseCommandPlan {
	if (!repo.node(companyId)) throw new DomainError('tree.nodeNotFound', `no company ${companyId}`, { id: companyId });
	const changed = repo
		.licenseRecords()
		.filter((license) => license.ownerId === companyId && license.held !== suspended)
		.map((license): License => ({ ...license, held: suspended }));
	const kind = suspended ? 'suspended' : 'resumed';
	const detail = suspended ? 'company suspended in the portal' : 'company resumed in the portal';
	return {
		effect: { events: changed.map((license) => ({ licenseId: license.id, kind, detail })), deletedAccounts: [] },
		write: () => {
			if (changed.length > 0) repo.putLicenseData({ licenses: changed });
		}
	};
}

/** L15: +30 days on the expiry, at most twice. */
function planExtend(repo: TenantRepository, trial: License): LicenseCommandPlan {
	requireTrial(trial, 'extended');
	if (trial.extensions >= MAX_TRIAL_EXTENSIONS)
		throw new DomainError('license.trialRule', `a trial can be extended at most ${MAX_TRIAL_EXTENSIONS} times`, {
			max: MAX_TRIAL_EXTENSIONS
		});
	const expiresOn = addDays(trial.expiresOn, TRIAL_EXTENSION_DAYS);
	return {
		effect: {
			events: [{ licenseId: trial.id, kind: 'extended', detail: `expiry ${trial.expiresOn} → ${expiresOn}` }],
			deletedAccounts: []
		},
		write: () => repo.putLicenseData({ licenses: [{ ...trial, expiresOn, extensions: trial.extensions + 1 }] })
	};
}

/**
 * L15: `units` of the trial become a new paid license (its id the command's): same pool, product, owner and tag, type
 * `business` for a business account and `msp` otherwise, a year from today. The trial keeps its units (L14) and counts
 * what it converted.
 */
function planConvert(
	repo: TenantRepository,
	trial: License,
	units: number,
	newId: string,
	today: string
): LicenseCommandPlan {
	requireTrial(trial, 'converted');
	const left = trial.unitsOrdered - trial.convertedUnits;
	if (left <= 0) throw new DomainError('license.trialRule', 'every unit of this trial is converted already');
	if (!Number.isInteger(units) || units < 1 || units > left)
		throw new DomainError('license.trialRule', `between 1 and ${left} units of this trial can be converted`, { max: left });
	const pool = poolOf(repo, trial.poolId);
	if (!pool) throw new DomainError('license.notFound', `no license pool ${trial.poolId}`, { id: trial.poolId });
	if (repo.licenseRecord(newId)) throw new DomainError('license.invalidInput', `a license ${newId} exists already`);
	const account = repo.accounts().find((candidate) => candidate.id === pool.accountId);
	const type: LicenseType = account?.kind === 'business' ? 'business' : 'msp';
	// The tag people see (edited by hand, L4, or as imported): the paid license is made with it.
	const tag = repo.licenses().find((license) => license.id === trial.id)?.tag ?? trial.tag;
	const paid: License = {
		id: newId,
		publicId: portalPublicId(newId),
		poolId: trial.poolId,
		product: trial.product,
		type,
		unitsOrdered: units,
		unitsActivated: 0,
		expiresOn: oneYearAfter(today),
		suspended: false,
		ownerId: trial.ownerId,
		tag,
		removed: false,
		held: trial.held,
		extensions: 0,
		convertedUnits: 0,
		origin: 'portal'
	};
	return {
		effect: {
			events: [
				{ licenseId: trial.id, kind: 'converted', detail: `${units} unit(s) converted to ${paid.publicId}` },
				{ licenseId: newId, kind: 'converted', detail: `made from trial ${trial.publicId} (${units} unit(s))` }
			],
			deletedAccounts: []
		},
		write: () =>
			repo.putLicenseData({ licenses: [{ ...trial, convertedUnits: trial.convertedUnits + units }, paid] })
	};
}

/** L4: the tag edited by hand, kept beside the record. */
function planSetTag(repo: TenantRepository, licenseId: string, tag: string): LicenseCommandPlan {
	requireLicense(repo, licenseId);
	const before = repo.licenses().find((license) => license.id === licenseId)?.tag ?? '';
	return {
		effect: { events: [{ licenseId, kind: 'tagEdited', detail: `tag "${before}" → "${tag.trim()}"` }], deletedAccounts: [] },
		write: () => repo.setLicenseTag(licenseId, tag)
	};
}
