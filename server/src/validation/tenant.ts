// S21, S71: what a tenant document may hold: tree nodes (schema, H2, kind fixed once valid), license accounts (never a
// distributor's), pools (account fixed), licenses (pool fixed, units never lowered), hand-edited license tags, meta.
import * as Y from 'yjs';
import { z } from 'zod';
import { entityIdSchema } from '../../../src/lib/schema/ids';
import { nodeKindSchema, nodeNameSchema, treeNodeSchema } from '../../../src/lib/schema/tree';
import {
	fromLicenseRecord,
	licenseAccountSchema,
	licensePoolSchema,
	licenseRecordSchema,
	licenseTagSchema
} from '../../../src/lib/schema/licenses';
import { isPlacementAllowed } from '../../../src/lib/domain/tree';
import { customerGroupSchema } from '../../../src/lib/schema/tree';
import { customerSummarySchema } from '../../../src/lib/schema/customer-summary';
import { BUILT_IN_INSIGHT_RULES, MAX_INSIGHT_RULES, insightRuleSchema } from '../../../src/lib/schema/insights';
import { smartTagRecordSchema } from '../../../src/lib/schema/smart-tags';
import { smartTagSchema } from '../../../src/lib/schema/tree';
import { billingAssignmentSchema, billingProfileSchema } from '../../../src/lib/schema/billing';
import { savedReportSchema } from '../../../src/lib/schema/reports';
import { billingFieldsRule, unlinkedCustomerRule } from './node-rules';
import {
	CollectionsValidation,
	zodIssues,
	type CheckContext,
	type Collection,
	type Issue,
	type MapCollection
} from './records';
import { permissionPolicy } from './policy';
import type { DocValidator, RolePolicy } from './types';

const nodeSchema = z.strictObject(treeNodeSchema.shape);
const poolSchema = z.strictObject(licensePoolSchema.shape);
const accountSchema = z.strictObject(licenseAccountSchema.shape);
const groupSchema = z.strictObject(customerGroupSchema.shape);
const ruleSchema = z.strictObject(insightRuleSchema.shape);
const BUILT_IN_KINDS = new Map(BUILT_IN_INSIGHT_RULES.map((rule) => [rule.id, rule.kind]));
const billingSchema = z.strictObject(billingProfileSchema.shape);

const invalidId = (id: string): Issue[] => (entityIdSchema.safeParse(id).success ? [] : [{ code: 'invalidId' }]);

/** A node record: its schema, a kind that never changes once valid, and H2 under its parent when the parent exists. */
function checkNode(id: string, json: unknown, { doc, previous, lastValidOf }: CheckContext): Issue[] {
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
	const ruleIssues = [
		...billingFieldsRule(node, previous),
		...unlinkedCustomerRule(id, node, doc, previous, lastValidOf)
	];
	if (ruleIssues.length > 0) return ruleIssues;
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

/**
 * A plain record whose `id` field must match its key; `rules` adds what the record may not become (given its last valid
 * value, `previous`).
 */
function plainRecord<T extends { id: string }>(
	root: string,
	itemType: string,
	schema: z.ZodType<T>,
	rules: (record: T, previous: unknown) => Issue[] = () => []
): MapCollection {
	return {
		shape: 'map',
		root,
		itemType,
		record: 'value',
		check(id, value, { previous }) {
			const idIssues = invalidId(id);
			if (idIssues.length > 0) return idIssues;
			const parsed = schema.safeParse(value);
			if (!parsed.success) return zodIssues(parsed.error);
			return parsed.data.id === id ? rules(parsed.data, previous) : [{ code: 'invalidId' }];
		}
	};
}

/**
 * P11 (S96): insight rules (settings.edit). A rule keeps its kind (a built-in's override has the built-in's), and a new
 * rule beyond MAX_INSIGHT_RULES (built-ins counted) is refused.
 */
function insightRules(): MapCollection {
	const base = plainRecord('insightRules', 'insightRule', ruleSchema, (rule, previous) => {
		const kind = BUILT_IN_KINDS.get(rule.id) ?? previousField(previous, 'kind');
		return kind !== undefined && kind !== rule.kind ? [{ code: 'kindChanged', field: 'kind' }] : [];
	});
	return {
		...base,
		check(id, value, context) {
			const issues = base.check(id, value, context);
			if (issues.length > 0 || context.previous !== undefined || BUILT_IN_KINDS.has(id)) return issues;
			let custom = 0;
			for (const key of context.doc.getMap<unknown>('insightRules').keys()) if (!BUILT_IN_KINDS.has(key)) custom += 1;
			return custom + BUILT_IN_KINDS.size > MAX_INSIGHT_RULES ? [{ code: 'tooManyRules' }] : [];
		}
	};
}

/** The field of a last valid plain record, when it had one. */
function previousField(previous: unknown, field: string): unknown {
	return typeof previous === 'object' && previous !== null ? (previous as Record<string, unknown>)[field] : undefined;
}

/** L8, L14: a license stays in its pool and its ordered units never go down (the portal never reduces units). */
function checkLicense(id: string, value: unknown, previous: unknown): Issue[] {
	const idIssues = invalidId(id);
	if (idIssues.length > 0) return idIssues;
	const parsed = licenseRecordSchema.safeParse(value);
	if (!parsed.success) return [{ code: 'invalidRecord' }];
	const before = licenseRecordSchema.safeParse(previous);
	if (!before.success) return [];
	const [next, last] = [fromLicenseRecord(id, parsed.data), fromLicenseRecord(id, before.data)];
	if (next.poolId !== last.poolId) return [{ code: 'poolChanged' }];
	if (next.unitsOrdered < last.unitsOrdered) return [{ code: 'unitsReduced' }];
	return [];
}

/** L4: a hand-edited tag of an existing license, as `licenseTagSchema` writes it (trimmed, at most 200 characters). */
function checkLicenseTag(licenseId: string, value: unknown, doc: Y.Doc): Issue[] {
	const idIssues = invalidId(licenseId);
	if (idIssues.length > 0) return idIssues;
	if (!licenseRecordSchema.safeParse(doc.getMap<unknown>('licenses').get(licenseId)).success)
		return [{ code: 'unknownLicense' }];
	const parsed = licenseTagSchema.safeParse(value);
	return parsed.success && parsed.data === value ? [] : [{ code: 'invalidRecord' }];
}

export const TENANT_COLLECTIONS: readonly Collection[] = [
	{
		shape: 'map',
		root: 'nodes',
		itemType: 'treeNode',
		record: 'fields',
		check: (id, json, context) => checkNode(id, json, context)
	},
	// The import plan finds a pool's licenses by its account: a pool never changes account.
	plainRecord('pools', 'licensePool', poolSchema, (pool, previous) => {
		const before = previousField(previous, 'accountId');
		return before !== undefined && before !== pool.accountId ? [{ code: 'accountChanged' }] : [];
	}),
	// L1: a distributor account is never imported, so no client writes one either.
	plainRecord('accounts', 'licenseAccount', accountSchema, (account) =>
		account.kind === 'distributor' ? [{ code: 'distributorAccount' }] : []
	),
	{
		shape: 'map',
		root: 'licenses',
		itemType: 'license',
		record: 'value',
		check: (id, value, { previous }) => checkLicense(id, value, previous)
	},
	{
		shape: 'map',
		root: 'licenseTags',
		itemType: 'licenseTag',
		record: 'value',
		check: (id, value, { doc }) => checkLicenseTag(id, value, doc)
	},
	// C5: customer groups (groups.manage, Super Admins).
	plainRecord('customerGroups', 'customerGroup', groupSchema),
	// P11: insight rules and built-in overrides (settings.edit).
	insightRules(),
	// P10 (S106): the tag registry, keyed by the tag itself (a tag as customers carry it), valued { colour } of the palette
	// (customers.edit).
	{
		shape: 'map',
		root: 'smartTags',
		itemType: 'smartTag',
		record: 'value',
		check(tag, value) {
			if (smartTagSchema.safeParse(tag).data !== tag) return [{ code: 'invalidId' }];
			return smartTagRecordSchema.safeParse(value).success ? [] : [{ code: 'invalidRecord' }];
		}
	},
	// P15: billing profiles (billing.edit): discount 1-100 or none, a known currency, prices above 0, a day that exists.
	plainRecord('billingProfiles', 'billingProfile', billingSchema),
	// P15: customer id -> profile id (billing.edit); one value per customer, so two devices' assignments both stay.
	{
		shape: 'map',
		root: 'billingAssignments',
		itemType: 'billingAssignment',
		record: 'value',
		check: (customerId, value) => {
			const idIssues = invalidId(customerId);
			if (idIssues.length > 0) return idIssues;
			return billingAssignmentSchema.safeParse(value).success ? [] : [{ code: 'invalidRecord' }];
		}
	},
	// P8, S100-S102: saved custom reports (reports.edit); the schema is strict all the way down and names only known fields.
	plainRecord('savedReports', 'savedReport', savedReportSchema),
	// P1, P2: written only by the server (the policy refuses every client's write of one, S21).
	{
		shape: 'map',
		root: 'customerSummaries',
		itemType: 'customerSummary',
		record: 'value',
		check: (id, value) => {
			const idIssues = invalidId(id);
			if (idIssues.length > 0) return idIssues;
			return customerSummarySchema.safeParse(value).success ? [] : [{ code: 'invalidRecord' }];
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
