// S63, S70, S72: the person's server commands as screens read them: pending, how each ended, and (scoped) shown at once.
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DomainError } from '$lib/domain/errors';
import { TenantRepository } from '$lib/data/tenant-repository';
import type { Command, CommandResult } from '$lib/schema/commands';
import { CommandsState } from './commands.svelte';

function tenantDoc(): Y.Doc {
	const doc = new Y.Doc();
	const ids = ['m1', 'c1'];
	const repo = new TenantRepository(doc, { newId: () => ids.shift()! });
	const m1 = repo.createNode({ kind: 'msp', name: 'MSP A', parentId: null });
	repo.createNode({ kind: 'customer', name: 'Contoso', parentId: m1 });
	const license = {
		publicId: 'P',
		poolId: 'p1',
		product: 'ESET',
		unitsOrdered: 10,
		unitsActivated: 0,
		expiresOn: '2026-04-01',
		suspended: false,
		ownerId: 'c1',
		tag: ''
	};
	repo.putLicenseData({
		accounts: [{ id: 'acc1', kind: 'msp', name: 'MSP account', login: 'a@example.com' }],
		pools: [{ id: 'p1', name: 'Contoso', accountId: 'acc1', groupId: 'c1' }],
		licenses: [
			{ ...license, id: 'trial1', type: 'trial' },
			{ ...license, id: 'paid1', type: 'msp' }
		]
	});
	return doc;
}

/** A server the test answers by hand: each request waits until `answer` is called. */
function manualServer() {
	const requests: Array<{ commands: Command[]; resolve: (results: CommandResult[]) => void }> = [];
	return {
		requests,
		send: (commands: Command[]) => new Promise<CommandResult[]>((resolve) => requests.push({ commands, resolve })),
		answer(results: (command: Command) => CommandResult) {
			const request = requests.shift()!;
			request.resolve(request.commands.map(results));
		}
	};
}

describe('CommandsState', () => {
	it('S70: a tenant-wide person’s license command waits in the outbox, changes nothing locally, and ends as the server says', async () => {
		const doc = tenantDoc();
		const server = manualServer();
		const commands = new CommandsState({
			tenantId: 't1',
			userId: 'u1',
			doc,
			optimistic: false,
			storage: null,
			indexedDB: new IDBFactory(),
			send: server.send
		});
		const before = Y.encodeStateVector(doc);
		const deletion = commands.submit({ type: 'license.delete', licenseId: 'paid1' });
		expect(commands.pendingCommands.map((c) => [c.type, c.id])).toEqual([['license.delete', deletion]]);
		expect(commands.pending).toBe(1);
		expect(Y.encodeStateVector(doc)).toEqual(before);
		await expect.poll(() => server.requests.length).toBe(1);
		server.answer((c) => ({ id: c.id, status: 'applied' }));
		await expect.poll(() => commands.pending).toBe(0);
		expect(commands.outcome(deletion)).toEqual({ id: deletion, type: 'license.delete', status: 'applied' });
		await commands.destroy();
	});

	it('S70, L15: a refusal the device can tell already is thrown and nothing is queued; the server’s refusals are told', async () => {
		const server = manualServer();
		const commands = new CommandsState({
			tenantId: 't1',
			userId: 'u1',
			doc: tenantDoc(),
			optimistic: false,
			storage: null,
			indexedDB: null,
			send: server.send
		});
		expect(() => commands.submit({ type: 'license.extendTrial', licenseId: 'paid1' })).toThrow(DomainError);
		expect(commands.pending).toBe(0);
		const importing = commands.submit({ type: 'licenses.import', fileName: 'export.csv', format: 'csv', text: 'a;b' });
		await expect.poll(() => server.requests.length).toBe(1);
		server.answer((c) => ({
			id: c.id,
			status: 'refused',
			code: 'invalid',
			message: 'the file is not an export',
			details: [{ where: 'line 1', message: 'no header' }]
		}));
		await expect.poll(() => commands.outcomes.length).toBe(1);
		expect(commands.outcome(importing)).toEqual({
			id: importing,
			type: 'licenses.import',
			status: 'refused',
			code: 'invalid',
			message: 'the file is not an export',
			details: [{ where: 'line 1', message: 'no header' }]
		});
		expect(commands.refusals.map((r) => r.type)).toEqual(['licenses.import']);
		const sync = commands.submit({ type: 'licenses.sync', accountId: 'acc1' });
		await expect.poll(() => server.requests.length).toBe(1);
		const summary = { accountId: 'acc1', added: 1, changed: 0, removed: 0, companiesAdded: 0 };
		server.answer((c) => ({ id: c.id, status: 'applied', summary }));
		await expect.poll(() => commands.outcome(sync)?.summary).toEqual(summary);
		await commands.destroy();
	});

	it('S63: a scoped person’s license command is shown at once in the local view', async () => {
		const doc = tenantDoc();
		const commands = new CommandsState({
			tenantId: 't1',
			userId: 'u1',
			doc,
			optimistic: true,
			storage: null,
			indexedDB: null,
			send: () => Promise.reject(new Error('offline'))
		});
		commands.submit({ type: 'license.extendTrial', licenseId: 'trial1' });
		commands.submit({ type: 'license.setTag', licenseId: 'paid1', tag: 'Edited' });
		const repo = new TenantRepository(doc);
		expect(repo.licenseRecord('trial1')?.expiresOn).toBe('2026-05-01');
		expect(repo.licenses().find((l) => l.id === 'paid1')?.tag).toBe('Edited');
		expect(commands.pending).toBe(2);
		await commands.destroy();
	});
});
