// S60-S62, S70 for license commands: queued on the device (IndexedDB), sent in order, each answer kept (a summary, a refusal).
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Command, CommandResult } from '$lib/schema/commands';
import { CommandsState } from './commands.svelte';
import { TenantRepository } from '$lib/data/tenant-repository';
import { licenseCommandsOver } from './license-outbox.svelte';

/** A tenant document with one MSP account's license (the device checks a command against it before queuing it). */
function tenantDoc(): Y.Doc {
	const doc = new Y.Doc();
	const repo = new TenantRepository(doc);
	repo.createNodes([
		{ id: 'm1', kind: 'msp', name: 'MSP', parentId: null },
		{ id: 'c1', kind: 'customer', name: 'Contoso', parentId: 'm1' }
	]);
	repo.putLicenseData({
		accounts: [{ id: 'acc-1', kind: 'msp', name: 'MSP account', login: 'a@example.com' }],
		pools: [{ id: 'p1', name: 'Contoso', accountId: 'acc-1', groupId: 'c1' }],
		licenses: [
			{
				id: 'lic-1',
				publicId: 'P-1',
				poolId: 'p1',
				product: 'Endpoint Security',
				type: 'msp',
				unitsOrdered: 10,
				unitsActivated: 1,
				expiresOn: '2027-01-01',
				suspended: false,
				ownerId: 'c1',
				tag: 'Contoso'
			}
		]
	});
	return doc;
}

function state(indexedDB: IDBFactory, send: (commands: Command[]) => Promise<CommandResult[]>) {
	return new CommandsState({
		tenantId: 't1',
		userId: 'u1',
		doc: tenantDoc(),
		optimistic: false,
		storage: null,
		indexedDB,
		send
	});
}

describe('license commands', () => {
	it('S60, S62: a license command waits on the device until the server answers; the answer and a refusal are kept', async () => {
		let answer: (results: CommandResult[]) => void = () => undefined;
		const sent: Command[][] = [];
		const commandsState = state(new IDBFactory(), (batch) => {
			sent.push(batch);
			return new Promise((resolve) => (answer = resolve));
		});
		const commands = licenseCommandsOver(commandsState);
		const deletion = commands.submit({ type: 'license.delete', licenseId: 'lic-1' });
		expect(commands.pending.map((command) => command.id)).toEqual([deletion]);
		expect(commands.outcome(deletion)).toBeNull();
		await expect.poll(() => sent.length).toBe(1);
		expect(sent[0]?.map((command) => command.type)).toEqual(['license.delete']);
		answer([{ id: deletion, status: 'refused', code: 'notPermitted', message: 'no' }]);
		await expect.poll(() => commands.pending.length).toBe(0);
		expect(commands.outcome(deletion)).toMatchObject({ status: 'refused', message: 'no' });
		expect(commands.refusals.map((refusal) => refusal.command.id)).toEqual([deletion]);
		commands.dismissRefusals();
		expect(commands.refusals).toEqual([]);
		await commandsState.destroy();
	});

	it('S60: license commands queued in an earlier session are sent at start with their summary kept; only license commands are listed', async () => {
		const indexedDB = new IDBFactory();
		const first = state(indexedDB, () => new Promise(() => undefined));
		const sync = licenseCommandsOver(first).submit({ type: 'licenses.sync', accountId: 'acc-1' });
		first.submit({ type: 'site.rename', siteId: 's1', name: 'Wien' });
		expect(licenseCommandsOver(first).pending.map((command) => command.id)).toEqual([sync]);
		await first.destroy();
		const second = state(indexedDB, async (batch) =>
			batch.map((command) => ({
				id: command.id,
				status: 'applied' as const,
				summary: { accountId: 'acc-1', added: 1, changed: 0, removed: 0, companiesAdded: 0 }
			}))
		);
		const commands = licenseCommandsOver(second);
		// The outbox is read from IndexedDB and sent at start; the answer's summary is kept for the screen.
		await expect.poll(() => commands.outcome(sync)?.summary?.added).toBe(1);
		expect(commands.pending).toEqual([]);
		await second.destroy();
	});
});
