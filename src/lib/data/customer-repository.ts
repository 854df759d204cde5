// Typed access to one customer's document `customer:<id>`: its contacts and notes.
import * as Y from 'yjs';
import { contactInputSchema, contactSchema, noteSchema, type Contact, type ContactInput, type Note } from '../schema';
import { DomainError } from '../domain/errors';
import {
	parseFieldEdits,
	watchConcurrentEdits,
	watchDeletedRecordEdits,
	type ChangeSources,
	type FieldConflict
} from './concurrent-edits';

const CONTACTS = 'contacts';
const NOTES = 'notes';

const CONTACT_FIELDS = contactSchema.omit({ id: true }).shape;
const parseContactEdits = (conflicts: readonly FieldConflict[]) => parseFieldEdits(CONTACT_FIELDS, conflicts);
/** F2 (S31): a contact field that this device and another one set concurrently, with both values. */
export type ContactFieldEdit = ReturnType<typeof parseContactEdits>[number];

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

	observe(listener: () => void): () => void {
		this.#contacts.observeDeep(listener);
		this.#notes.observeDeep(listener);
		return () => {
			this.#contacts.unobserveDeep(listener);
			this.#notes.unobserveDeep(listener);
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

	#assertWritable(): void {
		if (this.#readOnly()) throw new DomainError('access.readOnly', 'read-only access: the customer document cannot be changed');
	}

	#parseContact(input: ContactInput): ContactInput {
		const parsed = contactInputSchema.safeParse(input);
		if (!parsed.success) throw new DomainError('customer.invalidInput', parsed.error.issues[0]?.message ?? 'invalid contact');
		return parsed.data;
	}
}
