// S60-S63: applies server commands for a signed-in person: checked with the access module, applied through the tenant
// repository as a server change (validated, stored, broadcast), recorded once per id (idempotent) and audited.
import type pino from 'pino';
import { can } from '../../../src/lib/domain/access';
import { DomainError } from '../../../src/lib/domain/errors';
import { accessTreeOf } from '../../../src/lib/data/access-tree';
import { applyCommand } from '../../../src/lib/data/commands';
import { commandTarget, type Command, type CommandRefusal, type CommandResult } from '../../../src/lib/schema/commands';
import { tenantDocName } from '../../../src/lib/schema/ids';
import type { Audit } from '../audit/audit';
import type { Clock } from '../clock';
import type { Principal, Relay } from '../relay/types';
import type { Store } from '../store/types';

export interface CommandsDeps {
	readonly store: Store;
	readonly relay: Relay;
	readonly audit: Audit;
	readonly clock: Clock;
	readonly log: pino.Logger;
}

export interface CommandRunner {
	/** Runs `commands` in order for `principal` (from `ip`); one result per command, in the same order. */
	run(principal: Principal, ip: string | null, commands: readonly Command[]): Promise<CommandResult[]>;
}

/** A command refused inside the document's change: thrown to leave the document untouched. */
class Refusal extends Error {
	constructor(
		readonly code: CommandRefusal,
		message: string
	) {
		super(message);
	}
}

/** What a refused command tells the person: clear, and without values from the document. */
const DOMAIN_REFUSALS: Partial<Record<DomainError['code'], CommandRefusal>> = {
	'tree.nodeNotFound': 'notFound',
	'tree.parentNotFound': 'notFound'
};

export function createCommandRunner(deps: CommandsDeps): CommandRunner {
	const { store, relay, audit, clock, log } = deps;
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

	async function runOne(principal: Principal, ip: string | null, command: Command): Promise<CommandResult> {
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
		const target = commandTarget(command);
		let result: CommandResult;
		try {
			await relay.change(tenantDocName(tenantId), (doc) => {
				// H6, P16: checked against the document as it is now, inside the same change: nothing slips in between.
				const tree = accessTreeOf(doc);
				const exists = tree.kindOf(target) !== undefined;
				if (!can(principal, 'read', { nodeId: target }, tree, customRoles))
					throw exists
						? new Refusal('notPermitted', 'this is outside the part of the tree you were granted')
						: new Refusal('notFound', 'no such customer or site');
				if (!can(principal, 'customers.edit', { nodeId: target }, tree, customRoles))
					throw new Refusal('notPermitted', 'your role may not change customers');
				applyCommand(doc, command);
			});
			result = { id: command.id, status: 'applied' };
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
		// P17: the type and the ids, never the values (addresses, names) the command carried.
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
		return result;
	}

	return {
		run(principal, ip, commands) {
			return serialized(principal.tenantId, async () => {
				const results: CommandResult[] = [];
				for (const command of commands) results.push(await runOne(principal, ip, command));
				return results;
			});
		}
	};
}
