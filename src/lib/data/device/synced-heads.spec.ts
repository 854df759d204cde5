// S32: the heads this device caught up to, kept per tenant in storage, parsed with zod, written in batches.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { forgetSyncedHeads, SyncedHeads, syncedHeadsKey } from './synced-heads';
import { memoryStorage } from './testing';

afterEach(() => {
	vi.useRealTimers();
});

describe('SyncedHeads', () => {
	it('S32: only documents whose server head moved (or that were never caught up) are listed as changed', () => {
		const heads = new SyncedHeads(memoryStorage(), 't1');
		heads.set('customer:a', 4);
		heads.set('customer:b', 7);
		const server = new Map([
			['customer:a', 4],
			['customer:b', 8],
			['customer:c', 0]
		] as const);
		expect(heads.changed(server)).toEqual(['customer:b', 'customer:c']);
	});

	it('S32: survives a reload, per tenant; many sets make one write', () => {
		vi.useFakeTimers();
		const storage = memoryStorage();
		const writes = vi.spyOn(storage, 'setItem');
		const heads = new SyncedHeads(storage, 't1');
		for (let i = 0; i < 500; i += 1) heads.set(`customer:c${i}`, i);
		expect(writes).toHaveBeenCalledTimes(0);
		vi.advanceTimersByTime(1000);
		expect(writes).toHaveBeenCalledTimes(1);
		expect(new SyncedHeads(storage, 't1').get('customer:c499')).toBe(499);
		expect(new SyncedHeads(storage, 't2').get('customer:c499')).toBeUndefined();
	});

	it('S32: a damaged record is not trusted: every document counts as changed', () => {
		const storage = memoryStorage();
		for (const raw of ['{not json', '{"customer:a":-1}', '{"../x":3}', '[1,2]']) {
			storage.items.set(syncedHeadsKey('t1'), raw);
			const heads = new SyncedHeads(storage, 't1');
			expect(heads.changed(new Map([['customer:a', 3]]))).toEqual(['customer:a']);
		}
	});

	it('S32: sign-out forgets the heads of every tenant and nothing else', () => {
		const storage = memoryStorage();
		storage.items.set(syncedHeadsKey('t1'), '{}');
		storage.items.set(syncedHeadsKey('t2'), '{}');
		storage.items.set('msp-portal:other', 'kept');
		forgetSyncedHeads(storage);
		expect([...storage.items.keys()]).toEqual(['msp-portal:other']);
	});
});
