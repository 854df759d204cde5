// The file connector: an `msp-license-export/1` file (JSON or CSV) given as text by the API, the CLI or the watched folder.
import { readLicenseFile, type FileFormat } from '../../../../src/lib/data/licenses/export-reader';
import type { LicenseConnector } from './types';

export function fileConnector(
	text: string,
	options: { readonly name?: string; readonly format?: FileFormat } = {}
): LicenseConnector {
	return {
		kind: 'file',
		async read(onProgress) {
			const outcome = readLicenseFile(text, options);
			if (!outcome.ok)
				return {
					ok: false,
					code: 'invalid_import',
					message: `the file cannot be imported: ${outcome.issues.length} problem(s), nothing was changed`,
					details: outcome.issues
				};
			onProgress({ companies: outcome.data.companies.length, licenses: outcome.data.licenses.length });
			return { ok: true, data: outcome.data };
		}
	};
}
