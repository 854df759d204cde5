// S63: a scoped device shows its commands at once and keeps showing them over a fresh view until the server confirms them.
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ScopedView } from '../../schema/view';
import { ScopedCommands } from './scoped-commands';
import { writeScopedView } from '../scoped-view';
import { TenantRepository } from '../tenant-repository';

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
	it('S63: the change shows at once, survives a view written over it, and a change the view cannot take is not queued', async () => {
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
		await commands.stop();
	});

	it('S63, S72: after a reload the commands kept in IndexedDB are applied again over the cached view', async () => {
		const indexedDB = new IDBFactory();
		const options = { tenantId: 't1', userId: 'u1', storage: null, indexedDB, send: () => Promise.reject(new Error('offline')) };
		const before = new Y.Doc();
		writeScopedView(before, view('Old street 1'));
		const first = new ScopedCommands(before, options);
		first.submit({ type: 'customer.updateProfile', customerId: 'c1', patch: { address: 'New street 2' } });
		await first.stop();

		const reloaded = new Y.Doc();
		writeScopedView(reloaded, view('Old street 1'));
		const again = new ScopedCommands(reloaded, options);
		await again.outbox.whenLoaded;
		expect(new TenantRepository(reloaded).node('c1')?.address).toBe('New street 2');
		expect(again.outbox.pending.map((c) => c.type)).toEqual(['customer.updateProfile']);
		await again.stop();
	});

	it('L4, S63: a tag edited offline shows over a fresh view, and goes with the view once the server confirmed it', async () => {
		const doc = new Y.Doc();
		const licensed: ScopedView = {
			...view('Old street 1'),
			accounts: [{ id: 'acc1', kind: 'msp', name: 'MSP account', login: 'a@example.com' }],
			pools: [{ id: 'p1', name: 'Customer One', accountId: 'acc1', groupId: 'c1' }],
			licenses: [
				{
					id: 'lic1',
					publicId: 'P-1',
					poolId: 'p1',
					product: 'ESET',
					type: 'msp',
					unitsOrdered: 5,
					unitsActivated: 0,
					expiresOn: '2026-12-31',
					suspended: false,
					ownerId: 'c1',
					tag: 'Customer One',
					removed: false,
					held: false,
					extensions: 0,
					convertedUnits: 0,
					origin: 'vendor'
				}
			]
		};
		writeScopedView(doc, licensed);
		let online = false;
		const commands = new ScopedCommands(doc, {
			tenantId: 't1',
			userId: 'u1',
			storage: null,
			send: async (sent) => {
				if (!online) throw new Error('offline');
				return sent.map((c) => ({ id: c.id, status: 'applied' as const }));
			}
		});
		const repo = new TenantRepository(doc);
		commands.submit({ type: 'license.setTag', licenseId: 'lic1', tag: 'Edited offline' });
		writeScopedView(doc, licensed);
		expect(repo.licenses()[0]?.tag).toBe('Edited offline');
		// Confirmed: the command left the outbox; the next view carries the server's tag, whatever it is by then.
		online = true;
		await commands.outbox.drain();
		expect(commands.outbox.pending).toEqual([]);
		const renamed = { ...licensed, licenses: [{ ...licensed.licenses[0]!, tag: 'Renamed by someone else' }] };
		writeScopedView(doc, renamed);
		expect(repo.licenses()[0]?.tag).toBe('Renamed by someone else');
		await commands.stop();
	});
});
