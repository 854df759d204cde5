// P9, P12, P17, P18: a tenant's security settings. Server-authoritative (SQLite, never in a CRDT): changed through the API.
import { z } from 'zod';

/** One address or a CIDR range, IPv4 or IPv6 (`192.0.2.10`, `10.0.0.0/8`, `2001:db8::/32`). */
export const addressRangeSchema = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()]);

export const DEFAULT_SESSION_TIMEOUT_MINUTES = 15;
export const DEFAULT_AUDIT_RETENTION_DAYS = 180;

export const tenantSettingsSchema = z.object({
	/** P18: minutes of inactivity after which the app locks and the server's session ends. */
	sessionTimeoutMinutes: z
		.number()
		.int()
		.min(1)
		.max(24 * 60)
		.default(DEFAULT_SESSION_TIMEOUT_MINUTES),
	/** P12: when enabled, sign-in, the API and websockets are accepted only from these addresses. */
	trustedAddresses: z
		.object({ enabled: z.boolean(), ranges: z.array(addressRangeSchema).max(200) })
		.default({ enabled: false, ranges: [] }),
	/** P17: audit entries older than this are purged daily. */
	auditRetentionDays: z.number().int().min(1).max(730).default(DEFAULT_AUDIT_RETENTION_DAYS)
});
export type TenantSettings = z.infer<typeof tenantSettingsSchema>;

export const DEFAULT_TENANT_SETTINGS: TenantSettings = tenantSettingsSchema.parse({});
