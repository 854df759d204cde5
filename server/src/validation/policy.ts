// S21, P16: the role hook: a change of a record needs the permission the access module names for it.
import { permissionForRecord, SERVER_ONLY_ITEM_TYPES } from '../../../src/lib/domain/access';
import { nodeKindSchema, placementSchema } from '../../../src/lib/schema/tree';
import type { ItemChange, RolePolicy } from './types';

function field(json: unknown, name: string): unknown {
	return typeof json === 'object' && json !== null ? (json as Record<string, unknown>)[name] : undefined;
}

/** What a tree node change is, for `permissionForRecord`: its kind, and whether it was created, deleted or moved. */
function nodeChange(change: ItemChange) {
	const kind = nodeKindSchema.safeParse(field(change.after, 'kind') ?? field(change.before, 'kind'));
	const before = placementSchema.safeParse(field(change.before, 'placement'));
	const after = placementSchema.safeParse(field(change.after, 'placement'));
	return {
		kind: kind.success ? kind.data : undefined,
		created: change.before === undefined,
		deleted: change.deleted,
		moved: before.success && after.success && before.data.parent !== after.data.parent
	};
}

export const permissionPolicy: RolePolicy = (writer, change) =>
	!SERVER_ONLY_ITEM_TYPES.has(change.itemType) &&
	writer.permissions.includes(
		permissionForRecord(change.itemType, change.itemType === 'treeNode' ? nodeChange(change) : null)
	);
