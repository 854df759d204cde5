// S85-S89: the customer commands' work beyond the tenant document: P6's invitation (the customer's admin contact invited
// and mailed, the license booked, the services written into the customer document) and P7's backup requests (written
// into the customer document, handed to the backup integration).
import type pino from 'pino';
import { dayIn } from '../../../src/lib/domain/license-state';
import { accessTreeOf } from '../../../src/lib/data/access-tree';
import { applyCommand } from '../../../src/lib/data/commands';
import { planCustomerCommand, type CustomerCommandOptions } from '../../../src/lib/data/customer-commands';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import type { CustomRole } from '../../../src/lib/schema/access';
import type { Command } from '../../../src/lib/schema/commands';
import type { BackupRequest } from '../../../src/lib/schema/customer';
import { customerDocName, tenantDocName } from '../../../src/lib/schema/ids';
import type { Clock } from '../clock';
import { customerInvitationFacts } from '../customers/invitation-mail';
import {
	hasService,
	putBackupRequest,
	setBackupStatus,
	writeInvitedServices
} from '../../../src/lib/data/customer-feed';
import { HttpError } from '../http/errors';
import type { BackupQueue } from '../integrations/types';
import type { Principal, Relay } from '../relay/types';
import { storageName } from '../store/doc-keys';
import type { Store } from '../store/types';
import type { Invitations } from '../users/invitations';
import { commandNeed, refusalFor } from './access';
import { Refusal } from './refusal';

/** S86: how long an invitation waits for its customer node to reach the server (it is synced beside the command). */
export const CUSTOMER_WAIT_MS = 15_000;
const CUSTOMER_POLL_MS = 250;

export const NO_BACKUPS = 'no backup integration is connected to this server: a backup cannot be started';
export const NO_INVITATIONS = 'this server cannot send invitations';

export interface CustomerCommandsDeps {
	readonly store: Store;
	readonly relay: Relay;
	readonly clock: Clock;
	readonly log: pino.Logger;
	/** P6: invites the admin contact (server/src/users/invitations.ts); without it invitations are refused. */
	readonly invitations?: Pick<Invitations, 'inviteCustomerAdmin'>;
	/** P7: the backup integration's queue; without it backups are refused. */
	readonly backups?: BackupQueue;
	/** S86: how long `customer.invite` waits for its customer node (CUSTOMER_WAIT_MS; tests: 0). */
	readonly customerWaitMs?: number;
}

type Invite = Extract<Command, { type: 'customer.invite' }>;
type StartBackup = Extract<Command, { type: 'customer.startBackup' }>;

/** Who acts: the principal, from where, and the origin the mailed link points to. */
export interface CommandActor {
	readonly principal: Principal;
	readonly ip: string | null;
	readonly baseUrl: string;
	readonly customRoles: ReadonlyMap<string, CustomRole>;
}

/** What an invitation refusal from the users module says (S62: clear, no address). */
const INVITATION_REFUSALS: Record<string, string> = {
	email_taken: "a user with the admin contact's email exists already: this customer cannot be invited with it",
	already_invited: "the admin contact's email has a pending invitation already",
	mail_failed: 'the invitation mail could not be sent; nothing was changed: try again later'
};

export function createCustomerCommands(deps: CustomerCommandsDeps) {
	const { store, relay, clock, log } = deps;

	/** The tenant's day (P9 time zone: P6's first booking date) and its billing program (C6). */
	async function optionsOf(tenantId: string): Promise<CustomerCommandOptions> {
		const settings = await store.getTenantSettings(tenantId);
		return { today: dayIn(clock.now(), settings.timeZone), monthlyBillingProgram: settings.monthlyBillingProgram };
	}

	const sleep = (ms: number): Promise<void> => new Promise((resolve) => clock.setTimeout(resolve, ms));

	/**
	 * S86: a device that invited offline sends the command when it is back; the customer node it made travels by the
	 * websocket beside it and may arrive a moment later. Waits for it up to `customerWaitMs`.
	 */
	async function waitForCustomer(docName: string, customerId: string): Promise<void> {
		const until = clock.now().getTime() + (deps.customerWaitMs ?? CUSTOMER_WAIT_MS);
		for (;;) {
			const there = await relay.withDoc(docName, (doc) => new TenantRepository(doc).node(customerId) !== null);
			if (there || clock.now().getTime() >= until) return;
			await sleep(CUSTOMER_POLL_MS);
		}
	}

	/** H6, P16, P6: checked against the document as it is now; throws the refusal, writes nothing. */
	function check(
		doc: Parameters<typeof applyCommand>[0],
		actor: CommandActor,
		command: Command,
		options: CustomerCommandOptions
	) {
		const tree = accessTreeOf(doc);
		const repo = new TenantRepository(doc);
		const refusal = refusalFor(actor.principal, commandNeed(command, repo, tree), tree, actor.customRoles);
		if (refusal) throw new Refusal(refusal.code, refusal.message);
		if (command.type === 'customer.invite' || command.type === 'customer.startBackup')
			planCustomerCommand(repo, command, options);
		return repo;
	}

	return {
		/**
		 * S86, P6: checks everything first (access, P6 on the tenant's day, the customer not set up yet), then invites the
		 * admin contact (the mail goes out, or the invitation is withdrawn and the command refused), then books the license
		 * and sets the status in one change of the tenant document, then writes the services into the customer document.
		 */
		async invite(actor: CommandActor, command: Invite): Promise<void> {
			const { tenantId } = actor.principal;
			const docName = tenantDocName(tenantId);
			const options = await optionsOf(tenantId);
			await waitForCustomer(docName, command.customerId);
			const organization = await relay.withDoc(
				docName,
				(doc) => check(doc, actor, command, options).node(command.customerId)?.name ?? ''
			);
			if (!deps.invitations) throw new Refusal('invalid', NO_INVITATIONS);
			let invitationId: string;
			try {
				invitationId = await deps.invitations.inviteCustomerAdmin(
					{ principal: actor.principal, ip: actor.ip ?? '', baseUrl: actor.baseUrl },
					// P14: the mail in the admin contact's language (the inviter's UI language by default).
					{ email: command.email, customerId: command.customerId, locale: command.locale },
					(link, expiresAt, tenantName, invitedBy) =>
						customerInvitationFacts({
							tenantName,
							organization,
							contactName: command.contactName,
							email: command.email,
							invitedBy,
							services: command.services,
							license: command.license,
							link,
							expiresAt
						})
				);
			} catch (error) {
				if (error instanceof HttpError)
					throw new Refusal('invalid', INVITATION_REFUSALS[error.code] ?? 'the invitation could not be made');
				throw error;
			}
			try {
				await relay.change(docName, (doc) => {
					check(doc, actor, command, options);
					applyCommand(doc, command, options);
				});
			} catch (error) {
				// Something changed between the check and now: the mailed link must not open a customer that was not set up.
				await store.updateInvitation(invitationId, { revokedAt: clock.now().toISOString() });
				throw error;
			}
			if (command.services.length > 0) {
				const at = clock.now().toISOString();
				await relay.change(storageName(tenantId, customerDocName(command.customerId)), (doc) =>
					writeInvitedServices(doc, command.id, command.services, at)
				);
			}
		},

		/**
		 * S88, P7: the customer (not unlinked) and its service are checked, the request is written into the customer document
		 * as `queued`, then handed to the backup integration; when it does not take it, the request is marked `failed`.
		 */
		async startBackup(actor: CommandActor, command: StartBackup): Promise<void> {
			const { tenantId } = actor.principal;
			const options = await optionsOf(tenantId);
			await relay.withDoc(tenantDocName(tenantId), (doc) => check(doc, actor, command, options));
			const backups = deps.backups;
			if (!backups) throw new Refusal('invalid', NO_BACKUPS);
			const customerDoc = storageName(tenantId, customerDocName(command.customerId));
			const at = clock.now().toISOString();
			const request: BackupRequest = {
				id: command.id,
				serviceId: command.serviceId,
				requestedAt: at,
				requestedBy: actor.principal.email,
				status: 'queued',
				updatedAt: at
			};
			await relay.change(customerDoc, (doc) => {
				if (command.serviceId !== null && !hasService(doc, command.serviceId))
					throw new Refusal('notFound', 'the customer has no such service');
				putBackupRequest(doc, request);
			});
			try {
				await backups.queue(tenantId, command.customerId, request);
			} catch (error) {
				log.error({ err: error, tenantId, type: command.type }, 'the backup integration did not take a request');
				await relay.change(customerDoc, (doc) => setBackupStatus(doc, request.id, 'failed', clock.now().toISOString()));
				throw new Refusal('invalid', 'the backup integration did not take the request; try again later');
			}
		}
	};
}

export type CustomerCommands = ReturnType<typeof createCustomerCommands>;
