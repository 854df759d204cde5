// S21, S22, S81: the customer validator on services, service requests, request notes and the server-only records.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CustomerRepository } from '../../../src/lib/data/customer-repository';
import { CUSTOMER_ROOTS } from '../../../src/lib/data/customer-doc';
import { permissionsOf } from '../../../src/lib/domain/access';
import { customerValidator } from './customer';
import type { Writer } from './types';

const CLIENT = Symbol('client');

function writer(role: 'superAdmin' | 'helpDesk' | 'readOnly'): Writer {
	return { userId: 'u1', tenantId: 't1', role, permissions: [...permissionsOf(role)] };
}
const OWNER = writer('superAdmin');
const HELP_DESK = writer('helpDesk');

/** Applies what `edit` does on a copy of `doc` to `doc` as a client's update would arrive. */
function asClient(doc: Y.Doc, edit: (copy: Y.Doc) => void): void {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	const before = Y.encodeStateVector(copy);
	edit(copy);
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(copy, before), CLIENT);
}

function repoOn(doc: Y.Doc): CustomerRepository {
	let n = 0;
	return new CustomerRepository(doc, { newId: () => `id-${doc.clientID}-${++n}` });
}

const JOB = {
	jobId: 'exch-2026-11-22-0001',
	service: 'Exchange backup',
	module: 'Mailboxes',
	status: 'failed',
	startedAt: '2026-11-22T01:00:00.000Z',
	endedAt: '2026-11-22T01:30:00.000Z'
} as const;

/** A customer document with one service and one request, as the server loaded it (trusted). */
function seeded() {
	const doc = new Y.Doc();
	const validation = customerValidator().open(doc);
	const repo = repoOn(doc);
	const service = repo.addService('exchangeBackup');
	const request = repo.createServiceRequest({ subject: 'Restore', details: 'Mailbox of Ana' }, 'tech@msp.example');
	doc.getMap(CUSTOMER_ROOTS.jobs).set(JOB.jobId, JOB);
	validation.accept();
	return { doc, validation, service, request };
}

const requestField = (doc: Y.Doc, id: string, field: string) =>
	(doc.getMap(CUSTOMER_ROOTS.serviceRequests).get(id) as Y.Map<unknown>).get(field);

describe('customer validator: services and service requests', () => {
	it('S21: valid services, requests and notes written by a Help Desk person are kept', () => {
		const { doc, validation, request } = seeded();
		asClient(doc, (copy) => {
			const repo = repoOn(copy);
			repo.setRequestStatus(request, 'inProgress');
			repo.addRequestNote(request, 'Started the restore', 'help@msp.example');
			repo.addService('teamsBackup');
		});
		expect(validation.review(HELP_DESK).rejected).toEqual([]);
		expect(new CustomerRepository(doc).serviceRequest(request)?.status).toBe('inProgress');
		expect(new CustomerRepository(doc).requestNotes(request)).toHaveLength(1);
		expect(new CustomerRepository(doc).services()).toHaveLength(2);
	});

	it('S22: an unknown status is put back and an unknown field removed, a valid edit beside them stays', () => {
		const { doc, validation, request } = seeded();
		asClient(doc, (copy) => {
			const record = copy.getMap(CUSTOMER_ROOTS.serviceRequests).get(request) as Y.Map<unknown>;
			record.set('status', 'done');
			record.set('priority', 'high');
			record.set('details', 'Mailbox of Ana, since Monday');
		});
		const codes = validation.review(OWNER).rejected;
		expect(codes).toEqual([{ itemType: 'serviceRequest', id: request, code: 'invalidRecord' }]);
		expect(requestField(doc, request, 'status')).toBe('open');
		expect(requestField(doc, request, 'priority')).toBeUndefined();
		expect(requestField(doc, request, 'details')).toBe('Mailbox of Ana, since Monday');
	});

	it('S81: when and by whom a request was submitted, and a service kind, never change', () => {
		const { doc, validation, request, service } = seeded();
		asClient(doc, (copy) => {
			const record = copy.getMap(CUSTOMER_ROOTS.serviceRequests).get(request) as Y.Map<unknown>;
			record.set('submittedAt', '2020-01-01T00:00:00.000Z');
			record.set('source', 'someone@else.example');
			(copy.getMap(CUSTOMER_ROOTS.services).get(service) as Y.Map<unknown>).set('kind', 'teamsBackup');
		});
		expect(
			validation
				.review(OWNER)
				.rejected.map((item) => `${item.itemType}:${item.code}`)
				.sort()
		).toEqual(['service:fixedField', 'serviceRequest:fixedField']);
		expect(requestField(doc, request, 'submittedAt')).toBe(
			new CustomerRepository(doc).serviceRequest(request)?.submittedAt
		);
		expect(requestField(doc, request, 'source')).toBe('tech@msp.example');
		expect(new CustomerRepository(doc).services()[0]?.kind).toBe('exchangeBackup');
	});

	it('S21: a request key that is not a sender id (spaces) is refused; a request without a subject is deleted', () => {
		const { doc, validation } = seeded();
		asClient(doc, (copy) => {
			const bad = new Y.Map<unknown>();
			copy.getMap(CUSTOMER_ROOTS.serviceRequests).set('has space', bad);
			bad.set('subject', 'x');
			bad.set('details', '');
			bad.set('status', 'open');
			bad.set('submittedAt', '2026-11-22T10:00:00.000Z');
			const empty = new Y.Map<unknown>();
			copy.getMap(CUSTOMER_ROOTS.serviceRequests).set('REQ-1', empty);
			empty.set('subject', '');
		});
		expect(
			validation
				.review(OWNER)
				.rejected.map((item) => item.code)
				.sort()
		).toEqual(['invalidId', 'invalidRecord']);
		expect(doc.getMap(CUSTOMER_ROOTS.serviceRequests).has('has space')).toBe(false);
		expect(doc.getMap(CUSTOMER_ROOTS.serviceRequests).has('REQ-1')).toBe(false);
	});

	it('S81: a request note naming no request of the document is deleted, exactly that one', () => {
		const { doc, validation, request } = seeded();
		const note = (id: string, requestId: string) => ({
			id,
			requestId,
			text: 'Called the customer',
			author: 'tech@msp.example',
			at: '2026-11-22T10:00:00.000Z'
		});
		asClient(doc, (copy) =>
			copy.getArray(CUSTOMER_ROOTS.requestNotes).push([note('ok', request), note('orphan', 'REQ-404')])
		);
		expect(validation.review(OWNER).rejected).toEqual([
			{ itemType: 'requestNote', id: 'orphan', code: 'unknownRequest' }
		]);
		expect(
			doc
				.getArray(CUSTOMER_ROOTS.requestNotes)
				.toJSON()
				.map((n: { id: string }) => n.id)
		).toEqual(['ok']);
	});

	it('P16: a Help Desk person may work requests; a person without serviceRequests.edit may not', () => {
		const { doc, validation, request } = seeded();
		const custom: Writer = { userId: 'u2', tenantId: 't1', role: 'custom:x', permissions: ['customers.edit'] };
		asClient(doc, (copy) => repoOn(copy).setRequestStatus(request, 'closed'));
		expect(validation.review(custom).rejected).toEqual([
			{ itemType: 'serviceRequest', id: request, code: 'notPermitted' }
		]);
		expect(requestField(doc, request, 'status')).toBe('open');
	});
});

describe('customer validator: records only the server writes', () => {
	it('S21: a client may not write jobs, job days or backup requests, not even an owner with valid values', () => {
		const { doc, validation } = seeded();
		asClient(doc, (copy) => {
			copy.getMap(CUSTOMER_ROOTS.jobs).set('fake', { ...JOB, jobId: 'fake', status: 'succeeded' });
			copy.getMap(CUSTOMER_ROOTS.jobs).delete(JOB.jobId);
			copy.getMap(CUSTOMER_ROOTS.jobDays).set('2026-08-01', {
				day: '2026-08-01',
				succeeded: 1,
				failed: 0,
				warning: 0,
				bytes: 0
			});
			copy.getMap(CUSTOMER_ROOTS.backupRequests).set('b1', {
				id: 'b1',
				serviceId: null,
				requestedAt: '2026-11-22T10:00:00.000Z',
				requestedBy: 'x@y.example',
				status: 'succeeded',
				updatedAt: '2026-11-22T10:00:00.000Z'
			});
		});
		expect(
			validation
				.review(OWNER)
				.rejected.map((item) => `${item.itemType}:${item.code}`)
				.sort()
		).toEqual(['backupRequest:notPermitted', 'job:notPermitted', 'job:notPermitted', 'jobDay:notPermitted']);
		expect([...doc.getMap(CUSTOMER_ROOTS.jobs).keys()]).toEqual([JOB.jobId]);
		expect(doc.getMap(CUSTOMER_ROOTS.jobDays).size).toBe(0);
		expect(doc.getMap(CUSTOMER_ROOTS.backupRequests).size).toBe(0);
	});

	it("S21: the server's own writes of jobs load as valid; a job filed under another key is invalid at load", () => {
		const doc = new Y.Doc();
		doc.getMap(CUSTOMER_ROOTS.jobs).set(JOB.jobId, JOB);
		doc.getMap(CUSTOMER_ROOTS.jobs).set('elsewhere', JOB);
		doc
			.getMap(CUSTOMER_ROOTS.jobDays)
			.set('2026-08-01', { day: '2026-08-01', succeeded: 3, failed: 1, warning: 0, bytes: 9 });
		const validation = customerValidator().open(doc);
		expect(validation.invalidAtLoad).toEqual([{ itemType: 'job', id: 'elsewhere', code: 'invalidId' }]);
	});
});
