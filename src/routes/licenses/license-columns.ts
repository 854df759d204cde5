// The columns of the license table (L9, L13, L14): what each shows, how wide it is, and its sort key.
import { m } from '$lib/paraglide/messages.js';
import type { SortColumn } from '$lib/state/licenses.svelte';

export interface LicenseColumn {
	readonly id: SortColumn;
	readonly label: () => string;
	/** Pixels; the table scrolls sideways when they do not fit. */
	readonly width: number;
}

export const LICENSE_COLUMNS: readonly LicenseColumn[] = [
	{ id: 'publicId', label: m.licenses_col_public_id, width: 160 },
	// The state first after the ID: on a tablet it is in view without scrolling sideways.
	{ id: 'state', label: m.licenses_col_state, width: 178 },
	{ id: 'units', label: m.licenses_col_units, width: 92 },
	{ id: 'expiry', label: m.licenses_col_expiry, width: 124 },
	{ id: 'product', label: m.licenses_col_product, width: 180 },
	{ id: 'type', label: m.licenses_col_type, width: 118 },
	{ id: 'owner', label: m.licenses_col_owner, width: 180 },
	{ id: 'tag', label: m.licenses_col_tag, width: 160 },
	{ id: 'user', label: m.licenses_col_user, width: 210 },
	{ id: 'pool', label: m.licenses_col_pool, width: 180 },
	{ id: 'account', label: m.licenses_col_account, width: 180 }
];

/** The actions column, before the sortable ones (in reach on a tablet without scrolling sideways). */
export const ACTIONS_WIDTH = 56;

/** The CSS grid template every row of the table shares, so the cells line up with the header. */
export const GRID_TEMPLATE = [`${ACTIONS_WIDTH}px`, ...LICENSE_COLUMNS.map((column) => `${column.width}px`)].join(' ');
export const TABLE_WIDTH = LICENSE_COLUMNS.reduce((sum, column) => sum + column.width, ACTIONS_WIDTH);
