// Sign-out on a shared tablet: every local copy of a document goes, and so do the scoped view (H6) and the outbox of
// server commands (S60) and the user activity report's audit months (P8) kept for this tenant; what belongs to no
// tenant stays.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { forgetDocs, forgetLocalReplicas, localDocNames } from './local-data';
import { pendingStorageKey } from './pending';
import { memoryStorage } from './testing';

function createDatabase(name: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const request = indexedDB.open(name);
		request.onsuccess = () => {
			request.result.close();
			resolve();
		};
		request.onerror = () => reject(request.error ?? new Error('open failed'));
	});
}

afterEach(() => {
	vi.unstubAllGlobals();
});

describe('local data', () => {
	it('S60, H6, P8: sign-out forgets every document copy, its pending list, the scoped view, the outbox and the audit months', async () => {
		const storage = memoryStorage({
			[pendingStorageKey('customer:c1')]: '[]',
			'msp-portal:view:t1': '{}',
			'msp-portal:outbox:t1:u1': '[]',
			// P8: a month of the audit log kept for the user activity report.
			'msp-portal:reports:activity:t1:u1:2026-11': '{}',
			'another-app:setting': 'kept'
		});
		vi.stubGlobal('localStorage', storage);
		await createDatabase('tenant:t1');
		await createDatabase('customer:c1');
		await createDatabase('not-a-document');
		expect((await localDocNames()).sort()).toEqual(['customer:c1', 'tenant:t1']);

		await forgetLocalReplicas();
		expect(await localDocNames()).toEqual([]);
		expect([...storage.items.keys()]).toEqual(['another-app:setting']);
		expect((await indexedDB.databases()).map((db) => db.name)).toEqual(['not-a-document']);
	});

	it('H6: a narrowed grant forgets only the documents outside it', async () => {
		vi.stubGlobal('localStorage', memoryStorage());
		await createDatabase('customer:keep');
		await createDatabase('customer:gone');
		await forgetDocs(['customer:gone']);
		expect(await localDocNames()).toContain('customer:keep');
		expect(await localDocNames()).not.toContain('customer:gone');
	});
});
