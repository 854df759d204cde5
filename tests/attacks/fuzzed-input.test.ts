// The attack suite, bad input (docs/sync.md S152-S154): a bounded share of `npm run stress -- input` (tests/stress/input.ts)
// against a real server on 127.0.0.1, and the batch codec's round trip as a fast-check property.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BatchFormatError, decodeBatchRequest, encodeBatchRequest } from '../../src/lib/data/sync/batch';
import { runInput } from '../stress/input';
import { batchCase } from '../stress/bad-bodies';

/** Cases per run in `npm test`; the command runs 100,000. */
const CASES = 600;

describe('attacks: fuzzed frames, document names, API bodies and batch bytes', () => {
	it(
		'S152, S153, S154: every bad frame gets a 44xx close or is handled without changing the stored content, every bad body a 4xx JSON error and never a 5xx, the batch codec a value or BatchFormatError; the server stays up and a control client still syncs and writes',
		{ timeout: 120_000 },
		async () => {
			const figures = await runInput({ cases: CASES, seed: 152 });
			expect(figures.failures).toEqual([]);
			expect(figures.frames + figures.bodies + figures.batches).toBe(CASES);
			// The run reached each kind of answer: refusals of each sort, handled frames, and 4xx answers of the API.
			for (const code of [4400, 4403, 4413]) expect(figures.closeCodes.get(code) ?? 0).toBeGreaterThan(0);
			expect([...figures.answers.keys()].some((k) => k.endsWith('→ rejected'))).toBe(true);
			for (const status of [400, 413, 415]) expect(figures.statuses.get(status) ?? 0).toBeGreaterThan(0);
			expect([...figures.statuses.keys()].every((status) => status < 500)).toBe(true);
		}
	);

	it('S154: decodeBatchRequest answers entries with valid names, or BatchFormatError, for any bytes', () => {
		fc.assert(
			fc.property(batchCase, (c) => {
				const bytes = 'entries' in c ? encodeBatchRequest(c.entries) : c.bytes;
				try {
					const entries = decodeBatchRequest(bytes);
					if ('entries' in c) expect(entries).toEqual(c.entries);
					return entries.length > 0 && entries.every((e) => /^(tenant|customer):[A-Za-z0-9_-]{1,64}$/.test(e.docName));
				} catch (error) {
					return error instanceof BatchFormatError && !('entries' in c);
				}
			}),
			{ seed: 154, numRuns: 2_000 }
		);
	});
});
