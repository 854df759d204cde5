// L13, L14, L16: a tenant's license accounts, pools and licenses as a file (JSON or CSV) with each license's state on the
// tenant's day, and one license's history as CSV. The API and the CLI write the same files.
import type * as Y from 'yjs';
import { TenantRepository } from '../../../src/lib/data/tenant-repository';
import { dayIn, licenseState, type LicenseState } from '../../../src/lib/domain/license-state';
import type { LicenseHistoryResponse } from '../../../src/lib/schema/license-api';
import type { ConnectorKind, LicenseAccountKind, LicenseType } from '../../../src/lib/schema/licenses';
import { CSV_BOM, csvRow } from '../audit/csv';

export const LICENSE_EXPORT_FORMAT = 'msp-portal-licenses/1';

export interface ExportedLicense {
	readonly id: string;
	readonly publicId: string;
	readonly type: LicenseType;
	readonly product: string;
	readonly unitsOrdered: number;
	readonly unitsActivated: number;
	readonly expiresOn: string;
	readonly state: LicenseState;
	readonly daysLeft: number;
	readonly ownerId: string;
	readonly owner: string | null;
	readonly tag: string;
	readonly poolId: string;
	readonly pool: string | null;
	readonly accountId: string | null;
	readonly account: string | null;
}

export interface TenantLicenseExport {
	readonly format: typeof LICENSE_EXPORT_FORMAT;
	readonly exportedAt: string;
	/** The tenant's day the states are computed for (L14), and its time zone. */
	readonly day: string;
	readonly timeZone: string;
	readonly accounts: ReadonlyArray<{
		readonly id: string;
		readonly kind: LicenseAccountKind;
		readonly name: string;
		readonly login: string;
		readonly connector: ConnectorKind | null;
	}>;
	readonly pools: ReadonlyArray<{
		readonly id: string;
		readonly name: string;
		readonly accountId: string;
		readonly groupId: string;
		readonly group: string | null;
	}>;
	readonly licenses: readonly ExportedLicense[];
}

export function tenantLicenseExport(doc: Y.Doc, now: Date, timeZone: string): TenantLicenseExport {
	const repo = new TenantRepository(doc);
	const day = dayIn(now, timeZone);
	const nodes = repo.view().nodes;
	const nameOf = (id: string): string | null => nodes.get(id)?.name ?? null;
	const accounts = repo.accounts().sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
	const accountName = new Map(accounts.map((account) => [account.id, account.name]));
	const pools = repo.pools().sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
	const poolById = new Map(pools.map((pool) => [pool.id, pool]));
	const licenses = repo
		.licenses()
		.map((license): ExportedLicense => {
			const info = licenseState(license, day);
			const pool = poolById.get(license.poolId);
			return {
				id: license.id,
				publicId: license.publicId,
				type: license.type,
				product: license.product,
				unitsOrdered: license.unitsOrdered,
				unitsActivated: license.unitsActivated,
				expiresOn: license.expiresOn,
				state: info.state,
				daysLeft: info.daysLeft,
				ownerId: license.ownerId,
				owner: nameOf(license.ownerId),
				tag: license.tag,
				poolId: license.poolId,
				pool: pool?.name ?? null,
				accountId: pool?.accountId ?? null,
				account: pool ? (accountName.get(pool.accountId) ?? null) : null
			};
		})
		.sort((a, b) => (a.pool ?? '').localeCompare(b.pool ?? '') || a.publicId.localeCompare(b.publicId));
	return {
		format: LICENSE_EXPORT_FORMAT,
		exportedAt: now.toISOString(),
		day,
		timeZone,
		accounts: accounts.map((a) => ({
			id: a.id,
			kind: a.kind,
			name: a.name,
			login: a.login,
			connector: a.connector ?? null
		})),
		pools: pools.map((p) => ({
			id: p.id,
			name: p.name,
			accountId: p.accountId,
			groupId: p.groupId,
			group: nameOf(p.groupId)
		})),
		licenses
	};
}

const LICENSE_CSV_HEADER = [
	'public_id',
	'type',
	'product',
	'units_ordered',
	'units_activated',
	'expires_on',
	'state',
	'days_left',
	'owner',
	'tag',
	'pool',
	'account',
	'license_id'
];

/** L13 columns, one row per license (RFC 4180, a BOM for spreadsheet programs). */
export function licenseExportCsv(data: TenantLicenseExport): string {
	let out = CSV_BOM + csvRow(LICENSE_CSV_HEADER);
	for (const l of data.licenses)
		out += csvRow([
			l.publicId,
			l.type,
			l.product,
			l.unitsOrdered,
			l.unitsActivated,
			l.expiresOn,
			l.state,
			l.daysLeft,
			l.owner,
			l.tag,
			l.pool,
			l.account,
			l.id
		]);
	return out;
}

/** L16: a license's daily usage and its events in one CSV, in time order (a day's usage before that day's events). */
export function licenseHistoryCsv(history: LicenseHistoryResponse): string {
	const rows: Array<{ key: string; cells: Array<string | number | null> }> = [
		...history.usage.map((u) => ({
			key: u.day,
			cells: [history.publicId, u.day, 'usage', u.unitsActivated, u.unitsOrdered, null, null]
		})),
		...history.events.map((e) => ({
			key: e.at,
			cells: [history.publicId, e.at, 'event', null, null, e.kind, e.detail]
		}))
	];
	rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	let out = CSV_BOM + csvRow(['public_id', 'time', 'record', 'units_activated', 'units_ordered', 'event', 'detail']);
	for (const row of rows) out += csvRow(row.cells);
	return out;
}
