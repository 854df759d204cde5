// Typed access to one customer's document `customer:<id>`: its contacts and notes, services, jobs, service requests and
// their notes, and backup requests.
import * as Y from 'yjs';
import type { z } from 'zod';
import { contactInputSchema, contactSchema, noteSchema, type Contact, type ContactInput, type Note } from '../schema';
import {
	backupRequestSchema,
	jobDaySchema,
	jobSchema,
	requestNoteSchema,
	serviceKindSchema,
	serviceRequestInputSchema,
	serviceRequestSchema,
	serviceSchema,
	type BackupRequest,
	type Job,
	type JobDay,
	type RequestNote,
	type RequestStatus,
	type Service,
	type ServiceKind,
	type ServiceRequest,
	type ServiceRequestInput
} from '../schema/customer';
import { DomainError } from '../domain/errors';
import {
	parseFieldEdits,
	watchConcurrentEdits,
	watchDeletedRecordEdits,
	type ChangeSources,
	type FieldConflict
} from './concurrent-edits';
import { CUSTOMER_ROOTS } from './customer-doc';

const CONTACTS = CUSTOMER_ROOTS.contacts;
const NOTES = CUSTOMER_ROOTS.notes;
/** The root maps `observe` listens to (the two lists beside them are the notes). */
const ROOT_MAPS = [
	CUSTOMER_ROOTS.contacts,
	CUSTOMER_ROOTS.services,
	CUSTOMER_ROOTS.serviceRequests,
	CUSTOMER_ROOTS.jobs,
	CUSTOMER_ROOTS.jobDays,
	CUSTOMER_ROOTS.backupRequests
] as const;

const CONTACT_FIELDS = contactSchema.omit({ id: true }).shape;
const parseContactEdits = (conflicts: readonly FieldConflict[]) => parseFieldEdits(CONTACT_FIELDS, conflicts);
/** F2 (S31): a contact field that this device and another one set concurrently, with both values. */
export type ContactFieldEdit = ReturnType<typeof parseContactEdits>[number];

const REQUEST_FIELDS = serviceRequestSchema.omit({ id: true }).shape;
const parseRequestEdits = (conflicts: readonly FieldConflict[]) => parseFieldEdits(REQUEST_FIELDS, conflicts);
/** F2 (S82): a service request field (its status, subject, details) that this device and another one set concurrently. */
export type RequestFieldEdit = ReturnType<typeof parseRequestEdits>[number];


export interface CustomerRepositoryOptions {
	newId?: () => string;
	now?: () => Date;
	/**
	 * A read-only user's replica: every write throws `access.readOnly` before touching the document (the relay refuses it
	 * anyway). A function is asked at each write (C7: a customer unlinked while its page is open becomes read-only).
	 */
	readOnly?: boolean | (() => boolean);
}

export class CustomerRepository {
	readonly #doc: Y.Doc;
	readonly #newId: () => string;
	readonly #now: () => Date;
	readonly #readOnly: () => boolean;

	constructor(doc: Y.Doc, options: CustomerRepositoryOptions = {}) {
		this.#doc = doc;
		const readOnly = options.readOnly ?? false;
		this.#readOnly = typeof readOnly === 'function' ? readOnly : () => readOnly;
		this.#newId = options.newId ?? (() => crypto.randomUUID());
		this.#now = options.now ?? (() => new Date());
	}

	get #contacts(): Y.Map<Y.Map<unknown>> {
		return this.#doc.getMap(CONTACTS);
	}

	get #notes(): Y.Array<unknown> {
		return this.#doc.getArray(NOTES);
	}

	get #services(): Y.Map<Y.Map<unknown>> {
		return this.#doc.getMap(CUSTOMER_ROOTS.services);
	}

	get #requests(): Y.Map<Y.Map<unknown>> {
		return this.#doc.getMap(CUSTOMER_ROOTS.serviceRequests);
	}

	get #requestNotes(): Y.Array<unknown> {
		return this.#doc.getArray(CUSTOMER_ROOTS.requestNotes);
	}

	/** True when every write throws (a read-only person's replica): screens show no write controls then. */
	get readOnly(): boolean {
		return this.#readOnly();
	}

	observe(listener: () => void): () => void {
		const doc = this.#doc;
		const types = [
			...Object.values(ROOT_MAPS).map((name) => doc.getMap<unknown>(name)),
			doc.getArray<unknown>(NOTES),
			doc.getArray<unknown>(CUSTOMER_ROOTS.requestNotes)
		];
		for (const type of types) type.observeDeep(listener);
		return () => {
			for (const type of types) type.unobserveDeep(listener);
		};
	}

	/**
	 * F2 (S31): calls `listener` when a change from the relay and an edit made on this device set the same contact field
	 * concurrently. Notes are only ever added whole, so they cannot collide.
	 */
	watchConcurrentEdits(sources: ChangeSources, listener: (edits: ContactFieldEdit[]) => void): () => void {
		return watchConcurrentEdits(this.#doc, this.#contacts, sources, (conflicts) => {
			const edits = parseContactEdits(conflicts);
			if (edits.length > 0) listener(edits);
		});
	}

	/**
	 * F2 (S82): calls `listener` when a change from the relay and an edit made on this device set the same service request
	 * field concurrently (two status changes, typically). Request notes are a list and never collide.
	 */
	watchRequestConcurrentEdits(sources: ChangeSources, listener: (edits: RequestFieldEdit[]) => void): () => void {
		return watchConcurrentEdits(this.#doc, this.#requests, sources, (conflicts) => {
			const edits = parseRequestEdits(conflicts);
			if (edits.length > 0) listener(edits);
		});
	}

	/** F2: calls `listener` when a change from the relay deleted contacts that held an edit of this device not confirmed yet. */
	watchDeletedEdits(
		sources: ChangeSources,
		listener: (contacts: { readonly id: string; readonly name: string | null }[]) => void
	): () => void {
		return watchDeletedRecordEdits(this.#doc, this.#contacts, sources, (records) =>
			listener(
				records.map(({ recordId, fields }) => {
					const name = contactSchema.shape.name.safeParse(fields.name);
					return { id: recordId, name: name.success ? name.data : null };
				})
			)
		);
	}

	/** The contact's name, or null when it is gone or invalid. */
	contactName(id: string): string | null {
		const record = this.#contacts.get(id);
		if (!(record instanceof Y.Map)) return null;
		const name = contactSchema.shape.name.safeParse(record.get('name'));
		return name.success ? name.data : null;
	}

	contacts(): Contact[] {
		const out: Contact[] = [];
		for (const [id, record] of this.#contacts) {
			if (!(record instanceof Y.Map)) continue;
			const parsed = contactSchema.safeParse({ id, ...record.toJSON() });
			if (parsed.success) out.push(parsed.data);
		}
		return out.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
	}

	/** Each field is its own map entry, so two people editing different fields of one contact both keep their edit (F2). */
	addContact(input: ContactInput): string {
		this.#assertWritable();
		const data = this.#parseContact(input);
		const id = this.#newId();
		const record = new Y.Map<unknown>();
		this.#doc.transact(() => {
			this.#contacts.set(id, record);
			for (const [key, value] of Object.entries(data)) record.set(key, value);
		});
		return id;
	}

	updateContact(id: string, input: ContactInput): void {
		this.#assertWritable();
		const data = this.#parseContact(input);
		const record = this.#contacts.get(id);
		if (!(record instanceof Y.Map)) throw new DomainError('customer.contactNotFound', `no contact ${id}`, { id });
		this.#doc.transact(() => {
			for (const [key, value] of Object.entries(data)) if (record.get(key) !== value) record.set(key, value);
		});
	}

	removeContact(id: string): void {
		this.#assertWritable();
		this.#contacts.delete(id);
	}

	notes(): Note[] {
		const out: Note[] = [];
		for (const value of this.#notes) {
			const parsed = noteSchema.safeParse(value);
			if (parsed.success) out.push(parsed.data);
		}
		return out;
	}

	addNote(text: string, author: string): string {
		this.#assertWritable();
		const id = this.#newId();
		const parsed = noteSchema.safeParse({ id, text, author, at: this.#now().toISOString() });
		if (!parsed.success) throw new DomainError('customer.invalidInput', parsed.error.issues[0]?.message ?? 'invalid note');
		this.#notes.push([parsed.data]);
		return id;
	}

	// ---- Services (P1, P6, P7) ----

	/** The customer's services, in the order of SERVICE_KINDS. */
	services(): Service[] {
		const out: Service[] = [];
		for (const [id, record] of this.#services) {
			if (!(record instanceof Y.Map)) continue;
			const parsed = serviceSchema.safeParse({ ...record.toJSON(), id });
			if (parsed.success) out.push(parsed.data);
		}
		const order = serviceKindSchema.options;
		return out.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.addedAt.localeCompare(b.addedAt));
	}

	/** Adds a service of `kind`, active. One service per kind: a kind the customer already has is refused. */
	addService(kind: ServiceKind): string {
		this.#assertWritable();
		const parsedKind = serviceKindSchema.safeParse(kind);
		if (!parsedKind.success) throw new DomainError('customer.invalidInput', 'unknown service kind');
		if (this.services().some((service) => service.kind === parsedKind.data))
			throw new DomainError('customer.serviceExists', `the customer already has ${kind}`, { kind });
		const id = this.#newId();
		const record = new Y.Map<unknown>();
		this.#doc.transact(() => {
			this.#services.set(id, record);
			record.set('kind', parsedKind.data);
			record.set('status', 'active');
			record.set('addedAt', this.#now().toISOString());
		});
		return id;
	}

	setServiceStatus(id: string, status: Service['status']): void {
		this.#assertWritable();
		const parsed = serviceSchema.shape.status.safeParse(status);
		if (!parsed.success) throw new DomainError('customer.invalidInput', 'invalid service status');
		const record = this.#services.get(id);
		if (!(record instanceof Y.Map)) throw new DomainError('customer.recordNotFound', `no service ${id}`, { id });
		if (record.get('status') !== parsed.data) record.set('status', parsed.data);
	}

	removeService(id: string): void {
		this.#assertWritable();
		if (!this.#services.has(id)) throw new DomainError('customer.recordNotFound', `no service ${id}`, { id });
		this.#services.delete(id);
	}

	// ---- Jobs (P4): written by the server from integrations; read here ----

	/** The jobs of the rolling window, newest end first. */
	jobs(): Job[] {
		const out: Job[] = [];
		for (const [id, value] of this.#doc.getMap<unknown>(CUSTOMER_ROOTS.jobs)) {
			const parsed = jobSchema.safeParse(value);
			if (parsed.success && parsed.data.jobId === id) out.push(parsed.data);
		}
		return out.sort((a, b) => b.endedAt.localeCompare(a.endedAt) || a.jobId.localeCompare(b.jobId));
	}

	/** Jobs older than the window, counted per day, newest day first. */
	jobDays(): JobDay[] {
		const out: JobDay[] = [];
		for (const [day, value] of this.#doc.getMap<unknown>(CUSTOMER_ROOTS.jobDays)) {
			const parsed = jobDaySchema.safeParse(value);
			if (parsed.success && parsed.data.day === day) out.push(parsed.data);
		}
		return out.sort((a, b) => b.day.localeCompare(a.day));
	}

	/** P7 "start a backup": the requests and the status the backup integration reported, newest first. */
	backupRequests(): BackupRequest[] {
		const out: BackupRequest[] = [];
		for (const [id, value] of this.#doc.getMap<unknown>(CUSTOMER_ROOTS.backupRequests)) {
			const parsed = backupRequestSchema.safeParse(value);
			if (parsed.success && parsed.data.id === id) out.push(parsed.data);
		}
		return out.sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
	}

	// ---- Service requests (P5, F2) ----

	/** Every service request, newest submission first. */
	serviceRequests(): ServiceRequest[] {
		const out: ServiceRequest[] = [];
		for (const id of this.#requests.keys()) {
			const request = this.serviceRequest(id);
			if (request) out.push(request);
		}
		return out.sort((a, b) => b.submittedAt.localeCompare(a.submittedAt) || a.id.localeCompare(b.id));
	}

	serviceRequest(id: string): ServiceRequest | null {
		const record = this.#requests.get(id);
		if (!(record instanceof Y.Map)) return null;
		const parsed = serviceRequestSchema.safeParse({ ...record.toJSON(), id });
		return parsed.success ? parsed.data : null;
	}

	/** A request made in the portal: open, submitted now, its source the person's email. */
	createServiceRequest(input: ServiceRequestInput, source: string): string {
		this.#assertWritable();
		const data = parseInput(serviceRequestInputSchema, input, 'invalid service request');
		const id = this.#newId();
		const parsed = serviceRequestSchema.safeParse({
			id,
			...data,
			status: 'open',
			submittedAt: this.#now().toISOString(),
			source
		});
		if (!parsed.success) throw new DomainError('customer.invalidInput', parsed.error.issues[0]?.message ?? 'invalid request');
		const record = new Y.Map<unknown>();
		this.#doc.transact(() => {
			this.#requests.set(id, record);
			for (const [key, value] of Object.entries(parsed.data)) if (key !== 'id') record.set(key, value);
		});
		return id;
	}

	/** The status is one field: a concurrent change on another device resolves the same way everywhere and is shown (F2). */
	setRequestStatus(id: string, status: RequestStatus): void {
		this.#assertWritable();
		const parsed = serviceRequestSchema.shape.status.safeParse(status);
		if (!parsed.success) throw new DomainError('customer.invalidInput', 'invalid request status');
		const record = this.#requestRecord(id);
		if (record.get('status') !== parsed.data) record.set('status', parsed.data);
	}

	/** Writes only the fields that changed, so an unchanged one never competes with another device's edit of it. */
	updateServiceRequest(id: string, input: ServiceRequestInput): void {
		this.#assertWritable();
		const data = parseInput(serviceRequestInputSchema, input, 'invalid service request');
		const record = this.#requestRecord(id);
		this.#doc.transact(() => {
			for (const [key, value] of Object.entries(data)) if (record.get(key) !== value) record.set(key, value);
		});
	}

	/** The notes of one request, oldest first (notes from several devices all stay, S82). */
	requestNotes(requestId: string): RequestNote[] {
		const out: RequestNote[] = [];
		for (const value of this.#requestNotes) {
			const parsed = requestNoteSchema.safeParse(value);
			if (parsed.success && parsed.data.requestId === requestId) out.push(parsed.data);
		}
		return out.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
	}

	addRequestNote(requestId: string, text: string, author: string): string {
		this.#assertWritable();
		this.#requestRecord(requestId);
		const id = this.#newId();
		const note = parseInput(requestNoteSchema, { id, requestId, text, author, at: this.#now().toISOString() }, 'invalid note');
		this.#requestNotes.push([note]);
		return id;
	}

	#requestRecord(id: string): Y.Map<unknown> {
		const record = this.#requests.get(id);
		if (!(record instanceof Y.Map)) throw new DomainError('customer.recordNotFound', `no service request ${id}`, { id });
		return record;
	}

	#assertWritable(): void {
		if (this.#readOnly()) throw new DomainError('access.readOnly', 'read-only access: the customer document cannot be changed');
	}

	#parseContact(input: ContactInput): ContactInput {
		const parsed = contactInputSchema.safeParse(input);
		if (!parsed.success) throw new DomainError('customer.invalidInput', parsed.error.issues[0]?.message ?? 'invalid contact');
		return parsed.data;
	}
}

function parseInput<T>(schema: z.ZodType<T>, input: unknown, fallback: string): T {
	const parsed = schema.safeParse(input);
	if (!parsed.success) throw new DomainError('customer.invalidInput', parsed.error.issues[0]?.message ?? fallback);
	return parsed.data;
}
