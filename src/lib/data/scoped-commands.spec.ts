// S63: a scoped device shows its commands at once and keeps showing them over a fresh view until the server confirms them.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ScopedView } from '../schema/view';
import { ScopedCommands } from './scoped-commands';
import { writeScopedView } from './scoped-view';
import { TenantRepository } from './tenant-repository';

const view = (address: string): ScopedView => ({
	tenantName: 'Acme IT',
	nodes: [
		{
			id: 'c1',
			kind: 'customer',
			name: 'Customer One',
			status: 'normal',
			address,
			placement: { parent: null, prev: null, ts: 1, client: 1 }
		}
	],
	accounts: [],
	pools: [],
	licenses: [],
	at: '2026-01-01T00:00:00.000Z'
});

describe('ScopedCommands', () => {
	it('S63: the change shows at once, survives a view written over it, and a change the view cannot take is not queued', () => {
		const doc = new Y.Doc();
		writeScopedView(doc, view('Old street 1'));
		const commands = new ScopedCommands(doc, {
			tenantId: 't1',
			userId: 'u1',
			storage: null,
			send: () => Promise.reject(new Error('offline'))
		});
		const repo = new TenantRepository(doc);
		commands.submit({ type: 'customer.updateProfile', customerId: 'c1', patch: { address: 'New street 2' } });
		const site = commands.submit({ type: 'site.create', customerId: 'c1', name: 'Warehouse' });
		expect(repo.node('c1')?.address).toBe('New street 2');
		expect(repo.node(site.id)).toMatchObject({ kind: 'site', name: 'Warehouse' });

		// The server's view, from before it got the commands: the unconfirmed changes are applied again on top.
		writeScopedView(doc, view('Old street 1'));
		expect(repo.node('c1')?.address).toBe('New street 2');
		expect(repo.view().children.get('c1')).toEqual([site.id]);

		expect(() => commands.submit({ type: 'site.rename', siteId: 'nowhere', name: 'x' })).toThrow();
		expect(commands.outbox.pending.map((c) => c.type)).toEqual(['customer.updateProfile', 'site.create']);
		commands.stop();
	});
});
