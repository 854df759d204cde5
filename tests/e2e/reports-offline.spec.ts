// P8: every report is computed on the device from the local replicas: it renders offline after a reload (the user
// activity report from the month kept on the device, "as of" when it was fetched), and a scoped person's reports cover
// only the customers of their grant.
import { expect } from '@playwright/test';
import { CONTEXT_OPTIONS } from './support/fixtures';
import { NetworkSwitch } from './support/network';
import { reloadUnderServiceWorker } from './support/service-worker';
import { violations } from './support/axe';
import { openReport, signIn, test } from './support/reports-tenant';

const REPORTS = [
	{ slug: 'operations', row: 'operations-row', text: 'Exchange backup' },
	{ slug: 'licenses', row: 'licenses-row', text: 'Endpoint Security' },
	{ slug: 'storage', row: 'storage-row', text: 'Fabrikam S.A.' },
	{ slug: 'activity', row: 'activity-row', text: 'owner@northwind.example' }
] as const;

for (const { slug, row, text } of REPORTS) {
	test(`P8: the ${slug} report renders offline after a reload, from what the device holds`, async ({
		reports,
		browser
	}, testInfo) => {
		const { server, seed } = reports;
		const context = await browser.newContext(CONTEXT_OPTIONS);
		try {
			const net = await NetworkSwitch.install(context);
			const page = await context.newPage();
			await signIn(page, server.url, seed.owner);
			await openReport(page, slug);
			const report = page.getByTestId(`report-${slug}`);
			await expect(report.getByTestId(row).filter({ hasText: text }).first()).toBeVisible();
			// A chart is drawn (an SVG with a title for screen readers).
			await expect(report.locator('figure svg[role="img"] title').first()).not.toBeEmpty();
			const serious = (await violations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
			expect(serious).toEqual([]);
			await page.screenshot({ path: testInfo.outputPath(`${slug}-online.png`), fullPage: true });
			await testInfo.attach(`${slug}-online.png`, { path: testInfo.outputPath(`${slug}-online.png`) });

			await reloadUnderServiceWorker(page);
			await expect(report).toBeVisible();
			await net.goOffline();
			await page.reload();
			await expect(page.getByTestId('offline-banner')).toBeVisible();
			await expect(report.getByTestId(row).filter({ hasText: text }).first()).toBeVisible();
			if (slug === 'activity')
				await expect(page.getByTestId('activity-status')).toContainText(
					'You are offline: showing this month as loaded on'
				);
			await page.screenshot({ path: testInfo.outputPath(`${slug}-offline.png`), fullPage: true });
			await testInfo.attach(`${slug}-offline.png`, { path: testInfo.outputPath(`${slug}-offline.png`) });
		} finally {
			await context.close();
		}
	});
}

test("P8: a scoped person's reports cover only their grant; the user activity report says why it cannot show", async ({
	reports,
	browser
}) => {
	const { server, seed } = reports;
	const context = await browser.newContext(CONTEXT_OPTIONS);
	try {
		const page = await context.newPage();
		await signIn(page, server.url, seed.helpDesk);
		await openReport(page, 'storage');
		await expect(page.getByTestId('storage-row')).toHaveCount(1);
		await expect(page.getByTestId('storage-row')).toContainText('Contoso GmbH');
		await openReport(page, 'operations');
		await expect(page.getByTestId('operations-totals')).toContainText('Customers: 1');
		await openReport(page, 'activity');
		await expect(page.getByTestId('activity-status')).toContainText('needs the audit permission for the whole tenant');
		await expect(page.getByTestId('activity-row')).toHaveCount(0);
	} finally {
		await context.close();
	}
});

test('P8: the operations report: a service card opens its customers, each linking to its page; the CSV has the headers', async ({
	reports,
	browser
}) => {
	const { server, seed } = reports;
	const context = await browser.newContext({ ...CONTEXT_OPTIONS, acceptDownloads: true });
	try {
		const page = await context.newPage();
		await signIn(page, server.url, seed.owner);
		await openReport(page, 'operations');
		await page.getByTestId('service-card-exchangeBackup').click();
		await expect(page.getByTestId('service-card-exchangeBackup')).toHaveAttribute('aria-expanded', 'true');
		const customers = page.getByTestId('operations-customer-row');
		await expect(customers).toHaveCount(2);
		await expect(customers.first()).toContainText('Contoso GmbH');
		const download = page.waitForEvent('download');
		await page.getByTestId('report-operations-csv').click();
		const file = await download;
		const stream = await file.createReadStream();
		const chunks: Buffer[] = [];
		for await (const chunk of stream) chunks.push(chunk as Buffer);
		const csv = Buffer.concat(chunks).toString('utf8');
		expect(csv.startsWith('\uFEFFService,Customer,Failed jobs,Open requests,Storage (bytes)\r\n')).toBe(true);
		expect(csv).toContain('Exchange backup,Contoso GmbH,2,1,420000000000\r\n');
		await customers.first().getByRole('link').click();
		await expect(page).toHaveURL(new RegExp(`/customers/${seed.nodes['Contoso GmbH']}`));
	} finally {
		await context.close();
	}
});
