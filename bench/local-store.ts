// This device's copies in ONE IndexedDB database (S130-S132) against y-indexeddb's database per document, in headless
// Debian chromium, in the same run (issue 11): opening 2,000 customer documents (as live replicas one by one, and in one
// read transaction as the catch-up does), writing them the first time, the bytes stored after 100,000 field edits
// against the document's encoded size (goal: at most 3x), and the bytes an open with no edit writes (goal: 0).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Page } from '@playwright/test';
import { median, type BenchResult } from './measure';
import { CHROMIUM_ARGS } from './tree-screen';
import { bundleEntry } from './support/bundle';

const DOCS = 2_000;
const EDITS = 100_000;
const REPEATS = 3;

interface Written {
	readonly bytes: number;
	readonly writes: number;
}

interface LocalStoreBench {
	seed(n: number): Promise<{ ours: number; yIndexeddb: number; bytes: number }>;
	openLive(n: number): Promise<number>;
	openBatch(n: number): Promise<number>;
	applyOnly(n: number): Promise<number>;
	openYIndexeddb(n: number): Promise<number>;
	edits(total: number): Promise<{ stored: number; encoded: number; yIndexeddb: number }>;
	openWithNoEdit(): Promise<{ ours: Written; yIndexeddb: Written }>;
}

function bundle(): Promise<string> {
	return bundleEntry('local-store-entry.ts');
}

/** A blank page on 127.0.0.1: IndexedDB needs a real origin (about:blank has none). */
async function blankOrigin(): Promise<{ url: string; server: Server }> {
	const server = createServer((_request, response) => {
		response.writeHead(200, { 'content-type': 'text/html' });
		response.end('<!doctype html><title>local store bench</title>');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

function call<K extends keyof LocalStoreBench>(
	page: Page,
	name: K,
	...args: Parameters<LocalStoreBench[K]>
): Promise<Awaited<ReturnType<LocalStoreBench[K]>>> {
	return page.evaluate(
		({ name, args }) => {
			const bench = (globalThis as unknown as { localStoreBench: Record<string, (...a: unknown[]) => unknown> })
				.localStoreBench;
			return bench[name]!(...args);
		},
		{ name, args }
	) as Promise<Awaited<ReturnType<LocalStoreBench[K]>>>;
}

export async function benchLocalStore(): Promise<BenchResult[]> {
	const script = await bundle();
	const { url, server } = await blankOrigin();
	const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
	try {
		const context = await browser.newContext();
		const page = await context.newPage();
		page.setDefaultTimeout(10 * 60_000);
		await page.goto(url);
		await page.addScriptTag({ content: script });

		const seeded = await call(page, 'seed', DOCS);
		const live: number[] = [];
		const batch: number[] = [];
		const perDatabase: number[] = [];
		const applyOnly: number[] = [];
		for (let i = 0; i < REPEATS; i++) {
			// Alternating, so that a slow moment of the shared machine hits both sides.
			perDatabase.push(await call(page, 'openYIndexeddb', DOCS));
			live.push(await call(page, 'openLive', DOCS));
			batch.push(await call(page, 'openBatch', DOCS));
			applyOnly.push(await call(page, 'applyOnly', DOCS));
		}
		const noEdit = await call(page, 'openWithNoEdit');
		const edits = await call(page, 'edits', EDITS);
		const baselineName = 'y-indexeddb, a database each';
		const n = DOCS.toLocaleString('en');
		return [
			{
				name: `local store: first write of ${n} documents (one transaction)`,
				unit: 'ms',
				ours: seeded.ours,
				baseline: seeded.yIndexeddb,
				baselineName
			},
			{
				name: `local store: open ${n} documents as live replicas`,
				unit: 'ms',
				ours: median(live),
				baseline: median(perDatabase),
				baselineName
			},
			{
				name: `local store: open ${n} documents in one read transaction`,
				unit: 'ms',
				ours: median(batch),
				baseline: median(perDatabase),
				baselineName
			},
			{
				name: `local store: open ${n} documents in one read transaction`,
				unit: 'ms',
				ours: median(batch),
				baseline: median(applyOnly),
				baselineName: 'Y.applyUpdate of the same bytes, no storage'
			},
			{
				name: `local store: bytes stored after ${EDITS.toLocaleString('en')} field edits`,
				unit: 'bytes',
				ours: edits.stored,
				baseline: edits.encoded,
				baselineName: 'encodeStateAsUpdate'
			},
			{
				name: `y-indexeddb: bytes stored after ${EDITS.toLocaleString('en')} field edits`,
				unit: 'bytes',
				ours: edits.yIndexeddb,
				baseline: edits.encoded,
				baselineName: 'encodeStateAsUpdate'
			},
			{
				name: 'local store: bytes written by an open with no edit',
				unit: 'bytes',
				ours: noEdit.ours.bytes,
				baseline: noEdit.yIndexeddb.bytes,
				baselineName
			},
			{
				name: 'local store: writes (put/add) by an open with no edit',
				unit: 'updates',
				ours: noEdit.ours.writes,
				baseline: noEdit.yIndexeddb.writes,
				baselineName
			}
		];
	} finally {
		await browser.close();
		await new Promise((resolve) => server.close(resolve));
	}
}
