// S27: the documents holding unconfirmed changes are found from the pending lists kept in storage.
import { describe, expect, it } from 'vitest';
import { docsWithPendingChanges, pendingStorageKey } from './pending';
import { memoryStorage } from './testing';

describe('docsWithPendingChanges', () => {
	it('S27: lists valid document names with a pending list and ignores other keys and malformed names', () => {
		const storage = memoryStorage({
			[pendingStorageKey('customer:c1')]: '[]',
			[pendingStorageKey('tenant:t1')]: '[]',
			[pendingStorageKey('customer:../../etc')]: '[]',
			[pendingStorageKey('other:x')]: '[]',
			'msp-portal:something-else': '1',
			unrelated: 'x'
		});
		expect(docsWithPendingChanges(storage).sort()).toEqual(['customer:c1', 'tenant:t1']);
	});
});
