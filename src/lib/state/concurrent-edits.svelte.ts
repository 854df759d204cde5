// F2 (S31): the concurrent edits this device took part in, as sentences a person reads in the notice, until dismissed.
import { TenantRepository, type NodeFieldEdit } from '$lib/data/tenant-repository';
import { CustomerRepository, type ContactFieldEdit, type RequestFieldEdit } from '$lib/data/customer-repository';
import type { ReplicaSet } from '$lib/data/device/replica-set';
import type { Replica } from '$lib/data/sync/types';
import { parseDocName } from '$lib/schema/ids';
import type { AdminContact, Placement } from '$lib/schema/tree';
import { m } from '$lib/paraglide/messages.js';
import { billingLabel, statusLabel } from './labels';
import { requestStatusLabel } from './work-labels';

/** One field two devices set at the same time, in words. */
export interface ConcurrentEditLine {
	/** Document, record and field: a later conflict of the same field replaces the line. */
	readonly key: string;
	readonly text: string;
	/** True when this device's value is the one kept. */
	readonly keptOurs: boolean;
}

/** Lines kept at most; the oldest go first. */
const MAX_LINES = 20;

export class ConcurrentEditsState {
	readonly #set: ReplicaSet;
	/** The tenant's tree, for the names of nodes and customers. */
	readonly #tenant: TenantRepository;
	#lines = $state<ConcurrentEditLine[]>([]);
	/** The replicas watched now, each with its unsubscribe. */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping of subscriptions; no screen reads it
	readonly #watching = new Map<Replica, () => void>();
	readonly #offSet: () => void;

	constructor(set: ReplicaSet, tenant: TenantRepository) {
		this.#set = set;
		this.#tenant = tenant;
		// The set tells when a document opens (and on every status change): every open replica is watched, also the ones
		// opened in the background or kept open for their unconfirmed changes (S27, S28). A replica opens before its local
		// copy loads and connects (S29), so nothing from the relay comes before its watch.
		this.#offSet = set.onStatus(() => this.#watchOpenReplicas());
		this.#watchOpenReplicas();
	}

	/** Newest first. */
	get lines(): readonly ConcurrentEditLine[] {
		return this.#lines;
	}

	dismiss(): void {
		this.#lines = [];
	}

	destroy(): void {
		this.#offSet();
		for (const off of this.#watching.values()) off();
		this.#watching.clear();
	}

	#watchOpenReplicas(): void {
		const open = this.#set.openReplicas();
		for (const [replica, off] of this.#watching) {
			if (open.includes(replica)) continue;
			off();
			this.#watching.delete(replica);
		}
		for (const replica of open) if (!this.#watching.has(replica)) this.#watching.set(replica, this.#watch(replica));
	}

	#watch(replica: Replica): () => void {
		const doc = parseDocName(replica.docName);
		if (doc === null) return () => undefined;
		if (doc.kind === 'tenant') {
			const tenant = new TenantRepository(replica.doc, { readOnly: true });
			const offEdits = tenant.watchConcurrentEdits(replica.sources, (edits) =>
				this.#add(edits.map((edit) => this.#nodeLine(replica, edit)))
			);
			// F2: an edit of a node another device deleted is lost; the notice says so.
			const offDeleted = tenant.watchDeletedEdits(replica.sources, (nodes) =>
				this.#add(
					nodes.map((node) =>
						deletedLine(`${replica.docName}/${node.id}`, m.concurrent_edit_deleted_node({ name: node.name ?? node.id }))
					)
				)
			);
			return () => {
				offEdits();
				offDeleted();
			};
		}
		const customer = new CustomerRepository(replica.doc, { readOnly: true });
		const offEdits = customer.watchConcurrentEdits(replica.sources, (edits) =>
			this.#add(edits.map((edit) => this.#contactLine(replica, doc.id, customer, edit)))
		);
		const offDeleted = customer.watchDeletedEdits(replica.sources, (contacts) =>
			this.#add(
				contacts.map((contact) =>
					deletedLine(
						`${replica.docName}/${contact.id}`,
						m.concurrent_edit_deleted_contact({
							name: contact.name ?? contact.id,
							customer: this.#tenant.node(doc.id)?.name ?? doc.id
						})
					)
				)
			)
		);
		const offRequests = this.#watchRequests(replica, doc.id, customer);
		return () => {
			offEdits();
			offDeleted();
			offRequests();
		};
	}

	// ---- Service requests (S82): a status (or subject, details) two devices set at the same time ----

	#watchRequests(replica: Replica, customerId: string, customer: CustomerRepository): () => void {
		return customer.watchRequestConcurrentEdits(replica.sources, (edits) =>
			this.#add(edits.map((edit) => this.#requestLine(replica, customerId, customer, edit)))
		);
	}

	#requestLine(
		replica: Replica,
		customerId: string,
		customer: CustomerRepository,
		edit: RequestFieldEdit
	): ConcurrentEditLine | null {
		const key = `${replica.docName}/request/${edit.recordId}/${edit.field}`;
		const what = (field: string) =>
			m.work_concurrent_edit_of_request({
				field,
				subject: customer.serviceRequest(edit.recordId)?.subject ?? edit.recordId,
				customer: this.#tenant.node(customerId)?.name ?? customerId
			});
		switch (edit.field) {
			case 'status':
				return line(key, what(m.field_status()), edit, requestStatusLabel);
			case 'subject':
				return line(key, what(m.work_request_subject()), edit, textValue);
			case 'details':
				return line(key, what(m.work_request_details()), edit, textValue);
			case 'submittedAt':
			case 'source':
				// Never changed by people (the relay puts them back, S81).
				return null;
		}
	}

	#add(lines: Array<ConcurrentEditLine | null>): void {
		const fresh = lines.filter((line): line is ConcurrentEditLine => line !== null);
		if (fresh.length === 0) return;
		const replaced = (line: ConcurrentEditLine): boolean => fresh.some((newer) => newer.key === line.key);
		this.#lines = [...fresh, ...this.#lines.filter((line) => !replaced(line))].slice(0, MAX_LINES);
	}

	#nodeLine(replica: Replica, edit: NodeFieldEdit): ConcurrentEditLine | null {
		// Written by the license sync (L7) or when the account was made (C2): nothing a person chose.
		if (edit.field === 'vendorRef' || edit.field === 'origin') return null;
		const key = `${replica.docName}/${edit.recordId}/${edit.field}`;
		const name = this.#tenant.node(edit.recordId)?.name ?? edit.recordId;
		const what = m.concurrent_edit_of_node({ field: nodeFieldLabel(edit.field), name });
		switch (edit.field) {
			case 'status':
				return line(key, what, edit, (status) => (status ? statusLabel(status) : textValue(status)));
			case 'billingType':
				return line(key, what, edit, billingLabel);
			case 'partnerAssistance':
				return line(key, what, edit, (on) => (on ? m.partner_assistance_on() : m.partner_assistance_off()));
			case 'placement':
				return line(key, what, edit, (placement) => this.#parentName(placement));
			case 'contact':
				return line(key, what, edit, contactValue);
			case 'earlyAccess':
				return line(key, what, edit, (on) => (on ? m.value_yes() : m.value_no()));
			case 'tags':
				return line(key, what, edit, (tags) => textValue(tags?.join(', ')));
			case 'groups':
				return line(key, what, edit, (groups) =>
					textValue(groups?.map((id) => this.#tenant.group(id)?.name ?? id).join(', '))
				);
			case 'name':
			case 'country':
			case 'address':
			case 'consoleUrl':
			case 'contactName':
			case 'contactEmail':
			case 'contactPhone':
				return line(key, what, edit, textValue);
		}
	}

	#parentName(placement: Placement): string {
		if (placement.parent === null) return m.kind_root();
		return this.#tenant.node(placement.parent)?.name ?? placement.parent;
	}

	#contactLine(
		replica: Replica,
		customerId: string,
		customer: CustomerRepository,
		edit: ContactFieldEdit
	): ConcurrentEditLine | null {
		const what = m.concurrent_edit_of_contact({
			field: contactFieldLabel(edit.field),
			name: customer.contactName(edit.recordId) ?? edit.recordId,
			customer: this.#tenant.node(customerId)?.name ?? customerId
		});
		return line(`${replica.docName}/${edit.recordId}/${edit.field}`, what, edit, textValue);
	}
}

/** F2: a record deleted elsewhere took this device's edit with it; the line replaces any earlier one of that record. */
function deletedLine(key: string, text: string): ConcurrentEditLine {
	return { key, text, keptOurs: false };
}

function line<Value>(
	key: string,
	what: string,
	edit: { readonly kept: Value; readonly notKept: { readonly value: Value } | null; readonly keptOurs: boolean },
	format: (value: Value) => string
): ConcurrentEditLine | null {
	const kept = format(edit.kept);
	const notKept = edit.notKept === null ? null : format(edit.notKept.value);
	// Values that read the same (two moves under one parent, one contact typed in another order) lost nothing.
	if (kept === notKept) return null;
	const outcome = !edit.keptOurs
		? m.concurrent_edit_kept_theirs({ kept, notKept: notKept ?? '' })
		: notKept === null
			? m.concurrent_edit_kept_yours_other_unknown({ kept })
			: m.concurrent_edit_kept_yours({ kept, notKept });
	return { key, text: m.concurrent_edit_line({ what, outcome }), keptOurs: edit.keptOurs };
}

function textValue(value: string | null | undefined): string {
	return typeof value === 'string' && value.trim() !== '' ? value : m.concurrent_edit_empty();
}

function contactValue(contact: AdminContact | null | undefined): string {
	const parts = contact ? [contact.name, contact.email, contact.phone].filter((part) => part.trim() !== '') : [];
	return parts.length > 0 ? parts.join(', ') : m.concurrent_edit_empty();
}

function nodeFieldLabel(field: Exclude<NodeFieldEdit['field'], 'vendorRef' | 'origin'>): string {
	switch (field) {
		case 'name':
			return m.field_name();
		case 'placement':
			return m.concurrent_edit_field_parent();
		case 'status':
			return m.field_status();
		case 'country':
			return m.field_country();
		case 'contact':
			return m.contact_popup_title();
		case 'contactName':
			return m.admin_contact_field_name();
		case 'contactEmail':
			return m.admin_contact_field_email();
		case 'contactPhone':
			return m.admin_contact_field_phone();
		case 'address':
			return m.field_address();
		case 'billingType':
			return m.field_billing_type();
		case 'consoleUrl':
			return m.field_console_url();
		case 'earlyAccess':
			return m.field_early_access();
		case 'tags':
			return m.field_tags();
		case 'groups':
			return m.field_groups();
		case 'partnerAssistance':
			return m.field_partner_assistance();
	}
}

function contactFieldLabel(field: ContactFieldEdit['field']): string {
	switch (field) {
		case 'name':
			return m.field_name();
		case 'role':
			return m.field_role();
		case 'email':
			return m.field_email();
		case 'phone':
			return m.field_phone();
	}
}
