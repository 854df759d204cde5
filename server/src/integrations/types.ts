// P4, P5, P7: what the rest of the server asks of the integrations service.
import type { BackupRequest } from '../../../src/lib/schema/customer';

/** P7: "start a backup" queues a request that the backup integration picks up (GET /api/v1/backup-requests). */
export interface BackupQueue {
	/** Records `request` (already written into the customer document as `queued`) for the integration to pick up. */
	queue(tenantId: string, customerId: string, request: BackupRequest): Promise<void>;
}
