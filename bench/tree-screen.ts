// The tree screen of the production build in headless Debian chromium, with 3,000 customers and 3,000 sites, against
// the same steps with a 150-customer tenant in the same run: the ratios show how the screen scales with the tenant.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { createUserAccount } from '../server/src/auth/auth';
import { DB_FILE } from '../server/src/pid-lock';
import { openSqliteStore } from '../server/src/store/sqlite';
import { customerDocName, tenantDocName } from '../src/lib/schema/ids';
import { storageName } from '../server/src/store/doc-keys';
import { benchCatchUp, seedCustomerDoc } from './catch-up';
import { startServer } from '../tests/e2e/support/server';
import { median, type BenchResult } from './measure';
import { buildTenantTree, customerName, siteName } from './support/tenant-tree';

export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run'
];
const PASSWORD = 'bench-password-1234';
/** Every wait is bounded, so a broken screen fails the benchmark instead of hanging it. */
const STEP_TIMEOUT_MS = 60_000;
const REPEATS = 3;
/** The background catch-up of thousands of customer documents takes longer than one screen step. */
const CATCH_UP_TIMEOUT_MS = 10 * 60_000;
const MiB = 1024 * 1024;

interface TenantPlan {
	readonly tenantId: string;
	readonly email: string;
	readonly customers: number;
}

interface SeededTenant extends TenantPlan {
	readonly customerIds: readonly string[];
	readonly siteIds: readonly string[];
}

interface ScreenRun {
	readonly signInToRows: number;
	/** From the session's answer (the password checked) to the rows: loading the app's data and rendering. */
	readonly sessionToRows: number;
	readonly expandAll: number;
	readonly search: number;
	readonly onlineReload: number;
	readonly offlineReload: number;
	readonly heapMiB: number;
	/** S28: from the rows shown to every customer document caught up into IndexedDB. */
	readonly catchUp: number;
	/** S32: after an online reload with nothing changed on the server, from the rows to the catch-up done. */
	readonly catchUpAgain: number;
}

export async function ensureBuild(): Promise<void> {
	if (existsSync(join('build', 'index.html'))) return;
	process.stderr.write('bench: build/ is missing, running `npm run build` first\n');
	const code = await new Promise<number | null>((resolve) => {
		spawn('npm', ['run', 'build'], { stdio: 'inherit' }).once('exit', resolve);
	});
	if (code !== 0) throw new Error('bench: `npm run build` failed; fix the build and run the bench again');
}

/** Writes the tenants, their documents and their users into a fresh DATA_DIR, as the demo seeder does. */
async function seed(dataDir: string, plans: readonly TenantPlan[]): Promise<SeededTenant[]> {
	const store = openSqliteStore(join(dataDir, DB_FILE));
	const now = new Date();
	try {
		const seeded: SeededTenant[] = [];
		for (const plan of plans) {
			const tree = buildTenantTree({
				tenantName: `Bench MSP ${plan.customers}`,
				customers: plan.customers,
				idPrefix: `${plan.tenantId}-`
			});
			await store.createTenant({
				id: plan.tenantId,
				name: `Bench MSP ${plan.customers}`,
				createdAt: now.toISOString()
			});
			await store.append(tenantDocName(plan.tenantId), tree.update);
			// S126: each customer has a document of its own with some content, which the catch-up brings to the device.
			for (const [index, id] of tree.customerIds.entries())
				await store.append(storageName(plan.tenantId, customerDocName(id)), seedCustomerDoc(index));
			await createUserAccount(store, {
				tenantId: plan.tenantId,
				email: plan.email,
				password: PASSWORD,
				role: 'superAdmin',
				now
			});
			seeded.push({ ...plan, customerIds: tree.customerIds, siteIds: tree.siteIds });
		}
		return seeded;
	} finally {
		await store.close();
	}
}

export async function timed(action: () => Promise<unknown>): Promise<number> {
	const start = performance.now();
	await action();
	return performance.now() - start;
}

/** JS heap of the page after a full collection (CDP), in MiB. */
export async function usedHeapMiB(page: Page): Promise<number> {
	const cdp = await page.context().newCDPSession(page);
	try {
		await cdp.send('HeapProfiler.collectGarbage');
		const { usedSize } = await cdp.send('Runtime.getHeapUsage');
		return usedSize / MiB;
	} finally {
		await cdp.detach();
	}
}

/** One person on one tablet: sign in, expand, search, reload online and offline. */
async function runScreen(browser: Browser, url: string, tenant: SeededTenant): Promise<ScreenRun> {
	const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true });
	context.setDefaultTimeout(STEP_TIMEOUT_MS);
	try {
		const page = await context.newPage();
		const rows = page.locator('[data-testid=tree-row]');
		const tenthRow = rows.nth(9);
		const firstSite = page.locator('[data-testid=tree-row][data-kind=site]').first();
		const indicator = page.getByTestId('sync-indicator');
		const caughtUp = async (): Promise<void> => {
			await page
				.locator('[data-testid=sync-indicator]:is([data-catch-up=done], [data-catch-up=incomplete])')
				.waitFor({ timeout: CATCH_UP_TIMEOUT_MS });
			if ((await indicator.getAttribute('data-catch-up')) !== 'done')
				throw new Error('tree-screen bench: the catch-up ended with customers it could not bring up to date');
		};
		const inSync = async (): Promise<void> => {
			await page.locator('[data-testid=sync-indicator][data-state=online][data-pending="0"]').waitFor();
		};

		// People land on the dashboard (P1); the tree screen is what is measured here.
		await page.goto(`${url}/signin?next=/tree`);
		const form = page.getByTestId('signin-form');
		await form.waitFor();
		await form.locator('#email').fill(tenant.email);
		await form.locator('#password').fill(PASSWORD);
		// The password check (scrypt) is the same for every tenant; the time after the session's answer is the screen's.
		let answeredAt = 0;
		const answered = page
			.waitForResponse((r) => r.url().endsWith('/api/session') && r.request().method() === 'POST')
			.then(() => {
				answeredAt = performance.now();
			});
		const submittedAt = performance.now();
		await form.locator('button[type=submit]').click();
		await tenthRow.waitFor();
		const rowsAt = performance.now();
		await answered;
		const signInToRows = rowsAt - submittedAt;
		const sessionToRows = rowsAt - answeredAt;
		await inSync();
		// Measured before the screen steps, so that they do not share the CPU with it.
		await caughtUp();
		const catchUp = performance.now() - rowsAt;

		const expandAll = page.getByRole('button', { name: 'Expand all' });
		const collapseAll = page.getByRole('button', { name: 'Collapse all' });
		const expandTimes: number[] = [];
		for (let i = 0; i < REPEATS; i++) {
			if (i > 0) {
				await collapseAll.click();
				await firstSite.waitFor({ state: 'detached' });
			}
			expandTimes.push(
				await timed(async () => {
					await expandAll.click();
					await firstSite.waitFor();
				})
			);
		}

		// Far down the list (not rendered before the search) and in the middle: a customer, a site, a customer.
		const n = tenant.customers;
		const targets = [
			{ query: customerName(n - 1), id: tenant.customerIds[n - 1]! },
			{ query: siteName(Math.floor(n / 2)), id: tenant.siteIds[Math.floor(n / 2)]! },
			{ query: customerName(Math.floor((n * 3) / 4)), id: tenant.customerIds[Math.floor((n * 3) / 4)]! }
		];
		const search = page.getByTestId('tree-search');
		const list = page.getByTestId('tree');
		const allRows = await list.getAttribute('data-row-count');
		const searchTimes: number[] = [];
		for (const target of targets) {
			const hit = page.locator(`[data-testid=tree-row][data-node-id="${target.id}"]`);
			searchTimes.push(
				await timed(async () => {
					await search.fill(target.query);
					await hit.waitFor();
				})
			);
			await search.fill('');
			await page.locator(`[data-testid=tree][data-row-count="${allRows}"]`).waitFor();
		}
		await list.waitFor();
		const heapMiB = await usedHeapMiB(page);

		// The service worker must control the page before a reload can work offline (F1).
		await page.evaluate(async () => {
			await navigator.serviceWorker.ready;
		});
		const onlineReload = await timed(async () => {
			await page.reload();
			await tenthRow.waitFor();
		});
		const reloadedAt = performance.now();
		await inSync();
		// S32: nothing changed on the server since the first catch-up, so this one opens no customer document.
		await caughtUp();
		const catchUpAgain = performance.now() - reloadedAt;
		if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null)))
			throw new Error('tree-screen bench: the service worker does not control the page after a reload');

		await context.setOffline(true);
		const offlineReload = await timed(async () => {
			await page.reload();
			await tenthRow.waitFor();
		});
		await indicator.waitFor();

		return {
			signInToRows,
			sessionToRows,
			expandAll: median(expandTimes),
			search: median(searchTimes),
			onlineReload,
			offlineReload,
			heapMiB,
			catchUp,
			catchUpAgain
		};
	} finally {
		await context.close();
	}
}

export interface TreeScreenOptions {
	readonly customers: number;
	readonly baselineCustomers: number;
}

export async function benchTreeScreen(options: Partial<TreeScreenOptions> = {}): Promise<BenchResult[]> {
	const customers = options.customers ?? 3_000;
	const baselineCustomers = options.baselineCustomers ?? 150;
	await ensureBuild();
	const dataDir = mkdtempSync(join(tmpdir(), 'msp-bench-tree-'));
	let browser: Browser | null = null;
	let server: Awaited<ReturnType<typeof startServer>> | null = null;
	try {
		const [large, small, warmUp] = await seed(dataDir, [
			{ tenantId: 'bench-large', email: 'large@bench.example', customers },
			{ tenantId: 'bench-small', email: 'small@bench.example', customers: baselineCustomers },
			{ tenantId: 'bench-warm', email: 'warm@bench.example', customers: baselineCustomers }
		]);
		server = await startServer({ dataDir });
		browser = await chromium.launch({
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: CHROMIUM_ARGS
		});
		// The first context pays for chromium's cold start and the server's first requests; it is not counted.
		await runScreen(browser, server.url, warmUp!);
		const baseline = await runScreen(browser, server.url, small!);
		const ours = await runScreen(browser, server.url, large!);
		// S126: the batched catch-up against the per-document path it replaced, same server, same run.
		const catchUp = await benchCatchUp(browser, server.url, { ...large!, password: PASSWORD });

		const sizes = `${customers.toLocaleString('en')} customers + ${customers.toLocaleString('en')} sites`;
		const baselineName = `${baselineCustomers} customers + ${baselineCustomers} sites`;
		const row = (name: string, pick: (run: ScreenRun) => number, unit: BenchResult['unit'] = 'ms'): BenchResult => ({
			name: `tree screen, ${sizes}: ${name}`,
			unit,
			ours: pick(ours),
			baseline: pick(baseline),
			baselineName
		});
		return [
			row('sign-in submit → 10 rows', (r) => r.signInToRows),
			row('sign-in answered → 10 rows', (r) => r.sessionToRows),
			row('Expand all → first site row', (r) => r.expandAll),
			row('search → its row', (r) => r.search),
			row('reload online (service worker) → 10 rows', (r) => r.onlineReload),
			row('reload offline (SW + IndexedDB) → 10 rows', (r) => r.offlineReload),
			row('JS heap after GC, expanded', (r) => r.heapMiB, 'MiB'),
			row('rows → every customer caught up offline (S28)', (r) => r.catchUp),
			row('reload, nothing changed: rows → catch-up done (S32)', (r) => r.catchUpAgain),
			...catchUp
		];
	} finally {
		await browser?.close();
		await server?.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
}
