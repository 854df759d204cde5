// S127: a batch push acknowledges unconfirmed changes by the answer's state vector, and deletions because the pushed update
// carried the whole delete set; entries recorded after the push wait for the next one.
import { describe, expect, it } from 'vitest';
import { PendingChanges, pendingStorageKey } from './pending';
import { memoryStorage } from './testing';

describe('PendingChanges.acknowledgedPush', () => {
	it('S127: structs up to the state vector and the pushed deletions are confirmed; later entries and missing structs wait', () => {
		const storage = memoryStorage();
		const key = pendingStorageKey('customer:c1');
		const pending = new PendingChanges(storage, key, () => undefined);
		pending.record(7, 3, false, null);
		pending.record(7, 5, true, null);
		pending.record(9, 2, false, null);
		const pushed = pending.entries();
		pending.record(7, 6, true, null);

		// The server holds client 7 up to clock 6 but nothing of client 9.
		pending.acknowledgedPush(new Map([[7, 6]]), pushed);
		expect(pending.count).toBe(2);
		expect(pending.holds(9, 1)).toBe(true);
		// The deletion recorded after the push is not confirmed, though its structs are stored.
		expect(pending.holds(7, 5)).toBe(true);
		expect(JSON.parse(storage.items.get(key)!)).toEqual([
			{ client: 9, clock: 2, deletes: false },
			{ client: 7, clock: 6, deletes: true }
		]);

		pending.acknowledgedPush(
			new Map([
				[7, 6],
				[9, 2]
			]),
			pending.entries()
		);
		expect(pending.count).toBe(0);
		expect(storage.items.has(key)).toBe(false);
	});
});
