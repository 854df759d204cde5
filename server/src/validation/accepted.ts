// P17: what a review kept, described for the audit log by field names only (never values: they may be personal data).
import { sameJson } from './plain';
import type { AcceptedChange } from './types';

/** Changes listed per review at most; beyond it the relay writes one summary row (120,000 rows once froze a server). */
export const MAX_ACCEPTED_PER_REVIEW = 1000;

/** The kept changes of one review, counted in full but listed only up to the cap. */
export class Acceptances {
	readonly items: AcceptedChange[] = [];
	total = 0;
	constructor(readonly max: number) {}

	add(change: AcceptedChange): void {
		this.total += 1;
		if (this.items.length < this.max) this.items.push(change);
	}
}

function fieldsOf(json: unknown): Record<string, unknown> | null {
	return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
}

function parentOf(placement: unknown): unknown {
	return fieldsOf(placement)?.parent;
}

/** A string that looks like an ISO time, else null: the record was validated, but `madeAt` must never carry other text. */
function isoTime(value: unknown): string | null {
	return typeof value === 'string' && value.length <= 40 && !Number.isNaN(Date.parse(value)) ? value : null;
}

/**
 * The audit row of a kept change of a map record, or null when nothing changed (a client may write a value it already
 * had). `before` undefined: the record is new; `after` undefined: it was deleted.
 */
export function describeRecordChange(
	itemType: string,
	id: string,
	before: unknown,
	after: unknown
): AcceptedChange | null {
	if (after === undefined) return { itemType, id, action: 'deleted', description: 'deleted', madeAt: null };
	if (before === undefined) {
		const madeAt = itemType === 'treeNode' ? isoTime(fieldsOf(after)?.createdAt) : null;
		return { itemType, id, action: 'created', description: 'created', madeAt };
	}
	if (sameJson(before, after)) return null;
	const old = fieldsOf(before);
	const now = fieldsOf(after);
	// A whole value (a license tuple, the tenant's name) has no fields to name.
	if (old === null || now === null) {
		const description = itemType === 'meta' && id === 'tenantName' ? 'renamed' : 'changed';
		return { itemType, id, action: 'updated', description, madeAt: null };
	}
	const changed = [...new Set([...Object.keys(old), ...Object.keys(now)])]
		.filter((field) => !sameJson(old[field], now[field]))
		.sort();
	// Only the order of the fields differed.
	if (changed.length === 0) return null;
	const parts: string[] = [];
	let rest = changed;
	if (itemType === 'treeNode') {
		if (changed.includes('name')) parts.push('renamed');
		const moved = changed.includes('placement') && !sameJson(parentOf(old.placement), parentOf(now.placement));
		if (moved) parts.push('moved');
		rest = changed.filter((field) => field !== 'name' && !(moved && field === 'placement'));
	}
	if (rest.length > 0) parts.push(`fields: ${rest.join(', ')}`);
	return { itemType, id, action: 'updated', description: parts.join('; '), madeAt: null };
}

/** The audit row of a new list entry (a note): created, made when its `at` says. */
export function describeNewEntry(itemType: string, id: string, value: unknown): AcceptedChange {
	return { itemType, id, action: 'created', description: 'created', madeAt: isoTime(fieldsOf(value)?.at) };
}
