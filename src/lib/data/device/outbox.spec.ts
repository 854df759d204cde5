// S60-S64, S72: the outbox of server commands: kept in IndexedDB (fake-indexeddb here), sent in order, retried with
// backoff, drained, refusals dropped, the first versions' localStorage outbox moved in once.
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Command, CommandResult } from '../../schema/commands';
import {
	CommandOutbox,
	FIRST_BACKOFF_MS,
	forgetOutboxes,
	legacyOutboxKey,
	nextBatch,
	OUTBOX_DB,
	type OutboxOptions
} from './outbox';
import { memoryStorage } from './testing';

const applied = (commands: Command[]): CommandResult[] => commands.map((c) => ({ id: c.id, status: 'applied' }));
const rename = (name: string) => ({ type: 'site.rename' as const, siteId: 's1', name });
const offline = (): Promise<CommandResult[]> => Promise.reject(new Error('offline'));

let idb: IDBFactory;
let storage: ReturnType<typeof memoryStorage>;
const boxes: CommandOutbox[] = [];
beforeEach(() => {
	idb = new IDBFactory();
	storage = memoryStorage();
	// fake-indexeddb schedules with setImmediate: only the outbox's own timers are faked.
	vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(async () => {
	for (const box of boxes.splice(0)) await box.stop();
	vi.useRealTimers();
});

function outbox(send: OutboxOptions['send'], extra: Partial<OutboxOptions> = {}): CommandOutbox {
	const box = new CommandOutbox({ tenantId: 't1', userId: 'u1', indexedDB: idb, storage, send, ...extra });
	boxes.push(box);
	return box;
}

/** What IndexedDB holds for everyone, in the store's order. */
async function stored(): Promise<unknown[]> {
	const reader = outbox(offline, { userId: 'nobody' });
	await reader.whenLoaded;
	const db = await new Promise<IDBDatabase>((resolve, reject) => {
		const request = idb.open(OUTBOX_DB);
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error);
	});
	const all = await new Promise<unknown[]>((resolve, reject) => {
		const request = db.transaction('commands').objectStore('commands').getAll();
		request.onsuccess = () => resolve(request.result as unknown[]);
		request.onerror = () => reject(request.error);
	});
	db.close();
	return all;
}

describe('CommandOutbox', () => {
	it('S60, S72: a queued command is kept in IndexedDB, survives a reload and is sent by the next page', async () => {
		const before = outbox(offline);
		const command = before.enqueue(rename('Warehouse'));
		await before.persisted();
		await before.stop();
		expect(await stored()).toEqual([{ seq: 1, tenantId: 't1', userId: 'u1', command }]);

		const sent: Command[][] = [];
		const reloaded = outbox(async (commands) => (sent.push(commands), applied(commands)));
		expect(await reloaded.whenLoaded).toEqual([command]);
		expect(reloaded.pending).toEqual([command]);
		await reloaded.drain();
		expect(sent).toEqual([[command]]);
		expect(reloaded.pending).toEqual([]);
		await reloaded.persisted();
		expect(await stored()).toEqual([]);
	});

	it('S72: enqueue keeps the command on the device before it is sent', async () => {
		let keptWhenSent: unknown[] | null = null;
		const box = outbox(async (commands) => {
			keptWhenSent ??= (await stored()).map((entry) => (entry as { command: Command }).command.id);
			return applied(commands);
		});
		const command = box.enqueue(rename('Kept first'));
		await vi.waitFor(() => expect(box.pending).toEqual([]));
		expect(keptWhenSent).toEqual([command.id]);
	});

	it('S72: the order survives a reload, and commands made before the reload was read come after the stored ones', async () => {
		const first = outbox(offline);
		const names = ['one', 'two', 'three'].map((name) => first.enqueue(rename(name)).id);
		await first.stop();
		const sent: string[][] = [];
		const reloaded = outbox(async (commands) => (sent.push(commands.map((c) => c.id)), applied(commands)));
		const later = reloaded.enqueue(rename('four')).id;
		await reloaded.whenLoaded;
		expect(reloaded.pending.map((c) => c.id)).toEqual([...names, later]);
		await vi.waitFor(() => expect(reloaded.pending).toEqual([]));
		expect(sent.flat()).toEqual([...names, later]);
	});

	it('S72: the first versions’ localStorage outbox is moved into IndexedDB once, then its key is gone', async () => {
		const legacy = outbox(offline, { indexedDB: null, storage: memoryStorage() }).enqueue(rename('from localStorage'));
		storage.setItem(legacyOutboxKey('t1', 'u1'), JSON.stringify([legacy, { type: 'tenant.delete' }]));
		const box = outbox(offline);
		expect(await box.whenLoaded).toEqual([legacy]);
		expect(storage.getItem(legacyOutboxKey('t1', 'u1'))).toBeNull();
		await box.stop();
		expect(await outbox(offline).whenLoaded).toEqual([legacy]);
		expect((await stored()).length).toBe(1);
	});

	it('S60: what is read back is parsed: entries this version cannot read are dropped, another person has their own', async () => {
		const box = outbox(offline);
		const good = box.enqueue(rename('Kept'));
		await box.stop();
		const db = await new Promise<IDBDatabase>((resolve) => {
			const request = idb.open(OUTBOX_DB);
			request.onsuccess = () => resolve(request.result);
		});
		await new Promise<void>((resolve) => {
			const transaction = db.transaction('commands', 'readwrite');
			transaction.objectStore('commands').add({ tenantId: 't1', userId: 'u1', command: { type: 'tenant.delete' } });
			transaction.oncomplete = () => resolve();
		});
		db.close();
		expect(await outbox(offline).whenLoaded).toEqual([good]);
		expect(await outbox(offline, { userId: 'u2' }).whenLoaded).toEqual([]);
		expect(await outbox(offline, { tenantId: 't2' }).whenLoaded).toEqual([]);
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
		await vi.waitFor(() => expect(sent).toHaveLength(1));
		box.enqueue(rename('two'));
		box.enqueue(rename('three'));
		await box.persisted();
		release();
		await box.drain();
		expect(sent).toEqual([['one'], ['two', 'three']]);
		expect(box.pending).toEqual([]);
	});

	it('S64, S66: an import goes in a request of its own; other commands go up to 100 at a time', () => {
		const make = (type: 'rename' | 'import', i: number): Command =>
			type === 'import'
				? { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, at: '2026-01-01T00:00:00.000Z', type: 'licenses.import', fileName: 'a.json', format: 'json', text: '{}' }
				: { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, at: '2026-01-01T00:00:00.000Z', ...rename(`n${i}`) };
		const [a, b, imp, c] = [make('rename', 1), make('rename', 2), make('import', 3), make('rename', 4)];
		expect(nextBatch([a, b, imp, c])).toEqual([a, b]);
		expect(nextBatch([imp, c])).toEqual([imp]);
		expect(nextBatch(Array.from({ length: 150 }, (_, i) => make('rename', i)))).toHaveLength(100);
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
		await vi.waitFor(() => expect(calls).toBe(2));
		await vi.advanceTimersByTimeAsync(FIRST_BACKOFF_MS);
		expect(calls).toBe(2); // the second wait is twice as long
		await vi.advanceTimersByTimeAsync(FIRST_BACKOFF_MS);
		await vi.waitFor(() => expect(calls).toBe(3));
		await vi.waitFor(() => expect(box.pending).toEqual([]));
	});

	it('S64: coming back online sends at once instead of waiting out the backoff', async () => {
		let online = false;
		let calls = 0;
		const box = outbox(async (commands) => {
			calls += 1;
			if (!online) throw new Error('network');
			return applied(commands);
		});
		box.enqueue(rename('x'));
		await vi.waitFor(() => expect(calls).toBe(1));
		online = true;
		box.online();
		await box.drain();
		expect(box.pending).toEqual([]);
	});

	it('S62, S70: a refused command leaves the outbox and is reported; the ones after it still go; every answer is told', async () => {
		const refusals: string[] = [];
		const answers: string[] = [];
		const box = outbox(offline, { onRefused: (command, result) => refusals.push(`${command.type}:${result.code}`) });
		await box.stop();
		const stopped = box.enqueue(rename('a'));
		expect(box.pending).toEqual([stopped]);
		const live = outbox(
			async (commands) =>
				commands.map((c, i): CommandResult =>
					i === 0 ? { id: c.id, status: 'refused', code: 'notPermitted', message: 'no' } : { id: c.id, status: 'duplicate' }
				),
			{
				indexedDB: null,
				onRefused: (command, result) => refusals.push(`${command.type}:${result.code}`),
				onResult: (_command, result) => answers.push(result.status)
			}
		);
		live.enqueue(rename('b'));
		live.enqueue(rename('c'));
		await live.drain();
		await vi.waitFor(() => expect(live.pending).toEqual([]));
		expect(refusals).toEqual(['site.rename:notPermitted']);
		expect(answers).toEqual(['refused', 'duplicate']);
	});

	it('S72: sign-out forgets every outbox on the device', async () => {
		const box = outbox(offline);
		box.enqueue(rename('gone'));
		await box.stop();
		await forgetOutboxes(idb);
		expect(await outbox(offline).whenLoaded).toEqual([]);
	});
});
