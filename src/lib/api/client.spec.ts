// S32: the heads request is split so that no request carries more names than the server takes.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_HEADS_PER_REQUEST, syncHeadsRequestSchema } from '$lib/schema/api';
import type { DocName } from '$lib/schema/ids';
import { ApiRequestError, fetchSyncHeads } from './client';

afterEach(() => {
	vi.unstubAllGlobals();
});

describe('fetchSyncHeads', () => {
	it('S32: more names than one request may carry go in several requests, and the answers are merged', async () => {
		const sizes: number[] = [];
		vi.stubGlobal('fetch', async (_path: string, init: RequestInit) => {
			const { docs } = syncHeadsRequestSchema.parse(JSON.parse(String(init.body)));
			sizes.push(docs.length);
			const heads = Object.fromEntries(docs.map((docName, index) => [docName, index]));
			return new Response(JSON.stringify({ heads }), { status: 200, headers: { 'content-type': 'application/json' } });
		});
		const docs = Array.from({ length: MAX_HEADS_PER_REQUEST + 5 }, (_, i): DocName => `customer:c${i}`);
		const heads = await fetchSyncHeads(docs);
		expect(sizes).toEqual([MAX_HEADS_PER_REQUEST, 5]);
		expect(heads.size).toBe(MAX_HEADS_PER_REQUEST + 5);
		expect(heads.get(`customer:c${MAX_HEADS_PER_REQUEST + 4}`)).toBe(4);
	});

	it('S32: an answer of the wrong shape is an error, not heads', async () => {
		vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ heads: { 'customer:a': -1 } }), { status: 200 }));
		await expect(fetchSyncHeads(['customer:a'])).rejects.toBeInstanceOf(ApiRequestError);
	});
});
