// S21: what a tenant document may hold: tree nodes (schema, H2, kind fixed once valid), license accounts, pools and licenses, meta.
import * as Y from 'yjs';
import { z } from 'zod';
import { entityIdSchema } from '../../../src/lib/schema/ids';
import { nodeKindSchema, nodeNameSchema, treeNodeSchema } from '../../../src/lib/schema/tree';
import { licenseAccountSchema, licensePoolSchema, licenseRecordSchema } from '../../../src/lib/schema/licenses';
import { isPlacementAllowed } from '../../../src/lib/domain/tree';
import { CollectionsValidation, zodIssues, type Collection, type Issue, type MapCollection } from './records';
import { permissionPolicy } from './policy';
import type { DocValidator, RolePolicy } from './types';

const nodeSchema = z.strictObject(treeNodeSchema.shape);
const poolSchema = z.strictObject(licensePoolSchema.shape);
const accountSchema = z.strictObject(licenseAccountSchema.shape);

const invalidId = (id: string): Issue[] => (entityIdSchema.safeParse(id).success ? [] : [{ code: 'invalidId' }]);

/** A node record: its schema, a kind that never changes once valid, and H2 under its parent when the parent exists. */
function checkNode(id: string, json: unknown, doc: Y.Doc, previous: unknown): Issue[] {
	const idIssues = invalidId(id);
	if (idIssues.length > 0) return idIssues;
	const fields = json as Record<string, unknown>;
	// The id is the map key; an `id` field would shadow it for readers that spread the record.
	if (Object.hasOwn(fields, 'id')) return [{ code: 'unknownField', field: 'id' }];
	const parsed = nodeSchema.safeParse({ ...fields, id });
	if (!parsed.success) return zodIssues(parsed.error);
	const node = parsed.data;
	const before = typeof previous === 'object' && previous !== null && 'kind' in previous ? previous.kind : null;
	// Children were placed by H2 against this kind; a new kind could break them all.
	if (before !== null && before !== node.kind) return [{ code: 'kindChanged', field: 'kind' }];
	const parentId = node.placement.parent;
	let parentKind = null;
	if (parentId !== null) {
		const parent = doc.getMap<unknown>('nodes').get(parentId);
		// A parent that is gone (or not a valid node) is H7's case: every replica resolves it the same way.
		const kind = parent instanceof Y.Map ? nodeKindSchema.safeParse(parent.get('kind')) : null;
		if (!kind?.success) return [];
		parentKind = kind.data;
	}
	return isPlacementAllowed(node.kind, parentKind) ? [] : [{ code: 'parentNotAllowed', field: 'placement' }];
}

/** A plain record whose `id` field must match its key. */
function plainRecord(root: string, itemType: string, schema: z.ZodType<{ id: string }>): MapCollection {
	return {
		shape: 'map',
		root,
		itemType,
		record: 'value',
		check(id, value) {
			const idIssues = invalidId(id);
			if (idIssues.length > 0) return idIssues;
			const parsed = schema.safeParse(value);
			if (!parsed.success) return zodIssues(parsed.error);
			return parsed.data.id === id ? [] : [{ code: 'invalidId' }];
		}
	};
}

export const TENANT_COLLECTIONS: readonly Collection[] = [
	{
		shape: 'map',
		root: 'nodes',
		itemType: 'treeNode',
		record: 'fields',
		check: (id, json, { doc, previous }) => checkNode(id, json, doc, previous)
	},
	plainRecord('pools', 'licensePool', poolSchema),
	plainRecord('accounts', 'licenseAccount', accountSchema),
	{
		shape: 'map',
		root: 'licenses',
		itemType: 'license',
		record: 'value',
		check(id, value) {
			const idIssues = invalidId(id);
			if (idIssues.length > 0) return idIssues;
			return licenseRecordSchema.safeParse(value).success ? [] : [{ code: 'invalidRecord' }];
		}
	},
	{
		shape: 'map',
		root: 'meta',
		itemType: 'meta',
		record: 'value',
		check(key, value) {
			if (key !== 'tenantName') return [{ code: 'unknownField' }];
			return nodeNameSchema.safeParse(value).success ? [] : [{ code: 'invalidRecord' }];
		}
	}
];

export function tenantValidator(policy: RolePolicy = permissionPolicy): DocValidator {
	return { kind: 'tenant', open: (doc) => new CollectionsValidation(doc, TENANT_COLLECTIONS, policy) };
}
