// L1-L3, L6, L10: the import dialog's state: a file read on the device (readLicenseFile), refused with one problem per bad
// entry, else previewed with the same plan the server runs (planLicenseImport over the local holdings); then sent as a
// `licenses.import` command through the outbox, and its outcome from the server.
import { detectFormat, readLicenseFile, type FileFormat } from '$lib/data/licenses/export-reader';
import type { ImportErrorCode, ImportIssue, LicenseExport } from '$lib/schema/license-export';
import type { LicenseAccountKind } from '$lib/schema/licenses';
import { MAX_IMPORT_TEXT, type CommandResult } from '$lib/schema/commands';
import type { LicensesState } from './licenses.svelte';

/** What importing the file would change here (L6: only companies with licenses reach the license tree). */
export interface ImportPreview {
	readonly accountName: string;
	readonly accountKind: LicenseAccountKind;
	/** The account is known already: the import synchronizes it again. */
	readonly knownAccount: boolean;
	readonly companiesAdded: readonly string[];
	readonly poolsAdded: readonly string[];
	readonly added: number;
	readonly changed: number;
	readonly removed: number;
	readonly nothingChanges: boolean;
}

export type ImportStep =
	| { readonly kind: 'idle' }
	| { readonly kind: 'reading'; readonly fileName: string }
	| { readonly kind: 'unreadable'; readonly fileName: string; readonly tooLarge: boolean }
	/** The file itself is invalid: one issue per bad entry; nothing can be imported. */
	| { readonly kind: 'invalid'; readonly fileName: string; readonly issues: readonly ImportIssue[] }
	/** The file reads, but the account cannot be imported (L1, L2, H2). */
	| {
			readonly kind: 'refused';
			readonly fileName: string;
			readonly code: ImportErrorCode;
			readonly accountName: string;
			readonly message: string;
			readonly details: readonly ImportIssue[];
	  }
	| {
			readonly kind: 'preview';
			readonly fileName: string;
			readonly format: FileFormat;
			readonly text: string;
			readonly preview: ImportPreview;
	  }
	| { readonly kind: 'sent'; readonly fileName: string; readonly commandId: string };

/** Where a sent import is: waiting in the outbox, or answered by the server. */
export type ImportOutcome =
	| { readonly kind: 'pending' }
	| { readonly kind: 'sending' }
	| { readonly kind: 'applied'; readonly result: CommandResult }
	| { readonly kind: 'refused'; readonly result: CommandResult };

export function previewOf(
	data: LicenseExport,
	licenses: Pick<LicensesState, 'previewImport' | 'accounts'>
): ImportStep {
	const outcome = licenses.previewImport(data);
	if (!outcome.ok)
		return {
			kind: 'refused',
			fileName: '',
			code: outcome.code,
			accountName: data.account.name,
			message: outcome.message,
			details: outcome.details
		};
	const { plan } = outcome;
	return {
		kind: 'preview',
		fileName: '',
		format: 'json',
		text: '',
		preview: {
			accountName: data.account.name,
			accountKind: data.account.kind,
			knownAccount: licenses.accounts.some((account) => account.id === data.account.id),
			companiesAdded: plan.newNodes.filter((node) => node.kind !== 'site').map((node) => node.name),
			poolsAdded: plan.newPools.map((pool) => pool.name),
			added: plan.summary.added,
			changed: plan.summary.changed,
			removed: plan.summary.removed,
			nothingChanges:
				plan.account === null &&
				plan.newNodes.length === 0 &&
				plan.nodeUpdates.length === 0 &&
				plan.newPools.length === 0 &&
				plan.licenses.length === 0
		}
	};
}

export class LicenseImportState {
	readonly #licenses: LicensesState;
	#step = $state.raw<ImportStep>({ kind: 'idle' });
	#generation = 0;

	constructor(licenses: LicensesState) {
		this.#licenses = licenses;
	}

	get step(): ImportStep {
		return this.#step;
	}

	/** The sent import's progress (reactive over the outbox and the server's answers). */
	get outcome(): ImportOutcome | null {
		const step = this.#step;
		if (step.kind !== 'sent') return null;
		const result = this.#licenses.outcome(step.commandId);
		if (result) return result.status === 'refused' ? { kind: 'refused', result } : { kind: 'applied', result };
		return this.#licenses.isPending(step.commandId) ? { kind: 'pending' } : { kind: 'sending' };
	}

	reset(): void {
		this.#generation++;
		this.#step = { kind: 'idle' };
	}

	/** Reads and checks a file chosen or dropped; nothing is sent. */
	async choose(file: Pick<File, 'name' | 'size' | 'type' | 'text'>): Promise<void> {
		const generation = ++this.#generation;
		const fileName = file.name;
		// A UTF-16 string holds at most MAX_IMPORT_TEXT characters; a UTF-8 file that large is refused before it is read.
		if (file.size > MAX_IMPORT_TEXT * 4) {
			this.#step = { kind: 'unreadable', fileName, tooLarge: true };
			return;
		}
		this.#step = { kind: 'reading', fileName };
		let text: string;
		try {
			text = await file.text();
		} catch {
			if (generation === this.#generation) this.#step = { kind: 'unreadable', fileName, tooLarge: false };
			return;
		}
		if (generation !== this.#generation) return;
		this.#step = this.check(fileName, text, file.type);
	}

	/** The step a file's text leads to (exposed for tests). */
	check(fileName: string, text: string, contentType = ''): ImportStep {
		if (text.length > MAX_IMPORT_TEXT) return { kind: 'unreadable', fileName, tooLarge: true };
		const format = detectFormat(
			text,
			fileName.toLowerCase().endsWith('.csv') || fileName.toLowerCase().endsWith('.json') ? fileName : contentType
		);
		const read = readLicenseFile(text, { format });
		if (!read.ok) return { kind: 'invalid', fileName, issues: read.issues };
		const step = previewOf(read.data, this.#licenses);
		if (step.kind === 'preview') return { ...step, fileName, format, text };
		if (step.kind === 'refused') return { ...step, fileName };
		return step;
	}

	/** Sends the previewed file as a `licenses.import` command (queued offline). */
	confirm(): void {
		const step = this.#step;
		if (step.kind !== 'preview') return;
		const commandId = this.#licenses.importFile(step.fileName, step.format, step.text);
		this.#step = { kind: 'sent', fileName: step.fileName, commandId };
	}
}
