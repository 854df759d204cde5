// P1, P2: the dashboard, where people land after sign-in: the world map drawn offline from the bundled TopoJSON, countries
// coloured by organizations needing attention, the country panel with each organization's figures, the time window in
// the URL, the table alternative, the organizations without a country, the empty state and a scoped person's view.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test as base, expect, CONTEXT_OPTIONS, PASSWORD } from './support/fixtures';
import { NetworkSwitch } from './support/network';
import { violations } from './support/axe';
import { startServer, type RunningServer } from './support/server';
import type { DashboardSeed } from './support/seed-dashboard';
import { SignInPage } from './pages/sign-in-page';
import { DashboardPage } from './pages/dashboard-page';
import { TreePage } from './pages/tree-page';
import { reloadUnderServiceWorker } from './support/service-worker';

function seed(dataDir: string): Promise<DashboardSeed> {
	return new Promise((resolve, reject) => {
		execFile(
			process.execPath,
			['--import', 'tsx', 'tests/e2e/support/seed-dashboard.ts', dataDir],
			{ env: { ...process.env, LOG_LEVEL: 'warn' } },
			(error, stdout, stderr) => {
				if (error) reject(new Error(`seeding failed: ${stderr}`));
				else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as DashboardSeed);
			}
		);
	});
}

const test = base.extend<{ seeded: { server: RunningServer; seed: DashboardSeed } }>({
	// eslint-disable-next-line no-empty-pattern -- Playwright needs the destructuring even when no fixture is used
	seeded: async ({}, use) => {
		const dataDir = mkdtempSync(join(tmpdir(), 'msp-e2e-dashboard-'));
		try {
			const seeded = await seed(dataDir);
			const server = await startServer({ dataDir });
			try {
				await use({ server, seed: seeded });
			} finally {
				await server.stop();
			}
		} finally {
			rmSync(dataDir, { recursive: true, force: true });
		}
	}
});

/** Signs in through the form and expects to land on the dashboard; every request to another origin is recorded. */
async function signInToDashboard(
	page: Page,
	url: string,
	email: string
): Promise<{ dashboard: DashboardPage; foreign: string[] }> {
	const foreign: string[] = [];
	const origin = new URL(url).origin;
	page.context().on('request', (request) => {
		const target = request.url();
		if (!target.startsWith(origin) && !target.startsWith('data:') && !target.startsWith('blob:')) foreign.push(target);
	});
	const signIn = new SignInPage(page);
	await signIn.goto(url);
	await signIn.submit(email, PASSWORD);
	const dashboard = new DashboardPage(page);
	await dashboard.expectShown();
	return { dashboard, foreign };
}

test('P1, P2: people land on the dashboard; the map renders offline with no request elsewhere, a country opens its organizations', async ({
	seeded,
	browser
}) => {
	const { server, seed: data } = seeded;
	const context = await browser.newContext(CONTEXT_OPTIONS);
	try {
		const net = await NetworkSwitch.install(context);
		const page = await context.newPage();
		const { dashboard, foreign } = await signInToDashboard(page, server.url, data.owner);

		// The top cards over the last 7 days: Contoso (failed job, open request) and Nowhere (open requests) need attention.
		await expect(dashboard.card('customers')).toHaveText('5');
		await expect(dashboard.card('attention')).toHaveText('2');
		await expect(dashboard.card('failedJobs')).toHaveText('1');
		await expect(dashboard.card('openRequests')).toHaveText('3');

		// One online reload puts the page under the service worker; then the network goes and the page reloads.
		await reloadUnderServiceWorker(page);
		await dashboard.expectShown();
		await net.goOffline();
		await page.reload();
		await dashboard.expectShown();

		// The map: every country of the bundled atlas is a path; Germany (one organization needing attention, the most)
		// has the top colour, France (customers, none needing attention) the "fine" one.
		// The map's code loads after the dashboard's first render (docs/performance.md): poll until its shapes are drawn.
		await expect.poll(() => dashboard.allShapes.count()).toBeGreaterThan(150);
		await expect(dashboard.activeCountries).toHaveCount(3);
		await expect(dashboard.country('DE')).toHaveClass(/step-5/);
		// Singapore, too small for the atlas, is a dot that works like a country.
		await expect(dashboard.country('SG')).toHaveJSProperty('tagName', 'circle');
		await expect(dashboard.country('SG')).toHaveAttribute(
			'aria-label',
			/^Singapore: 1 organizations, 0 need attention/
		);
		await expect(dashboard.country('DE')).toHaveAttribute(
			'aria-label',
			'Germany: 2 organizations, 1 need attention, 1 failed jobs, 1 service requests'
		);
		await expect(dashboard.country('FR')).toHaveClass(/step-0/);
		const fill = await dashboard.country('DE').evaluate((path) => getComputedStyle(path).fill);
		const neutralFill = await dashboard.allShapes.first().evaluate((path) => getComputedStyle(path).fill);
		expect(fill).not.toBe(neutralFill);

		// The map frames the customers' region (Germany and France large enough to tap); the whole world is one tap away.
		const germanyWidth = async () => (await dashboard.country('DE').boundingBox())?.width ?? 0;
		const regional = await germanyWidth();
		await page.getByTestId('map-zoom-world').click();
		await expect(page.getByTestId('map-zoom-world')).toHaveAttribute('aria-pressed', 'true');
		expect(await germanyWidth()).toBeLessThan(regional / 1.5);
		await page.getByTestId('map-zoom-customers').click();
		await expect.poll(germanyWidth).toBe(regional);

		// Keyboard: Enter on Germany opens its organizations with their figures; Escape closes and focus returns to it.
		await dashboard.country('DE').focus();
		await expect(page.getByTestId('map-tip')).toContainText('Germany');
		await page.keyboard.press('Enter');
		await expect(dashboard.panel).toBeVisible();
		await expect(dashboard.panel.getByRole('heading', { name: 'Germany' })).toBeVisible();
		const contoso = dashboard.organization(dashboard.panel, 'Contoso GmbH');
		await expect(dashboard.figure(contoso, 'accounts')).toContainText('2');
		await expect(dashboard.figure(contoso, 'accounts')).toContainText('it@contoso.example');
		await expect(dashboard.figure(contoso, 'failedJobs')).toHaveText('1');
		await expect(dashboard.figure(contoso, 'requests')).toContainText('1');
		await expect(dashboard.figure(contoso, 'requests')).toContainText('1 open');
		await expect(dashboard.figure(contoso, 'services')).toContainText('Exchange backup');
		await expect(contoso.getByTestId('needs-attention')).toBeVisible();
		const fabrikam = dashboard.organization(dashboard.panel, 'Fabrikam AG');
		await expect(dashboard.figure(fabrikam, 'failedJobs')).toHaveText('0');
		await expect(fabrikam.getByTestId('needs-attention')).toHaveCount(0);
		await page.keyboard.press('Escape');
		await expect(dashboard.panel).toHaveCount(0);
		await expect(dashboard.country('DE')).toBeFocused();
		// Space opens it too.
		await page.keyboard.press(' ');
		await expect(dashboard.panel.getByRole('heading', { name: 'Germany' })).toBeVisible();
		await page.keyboard.press('Escape');
		await expect(dashboard.country('DE')).toBeFocused();

		// P2, still offline: the last 30 days take in Fabrikam's failed job of ten days ago; the URL keeps the window.
		await dashboard.chooseWindow('30d');
		await expect(page).toHaveURL(/\/dashboard\?window=30d$/);
		await expect(dashboard.card('failedJobs')).toHaveText('2');
		await expect(dashboard.country('DE')).toHaveAttribute('data-attention', '2');
		await page.reload();
		await expect(dashboard.card('failedJobs')).toHaveText('2');
		await dashboard.country('DE').click();
		await expect(dashboard.figure(dashboard.organization(dashboard.panel, 'Fabrikam AG'), 'failedJobs')).toHaveText(
			'1'
		);
		await dashboard.panel.getByTestId('country-panel-close').click();

		// The organization without a country is listed under the map, and opens its customer page.
		const nowhere = dashboard.organization(dashboard.unknown, 'Nowhere Ltd');
		await expect(dashboard.figure(nowhere, 'requests')).toContainText('2 open');
		await nowhere.getByRole('link', { name: 'Open Nowhere Ltd' }).click();
		await expect(page).toHaveURL(new RegExp(`/customers/${data.customers['Nowhere Ltd']}$`));

		expect(foreign, 'requests to other origins').toEqual([]);
	} finally {
		await context.close();
	}
});

test('P1, P2: the table lists every country with customers and sorts by each figure; it looks right on a tablet and a laptop, with no WCAG 2.1 AA violation (axe)', async ({
	seeded,
	browser
}, testInfo) => {
	const { server, seed: data } = seeded;
	const context = await browser.newContext({ ...CONTEXT_OPTIONS, bypassCSP: true });
	try {
		const page = await context.newPage();
		const { dashboard } = await signInToDashboard(page, server.url, data.owner);
		const codes = () =>
			dashboard.table.getByTestId('country-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-country')));
		// By organizations needing attention, most first.
		await expect.poll(codes).toEqual(['DE', 'FR', 'SG']);
		await expect(dashboard.row('DE').locator('[data-col=organizations]')).toHaveText('2');
		await dashboard.table.locator('button[data-sort=name]').click();
		await expect.poll(codes).toEqual(['FR', 'DE', 'SG']);
		await expect(dashboard.table.locator('th[aria-sort=ascending]')).toContainText('Country');
		await dashboard.table.locator('button[data-sort=name]').click();
		await expect.poll(codes).toEqual(['SG', 'DE', 'FR']);
		await dashboard.table.locator('button[data-sort=failedJobs]').click();
		await expect.poll(codes).toEqual(['DE', 'FR', 'SG']);
		await dashboard.table.locator('button[data-sort=failedJobs]').click();
		await expect.poll(codes).toEqual(['FR', 'SG', 'DE']);
		// The table's country opens the same panel.
		await dashboard.row('FR').getByRole('button', { name: 'Show organizations in France' }).click();
		await expect(dashboard.organization(dashboard.panel, 'Tailspin SARL')).toBeVisible();
		await page.screenshot({ path: testInfo.outputPath('dashboard-panel-768.png') });
		expect(await violations(page), 'country panel').toEqual([]);
		await page.keyboard.press('Escape');
		expect(await violations(page), 'dashboard').toEqual([]);

		// P2, custom days (the tenant's time zone, UTC here): a range the wrong way round is refused at the fields; the day
		// of Fabrikam's failed job (ten days ago) counts it and not Contoso's of today, and the URL keeps the range.
		const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
		const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
		const picker = page.getByTestId('dashboard-window');
		await picker.locator('button[data-window=custom]').click();
		await picker.getByTestId('window-from').fill(yesterday);
		await picker.getByTestId('window-to').fill(tenDaysAgo);
		await picker.getByRole('button', { name: 'Apply' }).click();
		await expect(picker.getByRole('alert')).toHaveText('The first day cannot be after the last day.');
		await expect(page).toHaveURL(/\/dashboard$/);
		await picker.getByTestId('window-from').fill(tenDaysAgo);
		await picker.getByRole('button', { name: 'Apply' }).click();
		await expect(page).toHaveURL(new RegExp(`/dashboard\\?from=${tenDaysAgo}&to=${tenDaysAgo}$`));
		await expect(dashboard.card('failedJobs')).toHaveText('1');
		await expect(dashboard.row('DE').locator('[data-col=failedJobs]')).toHaveText('1');
		await expect(picker.locator('button[data-window=custom]')).toHaveAttribute('aria-pressed', 'true');
		await picker.locator('button[data-window="7d"]').click();
		await expect(page).toHaveURL(/\/dashboard$/);

		// Touch targets: the window's choices and the table's buttons are at least var(--touch) (44 px) high.
		for (const target of [
			page.getByTestId('dashboard-window').locator('button').first(),
			dashboard.row('DE').getByRole('button')
		]) {
			const box = await target.boundingBox();
			expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
		}
		await page.screenshot({ path: testInfo.outputPath('dashboard-768.png'), fullPage: true });
		await page.setViewportSize({ width: 1280, height: 800 });
		await expect(dashboard.map.locator('svg')).toBeVisible();
		const width = await dashboard.map.locator('svg').evaluate((svg) => svg.getBoundingClientRect().width);
		expect(width).toBeGreaterThan(1000);
		await page.screenshot({ path: testInfo.outputPath('dashboard-1280.png'), fullPage: true });
	} finally {
		await context.close();
	}
});

test('P1, H6: a scoped person sees the organizations their access covers with their figures; an empty tenant gets a friendly empty state', async ({
	seeded,
	tenant,
	browser
}, testInfo) => {
	const scopedContext = await browser.newContext(CONTEXT_OPTIONS);
	try {
		const page = await scopedContext.newPage();
		const { dashboard } = await signInToDashboard(page, seeded.server.url, seeded.seed.helpDesk);
		await expect(dashboard.card('customers')).toHaveText('1');
		// The server's summaries come with the view (GET /api/view), for the covered customer only.
		await expect(dashboard.card('failedJobs')).toHaveText('1');
		await expect(dashboard.card('openRequests')).toHaveText('1');
		await expect(dashboard.activeCountries).toHaveCount(1);
		await expect(dashboard.country('DE')).toHaveAttribute('aria-label', /^Germany: 1 organizations/);
		await expect(dashboard.unknown).toHaveCount(0);
	} finally {
		await scopedContext.close();
	}

	const context = await browser.newContext(CONTEXT_OPTIONS);
	try {
		const page = await context.newPage();
		const { dashboard } = await signInToDashboard(page, tenant.server.url, tenant.owner.email);
		await expect(dashboard.empty).toBeVisible();
		await expect(dashboard.empty).toContainText('No customer organizations yet');
		await expect(dashboard.card('customers')).toHaveText('0');
		await page.screenshot({ path: testInfo.outputPath('dashboard-empty-768.png'), fullPage: true });
		await dashboard.empty.getByRole('link', { name: 'Open the MSP tree' }).click();
		await new TreePage(page).expectShown();
		// `/` sends a signed-in person to the dashboard too.
		await page.goto(`${tenant.server.url}/`);
		await dashboard.expectShown();
	} finally {
		await context.close();
	}
});
