// P17: GET /api/audit: the tenant's audit log, filtered and paged, as JSON or as a CSV download; needs audit.read tenant-wide.
import type { ServerResponse } from 'node:http';
import { hasTenantPermission } from '../../../src/lib/domain/access';
import { auditQuerySchema, type AuditPage, type AuditQueryParams, type AuditRow } from '../../../src/lib/schema/audit';
import type { Auth } from '../auth/auth';
import { CSV_BOM, csvRow } from '../audit/csv';
import { DAY_MS } from '../audit/audit';
import type { AuditQuery, Store, StoredAuditEntry } from '../store/types';
import { HttpError, sendJson } from './errors';
import type { Router } from './router';
import { localeOrBase, serverMessage } from '../i18n/messages';

export interface AuditRouteDeps {
	readonly store: Store;
	readonly auth: Auth;
}

/** Rows of one CSV export at most (read from the store a page at a time). */
export const MAX_CSV_ROWS = 100_000;
const CSV_PAGE = 1000;
/** The columns' names in the reader's language (S115), as the audit screen names them. */
const CSV_HEADER_KEYS = [
	'audit_col_time',
	'audit_col_made_at',
	'audit_col_user',
	'audit_col_address',
	'audit_col_item_type',
	'audit_col_item',
	'audit_col_action',
	'audit_col_description'
] as const;

/** A day (YYYY-MM-DD) as an instant: its start, or (`end`) the start of the next day. */
function instant(value: string, end: boolean): string {
	if (value.includes('T')) return new Date(value).toISOString();
	const start = new Date(`${value}T00:00:00.000Z`).getTime();
	return new Date(end ? start + DAY_MS : start).toISOString();
}

function firstIssue(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string {
	const issue = error.issues[0];
	if (!issue) return 'the query is not valid';
	return issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message;
}

/** The file name's day of a bound as the client wrote it (its own day when it sent a local time), or a word when open. */
function dayOf(value: string | undefined, open: string): string {
	return value === undefined ? open : value.slice(0, 10);
}

export function addAuditRoutes(router: Router, deps: AuditRouteDeps): void {
	const { store, auth } = deps;

	router.add('GET', '/api/audit', async ({ req, res, url }) => {
		const session = await auth.resolve(req);
		if (!session) throw new HttpError(401, 'not_signed_in', 'sign in first');
		const { principal } = session;
		if (!hasTenantPermission(principal, 'audit.read'))
			throw new HttpError(403, 'forbidden', 'reading the audit log needs the audit permission for the whole tenant');
		const parsed = auditQuerySchema.safeParse(Object.fromEntries(url.searchParams));
		if (!parsed.success) throw new HttpError(400, 'invalid_query', firstIssue(parsed.error));
		const params = parsed.data;
		// Read at answer time: a renamed email shows the new one, a deleted user its id.
		const users = await store.listUsers(principal.tenantId);
		const emails = new Map(users.map((user) => [user.id, user.email]));
		const query = toStoreQuery(principal.tenantId, params, emails);
		const cookie: Record<string, string> = session.refreshedCookie ? { 'set-cookie': session.refreshedCookie } : {};
		const toRow = (entry: StoredAuditEntry): AuditRow => ({
			id: entry.id,
			at: entry.at,
			madeAt: entry.madeAt,
			userId: entry.userId,
			user: entry.userId === null ? null : (emails.get(entry.userId) ?? entry.userId),
			ip: entry.ip,
			itemType: entry.itemType,
			item: entry.item,
			action: entry.action,
			description: entry.description
		});
		if (params.format === 'csv') {
			const locale = localeOrBase(users.find((user) => user.id === principal.userId)?.locale);
			const header = CSV_HEADER_KEYS.map((key) => serverMessage(locale, key));
			return sendCsv(res, store, query, params, toRow, header, cookie);
		}
		const entries = await store.listAudit(query);
		const last = entries.at(-1);
		const body: AuditPage = {
			entries: entries.map(toRow),
			nextCursor: entries.length === params.limit && last ? String(last.id) : null
		};
		sendJson(res, 200, body, cookie);
	});
}

/** The store's query for the API's parameters; an email names its user (an unknown one matches nobody). */
function toStoreQuery(tenantId: string, params: AuditQueryParams, emails: ReadonlyMap<string, string>): AuditQuery {
	let userId = params.user;
	if (userId?.includes('@')) {
		const wanted = userId.toLowerCase();
		userId = [...emails].find(([, email]) => email.toLowerCase() === wanted)?.[0] ?? `unknown:${wanted}`;
	}
	return {
		tenantId,
		limit: params.limit,
		...(params.cursor !== undefined ? { beforeId: Number(params.cursor) } : {}),
		...(params.from !== undefined ? { from: instant(params.from, false) } : {}),
		...(params.to !== undefined ? { to: instant(params.to, true) } : {}),
		...(userId !== undefined ? { userId } : {}),
		...(params.itemType !== undefined ? { itemType: params.itemType } : {}),
		...(params.item !== undefined ? { item: params.item } : {}),
		...(params.action !== undefined ? { action: params.action } : {})
	};
}

/** Every matching row (up to MAX_CSV_ROWS, newest first), read and written a page at a time. */
async function sendCsv(
	res: ServerResponse,
	store: Store,
	query: AuditQuery,
	params: AuditQueryParams,
	toRow: (entry: StoredAuditEntry) => AuditRow,
	header: readonly string[],
	headers: Record<string, string>
): Promise<void> {
	const name = `audit-${dayOf(params.from, 'start')}-${dayOf(params.to, 'now')}.csv`;
	res.writeHead(200, {
		'content-type': 'text/csv; charset=utf-8',
		'content-disposition': `attachment; filename="${name}"`,
		'cache-control': 'no-store',
		...headers
	});
	res.write(CSV_BOM + csvRow(header));
	let written = 0;
	let beforeId = query.beforeId;
	while (written < MAX_CSV_ROWS) {
		const page = await store.listAudit({
			...query,
			limit: Math.min(CSV_PAGE, MAX_CSV_ROWS - written),
			...(beforeId !== undefined ? { beforeId } : {})
		});
		let chunk = '';
		for (const row of page.map(toRow))
			chunk += csvRow([row.at, row.madeAt, row.user, row.ip, row.itemType, row.item, row.action, row.description]);
		if (chunk.length > 0 && !res.write(chunk))
			await new Promise<void>((resolve) => {
				res.once('drain', resolve);
				res.once('close', resolve);
			});
		if (res.destroyed) return;
		written += page.length;
		const last = page.at(-1);
		if (!last || page.length < CSV_PAGE) break;
		beforeId = last.id;
	}
	res.end();
}
