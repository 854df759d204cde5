// P8: the user activity report for one month of the audit log: per user, the changes by action and item type, and per
// day. The month's rows are folded into counts (day, user, action, item type) first: that is what the device keeps for
// offline use, without the rows' descriptions and addresses.
import { startOfDayIn } from '../activity';
import { addDays } from '../license-state';
import type { ActivityCount } from '../../schema/report-activity';

/** The audit rows' fields the report reads. */
export interface ActivityRow {
	readonly at: string;
	/** The user's email (or id when gone); null for the server itself. */
	readonly user: string | null;
	readonly action: string;
	readonly itemType: string;
}

/** The first day of `month` and the first day of the month after (`YYYY-MM-DD`). */
export function monthDays(month: string): { first: string; next: string; days: string[] } {
	const [year, mm] = month.split('-').map(Number) as [number, number];
	const first = `${month}-01`;
	const next = mm === 12 ? `${year + 1}-01-01` : `${year}-${String(mm + 1).padStart(2, '0')}-01`;
	const days: string[] = [];
	for (let day = first; day < next; day = addDays(day, 1)) days.push(day);
	return { first, next, days };
}

// NUL cannot occur in an email, an action or an item type: the key is unambiguous and sorts by day, then user.
const countKey = (c: Pick<ActivityCount, 'day' | 'user' | 'action' | 'itemType'>): string =>
	`${c.day}\u0000${c.user}\u0000${c.action}\u0000${c.itemType}`;

/** Counts of the same day, user, action and item type added up, in a stable order (day, user, action, item type). */
export function mergeActivityCounts(counts: Iterable<ActivityCount>): ActivityCount[] {
	const merged = new Map<string, ActivityCount>();
	for (const c of counts) {
		const key = countKey(c);
		const seen = merged.get(key);
		if (seen) seen.count += c.count;
		else merged.set(key, { ...c });
	}
	return [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, count]) => count);
}

/**
 * The rows of `month` (their day in `timeZone`) counted per day, user, action and item type, in a stable order. The
 * instants where the month's days begin are computed once (daylight saving included), so that each row costs a search
 * among 32 numbers rather than a time-zone conversion.
 */
export function countActivity(rows: readonly ActivityRow[], month: string, timeZone: string): ActivityCount[] {
	const { days, next } = monthDays(month);
	const starts = [...days, next].map((day) => startOfDayIn(day, timeZone).getTime());
	const end = starts[starts.length - 1]!;
	const single: ActivityCount[] = [];
	for (const row of rows) {
		const at = Date.parse(row.at);
		if (!(at >= starts[0]! && at < end)) continue;
		// The last day start at or before `at`.
		let lo = 0;
		let hi = days.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (starts[mid]! <= at) lo = mid;
			else hi = mid - 1;
		}
		single.push({ day: days[lo]!, user: row.user ?? '', action: row.action, itemType: row.itemType, count: 1 });
	}
	return mergeActivityCounts(single);
}

export interface UserActivity {
	/** '' for the server itself. */
	readonly user: string;
	readonly total: number;
	readonly byAction: ReadonlyMap<string, number>;
	readonly byItemType: ReadonlyMap<string, number>;
	/** Days of the month with at least one entry. */
	readonly activeDays: number;
}

export interface ActivityReport {
	readonly month: string;
	/** Most entries first, then by user. */
	readonly users: readonly UserActivity[];
	/** Every day of the month, in order. */
	readonly days: readonly { readonly day: string; readonly count: number }[];
	/** Actions and item types that occur, sorted. */
	readonly actions: readonly string[];
	readonly itemTypes: readonly string[];
	readonly total: number;
}

function bump(map: Map<string, number>, key: string, by: number): void {
	map.set(key, (map.get(key) ?? 0) + by);
}

export function activityReport(month: string, counts: readonly ActivityCount[]): ActivityReport {
	const { days } = monthDays(month);
	const perDay = new Map<string, number>(days.map((day) => [day, 0]));
	const users = new Map<
		string,
		{ total: number; byAction: Map<string, number>; byItemType: Map<string, number>; days: Set<string> }
	>();
	const actions = new Set<string>();
	const itemTypes = new Set<string>();
	let total = 0;
	for (const c of counts) {
		if (!perDay.has(c.day)) continue;
		bump(perDay, c.day, c.count);
		let user = users.get(c.user);
		if (!user) {
			user = { total: 0, byAction: new Map(), byItemType: new Map(), days: new Set() };
			users.set(c.user, user);
		}
		user.total += c.count;
		bump(user.byAction, c.action, c.count);
		bump(user.byItemType, c.itemType, c.count);
		user.days.add(c.day);
		actions.add(c.action);
		itemTypes.add(c.itemType);
		total += c.count;
	}
	return {
		month,
		users: [...users.entries()]
			.map(([user, u]) => ({
				user,
				total: u.total,
				byAction: u.byAction,
				byItemType: u.byItemType,
				activeDays: u.days.size
			}))
			.sort((a, b) => b.total - a.total || (a.user < b.user ? -1 : a.user > b.user ? 1 : 0)),
		days: days.map((day) => ({ day, count: perDay.get(day) ?? 0 })),
		actions: [...actions].sort(),
		itemTypes: [...itemTypes].sort(),
		total
	};
}
