// S60-S63, S65-S69: applies server commands for a signed-in person: checked with the access module (per type: the
// permission and where it applies), applied through the tenant repository as a server change (validated, stored,
// broadcast) or, for license import and sync, by the LicenseService; recorded once per id (idempotent) and audited.
import type pino from 'pino';
import { DomainError } from '../../../src/lib/domain/errors';
import { dayIn } from '../../../src/lib/domain/license-state';
import { accessTreeOf } from '../../../src/lib/data/access-tree';
import { applyCommand, type CommandEffect } from '../../../src/lib/data/commands';
import { NO_EFFECT } from '../../../src/lib/data/license-commands';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import type { CustomRole } from '../../../src/lib/schema/access';
import { commandTarget, type Command, type CommandRefusal, type CommandResult } from '../../../src/lib/schema/commands';
import { tenantDocName } from '../../../src/lib/schema/ids';
import type { Audit } from '../audit/audit';
import type { Clock } from '../clock';
import type { BackupQueue } from '../integrations/types';
import type { LicenseOutcome, LicenseService } from '../licenses/types';
import type { Principal, Relay } from '../relay/types';
import type { Store } from '../store/types';
import type { Invitations } from '../users/invitations';
import { commandNeed, NO_TREE, refusalFor } from './access';
import { createCustomerCommands } from './customer-commands';
import { Refusal } from './refusal';

export interface CommandsDeps {
	readonly store: Store;
	readonly relay: Relay;
	readonly audit: Audit;
	readonly clock: Clock;
	readonly log: pino.Logger;
	/** License management (import, sync, history, connectors); without it `licenses.import` and `licenses.sync` are refused. */
	readonly licenses?: LicenseService;
	/** P6: invites a new customer's admin contact (`customer.invite`); without it invitations are refused. */
	readonly invitations?: Pick<Invitations, 'inviteCustomerAdmin'>;
	/** P7: the backup integration's queue (`customer.startBackup`); without it backups are refused. */
	readonly backups?: BackupQueue;
	/** S86: how long an invitation waits for its customer node to arrive by sync (tests: 0). */
	readonly customerWaitMs?: number;
}

export interface CommandRunner {
	/**
	 * Runs `commands` in order for `principal` (from `ip`); one result per command, in the same order. `baseUrl`: where links
	 * in mails point (PUBLIC_URL, else the request's origin).
	 */
	run(
		principal: Principal,
		ip: string | null,
		commands: readonly Command[],
		baseUrl?: string
	): Promise<CommandResult[]>;
}

/** What a refused command tells the person: clear, and without values from the document. */
const DOMAIN_REFUSALS: Partial<Record<DomainError['code'], CommandRefusal>> = {
	'tree.nodeNotFound': 'notFound',
	'tree.parentNotFound': 'notFound',
	'license.notFound': 'notFound'
};

/** S66: a refused import or sync answers `invalid` with the service's message and details (at most the schema's). */
const MAX_DETAILS = 201;
const MAX_MESSAGE = 500;

export const LICENSES_UNAVAILABLE = 'license import and synchronization are not available on this server';

type LicenseServiceCommand = Extract<Command, { type: 'licenses.import' | 'licenses.sync' }>;

export function createCommandRunner(deps: CommandsDeps): CommandRunner {
	const { store, relay, audit, clock, log, licenses } = deps;
	const customers = createCustomerCommands(deps);
	/** S61: one tenant's commands run one after the other, so two retries of one id cannot both apply it. */
	const queues = new Map<string, Promise<unknown>>();

	function serialized<T>(tenantId: string, task: () => Promise<T>): Promise<T> {
		const previous = queues.get(tenantId) ?? Promise.resolve();
		const next = previous.then(task, task);
		const settled = next.catch(() => undefined);
		queues.set(tenantId, settled);
		void settled.then(() => {
			if (queues.get(tenantId) === settled) queues.delete(tenantId);
		});
		return next;
	}

	/** H6, P16: checked against the document as it is now, inside the same change: nothing slips in between. */
	async function applyInDocument(
		principal: Principal,
		command: Command,
		customRoles: ReadonlyMap<string, CustomRole>
	): Promise<CommandEffect> {
		let effect: CommandEffect = NO_EFFECT;
		// L15, C6: the tenant's day (its time zone, P9) and whether it is in the monthly-billing program.
		const settings = await store.getTenantSettings(principal.tenantId);
		const options = {
			today: dayIn(clock.now(), settings.timeZone),
			monthlyBillingProgram: settings.monthlyBillingProgram
		};
		await relay.change(tenantDocName(principal.tenantId), (doc) => {
			const tree = accessTreeOf(doc);
			const refusal = refusalFor(principal, commandNeed(command, new TenantRepository(doc), tree), tree, customRoles);
			if (refusal) throw new Refusal(refusal.code, refusal.message);
			effect = applyCommand(doc, command, options);
		});
		return effect;
	}

	/** S66: import and sync are the LicenseService's: it makes its own change of the tenant document. */
	async function runLicenseService(
		principal: Principal,
		ip: string | null,
		command: LicenseServiceCommand,
		customRoles: ReadonlyMap<string, CustomRole>
	): Promise<CommandResult> {
		const refusal = refusalFor(principal, commandNeed(command, null, null), NO_TREE, customRoles);
		if (refusal) return { id: command.id, status: 'refused', ...refusal };
		if (!licenses) return { id: command.id, status: 'refused', code: 'invalid', message: LICENSES_UNAVAILABLE };
		const actor = { tenantId: principal.tenantId, userId: principal.userId, ip };
		const outcome: LicenseOutcome =
			command.type === 'licenses.import'
				? await licenses.importText(actor, command.text, { name: command.fileName, format: command.format })
				: await licenses.syncAccount(actor, command.accountId);
		if (outcome.ok) return { id: command.id, status: 'applied', summary: outcome.result };
		return {
			id: command.id,
			status: 'refused',
			code: outcome.code === 'not_found' ? 'notFound' : 'invalid',
			message: outcome.message.slice(0, MAX_MESSAGE),
			...(outcome.details.length > 0 ? { details: outcome.details.slice(0, MAX_DETAILS) } : {})
		};
	}

	/** L16, L11: what the applied command did, told to License management; the change is stored whatever happens here. */
	async function afterLicenseChange(tenantId: string, command: Command, effect: CommandEffect): Promise<void> {
		if (!licenses || (effect.events.length === 0 && effect.deletedAccounts.length === 0)) return;
		try {
			for (const event of effect.events) await licenses.recordEvent(tenantId, event);
			for (const accountId of effect.deletedAccounts) await licenses.forgetAccount(tenantId, accountId);
		} catch (error) {
			log.error({ err: error, tenantId, type: command.type }, 'recording what a license command did failed');
		}
	}

	async function runOne(
		principal: Principal,
		ip: string | null,
		command: Command,
		baseUrl: string
	): Promise<CommandResult> {
		const { tenantId, userId } = principal;
		const first = await store.getCommand(tenantId, command.id);
		if (first) {
			// S61: a retry answers what the first attempt got and changes nothing.
			return {
				id: command.id,
				status: 'duplicate',
				...(first.code ? { code: first.code as CommandRefusal } : {}),
				...(first.message ? { message: first.message } : {})
			};
		}
		const customRoles = new Map((await store.listCustomRoles(tenantId)).map((role) => [role.id, role]));
		let result: CommandResult;
		let effect: CommandEffect = NO_EFFECT;
		try {
			if (command.type === 'licenses.import' || command.type === 'licenses.sync') {
				result = await runLicenseService(principal, ip, command, customRoles);
			} else if (command.type === 'customer.invite') {
				await customers.invite({ principal, ip, baseUrl, customRoles }, command);
				result = { id: command.id, status: 'applied' };
			} else if (command.type === 'customer.startBackup') {
				await customers.startBackup({ principal, ip, baseUrl, customRoles }, command);
				result = { id: command.id, status: 'applied' };
			} else {
				effect = await applyInDocument(principal, command, customRoles);
				result = { id: command.id, status: 'applied' };
			}
		} catch (error) {
			if (error instanceof Refusal)
				result = { id: command.id, status: 'refused', code: error.code, message: error.message };
			else if (error instanceof DomainError)
				result = {
					id: command.id,
					status: 'refused',
					code: DOMAIN_REFUSALS[error.code] ?? 'invalid',
					message: error.message
				};
			else throw error;
		}
		await store.recordCommand({
			tenantId,
			id: command.id,
			userId,
			type: command.type,
			status: result.status === 'applied' ? 'applied' : 'refused',
			code: result.code ?? null,
			message: result.message ?? null,
			at: clock.now().toISOString()
		});
		const target = commandTarget(command);
		// P17: the type and the ids, never the values (addresses, names, a file's content) the command carried.
		await audit({
			tenantId,
			userId,
			ip,
			itemType: 'command',
			item: target,
			action: 'command',
			description: `${command.type} ${command.id} ${result.status}${result.code ? ` (${result.code})` : ''}`,
			madeAt: command.at
		});
		log.info({ tenantId, userId, type: command.type, status: result.status, code: result.code }, 'server command');
		if (result.status === 'applied') await afterLicenseChange(tenantId, command, effect);
		return result;
	}

	return {
		run(principal, ip, commands, baseUrl = 'http://localhost') {
			return serialized(principal.tenantId, async () => {
				const results: CommandResult[] = [];
				for (const command of commands) results.push(await runOne(principal, ip, command, baseUrl));
				return results;
			});
		}
	};
}
