import { describe, expect, it } from 'vitest';
import type { License } from '../../../src/lib/schema/licenses';
import { licenseEvents } from './events';

const license = (overrides: Partial<License> = {}): License => ({
	id: 'l1',
	publicId: '3AB-XQ4-77K',
	poolId: 'p1',
	product: 'Endpoint Security',
	type: 'msp',
	unitsOrdered: 50,
	unitsActivated: 48,
	expiresOn: '2027-03-31',
	suspended: false,
	ownerId: 'c1',
	tag: 'Contoso GmbH',
	removed: false,
	held: false,
	extensions: 0,
	convertedUnits: 0,
	origin: 'vendor',
	...overrides
});

describe('license events', () => {
	it('L16: a sync tells what it did to each license, in words without names', () => {
		const before = new Map([
			['l1', license()],
			['l2', license({ id: 'l2', publicId: 'B', removed: true })],
			['l3', license({ id: 'l3', publicId: 'C' })]
		]);
		const events = licenseEvents(before, [
			license({ unitsActivated: 49, expiresOn: '2027-04-30', suspended: true, ownerId: 'c2' }),
			license({ id: 'l2', publicId: 'B', removed: false, unitsActivated: 1 }),
			license({ id: 'l3', publicId: 'C', removed: true }),
			license({ id: 'l4', publicId: 'D', type: 'trial', unitsActivated: 0, unitsOrdered: 25 })
		]);
		expect(events).toEqual([
			{
				publicId: '3AB-XQ4-77K',
				kind: 'changed',
				detail: 'units 48/50 → 49/50; expires 2027-03-31 → 2027-04-30; suspended by the vendor; owner company changed'
			},
			{ publicId: 'B', kind: 'restored', detail: 'listed by the vendor again; units 48/50 → 1/50' },
			{ publicId: 'C', kind: 'removed', detail: 'no longer listed by the vendor' },
			{ publicId: 'D', kind: 'added', detail: 'Endpoint Security (trial), units 0/25, expires 2027-03-31' }
		]);
		expect(JSON.stringify(events)).not.toContain('Contoso');
	});
});
