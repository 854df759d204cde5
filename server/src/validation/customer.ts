// S21, S80-S84: what a customer document may hold: contacts (one Y.Map of fields each) and notes (a list of plain notes);
// services and service requests (a Y.Map of fields each) and request notes (a list); jobs, job days and backup requests
// (one plain value each, written only by the server: the policy undoes any client's write of them, SERVER_ONLY_ITEM_TYPES).
import * as Y from 'yjs';
import { z } from 'zod';
import { entityIdSchema } from '../../../src/lib/schema/ids';
import {
	backupRequestSchema,
	contactSchema,
	externalIdSchema,
	jobDaySchema,
	jobSchema,
	noteSchema,
	requestNoteSchema,
	serviceRequestSchema,
	serviceSchema
} from '../../../src/lib/schema/customer';
import { CUSTOMER_ROOTS } from '../../../src/lib/data/customer-doc';
import { CollectionsValidation, zodIssues, type Collection, type Issue, type MapCollection } from './records';
import { permissionPolicy } from './policy';
import type { DocValidator, RolePolicy } from './types';

const strictContact = z.strictObject(contactSchema.shape);
const strictNote = z.strictObject(noteSchema.shape);
const strictService = z.strictObject(serviceSchema.shape);
const strictRequest = z.strictObject(serviceRequestSchema.shape);
const strictRequestNote = z.strictObject(requestNoteSchema.shape);
const strictJob = z.strictObject(jobSchema.shape);
const strictJobDay = z.strictObject(jobDaySchema.shape);
const strictBackupRequest = z.strictObject(backupRequestSchema.shape);

function previousField(previous: unknown, field: string): unknown {
	return typeof previous === 'object' && previous !== null ? (previous as Record<string, unknown>)[field] : undefined;
}

/**
 * A record kept as a Y.Map of fields (its id is the map key, never a field); `fixed` fields never change once the record
 * was valid: only that field is put back.
 */
function fieldsRecord(
	root: string,
	itemType: string,
	idSchema: z.ZodType<string>,
	schema: z.ZodType<unknown>,
	fixed: readonly string[] = []
): MapCollection {
	return {
		shape: 'map',
		root,
		itemType,
		record: 'fields',
		check(id, json, { previous }) {
			if (!idSchema.safeParse(id).success) return [{ code: 'invalidId' }];
			const fields = json as Record<string, unknown>;
			if (Object.hasOwn(fields, 'id')) return [{ code: 'unknownField', field: 'id' }];
			const parsed = schema.safeParse({ ...fields, id });
			if (!parsed.success) return zodIssues(parsed.error);
			const changed: Issue[] = [];
			for (const field of fixed) {
				const before = previousField(previous, field);
				if (before !== undefined && before !== fields[field]) changed.push({ code: 'fixedField', field });
			}
			return changed;
		}
	};
}

/** A record written whole by the server; `key` says which of its fields its map key is. */
function valueRecord<T>(
	root: string,
	itemType: string,
	schema: z.ZodType<T>,
	key: (record: T) => string
): MapCollection {
	return {
		shape: 'map',
		root,
		itemType,
		record: 'value',
		check(id, value) {
			const parsed = schema.safeParse(value);
			if (!parsed.success) return zodIssues(parsed.error);
			return key(parsed.data) === id ? [] : [{ code: 'invalidId' }];
		}
	};
}

function idOf(value: unknown): string | null {
	const id = typeof value === 'object' && value !== null && 'id' in value ? value.id : null;
	return entityIdSchema.safeParse(id).success ? (id as string) : null;
}

/** The collections of one customer document (request notes look up their request in it). */
export function customerCollections(doc: Y.Doc): readonly Collection[] {
	return [
		fieldsRecord(CUSTOMER_ROOTS.contacts, 'contact', entityIdSchema, strictContact),
		{
			shape: 'array',
			root: CUSTOMER_ROOTS.notes,
			itemType: 'note',
			check(value) {
				const parsed = strictNote.safeParse(value);
				return parsed.success ? [] : zodIssues(parsed.error);
			},
			idOf
		},
		// A service's kind is what it is: pausing or resuming is a status change, another kind is another service.
		fieldsRecord(CUSTOMER_ROOTS.services, 'service', entityIdSchema, strictService, ['kind']),
		// S81: when and by whom a request was submitted never changes (P5 filters by submission time).
		fieldsRecord(CUSTOMER_ROOTS.serviceRequests, 'serviceRequest', externalIdSchema, strictRequest, [
			'submittedAt',
			'source'
		]),
		{
			shape: 'array',
			root: CUSTOMER_ROOTS.requestNotes,
			itemType: 'requestNote',
			check(value) {
				const parsed = strictRequestNote.safeParse(value);
				if (!parsed.success) return zodIssues(parsed.error);
				// S81: a note names a request of this document (a request deleted later keeps its notes as history).
				const request = doc.getMap<unknown>(CUSTOMER_ROOTS.serviceRequests).get(parsed.data.requestId);
				return request instanceof Y.Map ? [] : [{ code: 'unknownRequest' }];
			},
			idOf
		},
		valueRecord(CUSTOMER_ROOTS.jobs, 'job', strictJob, (job) => job.jobId),
		valueRecord(CUSTOMER_ROOTS.jobDays, 'jobDay', strictJobDay, (day) => day.day),
		valueRecord(CUSTOMER_ROOTS.backupRequests, 'backupRequest', strictBackupRequest, (request) => request.id)
	];
}

export function customerValidator(policy: RolePolicy = permissionPolicy): DocValidator {
	return { kind: 'customer', open: (doc) => new CollectionsValidation(doc, customerCollections(doc), policy) };
}
