// Server commands (S60-S64): changes a device asks the server to make with its authority, queued offline, idempotent.
import { z } from 'zod';
import { entityIdSchema } from './ids';
import { billingTypeSchema, nodeNameSchema, nodeProfilePatchSchema } from './tree';
import { daySchema, serviceKindSchema, SERVICE_KINDS } from './customer';
import { licenseTagSchema } from './licenses';
import { localeSchema } from './locale';
import { importResultSchema } from './license-export';

/** An import file carried by a command (queued offline, L1): at most this many characters. */
export const MAX_IMPORT_TEXT = 40 * 1024 * 1024;

/** At most this many commands in one POST /api/commands. */
export const MAX_COMMANDS_PER_REQUEST = 100;

/** P6: the admin contact an invitation is mailed to. */
export const invitationEmailSchema = z.email().max(254);

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
	z.object({ ...base, type: z.literal('site.delete'), siteId: entityIdSchema }),
	/** L1-L3, L6, L10: import an account from a file's text (JSON or CSV), applied by the server. */
	z.object({
		...base,
		type: z.literal('licenses.import'),
		fileName: z.string().max(255),
		format: z.enum(['json', 'csv']),
		text: z.string().min(1).max(MAX_IMPORT_TEXT)
	}),
	/** L12: "Synchronize licenses" for one account now. */
	z.object({ ...base, type: z.literal('licenses.sync'), accountId: entityIdSchema }),
	/** L11: deletes the license and every pool of its account (the confirmation listed them). */
	z.object({ ...base, type: z.literal('license.delete'), licenseId: entityIdSchema }),
	/** L8: moves a whole pool to another access group (a tree node). */
	z.object({ ...base, type: z.literal('licensePool.move'), poolId: entityIdSchema, groupId: entityIdSchema }),
	/** L14: suspends (or resumes) every license a company owns. */
	z.object({ ...base, type: z.literal('licenses.suspendCompany'), companyId: entityIdSchema, suspended: z.boolean() }),
	/** L15: extends a trial by 30 days (at most twice). */
	z.object({ ...base, type: z.literal('license.extendTrial'), licenseId: entityIdSchema }),
	/** L15: converts `units` of a trial to a paid license (a new license; the trial keeps its units). */
	z.object({
		...base,
		type: z.literal('license.convertTrial'),
		licenseId: entityIdSchema,
		units: z.number().int().min(1)
	}),
	/** L4: a tag edited by hand (people without the tenant document send it as a command). */
	z.object({ ...base, type: z.literal('license.setTag'), licenseId: entityIdSchema, tag: licenseTagSchema }),
	/**
	 * P6: the invite-customer wizard's last step. The customer node was written on the device (tenant-wide people); the
	 * server makes the license (type, purchased capacity, expiry; P6's limits checked again), writes the services into the
	 * customer document and sends the invitation mail to the admin contact.
	 */
	z.object({
		...base,
		type: z.literal('customer.invite'),
		customerId: entityIdSchema,
		email: invitationEmailSchema,
		contactName: z.string().trim().max(120),
		/** P14: the admin contact's language (the invitation mail's template); English when absent (older commands). */
		locale: localeSchema.optional(),
		/** P6 "services to add": each kind once (commands queued before services existed carry none). */
		services: z.array(serviceKindSchema).max(SERVICE_KINDS.length).default([]),
		license: z.object({
			billingType: billingTypeSchema,
			product: z.string().trim().min(1).max(120),
			units: z.number().int().min(1).max(1_000_000),
			expiresOn: daySchema
		})
	}),
	/** C6: changes how a customer is billed (monthly only in the monthly-billing program; never with early access). */
	z.object({
		...base,
		type: z.literal('customer.setBilling'),
		customerId: entityIdSchema,
		billingType: billingTypeSchema,
		earlyAccess: z.boolean()
	}),
	/** P7: asks the backup integration for a backup of the customer (one service, or all of them). */
	z.object({
		...base,
		type: z.literal('customer.startBackup'),
		customerId: entityIdSchema,
		serviceId: entityIdSchema.nullable()
	})
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
	message: z.string().max(500).optional(),
	/** What an import or a sync did (licenses.import, licenses.sync). */
	summary: importResultSchema.optional(),
	/** Per-entry problems of a refused import (file, line or path, and what), at most MAX_IMPORT_ISSUES. */
	details: z
		.array(z.object({ where: z.string().max(300), message: z.string().max(500) }))
		.max(201)
		.optional()
});
export type CommandResult = z.infer<typeof commandResultSchema>;

export const commandsResponseSchema = z.object({ results: z.array(commandResultSchema) });
export type CommandsResponse = z.infer<typeof commandsResponseSchema>;

/** The id a command's target carries (for the audit log and the access check). */
export function commandTarget(command: Command): string {
	switch (command.type) {
		case 'customer.updateProfile':
		case 'site.create':
		case 'customer.invite':
		case 'customer.setBilling':
		case 'customer.startBackup':
			return command.customerId;
		case 'site.rename':
		case 'site.delete':
			return command.siteId;
		case 'licenses.import':
			return 'licenses';
		case 'licenses.sync':
			return command.accountId;
		case 'licensePool.move':
			return command.poolId;
		case 'licenses.suspendCompany':
			return command.companyId;
		case 'license.delete':
		case 'license.extendTrial':
		case 'license.convertTrial':
		case 'license.setTag':
			return command.licenseId;
	}
}
