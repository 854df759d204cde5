// H3, L5: a customer's setup. The MSP either invites the customer's own user (a Read-only role granted that customer
// alone: they see only that customer and its licenses) or skips it; either way the customer's status becomes `normal`.
import { hasTenantPermission } from '../../../src/lib/domain/access';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import { tenantDocName } from '../../../src/lib/schema/ids';
import type { CustomerSetupRequest } from '../../../src/lib/schema/users';
import { HttpError } from '../http/errors';
import { audit, byActor, type Actor, type UsersDeps } from './context';
import type { Invitations } from './invitations';

export function createCustomerSetup(deps: UsersDeps, invitations: Invitations) {
	return {
		/** Answers the invitation's id, or null when the setup was skipped. */
		async setUp(actor: Actor, customerId: string, request: CustomerSetupRequest): Promise<string | null> {
			const { principal } = actor;
			// The status lives in the tenant document: a tenant-wide person who may edit customers sets it up.
			if (!hasTenantPermission(principal, 'customers.edit') && !hasTenantPermission(principal, 'tree.edit'))
				throw new HttpError(403, 'forbidden', 'setting up a customer needs the right to edit customers of the tenant');
			const docName = tenantDocName(principal.tenantId);
			const status = await deps.relay.withDoc(docName, (doc) => {
				const node = new TenantRepository(doc).node(customerId);
				return node?.kind === 'customer' ? (node.status ?? 'notSetUp') : null;
			});
			if (status === null) throw new HttpError(404, 'not_found', 'there is no such customer');
			if (status !== 'notSetUp') throw new HttpError(409, 'already_set_up', 'this customer is set up already');
			// The invitation first: when it cannot be made (no right to invite, email taken, mail down), nothing changed.
			const invitationId =
				request.email === undefined
					? null
					: await invitations.invite(actor, {
							email: request.email,
							role: 'readOnly',
							grants: [{ scope: 'customer', id: customerId }]
						});
			await deps.relay.change(docName, (doc) => new TenantRepository(doc).setStatus(customerId, 'normal'));
			await audit(
				deps,
				byActor(actor),
				principal.tenantId,
				'treeNode',
				customerId,
				invitationId === null ? 'customerSetupSkipped' : 'customerSetUp',
				invitationId === null ? 'setup skipped' : "set up with the customer's own user (invited)"
			);
			return invitationId;
		}
	};
}
