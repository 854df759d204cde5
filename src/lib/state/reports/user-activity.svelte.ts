// P8: the user activity report as the screen reads it: a month of the audit log (GET /api/audit, audit.read on the whole
// tenant), fetched page by page and folded into counts, kept on the device so that the month opens offline ("as of").
import { m } from '$lib/paraglide/messages.js';
import { ApiRequestError } from '$lib/api/client';
import { fetchAuditPage } from '$lib/api/audit';
import { AUDIT_PAGE_MAX, type AuditPage, type AuditQueryInput } from '$lib/schema/audit';
import { monthSchema, type CachedActivityMonth } from '$lib/schema/report-activity';
import { startOfDayIn } from '$lib/domain/activity';
import { dayIn } from '$lib/domain/license-state';
import {
	activityReport,
	countActivity,
	mergeActivityCounts,
	monthDays,
	type ActivityReport
} from '$lib/domain/reports/user-activity';
import type { ActivityCount } from '$lib/schema/report-activity';
import { createActivityCache, type ActivityCache } from '$lib/data/device/activity-cache';
import { hasTenantPermission } from '$lib/domain/access';
import type { Grant, Permission } from '$lib/schema/access';
import { toCsv } from '$lib/data/csv';

/** A month of a very busy tenant: more pages than this and the report says it is cut short. */
const MAX_PAGES = 400;

export type ActivityError = 'offline' | 'forbidden' | 'failed';

export interface UserActivityOptions {
	readonly tenantId: string;
	/** audit.read on the whole tenant (the API answers 403 otherwise). */
	readonly canRead: boolean;
	readonly cache: ActivityCache;
	readonly timeZone: () => string;
	readonly fetchPage?: (query: AuditQueryInput) => Promise<AuditPage>;
	readonly now?: () => Date;
}

export function actionLabel(action: string): string {
	switch (action) {
		case 'created':
			return m.rpt_act_action_created();
		case 'updated':
			return m.rpt_act_action_updated();
		case 'deleted':
			return m.rpt_act_action_deleted();
		case 'rejected':
			return m.rpt_act_action_rejected();
		case 'signedIn':
			return m.rpt_act_action_signedIn();
		case 'signInFailed':
			return m.rpt_act_action_signInFailed();
		default:
			return action;
	}
}

export function userLabel(user: string): string {
	return user === '' ? m.rpt_act_server() : user;
}

export class UserActivityState {
	readonly canRead: boolean;
	readonly #tenantId: string;
	readonly #cache: ActivityCache;
	readonly #timeZone: () => string;
	readonly #fetchPage: (query: AuditQueryInput) => Promise<AuditPage>;
	readonly #now: () => Date;

	#month = $state('');
	#data = $state.raw<CachedActivityMonth | null>(null);
	#loading = $state(false);
	#error = $state<ActivityError | null>(null);
	#truncated = $state(false);
	#generation = 0;
	#report = $derived.by(() => activityReport(this.#month, this.#data?.counts ?? []));

	constructor(options: UserActivityOptions) {
		this.canRead = options.canRead;
		this.#tenantId = options.tenantId;
		this.#cache = options.cache;
		this.#timeZone = options.timeZone;
		this.#fetchPage = options.fetchPage ?? fetchAuditPage;
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a clock read on demand, not state
		this.#now = options.now ?? (() => new Date());
		this.#month = this.currentMonth;
	}

	/** This month in the tenant's time zone (`YYYY-MM`). */
	get currentMonth(): string {
		return dayIn(this.#now(), this.#timeZone()).slice(0, 7);
	}

	get month(): string {
		return this.#month;
	}

	/** The month's figures: from the server, or as kept on this device; empty until either answers. */
	get report(): ActivityReport {
		return this.#report;
	}

	/** When the shown month was fetched (null: nothing shown yet). */
	get fetchedAt(): Date | null {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a value for formatting, never changed
		return this.#data ? new Date(this.#data.fetchedAt) : null;
	}

	get loading(): boolean {
		return this.#loading;
	}

	/** Why the server's answer is missing; the month kept on the device may still be shown. */
	get error(): ActivityError | null {
		return this.#error;
	}

	/** The month had more entries than the report reads. */
	get truncated(): boolean {
		return this.#truncated;
	}

	/** Shows `month` as kept on the device right away, then asks the server for it (when allowed). */
	async open(month: string): Promise<void> {
		if (!monthSchema.safeParse(month).success) return;
		const generation = ++this.#generation;
		this.#month = month;
		this.#data = this.#cache.read(month);
		this.#error = null;
		this.#truncated = false;
		if (!this.canRead) {
			this.#error = 'forbidden';
			return;
		}
		this.#loading = true;
		try {
			const fetched = await this.#fetchMonth(month);
			if (generation !== this.#generation) return;
			this.#data = fetched.entry;
			this.#truncated = fetched.truncated;
			this.#cache.write(fetched.entry);
		} catch (error) {
			if (generation !== this.#generation) return;
			this.#error = errorKind(error);
		} finally {
			if (generation === this.#generation) this.#loading = false;
		}
	}

	async #fetchMonth(month: string): Promise<{ entry: CachedActivityMonth; truncated: boolean }> {
		const timeZone = this.#timeZone();
		const { first, next } = monthDays(month);
		const range = {
			from: startOfDayIn(first, timeZone).toISOString(),
			to: startOfDayIn(next, timeZone).toISOString(),
			limit: AUDIT_PAGE_MAX
		};
		const fetchedAt = this.#now().toISOString();
		// Folded page by page, so that a long month is never held as rows.
		let counts: ActivityCount[] = [];
		let cursor: string | undefined;
		let pages = 0;
		let truncated = false;
		for (;;) {
			const page = await this.#fetchPage(cursor === undefined ? range : { ...range, cursor });
			counts = mergeActivityCounts([...counts, ...countActivity(page.entries, month, timeZone)]);
			pages++;
			if (page.nextCursor === null) break;
			if (pages >= MAX_PAGES) {
				truncated = true;
				break;
			}
			cursor = page.nextCursor;
		}
		return {
			entry: { tenantId: this.#tenantId, month, timeZone, fetchedAt, counts },
			truncated
		};
	}

	/** One row per user, with their changes per action. */
	csv(): string {
		const report = this.#report;
		return toCsv(
			[m.rpt_col_user(), m.rpt_col_entries(), m.rpt_col_active_days(), ...report.actions.map(actionLabel)],
			report.users.map((u) => [
				userLabel(u.user),
				u.total,
				u.activeDays,
				...report.actions.map((a) => u.byAction.get(a) ?? 0)
			])
		);
	}
}

/** The report for a signed-in person, their months kept in this browser's storage. */
export function userActivityFor(
	me: {
		readonly tenantId: string;
		readonly userId: string;
		readonly permissions: readonly Permission[];
		readonly grants: readonly Grant[];
	},
	timeZone: () => string
): UserActivityState {
	return new UserActivityState({
		tenantId: me.tenantId,
		canRead: hasTenantPermission(me, 'audit.read'),
		cache: createActivityCache(typeof localStorage === 'undefined' ? null : localStorage, me.tenantId, me.userId),
		timeZone
	});
}

function errorKind(error: unknown): ActivityError {
	if (!(error instanceof ApiRequestError)) return 'failed';
	if (error.isNetwork) return 'offline';
	if (error.status === 403) return 'forbidden';
	return 'failed';
}
