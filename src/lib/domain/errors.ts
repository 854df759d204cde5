// A broken domain rule, with a stable code the UI translates and the parameters the message needs.

export type DomainErrorCode =
	| 'tree.parentNotAllowed'
	| 'tree.rootNotAllowed'
	| 'tree.cycle'
	| 'tree.nodeNotFound'
	| 'tree.parentNotFound'
	| 'tree.hasLicensePools'
	| 'tree.invalidInput'
	| 'customer.contactNotFound'
	| 'customer.invalidInput'
	/** A service of this kind is already there (one per kind), P7. */
	| 'customer.serviceExists'
	/** A service or service request that is gone (deleted here or on another device). */
	| 'customer.recordNotFound'
	/** C7: an unlinked customer, and everything under it, is read-only for good. */
	| 'customer.unlinked'
	| 'license.notFound'
	| 'license.invalidInput'
	/** L8: a license never leaves its pool. */
	| 'license.poolFixed'
	/** L15: a third trial extension, or converting what is not a trial or more units than it has. */
	| 'license.trialRule'
	/** P15: a billing profile or assignment that the schema refuses (or an unknown profile). */
	| 'billing.invalidInput'
	/** The signed-in person may read but not change the document (role readOnly). */
	| 'access.readOnly'
	/** P8: a saved report that does not parse (name, definition), or one more than the tenant may keep. */
	| 'report.invalidInput'
	| 'report.limit';

export class DomainError extends Error {
	readonly code: DomainErrorCode;
	readonly params: Readonly<Record<string, string | number>>;

	constructor(code: DomainErrorCode, message: string, params: Record<string, string | number> = {}) {
		super(message);
		this.name = 'DomainError';
		this.code = code;
		this.params = params;
	}
}
