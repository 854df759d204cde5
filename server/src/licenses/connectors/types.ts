// What every connector does: read one vendor account whole (file or HTTP) before anything changes, reporting progress.
import type { ImportIssue, LicenseExport } from '../../../../src/lib/schema/license-export';
import type { ConnectorKind } from '../../../../src/lib/schema/licenses';

/** Companies and licenses read so far (the UI polls it while a sync runs). */
export interface ReadProgress {
	readonly companies: number;
	readonly licenses: number;
}

export type ConnectorRead =
	| { readonly ok: true; readonly data: LicenseExport }
	| {
			readonly ok: false;
			/** `invalid_import`: the data was read and is wrong; `sync_failed`: the vendor could not be read at all. */
			readonly code: 'invalid_import' | 'sync_failed';
			/** Clear and free of credentials (never the token, never a vendor's answer body). */
			readonly message: string;
			readonly details: readonly ImportIssue[];
	  };

export interface LicenseConnector {
	readonly kind: ConnectorKind;
	/** Reads everything, or fails; never changes anything itself. */
	read(onProgress: (progress: ReadProgress) => void): Promise<ConnectorRead>;
}
