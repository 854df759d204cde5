// A portal with a tenant tree of customers, its owner signed in, and integration tokens: for the integrations API tests.
import * as Y from 'yjs';
import { createMemoryStore } from '../../server/src/store/memory';
import type { Store } from '../../server/src/store/types';
import { createIntegrationToken } from '../../server/src/integrations/tokens';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { customerDocName } from '../../src/lib/schema/ids';
import type { Replica } from '../../src/lib/data/sync/types';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock';
import {
	addOwner,
	OWNER_EMAIL,
	OWNER_PASSWORD,
	raw,
	startPortal,
	type Portal,
	type RawResponse
} from '../helpers/portal';
import { signIn } from '../helpers/portal-clients';
import { openTestReplica, settled } from '../helpers/sync-clients';

export const TENANT = 'acme';
export const OTHER_TENANT = 'globex';

export interface IntegrationsHarness {
	readonly store: Store;
	readonly clock: FakeClock;
	readonly portal: Portal;
	/** A token of `acme` named "Backup system", and one of `globex`. */
	readonly token: string;
	readonly tokenId: string;
	readonly otherToken: string;
	readonly ownerCookie: () => Promise<string>;
	post(path: string, body: unknown, token?: string | null, headers?: Record<string, string>): Promise<RawResponse>;
	/** A synced replica of a document of `acme`, as the owner's device holds it. */
	replica(docName: 'tenant' | string): Promise<Replica>;
	/** The stored customer document (what the relay holds). */
	customerDoc(customerId: string): Promise<Y.Doc>;
	close(): Promise<void>;
}

/** acme: msp-a with customers c1, c2 and c3 (unlinked); globex: its own customer g1. */
export async function startIntegrations(): Promise<IntegrationsHarness> {
	const store = createMemoryStore();
	const clock = createFakeClock(new Date('2025-06-01T12:00:00Z'));
	const portal = await startPortal({ store, clock });
	await addOwner(store, clock, TENANT);
	await store.createTenant({ id: OTHER_TENANT, name: 'Globex', createdAt: clock.now().toISOString() });
	const ids = ['msp-a', 'c1', 'c2', 'c3'];
	await portal.server.relay.change(`tenant:${TENANT}`, (doc) => {
		const tree = new TenantRepository(doc, { newId: () => ids.shift()! });
		const msp = tree.createNode({ kind: 'msp', name: 'MSP A', parentId: null });
		tree.createNode({
			kind: 'customer',
			name: 'Customer One',
			parentId: msp,
			status: 'normal',
			contact: { name: 'Ada Admin', email: 'Ada@one.example', phone: '' }
		});
		tree.createNode({ kind: 'customer', name: 'Customer Two', parentId: msp, status: 'normal' });
		tree.createNode({ kind: 'customer', name: 'Customer Three', parentId: msp, status: 'unlinked' });
	});
	const gids = ['g-msp', 'g1'];
	await portal.server.relay.change(`tenant:${OTHER_TENANT}`, (doc) => {
		const tree = new TenantRepository(doc, { newId: () => gids.shift()! });
		const msp = tree.createNode({ kind: 'msp', name: 'Globex MSP', parentId: null });
		tree.createNode({ kind: 'customer', name: 'Globex Customer', parentId: msp, status: 'normal' });
	});
	const made = await createIntegrationToken(store, {
		tenantId: TENANT,
		name: 'Backup system',
		createdBy: null,
		now: clock.now()
	});
	const other = await createIntegrationToken(store, {
		tenantId: OTHER_TENANT,
		name: 'Globex backup',
		createdBy: null,
		now: clock.now()
	});
	const replicas: Replica[] = [];
	let cookie: string | null = null;
	const harness: IntegrationsHarness = {
		store,
		clock,
		portal,
		token: made.secret,
		tokenId: made.record.id,
		otherToken: other.secret,
		async ownerCookie() {
			cookie ??= await signIn(portal.base, OWNER_EMAIL, OWNER_PASSWORD);
			return cookie;
		},
		post(path, body, token = made.secret, headers = {}) {
			return raw(portal.port, path, {
				method: 'POST',
				body,
				headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...headers }
			});
		},
		async replica(doc) {
			const name = doc === 'tenant' ? (`tenant:${TENANT}` as const) : customerDocName(doc);
			const replica = openTestReplica(`${portal.base.replace('http', 'ws')}/sync`, name, await harness.ownerCookie());
			replicas.push(replica);
			await settled(replica);
			return replica;
		},
		async customerDoc(customerId) {
			const update = await portal.server.relay.encodeState(`${TENANT}/customer:${customerId}`);
			const doc = new Y.Doc();
			Y.applyUpdate(doc, update);
			return doc;
		},
		async close() {
			for (const replica of replicas.splice(0)) await replica.destroy();
			await portal.server.close();
			await store.close();
		}
	};
	return harness;
}

export const job = (jobId: string, customerId: string, overrides: Record<string, unknown> = {}) => ({
	jobId,
	customerId,
	service: 'Exchange backup',
	module: 'Mailboxes',
	status: 'succeeded',
	startedAt: '2025-06-01T10:00:00Z',
	endedAt: '2025-06-01T10:30:00Z',
	bytes: 1000,
	...overrides
});

export const request = (requestId: string, customerId: string, overrides: Record<string, unknown> = {}) => ({
	requestId,
	customerId,
	subject: 'Restore a mailbox',
	details: 'The CFO deleted a folder.',
	submittedAt: '2025-06-01T09:00:00Z',
	...overrides
});
