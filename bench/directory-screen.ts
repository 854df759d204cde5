// The customer directory (/customers) of the production build in headless Debian chromium at 768x1024 (touch), with
// 5,000 customers against 500 in the same run (issue 9's goal: a search keystroke and a sort change ≤ 16 ms at p95). The
// tenants are written by the e2e seed (tests/e2e/support/seed-directory.ts): customers with tags, groups, two licenses
// each and the server's summaries.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { bigCustomers, writeDirectoryTenant } from '../tests/e2e/support/seed-directory';
import { startServer } from '../tests/e2e/support/server';
import { median, percentile, type BenchResult } from './measure';
import { seedTenants } from './support/seed-tenants';
import { CHROMIUM_ARGS, ensureBuild, timed, usedHeapMiB } from './tree-screen';

const PASSWORD = 'bench-password-1234';
const STEP_TIMEOUT_MS = 60_000;
/** The background catch-up of the customer documents must not share the CPU with the measured steps. */
const CATCH_UP_TIMEOUT_MS = 15 * 60_000;

/**
 * What the search box holds after each keystroke: narrowing ("customer 19"), a backspace and another digit, backspaces
 * back to "cust", an account ("admin4"), and backspaces to the empty box.
 */
export function directoryKeystrokes(): string[] {
	const values: string[] = [];
	let box = '';
	const type = (text: string) => {
		for (const char of text) values.push((box += char));
	};
	const erase = (count: number) => {
		for (let i = 0; i < count; i++) values.push((box = box.slice(0, -1)));
	};
	type('customer 19');
	erase(1);
	type('5');
	erase(box.length);
	type('admin4');
	erase(box.length);
	return values;
}

/** Sort header clicks: each column twice (both directions), three rounds. */
const SORT_CLICKS = Array.from({ length: 3 }, () => [
	'failedJobs',
	'failedJobs',
	'openRequests',
	'openRequests',
	'name',
	'name'
]).flat();

interface TenantPlan {
	readonly tenantId: string;
	readonly email: string;
	readonly customers: number;
}

interface ScreenRun {
	readonly navToRows: number;
	readonly keystrokeP95: number;
	readonly keystrokeMedian: number;
	readonly sortP95: number;
	readonly sortMedian: number;
	readonly heapMiB: number;
}

function seed(dataDir: string, plans: readonly TenantPlan[]): Promise<void> {
	return seedTenants(
		dataDir,
		plans.map((plan) => ({
			tenantId: plan.tenantId,
			email: plan.email,
			name: `Bench MSP ${plan.customers}`,
			fill: (doc, newId, now) =>
				writeDirectoryTenant(doc, bigCustomers(plan.customers), now.toISOString().slice(0, 10), now, newId)
		})),
		PASSWORD
	);
}

/**
 * Times `steps` inside the page, a frame apart: each one run, then a setTimeout(0) (Svelte has flushed) and the table's
 * layout read. Returns the times and the shown count after each.
 */
async function timeSteps(
	page: Page,
	steps: readonly { kind: 'type' | 'sort'; value: string }[]
): Promise<{ times: number[]; shown: string[]; first: string[] }> {
	return page.evaluate(async (steps) => {
		const input = document.querySelector<HTMLInputElement>('[data-testid=directory-search]');
		if (!input) throw new Error('no search box');
		const times: number[] = [];
		const shown: string[] = [];
		const first: string[] = [];
		for (const step of steps) {
			await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
			const start = performance.now();
			if (step.kind === 'type') {
				input.value = step.value;
				input.dispatchEvent(new Event('input', { bubbles: true }));
			} else {
				const button = document.querySelector<HTMLButtonElement>(`[data-testid=directory-sort-${step.value}]`);
				if (!button) throw new Error(`no sort button ${step.value}`);
				button.click();
			}
			await new Promise<void>((resolve) => setTimeout(resolve, 0));
			const table =
				document.querySelector<HTMLElement>('[data-testid=directory-table]') ??
				document.querySelector<HTMLElement>('[data-testid=directory-screen]');
			void table?.offsetHeight;
			times.push(performance.now() - start);
			shown.push(document.querySelector('[data-testid=directory-shown]')?.getAttribute('data-shown') ?? '');
			first.push(document.querySelector('[data-testid=directory-row]')?.getAttribute('data-name') ?? '');
		}
		return { times, shown, first };
	}, steps);
}

async function runScreen(browser: Browser, url: string, tenant: TenantPlan): Promise<ScreenRun> {
	const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true });
	context.setDefaultTimeout(STEP_TIMEOUT_MS);
	try {
		const page = await context.newPage();
		const firstRow = page.locator('[data-testid=directory-row]').first();
		await page.goto(`${url}/signin`);
		const form = page.getByTestId('signin-form');
		await form.waitFor();
		await form.locator('#email').fill(tenant.email);
		await form.locator('#password').fill(PASSWORD);
		await form.locator('button[type=submit]').click();
		const nav = page.getByTestId('nav-customers');
		await nav.waitFor();
		await page.locator('[data-testid=sync-indicator][data-state=online][data-pending="0"]').waitFor();
		const indicator = page.locator('[data-testid=sync-indicator]:is([data-catch-up=done], [data-catch-up=incomplete])');
		await indicator.waitFor({ timeout: CATCH_UP_TIMEOUT_MS });

		const navToRows = await timed(async () => {
			await nav.click();
			await firstRow.waitFor();
		});
		const total = Number(await page.getByTestId('directory-shown').getAttribute('data-total'));
		if (total !== tenant.customers)
			throw new Error(`directory-screen bench: the screen shows ${total} customers, not ${tenant.customers}`);

		const values = directoryKeystrokes();
		const typed = await timeSteps(
			page,
			values.map((value) => ({ kind: 'type' as const, value }))
		);
		const narrowed = Number(typed.shown[values.indexOf('customer 19')]);
		if (!(narrowed > 0 && narrowed < total) || Number(typed.shown.at(-1)) !== total)
			throw new Error(`directory-screen bench: the search did not filter the rows (${typed.shown.join(', ')})`);

		const sorted = await timeSteps(
			page,
			SORT_CLICKS.map((value) => ({ kind: 'sort' as const, value }))
		);
		// Each click changed the first row at least once per column (the sort did happen).
		if (new Set(sorted.first).size < 3)
			throw new Error(`directory-screen bench: sorting did not reorder the rows (${sorted.first.join(', ')})`);
		const heapMiB = await usedHeapMiB(page);
		return {
			navToRows,
			keystrokeP95: percentile(typed.times, 95),
			keystrokeMedian: median(typed.times),
			sortP95: percentile(sorted.times, 95),
			sortMedian: median(sorted.times),
			heapMiB
		};
	} finally {
		await context.close();
	}
}

export interface DirectoryScreenOptions {
	readonly customers: number;
	readonly baselineCustomers: number;
}

export async function benchDirectoryScreen(options: Partial<DirectoryScreenOptions> = {}): Promise<BenchResult[]> {
	const customers = options.customers ?? 5_000;
	const baselineCustomers = options.baselineCustomers ?? 500;
	await ensureBuild();
	const dataDir = mkdtempSync(join(tmpdir(), 'msp-bench-directory-'));
	let browser: Browser | null = null;
	let server: Awaited<ReturnType<typeof startServer>> | null = null;
	try {
		const large = { tenantId: 'bench-large', email: 'large@bench.example', customers };
		const small = { tenantId: 'bench-small', email: 'small@bench.example', customers: baselineCustomers };
		const warmUp = { ...small, tenantId: 'bench-warm', email: 'warm@bench.example' };
		await seed(dataDir, [large, small, warmUp]);
		server = await startServer({ dataDir });
		browser = await chromium.launch({
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: CHROMIUM_ARGS
		});
		await runScreen(browser, server.url, warmUp);
		const baseline = await runScreen(browser, server.url, small);
		const ours = await runScreen(browser, server.url, large);
		const count = (n: number) => `${n.toLocaleString('en')} customers`;
		const row = (name: string, pick: (run: ScreenRun) => number, unit: BenchResult['unit'] = 'ms'): BenchResult => ({
			name: `directory, ${count(customers)}: ${name}`,
			unit,
			ours: pick(ours),
			baseline: pick(baseline),
			baselineName: count(baselineCustomers)
		});
		return [
			row('menu → first rows', (r) => r.navToRows),
			row('search keystroke → rows laid out, p95 (goal ≤ 16)', (r) => r.keystrokeP95),
			row('search keystroke → rows laid out, median', (r) => r.keystrokeMedian),
			row('sort change → rows laid out, p95 (goal ≤ 16)', (r) => r.sortP95),
			row('sort change → rows laid out, median', (r) => r.sortMedian),
			row('JS heap after GC', (r) => r.heapMiB, 'MiB')
		];
	} finally {
		await browser?.close();
		await server?.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
}
