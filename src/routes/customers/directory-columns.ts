// The columns of the directory table (C1, C3, P2, P3, P10): what each shows, how wide it is, and which sort it offers.
import { m } from '$lib/paraglide/messages.js';
import type { DirectorySortColumn } from '$lib/state/directory.svelte';

export interface DirectoryColumn {
	readonly id: string;
	readonly label: () => string;
	/** Pixels; the table scrolls sideways when they do not fit. */
	readonly width: number;
	readonly sort?: DirectorySortColumn;
	readonly numeric?: boolean;
}

// The name, license status and figures first: on a tablet they are in view without scrolling sideways.
export const DIRECTORY_COLUMNS: readonly DirectoryColumn[] = [
	{ id: 'name', label: m.directory_col_name, width: 200, sort: 'name' },
	{ id: 'license', label: m.directory_col_license, width: 150 },
	{ id: 'failedJobs', label: m.directory_col_failed_jobs, width: 128, sort: 'failedJobs', numeric: true },
	{ id: 'openRequests', label: m.directory_col_requests, width: 150, sort: 'openRequests', numeric: true },
	{ id: 'products', label: m.directory_col_products, width: 200 },
	{ id: 'tags', label: m.directory_col_tags, width: 170 },
	{ id: 'groups', label: m.directory_col_groups, width: 160 },
	{ id: 'billing', label: m.directory_col_billing, width: 110 },
	{ id: 'status', label: m.directory_col_status, width: 136 },
	{ id: 'country', label: m.directory_col_country, width: 90 },
	{ id: 'accounts', label: m.directory_col_accounts, width: 240 }
];

/** The selection and actions columns, before the others (in reach on a tablet without scrolling sideways). */
export const SELECT_WIDTH = 52;
export const ACTIONS_WIDTH = 52;

export const GRID_TEMPLATE = [
	`${SELECT_WIDTH}px`,
	`${ACTIONS_WIDTH}px`,
	...DIRECTORY_COLUMNS.map((column) => `${column.width}px`)
].join(' ');
export const TABLE_WIDTH = DIRECTORY_COLUMNS.reduce((sum, column) => sum + column.width, SELECT_WIDTH + ACTIONS_WIDTH);
