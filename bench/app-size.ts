// The app's initial JavaScript and its time to interactive offline, in headless Debian chromium (issue 11's goal: at most
// 150 KB of gzip for the start route).
// - Size: what SvelteKit loads before it renders the start route (a signed-in person lands on the dashboard; a new device
//   on the sign-in page): its start entry, the app entry, the root layout and the page, with every chunk they import
//   statically (Vite's manifest of the build; chunks imported with `import()` are not waited for), each file counted as
//   its gzip; checked against what chromium really requests before that first render. Against the framework alone in
//   the same build (SvelteKit's start entry and its static imports, which hold the Svelte runtime); the goal on the side.
// - Time to interactive offline: the service worker installed, the network off, a new page of the same device: from the
//   navigation until the route's controls are in the page and the main thread runs its next task (an input would be
//   handled then). Signed in on the dashboard, against the sign-in page of a signed-out device (the same app code, no
//   local data) in the same run.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
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

/** Vite's manifest of the client build: each chunk's file and the chunks it imports statically. */
const MANIFEST = join('.svelte-kit', 'output', 'client', '.vite', 'manifest.json');
/** SvelteKit's generated route nodes (`nodes/<n>.js` re-exports a route's `+page.svelte` or `+layout.svelte`). */
const NODES = join('.svelte-kit', 'generated', 'client-optimized', 'nodes');
const APP_ENTRY = '.svelte-kit/generated/client-optimized/app.js';

type Manifest = Record<string, { file: string; isEntry?: boolean; imports?: string[] }>;

function readManifest(): Manifest {
	if (!existsSync(MANIFEST)) throw new Error(`app-size bench: ${MANIFEST} is missing; run \`npm run build\``);
	return JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
}

/** The manifest key of the route node whose component is `component` (e.g. `src/routes/+layout.svelte`). */
function nodeKey(component: string): string {
	const name = readdirSync(NODES).find((file) => readFileSync(join(NODES, file), 'utf8').includes(`/${component}";`));
	if (!name) throw new Error(`app-size bench: no route node renders ${component}`);
	return `.svelte-kit/generated/client-optimized/nodes/${name}`;
}

/**
 * The built JS files (paths under build/) of `keys` and every chunk they import statically, transitively: what the
 * browser must load and run before those modules run. Chunks imported with `import()` are left out: nothing waits for them.
 */
function staticFiles(manifest: Manifest, keys: readonly string[]): string[] {
	const seen = new Set<string>();
	const visit = (key: string): void => {
		if (seen.has(key)) return;
		const chunk = manifest[key];
		if (!chunk) throw new Error(`app-size bench: ${key} is not in the build's manifest`);
		seen.add(key);
		for (const imported of chunk.imports ?? []) visit(imported);
	};
	keys.forEach(visit);
	return [...seen].map((key) => join(BUILD, manifest[key]!.file));
}

/** SvelteKit's client runtime with Svelte's: the start entry and what it imports statically. */
function frameworkKeys(manifest: Manifest): string[] {
	const start = Object.keys(manifest).find(
		(key) => manifest[key]!.isEntry && key.endsWith('@sveltejs/kit/src/runtime/client/entry.js')
	);
	if (!start) throw new Error('app-size bench: the manifest holds no SvelteKit start entry');
	return [start];
}

/** What SvelteKit loads before it renders `page` for the first time: its runtime, the app entry, the root layout, the page. */
function initialFiles(manifest: Manifest, page: string): string[] {
	return staticFiles(manifest, [
		...frameworkKeys(manifest),
		APP_ENTRY,
		nodeKey('src/routes/+layout.svelte'),
		nodeKey(page)
	]);
}

function gzipBytes(files: Iterable<string>): number {
	let total = 0;
	for (const file of new Set(files)) total += gzipSync(readFileSync(file)).length;
	return total;
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

/**
 * The built JS files (paths under build/) chromium requests from the navigation until `rendered` is in the page. Used to
 * check the manifest's answer: the browser must have requested every file that answer counts.
 */
async function requestedScripts(page: Page, url: string, rendered: string): Promise<Set<string>> {
	const origin = new URL(url).origin;
	const files = new Set<string>();
	const onRequest = (request: { url(): string; resourceType(): string }) => {
		const requested = new URL(request.url());
		if (request.resourceType() === 'script' && requested.origin === origin)
			files.add(join(BUILD, decodeURIComponent(requested.pathname)));
	};
	page.on('request', onRequest);
	await page.goto(url);
	await page.locator(rendered).first().waitFor();
	page.off('request', onRequest);
	return files;
}

/** The files counted for a route, after checking that chromium really requested each of them for its first render. */
function checked(counted: readonly string[], requested: ReadonlySet<string>, route: string): string[] {
	const missing = counted.filter((file) => !requested.has(file));
	if (missing.length > 0)
		throw new Error(`app-size bench: ${route} counts files chromium did not request: ${missing.join(', ')}`);
	return [...counted];
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
	const manifest = readManifest();
	const framework = gzipBytes(staticFiles(manifest, frameworkKeys(manifest)));
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
		const signinRequested = await requestedScripts(
			signinPage,
			`${server.url}/signin`,
			'[data-testid=signin-form] #email'
		);
		const signinFiles = checked(initialFiles(manifest, 'src/routes/signin/+page.svelte'), signinRequested, '/signin');
		await serviceWorkerReady(signinPage);
		await signinPage.close();

		// A signed-in device: `/` goes on to the dashboard, the start route.
		const device = await newDevice(browser);
		const first = await device.newPage();
		await signIn(first, server.url, EMAIL, PASSWORD);
		await serviceWorkerReady(first);
		await first.close();
		const startPage = await device.newPage();
		const startRequested = await requestedScripts(startPage, `${server.url}/`, '[data-testid=dashboard]');
		// `/` itself renders nothing but a loading line before it sends a signed-in person on to the dashboard.
		const startFiles = checked(
			[
				...initialFiles(manifest, 'src/routes/+page.svelte'),
				...initialFiles(manifest, 'src/routes/dashboard/+page.svelte')
			],
			startRequested,
			'/ → /dashboard'
		);
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
		// What chromium fetched meanwhile without waiting for it (chunks the screens import lazily, as they render).
		const lazy = (requested: Set<string>, counted: readonly string[]) =>
			(gzipBytes([...requested].filter((file) => !counted.includes(file))) / 1024).toFixed(1);
		process.stderr.write(
			`also requested by the first render, not waited for: dashboard ${lazy(startRequested, startFiles)} KB, ` +
				`sign-in ${lazy(signinRequested, signinFiles)} KB (gzip)\n`
		);
		return results;
	} finally {
		await browser?.close();
		await server?.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
}
