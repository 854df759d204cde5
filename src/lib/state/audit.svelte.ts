// P17: the audit log screen's state: the filters, the rows loaded so far (newest first) and "load more"; online only.
import { ApiRequestError } from '$lib/api/client';
import { auditCsvUrl, fetchAuditPage } from '$lib/api/audit';
import type { AuditQueryInput, AuditRow } from '$lib/schema/audit';
import { localBound } from './local-day';

export interface AuditFilters {
	/** Days from the date inputs (YYYY-MM-DD, the browser's own time zone); '' for no bound. */
	from: string;
	to: string;
	user: string;
	itemType: string;
	action: string;
}

export type AuditError = 'offline' | 'forbidden' | 'invalid' | 'failed';

const PAGE_SIZE = 50;

export class AuditLogState {
	filters = $state<AuditFilters>({ from: '', to: '', user: '', itemType: '', action: '' });
	#entries = $state<AuditRow[]>([]);
	#nextCursor = $state<string | null>(null);
	#loading = $state(false);
	#loaded = $state(false);
	#error = $state<AuditError | null>(null);
	/** The filters of the rows shown: "load more" and the CSV follow them even while the inputs are being edited. */
	#applied: AuditQueryInput = {};
	#generation = 0;

	get entries(): readonly AuditRow[] {
		return this.#entries;
	}
	get hasMore(): boolean {
		return this.#nextCursor !== null;
	}
	get loading(): boolean {
		return this.#loading;
	}
	/** True once a search has answered (an empty table then means "no entries", not "not asked yet"). */
	get loaded(): boolean {
		return this.#loaded;
	}
	get error(): AuditError | null {
		return this.#error;
	}

	/** The CSV download of what the current filters select. */
	get csvUrl(): string {
		return auditCsvUrl(this.#query());
	}

	/** Loads the first page for the current filters. */
	async search(): Promise<void> {
		this.#applied = this.#query();
		this.#entries = [];
		this.#nextCursor = null;
		await this.#load(this.#applied);
	}

	async loadMore(): Promise<void> {
		if (this.#nextCursor === null || this.#loading) return;
		await this.#load({ ...this.#applied, cursor: this.#nextCursor });
	}

	#query(): AuditQueryInput {
		const f = this.filters;
		return {
			from: localBound(f.from, false),
			to: localBound(f.to, true),
			user: f.user.trim() || undefined,
			itemType: f.itemType || undefined,
			action: f.action || undefined,
			limit: PAGE_SIZE
		};
	}

	async #load(query: AuditQueryInput): Promise<void> {
		const generation = ++this.#generation;
		this.#loading = true;
		this.#error = null;
		try {
			const page = await fetchAuditPage(query);
			// A newer search started meanwhile: its answer is the one to show.
			if (generation !== this.#generation) return;
			this.#entries = [...this.#entries, ...page.entries];
			this.#nextCursor = page.nextCursor;
			this.#loaded = true;
		} catch (error) {
			if (generation !== this.#generation) return;
			this.#error = errorKind(error);
		} finally {
			if (generation === this.#generation) this.#loading = false;
		}
	}
}

function errorKind(error: unknown): AuditError {
	if (!(error instanceof ApiRequestError)) return 'failed';
	if (error.isNetwork) return 'offline';
	if (error.status === 403) return 'forbidden';
	if (error.status === 400) return 'invalid';
	return 'failed';
}
