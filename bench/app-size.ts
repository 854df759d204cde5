// The app's initial JavaScript and its time to interactive offline, in headless Debian chromium (issue 11's goal: at most
// 150 KB of gzip for the start route).
// - Size: the JS files chromium requests from the navigation until the start route's first render (a signed-in person
//   lands on the dashboard; a new device on the sign-in page), each counted as the gzip of the built file; against the
//   framework alone measured in the same build (SvelteKit's start entry and every chunk it imports statically, which
//   holds the Svelte runtime), and the goal checked on the side.
// - Time to interactive offline: the service worker installed, the network off, a new page of the same device: from the
//   navigation until the route's controls are in the page and the main thread runs its next task (an input would be
//   handled then). Signed in on the dashboard, against the sign-in page of a signed-out device (the same app code, no
//   local data) in the same run.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { startServer } from '../tests/e2e/support/server';
import { median, type BenchResult } from './measure';
import { freshPage, serviceWorkerReady, signIn } from './support/device';
import { writeReportsTenant } from './support/reports-tenant';
import { seedTenants } from './support/seed-tenants';
import { CHROMIUM_ARGS, ensureBuild } from './tree-screen';

const PASSWORD = 'bench-password-1234';
const EMAIL = 'size@bench.example';
const GOAL_BYTES = 150 * 1024;
const STEP_TIMEOUT_MS = 60_000;
const REPEATS = 5;
const BUILD = 'build';
const INTERACTIVE_MARK = 'bench:interactive';

/** The built file behind a URL of the app, or null for anything else (the API, another origin). */
function builtFile(url: string, origin: string): string | null {
	const parsed = new URL(url);
	if (parsed.origin !== origin || !parsed.pathname.endsWith('.js')) return null;
	return join(BUILD, decodeURIComponent(parsed.pathname));
}

function gzipBytes(files: Iterable<string>): number {
	let total = 0;
	for (const file of new Set(files)) total += gzipSync(readFileSync(file)).length;
	return total;
}

/** SvelteKit's client runtime with Svelte's: the start entry and the chunks it imports statically, transitively. */
export function frameworkFiles(): string[] {
	const index = readFileSync(join(BUILD, 'index.html'), 'utf8');
	const start = /import\("(\/_app\/immutable\/entry\/start\.[^"]+\.js)"\)/.exec(index);
	if (!start) throw new Error('app-size bench: build/index.html imports no SvelteKit start entry');
	const seen = new Set<string>();
	const visit = (file: string): void => {
		if (seen.has(file)) return;
		seen.add(file);
		const code = readFileSync(file, 'utf8');
		// Static imports only (`import … from "./x.js"`, `import "./x.js"`); dynamic `import()` is loaded later, if ever.
		for (const match of code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[^"'`()]*?from\s*)?["']([^"']+\.js)["']/g))
			visit(join(file, '..', match[1]!));
	};
	visit(join(BUILD, start[1]!));
	return [...seen];
}

/**
 * Run before the app's scripts: marks the moment `selector` matches and the main thread has run one more task after it
 * (a message-channel task, which runs as soon as the thread is free, unlike a clamped timer).
 */
function interactiveScript(selector: string): string {
	return `(() => {
	const found = () => {
		observer.disconnect();
		const channel = new MessageChannel();
		channel.port1.onmessage = () => performance.mark(${JSON.stringify(INTERACTIVE_MARK)});
		channel.port2.postMessage(0);
	};
	const observer = new MutationObserver(() => {
		if (document.querySelector(${JSON.stringify(selector)}) !== null) found();
	});
	observer.observe(document, { childList: true, subtree: true });
})();`;
}

/** The JS files requested from the navigation until `rendered` is in the page; the page stays open for the caller. */
async function scriptsUntil(page: Page, url: string, rendered: string): Promise<string[]> {
	const origin = new URL(url).origin;
	const files: string[] = [];
	const onRequest = (request: { url(): string; resourceType(): string }) => {
		const file = request.resourceType() === 'script' ? builtFile(request.url(), origin) : null;
		if (file) files.push(file);
	};
	page.on('request', onRequest);
	await page.goto(url);
	await page.locator(rendered).first().waitFor();
	page.off('request', onRequest);
	if (files.length === 0) throw new Error(`app-size bench: no script of the app was requested for ${url}`);
	return files;
}

/** Median time from navigation to interactive over `REPEATS` offline opens of `path`, each in a new page. */
async function offlineInteractive(
	context: BrowserContext,
	url: string,
	path: string,
	selector: string
): Promise<number> {
	const times: number[] = [];
	// The first open is not counted: the service worker's own start after going offline.
	for (let i = 0; i <= REPEATS; i++) {
		const page = await freshPage(context, interactiveScript(selector));
		try {
			await page.goto(`${url}${path}`);
			await page.waitForFunction((name) => performance.getEntriesByName(name).length > 0, INTERACTIVE_MARK, {
				timeout: STEP_TIMEOUT_MS
			});
			const at = await page.evaluate((name) => performance.getEntriesByName(name)[0]!.startTime, INTERACTIVE_MARK);
			if (i > 0) times.push(at);
		} finally {
			await page.close();
		}
	}
	return median(times);
}

async function newDevice(browser: Browser): Promise<BrowserContext> {
	const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true });
	context.setDefaultTimeout(STEP_TIMEOUT_MS);
	return context;
}

export async function benchAppSize(): Promise<BenchResult[]> {
	await ensureBuild();
	const framework = gzipBytes(frameworkFiles());
	const dataDir = mkdtempSync(join(tmpdir(), 'msp-bench-size-'));
	let browser: Browser | null = null;
	let server: Awaited<ReturnType<typeof startServer>> | null = null;
	try {
		// A small tenant: this measures the app's code, not its data (bench/cold-open.ts measures a large tenant).
		const plan = { customers: 150, licensesPerCustomer: 2, days: 7 };
		await seedTenants(
			dataDir,
			[
				{
					tenantId: 'size',
					email: EMAIL,
					name: 'Bench MSP',
					fill: (doc, newId, at) => writeReportsTenant(doc, plan, at, newId)
				}
			],
			PASSWORD
		);
		server = await startServer({ dataDir });
		browser = await chromium.launch({
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: CHROMIUM_ARGS
		});

		// A new device: the sign-in page is its first route.
		const fresh = await newDevice(browser);
		const signinPage = await fresh.newPage();
		const signinFiles = await scriptsUntil(signinPage, `${server.url}/signin`, '[data-testid=signin-form] #email');
		await serviceWorkerReady(signinPage);
		await signinPage.close();

		// A signed-in device: `/` goes on to the dashboard, the start route.
		const device = await newDevice(browser);
		const first = await device.newPage();
		await signIn(first, server.url, EMAIL, PASSWORD);
		await serviceWorkerReady(first);
		await first.close();
		const startPage = await device.newPage();
		const startFiles = await scriptsUntil(startPage, `${server.url}/`, '[data-testid=dashboard]');
		await startPage.close();

		await fresh.setOffline(true);
		await device.setOffline(true);
		const signinInteractive = await offlineInteractive(
			fresh,
			server.url,
			'/signin',
			'[data-testid=signin-form] #email'
		);
		const startInteractive = await offlineInteractive(device, server.url, '/', '[data-testid=dashboard]');
		await fresh.close();
		await device.close();

		const results: BenchResult[] = [
			{
				name: `initial JS (gzip), start route signed in: / → dashboard (${new Set(startFiles).size} files, goal ≤ 150 KB)`,
				unit: 'bytes',
				ours: gzipBytes(startFiles),
				baseline: framework,
				baselineName: 'SvelteKit + Svelte runtime'
			},
			{
				name: `initial JS (gzip), a new device: /signin (${new Set(signinFiles).size} files)`,
				unit: 'bytes',
				ours: gzipBytes(signinFiles),
				baseline: framework,
				baselineName: 'SvelteKit + Svelte runtime'
			},
			{
				name: 'offline, service worker: navigation → dashboard interactive (signed in)',
				unit: 'ms',
				ours: startInteractive,
				baseline: signinInteractive,
				baselineName: 'sign-in page interactive (signed out)'
			}
		];
		for (const r of results.slice(0, 2))
			process.stderr.write(
				`${r.ours <= GOAL_BYTES ? 'goal met   ' : 'goal MISSED'} ${r.name}: ${(r.ours / 1024).toFixed(1)} KB\n`
			);
		return results;
	} finally {
		await browser?.close();
		await server?.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
}
