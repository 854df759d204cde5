// P8, P11: custom reports built, saved in the tenant and run again offline with their CSV export; a scoped person's and a
// read-only person's reports; the insight report. Screenshots at 768x1024 (touch) and 1024x768, axe on each screen.
import { mkdirSync, readFileSync } from 'node:fs';
import type { BrowserContext, Page } from '@playwright/test';
import { test as base, expect, CONTEXT_OPTIONS, PASSWORD } from './support/fixtures';
import { NetworkSwitch } from './support/network';
import { violations } from './support/axe';
import type { RunningServer } from './support/server';
import { withSeededServer } from './support/seeded-server';
import type { ReportsSeed } from './support/seed-custom-reports';
import { reloadUnderServiceWorker } from './support/service-worker';
import { SignInPage } from './pages/sign-in-page';

const SHOTS = '/tmp/shots';

const test = base.extend<{ seeded: { server: RunningServer; seed: ReportsSeed } }>({
	// eslint-disable-next-line no-empty-pattern -- Playwright needs the destructuring even when no fixture is used
	seeded: async ({}, use) => withSeededServer<ReportsSeed>('tests/e2e/support/seed-custom-reports.ts', use)
});

async function signIn(context: BrowserContext, url: string, email: string): Promise<Page> {
	const page = await context.newPage();
	const form = new SignInPage(page);
	await form.goto(url);
	await form.submit(email, PASSWORD);
	await expect(page.getByTestId('sync-indicator')).toBeVisible();
	return page;
}

async function expectNoSeriousViolations(page: Page): Promise<void> {
	const serious = (await violations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(serious).toEqual([]);
}

/** The groups table as [label, count] pairs. */
async function groupRows(page: Page): Promise<string[][]> {
	return page
		.getByTestId('custom-groups')
		.locator('tbody tr')
		.evaluateAll((rows) =>
			rows.map((row) => Array.from(row.querySelectorAll('th, td')).map((cell) => (cell.textContent ?? '').trim()))
		);
}

async function firstColumn(page: Page): Promise<string[]> {
	return page.getByTestId('custom-rows').locator('tbody tr td:first-child').allTextContents();
}

test('P8: a custom report is saved, run again offline and exported as CSV', async ({ seeded, browser }) => {
	const { server, seed: data } = seeded;
	mkdirSync(SHOTS, { recursive: true });
	const context = await browser.newContext({ ...CONTEXT_OPTIONS, acceptDownloads: true });
	try {
		const net = await NetworkSwitch.install(context);
		const page = await signIn(context, server.url, data.owner);

		// From the reports index to a new custom report.
		await page.goto(`${server.url}/reports`);
		await page.getByTestId('report-link-custom').click();
		await expect(page.getByTestId('custom-saved-empty')).toBeVisible();
		await page.getByTestId('custom-new').click();
		await expect(page.getByTestId('custom-builder')).toBeVisible();

		// Customers, with the failed jobs of the last 90 days and the storage they use, grouped by country with the sum of
		// failed jobs; the preview follows each choice.
		await page.getByTestId('custom-column-status').uncheck();
		await page.getByTestId('custom-column-failedJobs').check();
		await page.getByTestId('custom-column-storage').check();
		await expect(page.getByTestId('custom-row-count')).toHaveText('4 rows');
		await expect.poll(() => firstColumn(page)).toEqual(['Contoso GmbH', 'Fabrikam AG', 'Nowhere Ltd', 'Tailspin SARL']);
		// A filter with no value yet holds the preview back and says which one; with a value it narrows the rows.
		await page.getByTestId('custom-add-filter').click();
		await expect(page.getByTestId('custom-incomplete')).toContainText('Filter 1');
		await page.getByTestId('custom-filter-0-field').selectOption('name');
		await page.getByTestId('custom-filter-0-value').fill('ltd');
		await expect.poll(() => firstColumn(page)).toEqual(['Nowhere Ltd']);
		await page.getByTestId('custom-filter-0-op').selectOption('equals');
		await page.getByTestId('custom-filter-0-value').fill('nowhere');
		await expect(page.getByTestId('custom-empty')).toBeVisible();
		await page.getByTestId('custom-filter-0-remove').click();
		await page.getByTestId('custom-group').selectOption('country');
		await page.getByTestId('custom-aggregate').selectOption('sum');
		await page.getByTestId('custom-measure').selectOption('failedJobs');
		await expect
			.poll(() => groupRows(page))
			.toEqual([
				['Germany', '2', '4'],
				['France', '1', '0'],
				['(none)', '1', '0']
			]);
		await expect(page.getByTestId('custom-chart-figure').locator('rect.bar')).toHaveCount(3);
		await page.screenshot({ path: `${SHOTS}/custom-report-builder-768.png`, fullPage: true });
		await expectNoSeriousViolations(page);

		// Saved in the tenant under a name; the report opens at its own address.
		await page.getByTestId('custom-save').click();
		await page.getByTestId('custom-save-name').fill('Failed jobs by country');
		await page.getByTestId('custom-save-description').fill('For the Monday meeting');
		await page.getByTestId('custom-save-confirm').click();
		await expect(page).toHaveURL(/\/reports\/custom\/[A-Za-z0-9_-]+$/);
		await expect(page.locator('#custom-report-title')).toHaveText('Failed jobs by country');
		await expect(page.getByTestId('sync-indicator')).toHaveAttribute('data-pending', '0', { timeout: 15_000 });

		// Offline: the page reloads from the service worker and IndexedDB; the report is opened from the list.
		await page.goto(`${server.url}/reports`);
		await reloadUnderServiceWorker(page);
		await net.goOffline();
		await page.reload();
		await expect(page.getByTestId('sync-indicator')).toHaveAttribute('data-state', 'offline');
		await page.getByTestId('report-link-custom').click();
		await page.getByTestId('custom-saved-list').getByRole('link', { name: 'Failed jobs by country' }).click();
		await expect(page.locator('#custom-report-title')).toHaveText('Failed jobs by country');
		await expect(page.getByTestId('custom-description')).toHaveText('For the Monday meeting');
		await expect(page.getByTestId('custom-builder')).toHaveCount(0);
		await expect
			.poll(() => groupRows(page))
			.toEqual([
				['Germany', '2', '4'],
				['France', '1', '0'],
				['(none)', '1', '0']
			]);
		await expect(page.getByTestId('custom-rows').locator('tbody tr')).toHaveCount(4);
		await page.screenshot({ path: `${SHOTS}/custom-report-saved-offline-768.png`, fullPage: true });
		await page.setViewportSize({ width: 1024, height: 768 });
		await page.screenshot({ path: `${SHOTS}/custom-report-saved-offline-1024.png`, fullPage: true });
		await expectNoSeriousViolations(page);

		// The CSV: the columns in the UI's language, every row, numbers as numbers.
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByTestId('custom-report-csv').click()
		]);
		expect(download.suggestedFilename()).toMatch(/^failed-jobs-by-country-\d{4}-\d{2}-\d{2}\.csv$/);
		const text = readFileSync(await download.path(), 'utf8');
		expect(text.startsWith('\uFEFF')).toBe(true);
		expect(text.slice(1).split('\r\n')).toEqual([
			'Organization,Country,Failed jobs (90 days),Storage used',
			'Contoso GmbH,Germany,3,4000000000',
			'Fabrikam AG,Germany,1,1000000000',
			'Nowhere Ltd,,0,0',
			'Tailspin SARL,France,0,2500000000',
			''
		]);

		// The list offers rename, duplicate and delete (reports.edit); a duplicate is a report of its own.
		await page.getByTestId('custom-back').click();
		await page.getByTestId('custom-duplicate').click();
		await expect(page.getByTestId('custom-saved-list').getByRole('link')).toHaveText([
			'Failed jobs by country',
			'Failed jobs by country (copy)'
		]);
		await page.screenshot({ path: `${SHOTS}/custom-report-list-1024.png`, fullPage: true });
	} finally {
		await context.close();
	}
});

test('P8, H6 (S103): a scoped person runs the saved reports over their part only; without reports.edit nothing is saved', async ({
	seeded,
	browser
}) => {
	const { server, seed: data } = seeded;
	mkdirSync(SHOTS, { recursive: true });
	const ownerContext = await browser.newContext(CONTEXT_OPTIONS);
	const helpContext = await browser.newContext(CONTEXT_OPTIONS);
	const readerContext = await browser.newContext(CONTEXT_OPTIONS);
	try {
		// The owner saves a report of customers and their storage.
		const owner = await signIn(ownerContext, server.url, data.owner);
		await owner.goto(`${server.url}/reports/custom/new`);
		await owner.getByTestId('custom-column-storage').check();
		await owner.getByTestId('custom-save').click();
		await owner.getByTestId('custom-save-name').fill('Storage per customer');
		await owner.getByTestId('custom-save-confirm').click();
		await expect(owner.locator('#custom-report-title')).toHaveText('Storage per customer');
		await expect(owner.getByTestId('sync-indicator')).toHaveAttribute('data-pending', '0', { timeout: 15_000 });

		// The Help Desk technician granted Contoso alone receives it with their view and runs it over Contoso only.
		const help = await signIn(helpContext, server.url, data.helpDesk);
		await help.goto(`${server.url}/reports/custom`);
		await help.getByTestId('custom-saved-list').getByRole('link', { name: 'Storage per customer' }).click();
		await expect(help.getByTestId('custom-rows').locator('tbody tr')).toHaveCount(1);
		await expect.poll(() => firstColumn(help)).toEqual(['Contoso GmbH']);
		await expect(help.getByTestId('custom-note')).toContainText('only the customers you can see');
		// Building on it works; saving is not offered.
		await help.getByTestId('custom-toggle-builder').click();
		await help.getByTestId('custom-column-failedJobs').check();
		await expect(help.getByTestId('custom-rows').locator('thead th')).toHaveCount(5);
		await expect(help.getByTestId('custom-save')).toHaveCount(0);
		await expect(help.getByTestId('custom-save-as-new')).toHaveCount(0);
		await help.screenshot({ path: `${SHOTS}/custom-report-scoped-768.png`, fullPage: true });

		// A read-only person sees every customer, builds a report and cannot save it.
		const reader = await signIn(readerContext, server.url, data.readOnly);
		await reader.goto(`${server.url}/reports/custom/new`);
		await expect(reader.getByTestId('custom-row-count')).toHaveText('4 rows');
		await expect(reader.getByTestId('custom-save')).toHaveCount(0);
		await expect(reader.getByTestId('custom-note')).toContainText('saving them needs');
		await reader.goto(`${server.url}/reports/custom`);
		await expect(reader.getByTestId('custom-saved-list').getByRole('link')).toHaveText(['Storage per customer']);
		await expect(reader.getByTestId('custom-rename')).toHaveCount(0);
	} finally {
		await ownerContext.close();
		await helpContext.close();
		await readerContext.close();
	}
});

test('P8, P11: the insight report lists each finding by rule with a chart of findings per rule, and exports CSV', async ({
	seeded,
	browser
}) => {
	const { server, seed: data } = seeded;
	mkdirSync(SHOTS, { recursive: true });
	const context = await browser.newContext({ ...CONTEXT_OPTIONS, acceptDownloads: true });
	try {
		const page = await signIn(context, server.url, data.owner);
		await page.goto(`${server.url}/reports`);
		await page.getByTestId('report-link-insights').click();
		const rows = page.getByTestId('insight-rows').locator('tbody tr');
		await expect(rows).toHaveCount(3);
		// Built-in rules first (their order, named by what they check), then a rule this device does not know, by its kind.
		await expect(rows.nth(0)).toContainText('Contoso GmbH');
		await expect(rows.nth(0)).toContainText('More than 2 failed jobs within 1 day');
		await expect(rows.nth(0)).toContainText('3 failed jobs');
		await expect(rows.nth(0)).toContainText('2 failed jobs');
		await expect(rows.nth(1)).toContainText('Tailspin SARL');
		await expect(rows.nth(1)).toContainText('35%');
		await expect(rows.nth(2)).toContainText('No successful job');
		await expect(rows.nth(2)).toContainText('80 hr');
		await expect(page.getByTestId('insight-chart').locator('rect.bar')).toHaveCount(4);
		await page.getByTestId('insight-rule').selectOption('builtin-storage-growth-7d');
		await expect(rows).toHaveCount(1);
		await page.getByTestId('insight-rule').selectOption('__all');
		await page.screenshot({ path: `${SHOTS}/insight-report-768.png`, fullPage: true });
		await expectNoSeriousViolations(page);

		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByTestId('insight-report-csv').click()
		]);
		const lines = readFileSync(await download.path(), 'utf8')
			.slice(1)
			.split('\r\n');
		expect(lines[0]).toBe('Customer,Rule,Since,Measured,Threshold');
		expect(lines[1]).toMatch(/^Contoso GmbH,More than 2 failed jobs within 1 day,\d{4}-\d{2}-\d{2} \d{2}:\d{2},3,2$/);
		expect(lines).toHaveLength(5);
	} finally {
		await context.close();
	}
});

test('P8: the report builder in German (browser language), with the vendors’ terms, at 768x1024', async ({
	seeded,
	browser
}) => {
	const { server, seed: data } = seeded;
	mkdirSync(SHOTS, { recursive: true });
	const context = await browser.newContext({ ...CONTEXT_OPTIONS, locale: 'de-DE' });
	try {
		const page = await signIn(context, server.url, data.owner);
		await page.goto(`${server.url}/reports/custom/new`);
		await expect(page.getByRole('heading', { name: 'Bericht zusammenstellen' })).toBeVisible();
		await page.getByTestId('custom-subject').selectOption('licenses');
		await expect(page.getByTestId('custom-columns')).toContainText('Lizenzpool');
		await page.getByTestId('custom-group').selectOption('product');
		await expect(page.getByTestId('custom-row-count')).toHaveText('1 Zeile');
		await page.screenshot({ path: `${SHOTS}/custom-report-builder-de-768.png`, fullPage: true });
		await expectNoSeriousViolations(page);
	} finally {
		await context.close();
	}
});
