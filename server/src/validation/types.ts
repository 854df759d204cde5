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

/** The validation of one loaded document; lives as long as the relay's room. */
export interface RoomValidation {
	/** Records that were already invalid in the stored state when the room loaded: left alone, logged by the relay. */
	readonly invalidAtLoad: readonly RejectedItem[];
	/**
	 * Checks everything the transactions since the last call changed, as written by `writer`, and undoes what is not valid in
	 * one transaction with origin VALIDATION_ORIGIN. Answers what was undone (empty when all was valid). Stops with a
	 * TooManyRejectedError as soon as more than `maxRejected` items would be undone (S36): the caller refuses the update.
	 */
	review(writer: Writer, maxRejected?: number): RejectedItem[];
	/** The changes since the last call came from the server itself (trusted): remembered as the last valid state, not checked. */
	accept(): void;
	destroy(): void;
}

/** Validates the documents of one kind; `open` is called once per loaded room, after its stored state was applied. */
export interface DocValidator {
	readonly kind: DocKind;
	open(doc: Y.Doc): RoomValidation;
}
