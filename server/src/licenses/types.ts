// What the rest of the server (routes, server commands, the scheduler, the CLI) asks of License management.
import type { ImportIssue, ImportResult } from '../../../src/lib/schema/license-export';
import type { LicenseAccountInfo, LicenseHistoryResponse, SyncProgress } from '../../../src/lib/schema/license-api';

/** Who asks: a person (their id and address, for the audit log) or the scheduler (userId null). */
export interface LicenseActor {
	readonly tenantId: string;
	readonly userId: string | null;
	readonly ip: string | null;
}

export type LicenseFailureCode =
	| 'invalid_import'
	| 'distributor_account'
	| 'no_readable_company'
	/** A connector could not read the vendor (401, timeout, malformed answer): nothing was changed. */
	| 'sync_failed'
	| 'not_found';

export type LicenseOutcome =
	| { readonly ok: true; readonly result: ImportResult }
	| {
			readonly ok: false;
			readonly code: LicenseFailureCode;
			readonly message: string;
			readonly details: readonly ImportIssue[];
	  };

export interface LicenseService {
	/** L1-L3, L6, L10: imports an account from a file's text (the file connector). Nothing changes when it is refused. */
	importText(
		actor: LicenseActor,
		text: string,
		options?: { readonly name?: string; readonly format?: 'json' | 'csv' }
	): Promise<LicenseOutcome>;
	/** Connects an account through the HTTP connector (credentials kept on the server only) and runs its first sync. */
	addHttpAccount(actor: LicenseActor, input: { readonly url: string; readonly token: string }): Promise<LicenseOutcome>;
	/** L12: synchronizes one account now; a sync that fails half way changes nothing. */
	syncAccount(actor: LicenseActor, accountId: string): Promise<LicenseOutcome>;
	/** Each account's connector and last sync (never a credential). */
	listAccounts(tenantId: string): Promise<LicenseAccountInfo[]>;
	/** The sync running for the tenant now, if any. */
	progress(tenantId: string): SyncProgress | null;
	/** L11: forgets the account's connector and credentials (its pools and licenses were deleted). */
	forgetAccount(tenantId: string, accountId: string): Promise<void>;
	/** L16: a license's daily usage and history. */
	history(tenantId: string, licenseId: string): Promise<LicenseHistoryResponse | null>;
	/**
	 * L16: records what a command did to a license (extended, converted, suspended, pool moved, tag edited). It reads the
	 * tenant document to find the license's account and public id: call it after the command's `relay.change` has
	 * resolved (never inside it: the document's queue would wait for itself), while the license is still in the document.
	 */
	recordEvent(
		tenantId: string,
		event: {
			readonly licenseId: string;
			readonly kind: LicenseHistoryResponse['events'][number]['kind'];
			readonly detail: string;
		}
	): Promise<void>;
}
