// L16: what an import or a sync did to each license it wrote, as history events (added, changed, removed, restored) in
// words without personal data: units, dates, product and type, never a company's or a person's name.
import type { License } from '../../../src/lib/schema/licenses';

export interface PlannedEvent {
	readonly publicId: string;
	readonly kind: 'added' | 'changed' | 'removed' | 'restored';
	readonly detail: string;
}

const units = (license: License): string => `${license.unitsActivated}/${license.unitsOrdered}`;

/** The differences a person cares about, e.g. "units 48/50 → 49/50; expires 2027-03-31 → 2027-04-30". */
function differences(before: License, after: License): string[] {
	const out: string[] = [];
	if (units(before) !== units(after)) out.push(`units ${units(before)} → ${units(after)}`);
	if (before.expiresOn !== after.expiresOn) out.push(`expires ${before.expiresOn} → ${after.expiresOn}`);
	if (before.product !== after.product) out.push(`product ${before.product} → ${after.product}`);
	if (before.type !== after.type) out.push(`type ${before.type} → ${after.type}`);
	if (before.suspended !== after.suspended)
		out.push(after.suspended ? 'suspended by the vendor' : 'resumed by the vendor');
	if (before.ownerId !== after.ownerId) out.push('owner company changed');
	return out;
}

/** One event per license written, from the licenses as they were (by id) and as written. */
export function licenseEvents(before: ReadonlyMap<string, License>, written: readonly License[]): PlannedEvent[] {
	return written.map((after): PlannedEvent => {
		const previous = before.get(after.id);
		if (!previous)
			return {
				publicId: after.publicId,
				kind: 'added',
				detail: `${after.product} (${after.type}), units ${units(after)}, expires ${after.expiresOn}`.slice(0, 500)
			};
		if (!previous.removed && after.removed)
			return { publicId: after.publicId, kind: 'removed', detail: 'no longer listed by the vendor' };
		const changes = differences(previous, after);
		if (previous.removed && !after.removed)
			return {
				publicId: after.publicId,
				kind: 'restored',
				detail: ['listed by the vendor again', ...changes].join('; ').slice(0, 500)
			};
		return { publicId: after.publicId, kind: 'changed', detail: (changes.join('; ') || 'updated').slice(0, 500) };
	});
}
