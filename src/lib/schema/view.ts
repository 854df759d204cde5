// H6, L5: what a person whose grant is narrower than the tenant receives instead of the tenant document: the part of the
// tree and the licenses their grant covers, read-only (GET /api/view), cached on the device for offline use.
import { z } from 'zod';
import { customerSummarySchema } from './customer-summary';
import { entityIdSchema } from './ids';
import { MAX_INSIGHT_RULES, insightRuleSchema } from './insights';
import { licenseAccountSchema, licensePoolSchema, licenseSchema } from './licenses';
import { treeNodeSchema } from './tree';
import { REPORT_LIMITS, savedReportSchema } from './reports';

export const scopedViewSchema = z.object({
	tenantName: z.string().max(200),
	/** The covered nodes; a node whose parent is not covered is a root of the view. */
	nodes: z.array(treeNodeSchema),
	accounts: z.array(licenseAccountSchema),
	/** Pools whose access group (a node) is covered, and their licenses (L5). */
	pools: z.array(licensePoolSchema),
	licenses: z.array(licenseSchema),
	/** P1, P2: the server's summaries of the covered customers (absent in views cached before they came with it). */
	summaries: z.record(entityIdSchema, customerSummarySchema).optional(),
	/** P11: the tenant's insight rule records (names and thresholds for the findings; absent in views cached before). */
	insightRules: z.array(insightRuleSchema).max(MAX_INSIGHT_RULES).optional(),
	/** P8: the tenant's saved custom reports, run over this view (absent in views cached before they came with it). */
	savedReports: z.array(savedReportSchema).max(REPORT_LIMITS.savedReports).optional(),
	/** When the server built it (ISO 8601). */
	at: z.iso.datetime()
});
export type ScopedView = z.infer<typeof scopedViewSchema>;
