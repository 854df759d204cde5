// Server commands (S60-S64): changes a device asks the server to make with its authority, queued offline, idempotent.
import { z } from 'zod';
import { entityIdSchema } from './ids';
import { nodeNameSchema, nodeProfilePatchSchema } from './tree';

/** At most this many commands in one POST /api/commands. */
export const MAX_COMMANDS_PER_REQUEST = 100;

/** What every command carries: its id is the idempotency key (S61), `at` the device's time when it was made. */
const base = {
	id: z.uuid(),
	at: z.iso.datetime()
};

export const commandSchema = z.discriminatedUnion('type', [
	z.object({
		...base,
		type: z.literal('customer.updateProfile'),
		customerId: entityIdSchema,
		patch: nodeProfilePatchSchema
	}),
	/** The new site's id is the command's id: the device shows it at once and later commands may name it (S63). */
	z.object({
		...base,
		type: z.literal('site.create'),
		customerId: entityIdSchema,
		name: nodeNameSchema,
		address: z.string().trim().max(300).optional()
	}),
	z.object({ ...base, type: z.literal('site.rename'), siteId: entityIdSchema, name: nodeNameSchema }),
	z.object({ ...base, type: z.literal('site.delete'), siteId: entityIdSchema })
]);
export type Command = z.infer<typeof commandSchema>;
export type CommandType = Command['type'];
/** A command as a caller makes it; the outbox adds the id and the time. */
export type CommandInput = WithoutIdAndTime<Command>;
type WithoutIdAndTime<C> = C extends unknown ? Omit<C, 'id' | 'at'> : never;

export const commandsRequestSchema = z.object({
	commands: z.array(commandSchema).min(1).max(MAX_COMMANDS_PER_REQUEST)
});
export type CommandsRequest = z.infer<typeof commandsRequestSchema>;

/** Why the server did not apply a command; it changed nothing (S62). */
export const COMMAND_REFUSALS = ['notPermitted', 'notFound', 'invalid'] as const;
export const commandRefusalSchema = z.enum(COMMAND_REFUSALS);
export type CommandRefusal = z.infer<typeof commandRefusalSchema>;

export const commandResultSchema = z.object({
	id: z.uuid(),
	status: z.enum(['applied', 'duplicate', 'refused']),
	code: commandRefusalSchema.optional(),
	message: z.string().max(500).optional()
});
export type CommandResult = z.infer<typeof commandResultSchema>;

export const commandsResponseSchema = z.object({ results: z.array(commandResultSchema) });
export type CommandsResponse = z.infer<typeof commandsResponseSchema>;

/** The id a command's target carries (for the audit log and the access check). */
export function commandTarget(command: Command): string {
	return 'siteId' in command ? command.siteId : command.customerId;
}
