// P11: the server's insight findings on the dashboard, the customer page and the directory, and the rules screen: a
// built-in changed in the settings is evaluated again by the server and the dashboard follows; a custom rule is made.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, CONTEXT_OPTIONS, PASSWORD } from './support/fixtures';
import { violations } from './support/axe';
import { NetworkSwitch } from './support/network';
import { reloadUnderServiceWorker } from './support/service-worker';
import { startServer, type RunningServer } from './support/server';
import type { InsightsSeed } from './support/seed-insights';
import { SignInPage } from './pages/sign-in-page';
import { DashboardPage } from './pages/dashboard-page';
import { InsightsPage } from './pages/insights-page';

const FAILED = 'builtin-failed-24h';

function seed(dataDir: string): Promise<InsightsSeed> {
	return new Promise((resolve, reject) => {
		execFile(
			process.execPath,
			['--import', 'tsx', 'tests/e2e/support/seed-insights.ts', dataDir],
			{ env: { ...process.env, LOG_LEVEL: 'warn' } },
			(error, stdout, stderr) => {
				if (error) reject(new Error(`seeding failed: ${stderr}`));
				else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as InsightsSeed);
			}
		);
	});
}

const test = base.extend<{ seeded: { server: RunningServer; seed: InsightsSeed } }>({
	// eslint-disable-next-line no-empty-pattern -- Playwright needs the destructuring even when no fixture is used
	seeded: async ({}, use) => {
		const dataDir = mkdtempSync(join(tmpdir(), 'msp-e2e-insights-'));
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

test('P11: the dashboard, the customer page and the directory show a finding; a rule changed in the settings is evaluated again', async ({
	seeded,
	browser
}) => {
	const { server, seed: data } = seeded;
	mkdirSync('/tmp/shots', { recursive: true });
	const context = await browser.newContext(CONTEXT_OPTIONS);
	try {
		const net = await NetworkSwitch.install(context);
		const page = await context.newPage();
		const signIn = new SignInPage(page);
		await signIn.goto(server.url);
		await signIn.submit(data.owner, PASSWORD);
		const dashboard = new DashboardPage(page);
		await dashboard.expectShown();
		const insights = new InsightsPage(page);

		// The panel: the built-in "more than 2 failed jobs in 24 h" fires for Fabrikam only; the others for nobody.
		await expect(insights.figure(FAILED)).toHaveAttribute('data-count', '1');
		await expect(insights.figure(FAILED)).toContainText('More than 2 failed jobs within 1 day');
		await expect(insights.figure(FAILED)).toContainText('1 customer');
		await expect(insights.figure('builtin-no-success-3d')).toHaveAttribute('data-count', '0');
		const toggle = insights.figure(FAILED).getByTestId('insight-figure-toggle');
		await toggle.click();
		await expect(toggle).toHaveAttribute('aria-expanded', 'true');
		const customer = insights.figure(FAILED).getByTestId('insight-customer');
		await expect(customer).toHaveCount(1);
		await expect(customer).toContainText('Fabrikam S.A.');
		await expect(customer).toContainText('Measured 3, fires above 2');
		expect((await toggle.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(44);
		await insights.panel.screenshot({ path: '/tmp/shots/insights-dashboard-panel.png' });
		expect((await violations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);

		// Offline, the findings come from the local replica of the tenant document.
		await reloadUnderServiceWorker(page);
		await net.goOffline();
		await page.reload();
		await dashboard.expectShown();
		await expect(insights.figure(FAILED)).toHaveAttribute('data-count', '1');
		await net.goOnline();
		await insights.figure(FAILED).getByTestId('insight-figure-toggle').click();

		// The customer page: the rule, measured against its threshold, since when.
		await customer.getByRole('link', { name: 'Fabrikam S.A.' }).click();
		await expect(page.getByTestId('customer-title')).toHaveText('Fabrikam S.A.');
		const finding = insights.customerSection.getByTestId('customer-insight');
		await expect(finding).toHaveCount(1);
		await expect(finding).toContainText('More than 2 failed jobs within 1 day');
		await expect(finding).toContainText('Measured 3, fires above 2');
		await expect(finding).toContainText('Since');
		await page.screenshot({ path: '/tmp/shots/insights-customer.png' });
		expect((await violations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);

		// The directory row: a badge with the count, named for screen readers.
		await page.goto(`${server.url}/customers`);
		const row = page.locator(`[data-testid="directory-row"][data-customer-id="${data.fabrikam}"]`);
		await expect(row.getByTestId('directory-insights')).toHaveAttribute('aria-label', '1 insight rule fires');
		await expect(
			page
				.locator(`[data-testid="directory-row"][data-customer-id="${data.contoso}"]`)
				.getByTestId('directory-insights')
		).toHaveCount(0);
		expect((await violations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);

		// The rules screen: the built-in threshold goes to 3; the server evaluates again and the finding goes.
		await insights.gotoRules(server.url);
		await page.screenshot({ path: '/tmp/shots/insights-rules.png', fullPage: true });
		await page.setViewportSize({ width: 1024, height: 768 });
		await page.screenshot({ path: '/tmp/shots/insights-rules-landscape.png' });
		await page.setViewportSize(CONTEXT_OPTIONS.viewport);
		expect((await violations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
		await insights.rule(FAILED).getByTestId('insight-rule-edit').click();
		await insights.dialog.getByTestId('insight-rule-threshold').fill('x');
		await insights.dialog.getByTestId('insight-rule-save').click();
		await expect(insights.dialog).toContainText('Enter a whole number from 0 to 100,000.');
		await insights.dialog.getByTestId('insight-rule-threshold').fill('3');
		await expect(insights.dialog).not.toContainText('Enter a whole number from 0 to 100,000.');
		await expect(insights.dialog.getByTestId('insight-rule-preview')).toHaveText(
			'More than 3 failed jobs within 1 day'
		);
		await page.screenshot({ path: '/tmp/shots/insights-rule-dialog.png' });
		await insights.dialog.getByTestId('insight-rule-save').click();
		await expect(insights.dialog).toBeHidden();
		await expect(insights.rule(FAILED).getByTestId('insight-rule-name')).toHaveText(
			'More than 3 failed jobs within 1 day'
		);
		await expect(insights.rule(FAILED).getByTestId('insight-rule-reset')).toBeVisible();

		// A custom rule: any failed job within 12 hours.
		await insights.rules.getByTestId('insight-rule-new').click();
		await insights.dialog.getByTestId('insight-rule-name-input').fill('Any failure today');
		await insights.dialog.getByTestId('insight-rule-threshold').fill('0');
		await insights.dialog.getByTestId('insight-rule-window').fill('12');
		await insights.dialog.getByTestId('insight-rule-save').click();
		await expect(insights.rules.getByTestId('insight-rule-name')).toContainText(['Any failure today']);

		await page.getByRole('link', { name: 'Dashboard' }).first().click();
		await dashboard.expectShown();
		// The server's refresh (every few seconds) re-evaluates after the rule change reached it.
		await expect(insights.figure(FAILED)).toHaveAttribute('data-count', '0', { timeout: 20_000 });
		await expect(insights.panel.getByText('Any failure today')).toBeVisible();
		const custom = insights.panel.locator('[data-testid="insight-figure"]', { hasText: 'Any failure today' });
		await expect(custom).toHaveAttribute('data-count', '1', { timeout: 20_000 });

		// Reset brings the built-in back, and with it the finding.
		await insights.gotoRules(server.url);
		await insights.rule(FAILED).getByTestId('insight-rule-reset').click();
		await expect(insights.rule(FAILED).getByTestId('insight-rule-name')).toHaveText(
			'More than 2 failed jobs within 1 day'
		);
		await expect(insights.rule(FAILED).getByTestId('insight-rule-reset')).toHaveCount(0);
	} finally {
		await context.close();
	}
});

test('P11, P16: without settings.edit the rules are shown read-only', async ({ seeded, browser }) => {
	const { server, seed: data } = seeded;
	const context = await browser.newContext(CONTEXT_OPTIONS);
	try {
		const page = await context.newPage();
		const signIn = new SignInPage(page);
		await signIn.goto(server.url);
		await signIn.submit(data.helpDesk, PASSWORD);
		await new DashboardPage(page).expectShown();
		const insights = new InsightsPage(page);
		await expect(insights.figure(FAILED)).toHaveAttribute('data-count', '1');
		await insights.gotoRules(server.url);
		await expect(page.getByTestId('insight-rules-read-only')).toBeVisible();
		await expect(insights.rule(FAILED).getByTestId('insight-rule-enabled')).toBeDisabled();
		await expect(insights.rules.getByTestId('insight-rule-edit')).toHaveCount(0);
		await expect(insights.rules.getByTestId('insight-rule-new')).toHaveCount(0);
	} finally {
		await context.close();
	}
});
