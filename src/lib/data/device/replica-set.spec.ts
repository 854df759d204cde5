// F3: the replica set's combined status (worst state, sum of pending, refusals and rejections) and its ref-counting.
import { describe, expect, it } from 'vitest';
import type { DocName } from '../../schema/ids';
import { combineStatuses, createReplicaSet } from './replica-set';
import { fakeReplica, replicaStatus } from './testing';

const status = replicaStatus;

describe('combineStatuses', () => {
	it('F3: the worst state wins and pending changes add up', () => {
		const combined = combineStatuses(
			[
				['tenant:a', status({ connection: 'online', pending: 0 })],
				['customer:b', status({ connection: 'syncing', pending: 2 })],
				['customer:c', status({ connection: 'offline', pending: 3, loaded: false })]
			],
			false
		);
		expect(combined).toMatchObject({ connection: 'offline', pending: 5, loaded: false, workingOffline: false });
		const refused = combineStatuses(
			[
				['tenant:a', status({ connection: 'offline' })],
				['customer:b', status({ connection: 'refused', refusal: { code: 4403, reason: 'read-only' } })]
			],
			false
		);
		expect(refused.connection).toBe('refused');
		expect(refused.refused).toEqual([{ docName: 'customer:b', code: 4403, reason: 'read-only' }]);
	});

	it('F3: nothing open is online, or offline when working offline; S24: rejections are listed per document', () => {
		expect(combineStatuses([], false)).toMatchObject({ connection: 'online', pending: 0, loaded: true });
		expect(combineStatuses([['tenant:a', status({})]], true).connection).toBe('offline');
		const rejected = { at: 5, total: 2, items: [{ itemType: 'treeNode', id: 'n1', code: 'invalidRecord' }] };
		expect(combineStatuses([['tenant:a', status({ rejected })]], false).rejected).toEqual([{ docName: 'tenant:a', ...rejected }]);
	});
});

describe('createReplicaSet', () => {
	it('F3: shares a replica by name, notifies on its changes and closes it with the last lease', async () => {
		const fakes = new Map<DocName, ReturnType<typeof fakeReplica>>();
		const set = createReplicaSet({ serverUrl: 'ws://relay/sync' }, (docName) => {
			const fake = fakeReplica(docName);
			fakes.set(docName, fake);
			return fake.replica;
		});
		const seen: number[] = [];
		set.onStatus((s) => seen.push(s.pending));
		const first = set.acquire('tenant:a');
		const second = set.acquire('tenant:a');
		expect(first.replica).toBe(second.replica);
		const other = set.acquire('customer:b');
		fakes.get('tenant:a')!.set({ connection: 'syncing', pending: 2 });
		fakes.get('customer:b')!.set({ connection: 'syncing', pending: 1 });
		expect(set.status()).toMatchObject({ connection: 'syncing', pending: 3 });
		expect(seen.at(-1)).toBe(3);

		await first.release();
		expect(fakes.get('tenant:a')!.calls).not.toContain('destroy');
		fakes.get('tenant:a')!.set({ connection: 'online', pending: 0 });
		await second.release();
		expect(fakes.get('tenant:a')!.calls).toContain('destroy');
		expect(set.status().pending).toBe(1);

		set.offline();
		expect(fakes.get('customer:b')!.calls).toContain('disconnect');
		expect(set.status()).toMatchObject({ connection: 'offline', workingOffline: true });
		set.online();
		expect(fakes.get('customer:b')!.calls).toContain('connect');
		await other.release();
		await set.destroy();
	});
});

describe('S27: unconfirmed changes outlive the page that made them', () => {
	function setWithFakes() {
		const fakes = new Map<DocName, ReturnType<typeof fakeReplica>>();
		const opened: DocName[] = [];
		const set = createReplicaSet({ serverUrl: 'ws://relay/sync' }, (docName) => {
			const fake = fakeReplica(docName);
			fakes.set(docName, fake);
			opened.push(docName);
			return fake.replica;
		});
		return { set, fakes, opened };
	}

	it('S27: the last lease on a document with pending changes keeps it open and counted until they are confirmed', async () => {
		const { set, fakes } = setWithFakes();
		const lease = set.acquire('customer:b');
		const fake = fakes.get('customer:b')!;
		fake.set({ connection: 'offline', pending: 2 });
		await lease.release();
		expect(fake.calls).not.toContain('destroy');
		expect(set.status()).toMatchObject({ pending: 2, connection: 'offline' });
		expect(set.openReplicas().map((replica) => replica.docName)).toEqual(['customer:b']);

		// Opened again meanwhile: the same replica, not a second one.
		const again = set.acquire('customer:b');
		expect(again.replica).toBe(fake.replica);
		await again.release();

		fake.set({ connection: 'syncing', pending: 1 });
		await Promise.resolve();
		expect(fake.calls).not.toContain('destroy');
		fake.set({ connection: 'online', pending: 0 });
		await Promise.resolve();
		expect(fake.calls).toContain('destroy');
		expect(set.openReplicas()).toEqual([]);
		expect(set.status().pending).toBe(0);
		await set.destroy();
	});

	it('S27: a refused document is let go although changes wait (they stay stored for a later session)', async () => {
		const { set, fakes } = setWithFakes();
		const lease = set.acquire('customer:b');
		fakes.get('customer:b')!.set({ connection: 'refused', pending: 1, refusal: { code: 4403, reason: 'no access' } });
		await lease.release();
		expect(fakes.get('customer:b')!.calls).toContain('destroy');
		await set.destroy();
	});

	it('S27: flush opens a document only while it has pending changes; one with none closes at once', async () => {
		const { set, fakes, opened } = setWithFakes();
		set.flush('customer:clean');
		expect(fakes.get('customer:clean')!.calls).toContain('destroy');

		// The fake starts with no pending changes; a real replica reads its pending list from storage when it opens.
		const open = createReplicaSet({ serverUrl: 'ws://relay/sync' }, (docName) => {
			const fake = fakeReplica(docName);
			fake.set({ connection: 'offline', pending: 3 });
			fakes.set(docName, fake);
			opened.push(docName);
			return fake.replica;
		});
		open.flush('customer:dirty');
		expect(open.status().pending).toBe(3);
		expect(fakes.get('customer:dirty')!.calls).not.toContain('destroy');
		fakes.get('customer:dirty')!.set({ connection: 'online', pending: 0 });
		await Promise.resolve();
		expect(fakes.get('customer:dirty')!.calls).toContain('destroy');
		expect(opened).toEqual(['customer:clean', 'customer:dirty']);
		await set.destroy();
		await open.destroy();
	});
});

describe('S28: background leases', () => {
	it('S28: a document held only in the background leaves the combined status alone unless it has pending changes', async () => {
		const fakes = new Map<DocName, ReturnType<typeof fakeReplica>>();
		const set = createReplicaSet({ serverUrl: 'ws://relay/sync' }, (docName) => {
			const fake = fakeReplica(docName);
			fakes.set(docName, fake);
			return fake.replica;
		});
		const tenant = set.acquire('tenant:a');
		const background = set.acquire('customer:b', { background: true });
		fakes.get('customer:b')!.set({ connection: 'offline' });
		expect(set.status().connection).toBe('online');
		fakes.get('customer:b')!.set({ connection: 'offline', pending: 1 });
		expect(set.status()).toMatchObject({ connection: 'offline', pending: 1 });

		// The page opens the same customer: now it counts whatever its state.
		fakes.get('customer:b')!.set({ connection: 'offline', pending: 0 });
		const page = set.acquire('customer:b');
		expect(set.status().connection).toBe('offline');
		await page.release();
		expect(set.status().connection).toBe('online');
		await background.release();
		await tenant.release();
		await set.destroy();
	});
});

describe('noteBackground', () => {
	it('S127: unconfirmed changes of a document not open count in the status, with what the server undid (S24)', async () => {
		const fake = fakeReplica('customer:open', { pending: 1 });
		const set = createReplicaSet({ serverUrl: 'ws://relay/sync' }, () => fake.replica);
		const seen: number[] = [];
		set.onStatus((status) => seen.push(status.pending));
		const rejected = { at: 5, total: 1, items: [{ itemType: 'contact', id: 'x', code: 'invalidRecord' }] };
		set.noteBackground('customer:bg', { pending: 2 });
		expect(set.status().pending).toBe(2);
		set.noteBackground('customer:bg', { pending: 0, rejected });
		expect(set.status()).toMatchObject({ pending: 0, rejected: [{ docName: 'customer:bg', ...rejected }] });
		// The rejection stays until a newer one; an open replica speaks for its own document instead of the note.
		set.noteBackground('customer:bg', { pending: 0 });
		expect(set.status().rejected).toHaveLength(1);
		set.noteBackground('customer:open', { pending: 5 });
		const lease = set.acquire('customer:open');
		expect(set.isOpen('customer:open')).toBe(true);
		expect(set.status().pending).toBe(1);
		await lease.release();
		expect(seen.length).toBeGreaterThan(3);
		await set.destroy();
	});
});
