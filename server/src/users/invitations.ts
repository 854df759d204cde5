// P13: invitations: an administrator invites by email with a role and grants; the link sets a password and signs in.
import { randomUUID } from 'node:crypto';
import type { Locale } from '../../../src/lib/schema/locale';
import type { InviteRequest, PendingInvitation } from '../../../src/lib/schema/users';
import { AuthError, hashToken, type IssuedSession } from '../auth/auth';
import { hashPassword, DEFAULT_SCRYPT } from '../auth/passwords';
import { HttpError } from '../http/errors';
import { EmailTakenError } from '../store/errors';
import type { InvitationRecord } from '../store/types';
import {
	audit,
	byActor,
	checkAssignable,
	customRolesOf,
	INVITATION_TTL_MS,
	newLinkToken,
	requireUsersManage,
	sendOrFail,
	type Actor,
	type UsersDeps
} from './context';
import { composeInvitationMail } from '../mail/templates/compose';
import type { InvitationFacts } from '../../../src/lib/domain/template-values';

export function createInvitations(deps: UsersDeps) {
	const { store, clock } = deps;
	const newId = deps.newId ?? randomUUID;

	const expired = (invitation: InvitationRecord): boolean => Date.parse(invitation.expiresAt) <= clock.now().getTime();

	/** A pending invitation of the actor's tenant, or 404 (another tenant's id answers the same). */
	async function pendingOf(actor: Actor, id: string): Promise<InvitationRecord> {
		const invitation = await store.getInvitation(id);
		if (
			!invitation ||
			invitation.tenantId !== actor.principal.tenantId ||
			invitation.acceptedAt !== null ||
			invitation.revokedAt !== null
		)
			throw new HttpError(404, 'invitation_not_found', 'there is no such pending invitation');
		return invitation;
	}

	/** P14: what the mail says, put into words by the tenant's default template in the recipient's language. */
	type Compose = (link: string, expiresAt: Date, tenantName: string, invitedBy: string) => InvitationFacts;
	const standardMail =
		(email: string): Compose =>
		(link, expiresAt, tenantName, invitedBy) => ({
			kind: 'userInvitation',
			tenantName,
			email,
			invitedBy,
			link,
			expiresAt
		});

	async function mail(
		actor: Actor,
		invitation: InvitationRecord,
		token: string,
		retry: string,
		compose: Compose = standardMail(invitation.email)
	): Promise<void> {
		const tenant = await store.getTenant(invitation.tenantId);
		const link = `${actor.baseUrl}/invitations/accept?token=${encodeURIComponent(token)}`;
		const facts = compose(link, new Date(invitation.expiresAt), tenant?.name ?? '', actor.principal.email);
		const { subject, text } = await composeInvitationMail(store, invitation.tenantId, invitation.locale ?? 'en', facts);
		await sendOrFail(deps, { to: invitation.email, subject, text }, { kind: 'invitation', id: invitation.id, retry });
	}

	/** Stores the invitation, audits it and mails the link; `compose` given: a failed mail withdraws it again. */
	async function create(actor: Actor, request: InviteRequest, retry: string, compose?: Compose): Promise<string> {
		const { principal } = actor;
		if (await store.getUserByEmail(request.email))
			throw new HttpError(409, 'email_taken', 'a user with this email already exists');
		const pending = await store.listPendingInvitations(principal.tenantId);
		if (pending.some((invitation) => invitation.email === request.email && !expired(invitation)))
			throw new HttpError(409, 'already_invited', 'this email is already invited; send the invitation again instead');
		const { token, tokenHash } = newLinkToken();
		const now = clock.now();
		const invitation: InvitationRecord = {
			id: newId(),
			tenantId: principal.tenantId,
			email: request.email,
			role: request.role,
			grants: request.grants,
			tokenHash,
			invitedBy: principal.userId,
			createdAt: now.toISOString(),
			expiresAt: new Date(now.getTime() + INVITATION_TTL_MS).toISOString(),
			acceptedAt: null,
			revokedAt: null,
			...(request.locale ? { locale: request.locale } : {})
		};
		await store.createInvitation(invitation);
		await audit(
			deps,
			byActor(actor),
			principal.tenantId,
			'invitation',
			invitation.id,
			'invited',
			`invited as ${request.role}`
		);
		try {
			await mail(actor, invitation, token, retry, compose);
		} catch (error) {
			if (compose) {
				await store.updateInvitation(invitation.id, { revokedAt: clock.now().toISOString() });
				await audit(
					deps,
					byActor(actor),
					principal.tenantId,
					'invitation',
					invitation.id,
					'invitationRevoked',
					'withdrawn: the mail could not be sent'
				);
			}
			throw error;
		}
		return invitation.id;
	}

	return {
		async invite(actor: Actor, request: InviteRequest): Promise<string> {
			const { principal } = actor;
			requireUsersManage(principal);
			checkAssignable(principal, request.role, await customRolesOf(store, principal.tenantId));
			return create(actor, request, 'the invitation is kept: send it again later');
		},

		/**
		 * P6, L5: the admin contact of a customer the person just created (customer.invite) is invited as a Read-only user
		 * granted that customer alone, with a mail of its own (`compose`). Creating customers (tree.edit, checked by the
		 * command) is enough: the role and grant are fixed and give less than the inviter holds. When the mail cannot be sent
		 * the invitation is withdrawn again, so nothing is left half done.
		 */
		async inviteCustomerAdmin(
			actor: Actor,
			input: { email: string; customerId: string; locale?: Locale },
			compose: Compose
		): Promise<string> {
			const request: InviteRequest = {
				email: input.email,
				role: 'readOnly',
				grants: [{ scope: 'customer', id: input.customerId }],
				...(input.locale ? { locale: input.locale } : {})
			};
			return create(actor, request, 'nothing was changed: send the invitation again later', compose);
		},

		async list(actor: Actor): Promise<PendingInvitation[]> {
			requireUsersManage(actor.principal);
			return (await store.listPendingInvitations(actor.principal.tenantId)).map((invitation) => ({
				id: invitation.id,
				email: invitation.email,
				role: invitation.role,
				grants: [...invitation.grants],
				createdAt: invitation.createdAt,
				expiresAt: invitation.expiresAt,
				expired: expired(invitation)
			}));
		},

		async revoke(actor: Actor, id: string): Promise<void> {
			requireUsersManage(actor.principal);
			const invitation = await pendingOf(actor, id);
			await store.updateInvitation(invitation.id, { revokedAt: clock.now().toISOString() });
			await audit(
				deps,
				byActor(actor),
				invitation.tenantId,
				'invitation',
				invitation.id,
				'invitationRevoked',
				'revoked'
			);
		},

		/** A new link (the old one stops working) valid for 7 days from now. */
		async resend(actor: Actor, id: string): Promise<void> {
			requireUsersManage(actor.principal);
			const invitation = await pendingOf(actor, id);
			const { token, tokenHash } = newLinkToken();
			const expiresAt = new Date(clock.now().getTime() + INVITATION_TTL_MS).toISOString();
			await store.updateInvitation(invitation.id, { tokenHash, expiresAt });
			await audit(
				deps,
				byActor(actor),
				invitation.tenantId,
				'invitation',
				invitation.id,
				'invitationResent',
				'a new link was sent'
			);
			await mail(actor, { ...invitation, expiresAt }, token, 'try again later');
		},

		/** Creates the account with the invited role and grants, then signs it in (sign-in's own checks apply). */
		async accept(input: { token: string; password: string; ip: string }): Promise<IssuedSession> {
			const invitation = await store.getInvitationByTokenHash(hashToken(input.token));
			if (!invitation)
				throw new HttpError(410, 'invitation_invalid', 'this invitation link is not valid; ask for a new invitation');
			if (invitation.revokedAt !== null)
				throw new HttpError(410, 'invitation_revoked', 'this invitation was withdrawn; ask for a new invitation');
			if (invitation.acceptedAt !== null)
				throw new HttpError(410, 'invitation_used', 'this invitation was already used; sign in instead');
			if (expired(invitation))
				throw new HttpError(410, 'invitation_expired', 'this invitation has expired; ask for a new invitation');
			if (await store.getUserByEmail(invitation.email))
				throw new HttpError(409, 'email_taken', 'a user with this email already exists; sign in instead');
			const now = clock.now().toISOString();
			// Claimed before the account is made, so that two submits of one link cannot both create it.
			if (!(await store.claimInvitation(invitation.id, now)))
				throw new HttpError(410, 'invitation_used', 'this invitation was already used; sign in instead');
			const userId = newId();
			try {
				await store.createUser({
					id: userId,
					tenantId: invitation.tenantId,
					email: invitation.email,
					passwordHash: await hashPassword(input.password, deps.scrypt ?? DEFAULT_SCRYPT),
					role: invitation.role,
					grants: invitation.grants,
					createdAt: now
				});
			} catch (error) {
				await store.claimInvitation(invitation.id, null);
				if (error instanceof EmailTakenError) throw new HttpError(409, 'email_taken', error.message);
				throw error;
			}
			await audit(
				deps,
				{ userId, ip: input.ip },
				invitation.tenantId,
				'user',
				userId,
				'invitationAccepted',
				`invitation ${invitation.id} accepted as ${invitation.role}`
			);
			try {
				return await deps.auth.signIn(invitation.email, input.password, input.ip);
			} catch (error) {
				// The account exists; only the automatic sign-in was refused (a trusted-address rule, a slow-down).
				if (error instanceof AuthError) throw new HttpError(error.status, error.code, error.message);
				throw error;
			}
		}
	};
}

export type Invitations = ReturnType<typeof createInvitations>;
