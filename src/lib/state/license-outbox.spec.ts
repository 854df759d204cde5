// S60-S62 for license commands: queued on the device, sent in order, each answer kept (a summary, a refusal).
import { describe, expect, it } from 'vitest';
import type { Command, CommandResult } from '$lib/schema/commands';
import { createLicenseCommands, licenseOutboxKey } from './license-outbox.svelte';

function memoryStorage() {
	const items = new Map<string, string>();
	return {
		items,
		getItem: (key: string) => items.get(key) ?? null,
		setItem: (key: string, value: string) => void items.set(key, value),
		removeItem: (key: string) => void items.delete(key)
	};
}

describe('license commands', () => {
	it('S60, S62: a command waits on the device until the server answers; the answer and any refusal are kept', async () => {
		const storage = memoryStorage();
		let answer: (results: CommandResult[]) => void = () => undefined;
		const sent: Command[][] = [];
		const commands = createLicenseCommands({
			tenantId: 't1',
			userId: 'u1',
			storage,
			send: (batch) => {
				sent.push(batch);
				return new Promise((resolve) => (answer = resolve));
			}
		});
		const deletion = commands.submit({ type: 'license.delete', licenseId: 'lic-1' });
		expect(commands.pending.map((command) => command.id)).toEqual([deletion]);
		expect(JSON.parse(storage.items.get(licenseOutboxKey('t1', 'u1'))!)).toHaveLength(1);
		expect(commands.outcome(deletion)).toBeNull();
		await Promise.resolve();
		expect(sent[0]?.map((command) => command.type)).toEqual(['license.delete']);
		answer([{ id: deletion, status: 'refused', code: 'notPermitted', message: 'no' }]);
		await expect.poll(() => commands.pending.length).toBe(0);
		expect(commands.outcome(deletion)).toMatchObject({ status: 'refused' });
		expect(commands.refusals.map((refusal) => refusal.command.id)).toEqual([deletion]);
		commands.dismissRefusals();
		expect(commands.refusals).toEqual([]);
		expect(storage.items.has(licenseOutboxKey('t1', 'u1'))).toBe(false);
		// Kept apart from the person's other outbox, under the prefix that sign-out forgets.
		expect(licenseOutboxKey('t1', 'u1')).toMatch(/^msp-portal:outbox:t1:u1/);
		expect(licenseOutboxKey('t1', 'u1')).not.toBe('msp-portal:outbox:t1:u1');
		commands.destroy();
	});

	it('S60: commands queued in an earlier session are sent at start; an invalid command is refused before it is queued', async () => {
		const storage = memoryStorage();
		const first = createLicenseCommands({
			tenantId: 't1',
			userId: 'u1',
			storage,
			send: () => new Promise(() => undefined)
		});
		const sync = first.submit({ type: 'licenses.sync', accountId: 'acc-1' });
		expect(() => first.submit({ type: 'license.convertTrial', licenseId: 'lic-1', units: 0 })).toThrow();
		first.destroy();
		const results: CommandResult[] = [];
		const second = createLicenseCommands({
			tenantId: 't1',
			userId: 'u1',
			storage,
			send: async (batch) => {
				const answers = batch.map((command) => ({
					id: command.id,
					status: 'applied' as const,
					summary: { accountId: 'acc-1', added: 1, changed: 0, removed: 0, companiesAdded: 0 }
				}));
				results.push(...answers);
				return answers;
			}
		});
		await expect.poll(() => second.pending.length).toBe(0);
		expect(results.map((result) => result.id)).toEqual([sync]);
		expect(second.outcome(sync)?.summary?.added).toBe(1);
		second.destroy();
	});
});
