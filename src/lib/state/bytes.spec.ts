// F7: how storage sizes read in the sync details.
import { describe, expect, it } from 'vitest';
import { formatBytes } from './format';

describe('formatBytes', () => {
	it('F7: sizes read as people expect them', () => {
		expect(formatBytes(3_200_000, 'en')).toBe('3.2 MB');
		expect(formatBytes(1_100_000_000, 'en')).toBe('1.1 GB');
		expect(formatBytes(0, 'en')).toBe('0 kB');
		expect(formatBytes(512, 'en')).toBe('0.5 kB');
		expect(formatBytes(1_500, 'en')).toBe('1.5 kB');
		expect(formatBytes(999_960, 'en')).toBe('1 MB');
		expect(formatBytes(2.5e15, 'en')).toBe('2,500 TB');
	});
});
