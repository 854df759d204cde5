// What the relay asks of a document validator (docs/sync.md S21-S23): check what a client's update changed, undo what is not valid.
import type * as Y from 'yjs';
import type { Permission, Role } from '../../../src/lib/schema/access';
import type { DocKind } from '../../../src/lib/schema/ids';
import type { RejectedItem } from '../../../src/lib/data/sync/protocol';

export type { RejectedItem } from '../../../src/lib/data/sync/protocol';

/** Transaction origin of the compensating changes the relay makes when it undoes an invalid client change (S22). */
export const VALIDATION_ORIGIN = 'server-validation';

/** Who wrote the update under review: the role check (S21) decides per item what this person may change. */
export interface Writer {
	readonly userId: string;
	readonly tenantId: string;
	readonly role: Role;
	/** P16: what the role may change (custom roles resolved). */
	readonly permissions: readonly Permission[];
}

/** A change of one item, as the role check sees it. `deleted`: the item is gone after the update. */
export interface ItemChange {
	readonly itemType: string;
	readonly id: string;
	readonly deleted: boolean;
	/** The record's last valid JSON before the update (undefined: it is new), and after it (undefined: deleted). */
	readonly before?: unknown;
	readonly after?: unknown;
}

/**
 * The role hook (S21, P16): may `writer` make `change`? Decided from the role's permissions (`permissionPolicy`); read-only
 * connections are refused before anything is applied (S8).
 */
export type RolePolicy = (writer: Writer, change: ItemChange) => boolean;

/** P17: a change the review kept, for the audit log: which record, what happened, which fields (names, never values). */
export interface AcceptedChange {
	readonly itemType: string;
	readonly id: string;
	readonly action: 'created' | 'updated' | 'deleted';
	/** "created", "deleted", "renamed", "moved", "fields: country, contact" (joined with "; "). */
	readonly description: string;
	/** When the record says it was made on its device (a new node's createdAt, a note's at); null otherwise. */
	readonly madeAt: string | null;
}

/** What one review did: the items it undid (S23) and the changes it kept (P17), the latter bounded. */
export interface Review {
	readonly rejected: RejectedItem[];
	/** At most `maxAccepted` of them, in the order they were found. */
	readonly accepted: AcceptedChange[];
	/** How many were kept in all (more than `accepted.length` when the list was cut). */
	readonly acceptedTotal: number;
}

/** The validation of one loaded document; lives as long as the relay's room. */
export interface RoomValidation {
	/** Records that were already invalid in the stored state when the room loaded: left alone, logged by the relay. */
	readonly invalidAtLoad: readonly RejectedItem[];
	/**
	 * Checks everything the transactions since the last call changed, as written by `writer`, and undoes what is not valid in
	 * one transaction with origin VALIDATION_ORIGIN. Answers what was undone (empty when all was valid) and what was kept
	 * (P17, at most `maxAccepted` listed). Stops with a TooManyRejectedError as soon as more than `maxRejected` items would
	 * be undone (S36): the caller refuses the update.
	 */
	review(writer: Writer, maxRejected?: number, maxAccepted?: number): Review;
	/** The changes since the last call came from the server itself (trusted): remembered as the last valid state, not checked. */
	accept(): void;
	destroy(): void;
}

/** Validates the documents of one kind; `open` is called once per loaded room, after its stored state was applied. */
export interface DocValidator {
	readonly kind: DocKind;
	open(doc: Y.Doc): RoomValidation;
}
