// P4, P5, F2 in the customer document: services, jobs (read only), service requests and their notes.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DomainError } from '../domain/errors';
import { CustomerRepository } from './customer-repository';
import { CUSTOMER_ROOTS } from './customer-doc';
import type { ChangeSources } from './concurrent-edits';
import type { Job } from '../schema/customer';

function ids(prefix = 'n') {
	let n = 0;
	return () => `${prefix}${++n}`;
}

function clock(start = '2026-11-22T10:00:00.000Z') {
	let at = Date.parse(start);
	return () => new Date((at += 60_000));
}

function repo(doc = new Y.Doc(), options: { readOnly?: boolean; prefix?: string } = {}) {
	return new CustomerRepository(doc, { newId: ids(options.prefix), now: clock(), readOnly: options.readOnly ?? false });
}

function code(write: () => unknown): string | null {
	try {
		write();
		return null;
	} catch (error) {
		return error instanceof DomainError ? error.code : 'other';
	}
}

/** Exchanges everything between two documents, both ways, with `origin` on both sides. */
function sync(a: Y.Doc, b: Y.Doc, origin: unknown = null): void {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), origin);
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), origin);
}

const job = (jobId: string, endedAt: string, status: Job['status'] = 'failed'): Job => ({
	jobId,
	service: 'Exchange backup',
	module: 'Mailboxes',
	status,
	startedAt: new Date(Date.parse(endedAt) - 600_000).toISOString(),
	endedAt
});

describe('CustomerRepository: services', () => {
	it('P7: adds one service per kind, pauses, resumes and removes it', () => {
		const customer = repo();
		const id = customer.addService('exchangeBackup');
		customer.addService('endpointProtection');
		expect(customer.services().map((s) => [s.kind, s.status])).toEqual([
			['exchangeBackup', 'active'],
			['endpointProtection', 'active']
		]);
		expect(code(() => customer.addService('exchangeBackup'))).toBe('customer.serviceExists');
		customer.setServiceStatus(id, 'paused');
		expect(customer.services()[0]).toMatchObject({ id, status: 'paused' });
		customer.setServiceStatus(id, 'active');
		customer.removeService(id);
		expect(customer.services().map((s) => s.kind)).toEqual(['endpointProtection']);
		expect(code(() => customer.setServiceStatus(id, 'paused'))).toBe('customer.recordNotFound');
	});

	it('refuses an unknown kind and changes nothing', () => {
		const doc = new Y.Doc();
		const customer = repo(doc);
		expect(code(() => customer.addService('faxBackup' as never))).toBe('customer.invalidInput');
		expect(doc.getMap(CUSTOMER_ROOTS.services).size).toBe(0);
	});
});

describe('CustomerRepository: jobs and backup requests (server-written)', () => {
	it('P4: lists the jobs of the window newest end first and skips invalid or misfiled records', () => {
		const doc = new Y.Doc();
		const jobs = doc.getMap(CUSTOMER_ROOTS.jobs);
		jobs.set('j1', job('j1', '2026-11-20T10:00:00.000Z'));
		jobs.set('j2', job('j2', '2026-11-21T10:00:00.000Z', 'succeeded'));
		jobs.set('j3', { ...job('j3', '2026-11-21T11:00:00.000Z'), status: 'exploded' });
		jobs.set('other', job('j4', '2026-11-21T12:00:00.000Z'));
		doc.getMap(CUSTOMER_ROOTS.jobDays).set('2026-08-01', {
			day: '2026-08-01',
			succeeded: 40,
			failed: 2,
			warning: 1,
			bytes: 1000
		});
		const customer = repo(doc);
		expect(customer.jobs().map((j) => j.jobId)).toEqual(['j2', 'j1']);
		expect(customer.jobDays()).toEqual([{ day: '2026-08-01', succeeded: 40, failed: 2, warning: 1, bytes: 1000 }]);
	});

	it('P7: lists backup requests with their status, newest first', () => {
		const doc = new Y.Doc();
		const requests = doc.getMap(CUSTOMER_ROOTS.backupRequests);
		const base = { serviceId: null, requestedBy: 'ana@example.com', updatedAt: '2026-11-22T10:05:00.000Z' };
		requests.set('b1', { ...base, id: 'b1', requestedAt: '2026-11-21T10:00:00.000Z', status: 'succeeded' });
		requests.set('b2', { ...base, id: 'b2', requestedAt: '2026-11-22T10:00:00.000Z', status: 'running' });
		expect(
			repo(doc)
				.backupRequests()
				.map((b) => [b.id, b.status])
		).toEqual([
			['b2', 'running'],
			['b1', 'succeeded']
		]);
	});
});

describe('CustomerRepository: service requests', () => {
	it('P5: a request made in the portal is open, submitted now, its source the person; subject and details can be edited', () => {
		const customer = repo();
		const id = customer.createServiceRequest({ subject: ' Restore mailbox ', details: 'Ana lost her inbox' }, 'tech@msp.example');
		expect(customer.serviceRequest(id)).toEqual({
			id,
			subject: 'Restore mailbox',
			details: 'Ana lost her inbox',
			status: 'open',
			submittedAt: '2026-11-22T10:01:00.000Z',
			source: 'tech@msp.example'
		});
		customer.setRequestStatus(id, 'inProgress');
		customer.updateServiceRequest(id, { subject: 'Restore mailbox of Ana', details: 'Ana lost her inbox' });
		expect(customer.serviceRequest(id)).toMatchObject({ subject: 'Restore mailbox of Ana', status: 'inProgress' });
		expect(customer.serviceRequests().map((r) => r.id)).toEqual([id]);
	});

	it('P5: a request without a subject, a bad status or a note on a missing request is refused and changes nothing', () => {
		const doc = new Y.Doc();
		const customer = repo(doc);
		expect(code(() => customer.createServiceRequest({ subject: '  ', details: '' }, 'a@b.example'))).toBe(
			'customer.invalidInput'
		);
		const id = customer.createServiceRequest({ subject: 'VPN down', details: '' }, 'a@b.example');
		const before = JSON.stringify(doc.toJSON());
		expect(code(() => customer.setRequestStatus(id, 'done' as never))).toBe('customer.invalidInput');
		expect(code(() => customer.addRequestNote('nope', 'hello', 'a@b.example'))).toBe('customer.recordNotFound');
		expect(code(() => customer.addRequestNote(id, '   ', 'a@b.example'))).toBe('customer.invalidInput');
		expect(JSON.stringify(doc.toJSON())).toBe(before);
	});

	it('P5: notes belong to their request and read oldest first', () => {
		const customer = repo();
		const a = customer.createServiceRequest({ subject: 'A', details: '' }, 'x@y.example');
		const b = customer.createServiceRequest({ subject: 'B', details: '' }, 'x@y.example');
		customer.addRequestNote(a, 'first', 'x@y.example');
		customer.addRequestNote(b, 'other', 'x@y.example');
		customer.addRequestNote(a, 'second', 'x@y.example');
		expect(customer.requestNotes(a).map((n) => n.text)).toEqual(['first', 'second']);
		expect(customer.requestNotes(b).map((n) => n.text)).toEqual(['other']);
		expect(customer.serviceRequests().map((r) => r.subject)).toEqual(['B', 'A']);
	});

	it('F2: a status change on one device and a note and a details edit on another all survive the merge', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const onA = repo(a, { prefix: 'a' });
		const onB = repo(b, { prefix: 'b' });
		const id = onA.createServiceRequest({ subject: 'Printer', details: 'Jams' }, 'a@msp.example');
		sync(a, b);
		onA.setRequestStatus(id, 'waiting');
		onA.addRequestNote(id, 'Asked for the model', 'a@msp.example');
		onB.updateServiceRequest(id, { subject: 'Printer', details: 'Jams on tray 2' });
		onB.addRequestNote(id, 'Tray 2 only', 'b@msp.example');
		sync(a, b);
		for (const side of [onA, onB]) {
			expect(side.serviceRequest(id)).toMatchObject({ status: 'waiting', details: 'Jams on tray 2' });
			expect(side.requestNotes(id).map((n) => n.text).sort()).toEqual(['Asked for the model', 'Tray 2 only']);
		}
	});

	it('F2: two devices changing one status concurrently keep the same value and both notice', () => {
		const RELAY = { name: 'relay' };
		const sources = (): ChangeSources => ({ fromRelay: (origin) => origin === RELAY, unconfirmedClients: () => [] });
		const a = new Y.Doc();
		const b = new Y.Doc();
		a.clientID = 1;
		b.clientID = 2;
		const onA = repo(a, { prefix: 'a' });
		const onB = repo(b, { prefix: 'b' });
		const seen: Record<'a' | 'b', unknown[]> = { a: [], b: [] };
		onA.watchRequestConcurrentEdits(sources(), (edits) => seen.a.push(...edits));
		onB.watchRequestConcurrentEdits(sources(), (edits) => seen.b.push(...edits));
		const id = onA.createServiceRequest({ subject: 'Printer', details: '' }, 'a@msp.example');
		sync(a, b, RELAY);
		onA.setRequestStatus(id, 'closed');
		onB.setRequestStatus(id, 'inProgress');
		sync(a, b, RELAY);
		const kept = onA.serviceRequest(id)?.status;
		expect(onB.serviceRequest(id)?.status).toBe(kept);
		expect(seen.a).toHaveLength(1);
		expect(seen.b).toHaveLength(1);
		expect(seen.a[0]).toMatchObject({ recordId: id, field: 'status', kept });
		expect(seen.b[0]).toMatchObject({ recordId: id, field: 'status', kept });
		expect([seen.a[0], seen.b[0]].map((edit) => (edit as { keptOurs: boolean }).keptOurs).sort()).toEqual([false, true]);
	});

	it('S8: a read-only replica refuses every write of services and requests before touching the document', () => {
		const doc = new Y.Doc();
		const writer = repo(doc);
		const service = writer.addService('teamsBackup');
		const request = writer.createServiceRequest({ subject: 'X', details: '' }, 'w@msp.example');
		const reader = repo(doc, { readOnly: true });
		const before = Y.encodeStateVector(doc);
		expect(reader.readOnly).toBe(true);
		for (const write of [
			() => reader.addService('exchangeBackup'),
			() => reader.setServiceStatus(service, 'paused'),
			() => reader.removeService(service),
			() => reader.createServiceRequest({ subject: 'Y', details: '' }, 'r@msp.example'),
			() => reader.setRequestStatus(request, 'closed'),
			() => reader.updateServiceRequest(request, { subject: 'Z', details: '' }),
			() => reader.addRequestNote(request, 'hi', 'r@msp.example')
		])
			expect(code(write)).toBe('access.readOnly');
		expect(Y.encodeStateVector(doc)).toEqual(before);
	});

	it('observe hears services, requests, notes and server-written jobs', () => {
		const doc = new Y.Doc();
		const customer = repo(doc);
		let calls = 0;
		const off = customer.observe(() => calls++);
		const id = customer.createServiceRequest({ subject: 'A', details: '' }, 'x@y.example');
		customer.addRequestNote(id, 'n', 'x@y.example');
		customer.addService('oneDriveBackup');
		doc.getMap(CUSTOMER_ROOTS.jobs).set('j1', job('j1', '2026-11-20T10:00:00.000Z'));
		doc.getMap(CUSTOMER_ROOTS.backupRequests).set('b', {});
		doc.getMap(CUSTOMER_ROOTS.jobDays).set('2026-08-01', {});
		expect(calls).toBe(6);
		off();
		customer.addService('teamsBackup');
		expect(calls).toBe(6);
	});
});
