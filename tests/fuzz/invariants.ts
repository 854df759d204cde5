// What every schedule must end with (S145-S149): identical replicas equal to the server's stored state, a tree without
// cycles that lost no node, every acknowledged update durable, and nothing of a valid edit undone.
import * as Y from 'yjs';
import { TenantRepository } from '../../src/lib/data/tenant-repository';
import { CustomerRepository } from '../../src/lib/data/customer-repository';
import type { Ledger } from './edits';

/** The roots that hold lists; every other root is a map. */
const ARRAY_ROOTS = new Set(['notes', 'requestNotes', 'jobs', 'jobDays', 'backupRequests']);

function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortKeys);
	if (value instanceof Uint8Array) return [...value];
	if (value !== null && typeof value === 'object')
		return Object.fromEntries(
			Object.entries(value as Record<string, unknown>)
				.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
				.map(([k, v]) => [k, sortKeys(v)])
		);
	return value;
}

/** A document's content as JSON with map keys sorted (Yjs keeps insertion order, which differs between replicas). */
export function canonical(doc: Y.Doc): string {
	const roots: Record<string, unknown> = {};
	for (const name of [...doc.share.keys()].sort()) {
		const type = ARRAY_ROOTS.has(name) ? doc.getArray(name) : doc.getMap(name);
		const json = type.toJSON();
		// A root that was only ever read (getMap without a write) is empty: left out, so readers and writers compare equal.
		if ((Array.isArray(json) && json.length === 0) || (!Array.isArray(json) && Object.keys(json).length === 0))
			continue;
		roots[name] = json;
	}
	return JSON.stringify(sortKeys(roots));
}

/** S147: the server's state covers every state vector the relay acknowledged (an ack means durable, S5). */
export function missingAcked(docName: string, acked: ReadonlyMap<number, number>, stored: Y.Doc): string[] {
	const problems: string[] = [];
	for (const [client, clock] of acked) {
		const have = Y.getState(stored.store, client);
		if (have < clock)
			problems.push(`${docName}: acknowledged client ${client} clock ${clock} but the server holds ${have}`);
	}
	return problems;
}

/** S146: no cycle, no invalid record, and exactly the nodes created (by the import or a peer) and not deleted by anyone. */
export function treeProblems(doc: Y.Doc, initial: ReadonlySet<string>, ledger: Ledger): string[] {
	const view = new TenantRepository(doc).view();
	const problems: string[] = [];
	if (view.invalid.length > 0) problems.push(`invalid tree records: ${view.invalid.join(', ')}`);
	for (const id of view.nodes.keys()) {
		const seen = new Set<string>();
		for (let at: string | null | undefined = id; at != null; at = view.parentOf.get(at)) {
			if (seen.has(at)) {
				problems.push(`cycle through ${at}`);
				break;
			}
			seen.add(at);
		}
	}
	const expected = new Set([...initial, ...ledger.nodesCreated].filter((id) => !ledger.nodesDeleted.has(id)));
	const lost = [...expected].filter((id) => !view.nodes.has(id));
	const extra = [...view.nodes.keys()].filter((id) => !expected.has(id));
	if (lost.length > 0) problems.push(`lost nodes: ${lost.join(', ')}`);
	if (extra.length > 0) problems.push(`nodes nobody created or that were deleted: ${extra.join(', ')}`);
	return problems;
}

/** S146 for customer documents: every note and request note added is there; every contact added and not removed is. */
export function customerProblems(docs: readonly Y.Doc[], ledger: Ledger): string[] {
	const notes = new Set<string>();
	const requestNotes = new Set<string>();
	const contacts = new Set<string>();
	for (const doc of docs) {
		const repo = new CustomerRepository(doc);
		for (const n of repo.notes()) notes.add(n.id);
		for (const c of repo.contacts()) contacts.add(c.id);
		for (const request of repo.serviceRequests()) for (const n of repo.requestNotes(request.id)) requestNotes.add(n.id);
	}
	const problems: string[] = [];
	const lostNotes = [...ledger.notes.keys()].filter((id) => !notes.has(id));
	const lostRequestNotes = [...ledger.requestNotes.keys()].filter((id) => !requestNotes.has(id));
	const lostContacts = [...ledger.contactsCreated.keys()].filter(
		(id) => !ledger.contactsDeleted.has(id) && !contacts.has(id)
	);
	if (lostNotes.length > 0) problems.push(`lost notes: ${lostNotes.join(', ')}`);
	if (lostRequestNotes.length > 0) problems.push(`lost request notes: ${lostRequestNotes.join(', ')}`);
	if (lostContacts.length > 0) problems.push(`lost contacts: ${lostContacts.join(', ')}`);
	return problems;
}
