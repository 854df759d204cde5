// The MSP tree as it is stored in the tenant document: one record per node (H1-H4, H7).
import { z } from 'zod';
import { entityIdSchema, vendorRefSchema } from './ids';

export const NODE_KINDS = ['distributor', 'mspManager', 'msp', 'managedMsp', 'customer', 'site'] as const;
export const nodeKindSchema = z.enum(NODE_KINDS);
export type NodeKind = z.infer<typeof nodeKindSchema>;

export const CUSTOMER_STATUSES = ['notSetUp', 'normal', 'unlinked'] as const;
export const customerStatusSchema = z.enum(CUSTOMER_STATUSES);
export type CustomerStatus = z.infer<typeof customerStatusSchema>;

/** ISO 3166-1 alpha-2, upper case. */
export const countryCodeSchema = z.string().regex(/^[A-Z]{2}$/, 'a country is a two-letter ISO code');
export type CountryCode = z.infer<typeof countryCodeSchema>;

export const nodeNameSchema = z
	.string()
	.trim()
	.min(1, 'a name cannot be empty')
	.max(120, 'a name holds at most 120 characters');

/** The organization's admin contact, shown by the contact popup (H5). */
export const adminContactSchema = z.object({
	name: z.string().trim().max(120),
	email: z.union([z.email().max(254), z.literal('')]),
	phone: z.string().trim().max(40)
});
export type AdminContact = z.infer<typeof adminContactSchema>;

/**
 * Where a node hangs, written as one value so that parent and timestamp change together.
 * `ts` is a Lamport clock over all moves of the document and `client` the writer's Yjs client id:
 * in a cycle, the move with the highest (ts, client) is ignored and the node falls back to `prev` (H7).
 */
export const placementSchema = z.object({
	parent: entityIdSchema.nullable(),
	prev: entityIdSchema.nullable(),
	ts: z.number().int().nonnegative(),
	client: z.number().int().nonnegative()
});
export type Placement = z.infer<typeof placementSchema>;

/**
 * C6: how a customer account is billed: a free `trial`, `monthly` (usage-billed, only in the monthly-billing program) or
 * `term` (a subscription term paid in advance). Records written before C6 said `annual`, read as `term`.
 */
export const BILLING_TYPES = ['trial', 'monthly', 'term'] as const;
export const billingTypeSchema = z.preprocess((value) => (value === 'annual' ? 'term' : value), z.enum(BILLING_TYPES));
export type BillingType = z.infer<typeof billingTypeSchema>;

/**
 * C2, C8: how the customer account came to be: created by the partner in the portal (`partner`: the invite wizard, the
 * tree), by a managed-customer order (`managedOrder`), by the license sync (`vendor`), or by the customer itself (`self`).
 */
export const CUSTOMER_ORIGINS = ['partner', 'managedOrder', 'vendor', 'self'] as const;
export const customerOriginSchema = z.enum(CUSTOMER_ORIGINS);
export type CustomerOrigin = z.infer<typeof customerOriginSchema>;

/** P10: a smart tag labels customers; the directory filters by it. */
export const smartTagSchema = z
	.string()
	.trim()
	.min(1, 'a tag cannot be empty')
	.max(40, 'a tag holds at most 40 characters')
	.regex(/^[^,;\n]+$/, 'a tag holds no comma, semicolon or line break');
export const MAX_TAGS_PER_CUSTOMER = 20;
export const smartTagsSchema = z.array(smartTagSchema).max(MAX_TAGS_PER_CUSTOMER, 'at most 20 tags per customer');

/** C5: at most this many customer groups per customer. */
export const MAX_GROUPS_PER_CUSTOMER = 50;

/** C5: a customer group (root map `customerGroups` of the tenant document); managed by Super Admins only. */
export const customerGroupSchema = z.object({
	id: entityIdSchema,
	name: z.string().trim().min(1, 'a group needs a name').max(80, 'a group name holds at most 80 characters')
});
export type CustomerGroup = z.infer<typeof customerGroupSchema>;

/** C2: the customer's own console, opened by "Launch customer" while partner assistance is on (https only). */
export const consoleUrlSchema = z
	.url({ protocol: /^https$/, error: 'a console address starts with https://' })
	.max(500);

/** A node as read out of the tenant document. Fields other than kind, name and placement are optional profile. */
export const treeNodeSchema = z.object({
	id: entityIdSchema,
	kind: nodeKindSchema,
	name: nodeNameSchema,
	placement: placementSchema,
	status: customerStatusSchema.optional(),
	country: countryCodeSchema.nullable().optional(),
	/** H5: the admin contact as one value: read from records written before F2's per-field contact (the fields below win). */
	contact: adminContactSchema.nullable().optional(),
	/** F2: the admin contact stored per field, so that a phone and an email edited on two devices both stay. */
	contactName: adminContactSchema.shape.name.optional(),
	contactEmail: adminContactSchema.shape.email.optional(),
	contactPhone: adminContactSchema.shape.phone.optional(),
	address: z.string().trim().max(300).optional(),
	billingType: billingTypeSchema.optional(),
	partnerAssistance: z.boolean().optional(),
	/** C2, C8: how the account came to be (absent: made before C2, treated as `partner`). */
	origin: customerOriginSchema.optional(),
	/** C2: the customer's own console ("Launch customer"). */
	consoleUrl: consoleUrlSchema.optional(),
	/** C6: the account takes part in early-access programs (never a monthly one). */
	earlyAccess: z.boolean().optional(),
	/** P10: smart tags, sorted, each once. */
	tags: smartTagsSchema.optional(),
	/** C5: the customer groups (ids in `customerGroups`) it belongs to, sorted, each once. */
	groups: z.array(entityIdSchema).max(MAX_GROUPS_PER_CUSTOMER).optional(),
	createdAt: z.iso.datetime().optional(),
	/** L6, L7: the vendor company or site this node stands for, written by the license sync. */
	vendorRef: vendorRefSchema.optional()
});
export type TreeNode = z.infer<typeof treeNodeSchema>;

/** What a person types when creating a node. */
export const newNodeInputSchema = z.object({
	kind: nodeKindSchema,
	name: nodeNameSchema,
	parentId: entityIdSchema.nullable(),
	country: countryCodeSchema.nullable().optional(),
	status: customerStatusSchema.optional(),
	contact: adminContactSchema.nullable().optional(),
	address: z.string().trim().max(300).optional(),
	vendorRef: vendorRefSchema.optional(),
	billingType: billingTypeSchema.optional(),
	partnerAssistance: z.boolean().optional(),
	origin: customerOriginSchema.optional(),
	consoleUrl: consoleUrlSchema.optional(),
	tags: smartTagsSchema.optional()
});
export type NewNodeInput = z.infer<typeof newNodeInputSchema>;

export const nodeProfilePatchSchema = z.object({
	country: countryCodeSchema.nullable().optional(),
	contact: adminContactSchema.nullable().optional(),
	address: z.string().trim().max(300).optional(),
	billingType: billingTypeSchema.optional(),
	partnerAssistance: z.boolean().optional(),
	consoleUrl: consoleUrlSchema.optional(),
	earlyAccess: z.boolean().optional(),
	tags: smartTagsSchema.optional()
});
export type NodeProfilePatch = z.infer<typeof nodeProfilePatchSchema>;
