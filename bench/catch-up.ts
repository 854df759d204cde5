// S126: the catch-up of thousands of customer documents in headless chromium, the batched path (HTTP batches into the
// one IndexedDB store) against the per-document path it replaced (a websocket and a y-indexeddb database per document,
// three at a time), on the same server in the same run: first on an empty device, then after "a week" in which every
// customer changed a few times. Each path runs in a blank same-origin page of its own browser context (its own
// IndexedDB), so the app's own catch-up does not run beside it.
import type { Browser, Page } from '@playwright/test';
import * as Y from 'yjs';
import { CustomerRepository } from '../src/lib/data/customer-repository';
import {
	BATCH_CONTENT_TYPE,
	BATCH_PATH,
	MAX_BATCH_DOCS,
	decodeBatchResponse,
	encodeBatchRequest,
	type BatchRequestEntry
} from '../src/lib/data/sync/batch';
import { customerDocName, type DocName } from '../src/lib/schema/ids';
import type { BenchResult } from './measure';
import type { CatchUpBench, CatchUpRun } from './support/catch-up-entry';
import { bundleEntry } from './support/bundle';

/** The per-document path takes about 12 ms a document here; bounded so a broken path fails instead of hanging. */
const RUN_TIMEOUT_MS = 10 * 60_000;
/** "A week": this many changes per customer, each its own commit on the server. */
const CHANGES_PER_DOC = 3;

export interface CatchUpTenant {
	readonly email: string;
	readonly password: string;
	readonly customerIds: readonly string[];
}

/** A customer document as the seeder writes it: two contacts and three notes (about 1 KB). */
export function seedCustomerDoc(index: number): Uint8Array {
	const doc = new Y.Doc();
	const repo = new CustomerRepository(doc);
	repo.addContact({
		name: `Contact ${index} A`,
		role: 'IT lead',
		email: `a${index}@customer.example`,
		phone: '+49 30 1234567'
	});
	repo.addContact({ name: `Contact ${index} B`, role: 'Billing', email: `b${index}@customer.example`, phone: '' });
	for (let note = 0; note < 3; note += 1)
		repo.addNote(`Visit ${note}: checked the backup appliance and the firewall rules`, 'tech@msp.example');
	const update = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return update;
}

function bundle(): Promise<string> {
	return bundleEntry('catch-up-entry.ts');
}

/** A blank page of the server's origin (so cookies, IndexedDB and the relay are the app's), signed in, with the bundle. */
async function benchPage(browser: Browser, url: string, script: string, tenant: CatchUpTenant): Promise<Page> {
	const context = await browser.newContext();
	const page = await context.newPage();
	page.setDefaultTimeout(RUN_TIMEOUT_MS);
	await page.route(`${url}/catch-up-bench`, (route) =>
		route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>catch-up bench</title>' })
	);
	await page.goto(`${url}/catch-up-bench`);
	await page.addScriptTag({ content: script });
	const status = await page.evaluate(
		({ email, password }) =>
			(globalThis as unknown as { catchUpBench: CatchUpBench }).catchUpBench.signIn(email, password),
		{ email: tenant.email, password: tenant.password }
	);
	if (status !== 204) throw new Error(`catch-up bench: sign-in answered ${status}`);
	return page;
}

async function run(page: Page, path: 'batch' | 'perDocument', docNames: DocName[]): Promise<CatchUpRun> {
	const result = await page.evaluate(
		({ path, docNames }) => (globalThis as unknown as { catchUpBench: CatchUpBench }).catchUpBench[path](docNames),
		{ path, docNames }
	);
	if (result.done !== docNames.length || result.failed !== 0)
		throw new Error(`catch-up bench: the ${path} path brought ${result.done} of ${docNames.length} up to date`);
	return result;
}

/** A week on the server: every document changes `CHANGES_PER_DOC` times, each a commit of its own (through the batch API). */
async function changeEveryDocument(url: string, tenant: CatchUpTenant, docNames: DocName[]): Promise<void> {
	const signIn = await fetch(`${url}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: url },
		body: JSON.stringify({ email: tenant.email, password: tenant.password })
	});
	const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
	const exchange = async (entries: BatchRequestEntry[]) => {
		const response = await fetch(`${url}${BATCH_PATH}`, {
			method: 'POST',
			headers: { 'content-type': BATCH_CONTENT_TYPE, cookie, origin: url },
			body: encodeBatchRequest(entries) as BodyInit
		});
		if (!response.ok) throw new Error(`catch-up bench: the batch API answered ${response.status}`);
		return decodeBatchResponse(new Uint8Array(await response.arrayBuffer()));
	};
	const empty = Y.encodeStateVector(new Y.Doc());
	for (let first = 0; first < docNames.length; first += MAX_BATCH_DOCS) {
		const chunk = docNames.slice(first, first + MAX_BATCH_DOCS);
		const docs = new Map<DocName, Y.Doc>();
		for (const answer of await exchange(chunk.map((docName) => ({ docName, stateVector: empty, update: null })))) {
			if (answer.status !== 'ok') throw new Error(`catch-up bench: ${answer.docName} refused`);
			const doc = new Y.Doc();
			Y.applyUpdate(doc, answer.update);
			docs.set(answer.docName, doc);
		}
		for (let change = 0; change < CHANGES_PER_DOC; change += 1) {
			const entries: BatchRequestEntry[] = [];
			for (const [docName, doc] of docs) {
				const before = Y.encodeStateVector(doc);
				new CustomerRepository(doc).addNote(
					`Day ${change}: the nightly job failed and was rerun`,
					'office@msp.example'
				);
				entries.push({ docName, stateVector: Y.encodeStateVector(doc), update: Y.encodeStateAsUpdate(doc, before) });
			}
			await exchange(entries);
		}
		for (const doc of docs.values()) doc.destroy();
	}
}

export async function benchCatchUp(browser: Browser, url: string, tenant: CatchUpTenant): Promise<BenchResult[]> {
	const script = await bundle();
	const docNames = tenant.customerIds.map((id) => customerDocName(id));
	const batchPage = await benchPage(browser, url, script, tenant);
	const perDocumentPage = await benchPage(browser, url, script, tenant);
	try {
		// The batched path goes first each time, so the per-document path meets a server that has the documents loaded.
		const firstBatch = await run(batchPage, 'batch', docNames);
		const firstPerDocument = await run(perDocumentPage, 'perDocument', docNames);
		await changeEveryDocument(url, tenant, docNames);
		const weekBatch = await run(batchPage, 'batch', docNames);
		const weekPerDocument = await run(perDocumentPage, 'perDocument', docNames);
		const count = docNames.length.toLocaleString('en');
		const baselineName = 'a websocket + y-indexeddb database per document, 3 at a time (before S126)';
		return [
			{
				name: `catch-up of ${count} customer documents, first time, HTTP batches into one store (S126)`,
				unit: 'ms',
				ours: firstBatch.ms,
				baseline: firstPerDocument.ms,
				baselineName
			},
			{
				name: `catch-up of ${count} customer documents after ${CHANGES_PER_DOC} changes each (S126)`,
				unit: 'ms',
				ours: weekBatch.ms,
				baseline: weekPerDocument.ms,
				baselineName
			}
		];
	} finally {
		// A failed close (the browser went away) must not hide why the run failed.
		await batchPage
			.context()
			.close()
			.catch(() => undefined);
		await perDocumentPage
			.context()
			.close()
			.catch(() => undefined);
	}
}
