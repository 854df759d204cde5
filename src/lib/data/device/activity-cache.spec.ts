// P8: the audit months kept for the offline user activity report: parsed when read, per tenant and person.
import { describe, expect, it } from 'vitest';
import { activityCacheKey, createActivityCache } from './activity-cache';
import type { CachedActivityMonth } from '../../schema/report-activity';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> & { map: Map<string, string> } {
	const map = new Map<string, string>();
	return {
		map,
		getItem: (key) => map.get(key) ?? null,
		setItem: (key, value) => void map.set(key, value),
		removeItem: (key) => void map.delete(key)
	};
}

const MONTH: CachedActivityMonth = {
	tenantId: 't1',
	month: '2026-11',
	timeZone: 'Europe/Berlin',
	fetchedAt: '2026-12-01T08:00:00.000Z',
	counts: [{ day: '2026-11-02', user: 'ada@example.com', action: 'updated', itemType: 'treeNode', count: 3 }]
};

describe('activity cache', () => {
	it('P8: a fetched month reads back for the same tenant and person only', () => {
		const storage = memoryStorage();
		expect(createActivityCache(storage, 't1', 'u1').write(MONTH)).toBe(true);
		expect(createActivityCache(storage, 't1', 'u1').read('2026-11')).toEqual(MONTH);
		expect(createActivityCache(storage, 't1', 'u2').read('2026-11')).toBeNull();
		expect(createActivityCache(storage, 't1', 'u1').read('2026-10')).toBeNull();
	});

	it('P8: a kept month that does not parse is removed and reads as never fetched', () => {
		const storage = memoryStorage();
		const key = activityCacheKey('t1', 'u1', '2026-11');
		storage.setItem(key, JSON.stringify({ ...MONTH, counts: [{ day: 'yesterday', count: -1 }] }));
		expect(createActivityCache(storage, 't1', 'u1').read('2026-11')).toBeNull();
		expect(storage.map.has(key)).toBe(false);
		storage.setItem(key, '{not json');
		expect(createActivityCache(storage, 't1', 'u1').read('2026-11')).toBeNull();
		// Another tenant's month copied under this key is not shown either.
		storage.setItem(key, JSON.stringify({ ...MONTH, tenantId: 't2' }));
		expect(createActivityCache(storage, 't1', 'u1').read('2026-11')).toBeNull();
	});

	it('P8: a full storage does not break the report (write answers false)', () => {
		const storage = {
			getItem: () => null,
			setItem: () => {
				throw new Error('QuotaExceededError');
			},
			removeItem: () => undefined
		};
		expect(createActivityCache(storage, 't1', 'u1').write(MONTH)).toBe(false);
	});
});
