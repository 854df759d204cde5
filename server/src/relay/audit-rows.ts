// P17, S23, S35: the audit rows of one committed batch of a document: per sender in order, one row per kept change (and
// a summary row beyond the listed ones), then ONE summary row of what was undone (count, codes, the first ids; no user
// data). The room writes them with one `appendAuditBatch`: one transaction per batch, never one per row.
import type { AuditEntry } from '../store/types';
import type { RejectedItem } from '../../../src/lib/data/sync/protocol';
import type { AcceptedChange } from '../validation/types';
import type { Sender } from './connection';

/** Ids named in the one audit row of a frame's undone items (S35). */
const AUDITED_IDS = 20;

/** One sender's contribution to a commit: its effective change and the compensation of what was invalid (S23). */
export interface CommitPart {
	/** null for a change of nobody's (a server change, or pending structs that integrated between frames). */
	readonly conn: Sender | null;
	readonly change: Uint8Array | null;
	readonly fix: Uint8Array | null;
	/**
	 * S23: `change` may hold what other connections sent (their structs or deletions that waited for a dependency this
	 * update brought), so its sender is sent it too, not only the rest.
	 */
	readonly echo?: boolean;
	readonly rejected: RejectedItem[];
	/** P17: what the review kept (at most MAX_ACCEPTED_PER_REVIEW listed) and how many in all. */
	readonly accepted: readonly AcceptedChange[];
	readonly acceptedTotal: number;
}

export function auditRows(docName: string, parts: readonly CommitPart[], at: string): AuditEntry[] {
	const entries: AuditEntry[] = [];
	// A customer document's records are named by their id; the document says whose they are.
	const where = docName.startsWith('customer:') ? ` in ${docName}` : '';
	for (const part of parts) {
		const principal = part.conn?.principal;
		if (!part.conn || !principal) continue;
		const who = { at, tenantId: principal.tenantId, userId: principal.userId, ip: part.conn.ip };
		for (const change of part.accepted) {
			entries.push({
				...who,
				itemType: change.itemType,
				item: change.id,
				action: change.action,
				description: change.description + where,
				madeAt: change.madeAt
			});
		}
		const unlisted = part.acceptedTotal - part.accepted.length;
		if (unlisted > 0) {
			entries.push({
				...who,
				itemType: 'document',
				item: docName,
				action: 'updated',
				description: `${unlisted} further change(s) not listed one by one (${part.acceptedTotal} in one update)`
			});
		}
		if (part.rejected.length > 0) entries.push({ ...who, ...rejectedSummary(docName, part.rejected) });
	}
	return entries;
}

/** S35: one row for everything undone in one frame. */
function rejectedSummary(docName: string, items: readonly RejectedItem[]) {
	const codes = [...new Set(items.map((i) => i.code))];
	const itemTypes = [...new Set(items.map((i) => i.itemType))];
	const listed = items.length > AUDITED_IDS ? `; the first ${AUDITED_IDS} ids listed` : '';
	return {
		itemType: itemTypes.length === 1 ? itemTypes[0]! : 'several',
		item: items
			.slice(0, AUDITED_IDS)
			.map((i) => i.id)
			.join(','),
		action: 'rejected',
		description: `${codes.join(', ')}: ${items.length} change(s) to ${docName} undone by the server${listed}`
	};
}
