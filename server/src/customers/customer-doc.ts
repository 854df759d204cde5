// P6, P7: what customer commands write into a customer document (server changes, inside `relay.change`): the services an
// invitation adds, and the backup requests people start.
import * as Y from 'yjs';
import { CUSTOMER_ROOTS } from '../../../src/lib/data/customer-doc';
import {
	backupRequestSchema,
	serviceSchema,
	type BackupRequest,
	type BackupRequestStatus,
	type ServiceKind
} from '../../../src/lib/schema/customer';

/** P6: the id of the `index`-th service an invitation adds (derived from the command, so a retry cannot add it twice). */
export const invitedServiceId = (commandId: string, index: number): string => `${commandId}-s${index}`;

/** P6: the invitation's services, one Y.Map of fields each (`serviceSchema` without the id, which is the key). */
export function writeServices(doc: Y.Doc, commandId: string, kinds: readonly ServiceKind[], at: string): void {
	const services = doc.getMap<Y.Map<unknown>>(CUSTOMER_ROOTS.services);
	doc.transact(() => {
		kinds.forEach((kind, index) => {
			const id = invitedServiceId(commandId, index);
			if (services.has(id)) return;
			const service = serviceSchema.parse({ id, kind, status: 'active', addedAt: at });
			const record = new Y.Map<unknown>();
			record.set('kind', service.kind);
			record.set('status', service.status);
			record.set('addedAt', service.addedAt);
			services.set(id, record);
		});
	});
}

/** Whether the customer has the service `id`. */
export const hasService = (doc: Y.Doc, id: string): boolean =>
	doc.getMap<unknown>(CUSTOMER_ROOTS.services).get(id) instanceof Y.Map;

/** P7: a backup request, one plain value keyed by its id. */
export function writeBackupRequest(doc: Y.Doc, request: BackupRequest): void {
	doc.getMap<unknown>(CUSTOMER_ROOTS.backupRequests).set(request.id, backupRequestSchema.parse(request));
}

/** P7: the request's status as the integration (or its failure to take it) says. */
export function setBackupStatus(doc: Y.Doc, id: string, status: BackupRequestStatus, at: string): void {
	const parsed = backupRequestSchema.safeParse(doc.getMap<unknown>(CUSTOMER_ROOTS.backupRequests).get(id));
	if (parsed.success) writeBackupRequest(doc, { ...parsed.data, status, updatedAt: at });
}
