import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './http';

describe('Retry-After', () => {
	const now = new Date('2026-11-21T10:00:00Z');
	it('reads seconds, an HTTP date, and falls back to one second', () => {
		expect(parseRetryAfter('3', now)).toBe(3000);
		expect(parseRetryAfter(' 0 ', now)).toBe(0);
		expect(parseRetryAfter('Sat, 21 Nov 2026 10:00:05 GMT', now)).toBe(5000);
		expect(parseRetryAfter('Sat, 21 Nov 2026 09:00:00 GMT', now)).toBe(0);
		expect(parseRetryAfter(null, now)).toBe(1000);
		expect(parseRetryAfter('soon', now)).toBe(1000);
		expect(parseRetryAfter('-4', now)).toBe(1000);
	});
});
