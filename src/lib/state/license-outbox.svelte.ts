// S60-S64, S70 for License management: the one place where the license screens meet the person's outbox of server
// commands (CommandsState: IndexedDB, sent when online). They submit license commands here and read what is still
// pending and what the server answered.
import type { Command, CommandInput, CommandResult, CommandType } from '$lib/schema/commands';
import type { CommandsState } from './commands.svelte';

const LICENSE_COMMAND_TYPES = [
	'licenses.import',
	'licenses.sync',
	'license.delete',
	'licensePool.move',
	'licenses.suspendCompany',
	'license.extendTrial',
	'license.convertTrial',
	'license.setTag'
] as const satisfies readonly CommandType[];
type LicenseCommandType = (typeof LICENSE_COMMAND_TYPES)[number];

/** The license commands of the union (S60): what these screens send. */
export type LicenseCommandInput = Extract<CommandInput, { type: LicenseCommandType }>;

export const isLicenseCommandType = (type: CommandType): type is LicenseCommandType =>
	(LICENSE_COMMAND_TYPES as readonly CommandType[]).includes(type);

/** A license command the server refused (S62): which one, and why. */
export interface LicenseRefusal {
	readonly command: Pick<Command, 'id' | 'type'>;
	readonly result: Pick<CommandResult, 'id' | 'status' | 'code' | 'message'>;
}

/** What the license screens need of the outbox. */
export interface LicenseCommands {
	/** Queues a command (kept on the device, sent when online); answers its id. Throws when the device can tell it is refused. */
	submit(input: LicenseCommandInput): string;
	/** License commands the server has not answered yet, oldest first (reactive). */
	readonly pending: readonly Command[];
	/** The server's answer to a command sent from this device in this session, or null (reactive). */
	outcome(id: string): CommandResult | null;
	/** S62: license commands the server refused in this session (they changed nothing), oldest first (reactive). */
	readonly refusals: readonly LicenseRefusal[];
	dismissRefusals(): void;
	/** S70: license commands the server applied in this session (not imports and syncs, which show theirs), oldest first. */
	readonly applied: readonly Pick<Command, 'id' | 'type'>[];
	dismissApplied(): void;
	destroy(): void;
}

/** The license commands of one person, over their CommandsState (the workspace owns it and closes it). */
export function licenseCommandsOver(commands: CommandsState): LicenseCommands {
	return {
		submit: (input) => commands.submit(input),
		get pending() {
			return commands.pendingCommands.filter((command) => isLicenseCommandType(command.type));
		},
		outcome(id) {
			const outcome = commands.outcome(id);
			if (!outcome) return null;
			return {
				id: outcome.id,
				status: outcome.status,
				...(outcome.code ? { code: outcome.code } : {}),
				...(outcome.message ? { message: outcome.message } : {}),
				...(outcome.summary ? { summary: outcome.summary } : {}),
				...(outcome.details ? { details: [...outcome.details] } : {})
			};
		},
		get refusals() {
			return commands.refusals
				.filter((refusal) => isLicenseCommandType(refusal.type))
				.map((refusal) => ({
					command: { id: refusal.id, type: refusal.type },
					result: { id: refusal.id, status: 'refused' as const, message: refusal.message }
				}));
		},
		dismissRefusals: () => commands.dismissRefusals(),
		get applied() {
			return commands.outcomes
				.filter(
					(outcome) =>
						outcome.status === 'applied' &&
						isLicenseCommandType(outcome.type) &&
						outcome.type !== 'licenses.import' &&
						outcome.type !== 'licenses.sync'
				)
				.map((outcome) => ({ id: outcome.id, type: outcome.type }));
		},
		dismissApplied() {
			for (const { id } of this.applied) commands.dismissOutcome(id);
		},
		destroy: () => undefined
	};
}
