// S60-S64: the outbox of server commands: kept on the device, sent in order, retried with backoff, drained, refusals dropped.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Command, CommandResult } from '../schema/commands';
import { CommandOutbox, FIRST_BACKOFF_MS, outboxStorageKey, type OutboxOptions } from './outbox';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> & { map: Map<string, string> } {
	const map = new Map<string, string>();
	return {
		map,
		getItem: (key) => map.get(key) ?? null,
		setItem: (key, value) => void map.set(key, value),
		removeItem: (key) => void map.delete(key)
	};
}

const applied = (commands: Command[]): CommandResult[] => commands.map((c) => ({ id: c.id, status: 'applied' }));
const rename = (name: string) => ({ type: 'site.rename' as const, siteId: 's1', name });

let storage: ReturnType<typeof memoryStorage>;
beforeEach(() => {
	storage = memoryStorage();
	vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

function outbox(send: OutboxOptions['send'], extra: Partial<OutboxOptions> = {}): CommandOutbox {
	return new CommandOutbox({ tenantId: 't1', userId: 'u1', storage, send, ...extra });
}

describe('CommandOutbox', () => {
	it('S60: a queued command is kept on the device, survives a reload and is sent by the next page', async () => {
		const offline = outbox(() => Promise.reject(new Error('offline')));
		const command = offline.enqueue(rename('Warehouse'));
		await offline.drain();
		offline.stop();
		expect(JSON.parse(storage.map.get(outboxStorageKey('t1', 'u1'))!)).toEqual([command]);

		const sent: Command[][] = [];
		const reloaded = outbox(async (commands) => (sent.push(commands), applied(commands)));
		expect(reloaded.pending).toEqual([command]);
		await reloaded.drain();
		expect(sent).toEqual([[command]]);
		expect(reloaded.pending).toEqual([]);
		expect(storage.map.has(outboxStorageKey('t1', 'u1'))).toBe(false);
	});

	it('S60: what is read back is parsed: entries this version cannot read are dropped, another person has their own', () => {
		const good = outbox(() => Promise.reject(new Error('offline'))).enqueue(rename('Kept'));
		const key = outboxStorageKey('t1', 'u1');
		storage.map.set(key, JSON.stringify([{ type: 'tenant.delete', id: 'x' }, good, 'junk']));
		expect(outbox(() => Promise.reject(new Error('offline'))).pending).toEqual([good]);
		storage.map.set(key, '{not json');
		expect(outbox(() => Promise.reject(new Error('offline'))).pending).toEqual([]);
		expect(outbox(() => Promise.reject(new Error('offline')), { userId: 'u2' }).pending).toEqual([]);
	});

	it('S60: commands go out in the order they were made; those made during a send follow in the next request', async () => {
		const sent: string[][] = [];
		let release: () => void = () => undefined;
		const box = outbox(async (commands) => {
			sent.push(commands.map((c) => (c.type === 'site.rename' ? c.name : c.type)));
			if (sent.length === 1) await new Promise<void>((resolve) => (release = resolve));
			return applied(commands);
		});
		box.enqueue(rename('one'));
		box.enqueue(rename('two'));
		box.enqueue(rename('three'));
		await vi.waitFor(() => expect(sent).toHaveLength(1));
		release();
		await box.drain();
		expect(sent).toEqual([['one'], ['two', 'three']]);
		expect(box.pending).toEqual([]);
	});

	it('S64: a send that fails is retried with a growing backoff until it goes through', async () => {
		let calls = 0;
		const box = outbox(async (commands) => {
			calls += 1;
			if (calls <= 2) throw new Error('network');
			return applied(commands);
		});
		box.enqueue(rename('later'));
		await vi.waitFor(() => expect(calls).toBe(1));
		await vi.advanceTimersByTimeAsync(FIRST_BACKOFF_MS);
		expect(calls).toBe(2);
		await vi.advanceTimersByTimeAsync(FIRST_BACKOFF_MS);
		expect(calls).toBe(2); // the second wait is twice as long
		await vi.advanceTimersByTimeAsync(FIRST_BACKOFF_MS);
		expect(calls).toBe(3);
		expect(box.pending).toEqual([]);
	});

	it('S64: coming back online sends at once instead of waiting out the backoff', async () => {
		let online = false;
		const box = outbox(async (commands) => {
			if (!online) throw new Error('network');
			return applied(commands);
		});
		box.enqueue(rename('x'));
		await vi.waitFor(() => expect(box.pending).toHaveLength(1));
		online = true;
		box.online();
		await box.drain();
		expect(box.pending).toEqual([]);
	});

	it('S62: a refused command leaves the outbox and is reported; the ones after it still go', async () => {
		const refusals: string[] = [];
		const box = outbox(
			async (commands) =>
				commands.map((c, i) =>
					i === 0 ? { id: c.id, status: 'refused', code: 'notPermitted', message: 'no' } : { id: c.id, status: 'applied' }
				),
			{ onRefused: (command, result) => refusals.push(`${command.type}:${result.code}`) }
		);
		box.stop();
		const stopped = box.enqueue(rename('a'));
		expect(box.pending).toEqual([stopped]);
		const live = outbox(
			async (commands) =>
				commands.map((c, i): CommandResult =>
					i === 0 ? { id: c.id, status: 'refused', code: 'notPermitted', message: 'no' } : { id: c.id, status: 'duplicate' }
				),
			{ onRefused: (command, result) => refusals.push(`${command.type}:${result.code}`) }
		);
		live.enqueue(rename('b'));
		await live.drain();
		expect(refusals).toEqual(['site.rename:notPermitted']);
		expect(live.pending).toEqual([]);
	});
});
