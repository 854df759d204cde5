// S21: what a customer document may hold: contacts (one Y.Map of fields each) and notes (a list of plain notes).
import { z } from 'zod';
import { entityIdSchema } from '../../../src/lib/schema/ids';
import { contactSchema, noteSchema } from '../../../src/lib/schema/customer';
import { CollectionsValidation, zodIssues, type Collection } from './records';
import { permissionPolicy } from './policy';
import type { DocValidator, RolePolicy } from './types';

const strictContact = z.strictObject(contactSchema.shape);
const strictNote = z.strictObject(noteSchema.shape);

export const CUSTOMER_COLLECTIONS: readonly Collection[] = [
	{
		shape: 'map',
		root: 'contacts',
		itemType: 'contact',
		record: 'fields',
		check(id, json) {
			if (!entityIdSchema.safeParse(id).success) return [{ code: 'invalidId' }];
			const fields = json as Record<string, unknown>;
			if (Object.hasOwn(fields, 'id')) return [{ code: 'unknownField', field: 'id' }];
			const parsed = strictContact.safeParse({ ...fields, id });
			return parsed.success ? [] : zodIssues(parsed.error);
		}
	},
	{
		shape: 'array',
		root: 'notes',
		itemType: 'note',
		check(value) {
			const parsed = strictNote.safeParse(value);
			return parsed.success ? [] : zodIssues(parsed.error);
		},
		idOf(value) {
			const id = typeof value === 'object' && value !== null && 'id' in value ? value.id : null;
			return entityIdSchema.safeParse(id).success ? (id as string) : null;
		}
	}
];

export function customerValidator(policy: RolePolicy = permissionPolicy): DocValidator {
	return { kind: 'customer', open: (doc) => new CollectionsValidation(doc, CUSTOMER_COLLECTIONS, policy) };
}
