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

export const billingTypeSchema = z.enum(['annual', 'monthly']);
export type BillingType = z.infer<typeof billingTypeSchema>;

/** A node as read out of the tenant document. Fields other than kind, name and placement are optional profile. */
export const treeNodeSchema = z.object({
	id: entityIdSchema,
	kind: nodeKindSchema,
	name: nodeNameSchema,
	placement: placementSchema,
	status: customerStatusSchema.optional(),
	country: countryCodeSchema.nullable().optional(),
	contact: adminContactSchema.nullable().optional(),
	address: z.string().trim().max(300).optional(),
	billingType: billingTypeSchema.optional(),
	partnerAssistance: z.boolean().optional(),
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
	vendorRef: vendorRefSchema.optional()
});
export type NewNodeInput = z.infer<typeof newNodeInputSchema>;

export const nodeProfilePatchSchema = z.object({
	country: countryCodeSchema.nullable().optional(),
	contact: adminContactSchema.nullable().optional(),
	address: z.string().trim().max(300).optional(),
	billingType: billingTypeSchema.optional(),
	partnerAssistance: z.boolean().optional()
});
export type NodeProfilePatch = z.infer<typeof nodeProfilePatchSchema>;
