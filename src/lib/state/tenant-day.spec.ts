// L14, P9: the tenant's day in its time zone.
import { describe, expect, it } from 'vitest';
import { TenantDay } from './tenant-day.svelte';

describe('tenant day', () => {
	it("L14, P9: the day is the tenant's, in its time zone; an unknown zone is ignored", () => {
		const day = new TenantDay(() => new Date('2026-11-20T12:00:00Z'));
		expect(day.timeZone).toBe('UTC');
		expect(day.today).toBe('2026-11-20');
		day.setTimeZone('Pacific/Kiritimati');
		expect(day.today).toBe('2026-11-21');
		day.setTimeZone('Mars/Olympus_Mons');
		expect(day.timeZone).toBe('Pacific/Kiritimati');
		day.setTimeZone('America/Los_Angeles');
		expect(day.today).toBe('2026-11-20');
	});
});
