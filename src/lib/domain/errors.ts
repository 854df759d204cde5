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
	/** The signed-in person may read but not change the document (role readOnly). */
	| 'access.readOnly';

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
