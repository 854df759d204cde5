// S40: where a document is stored. Customer documents live under their tenant, so no tenant can claim, block or learn of
// another tenant's customer documents: two tenants holding the same customer id hold two different documents.
import { entityIdSchema, parseDocName, type DocKind, type DocName } from '../../../src/lib/schema/ids';

/**
 * The store's (and the relay's room) name of a document that a person of `tenantId` opens as `docName`: a tenant document
 * is `tenant:<tenantId>` (its name is its tenant already), a customer document `<tenantId>/customer:<customerId>`.
 */
export function storageName(tenantId: string, docName: DocName): string {
	const parsed = parseDocName(docName);
	if (parsed === null) throw new Error('not a document name');
	return parsed.kind === 'tenant' ? docName : `${tenantId}/${docName}`;
}

export interface StoredDocName {
	readonly tenantId: string;
	/** The name clients use on the wire (S1). */
	readonly docName: DocName;
	readonly kind: DocKind;
	readonly id: string;
}

/** The parts of a storage name; null when `name` is none (e.g. a customer document stored before S40's migration). */
export function parseStorageName(name: string): StoredDocName | null {
	const slash = name.indexOf('/');
	const docName = slash < 0 ? name : name.slice(slash + 1);
	const parsed = parseDocName(docName);
	if (parsed === null) return null;
	if (parsed.kind === 'tenant')
		return slash < 0 ? { tenantId: parsed.id, docName, kind: 'tenant', id: parsed.id } : null;
	const tenantId = name.slice(0, slash);
	if (slash < 0 || !entityIdSchema.safeParse(tenantId).success) return null;
	return { tenantId, docName, kind: 'customer', id: parsed.id };
}
