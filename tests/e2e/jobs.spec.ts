// P4, P5 across customers: /jobs and /service-requests read the server-written summaries of the local tenant replica
// (offline too, F1); a row opens the customer's page, at the request for a service request.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, PASSWORD } from './support/fixtures';
import { startServer, type RunningServer } from './support/server';
import type { WorkSeed } from './support/seed-work';
import { CustomerWork } from './pages/customer-work';
import { reloadUnderServiceWorker } from './support/service-worker';

function seed(dataDir: string): Promise<WorkSeed> {
	return new Promise((resolve, reject) => {
		execFile(
			process.execPath,
			['--import', 'tsx', 'tests/e2e/support/seed-work.ts', dataDir],
			{ env: { ...process.env, LOG_LEVEL: 'warn' } },
			(error, stdout, stderr) => {
				if (error) reject(new Error(`seeding failed: ${stderr}`));
				else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as WorkSeed);
			}
		);
	});
}

const test = base.extend<{ work: { server: RunningServer; seed: WorkSeed } }>({
	// eslint-disable-next-line no-empty-pattern -- Playwright needs the destructuring even when no fixture is used
	work: async ({}, use) => {
		const dataDir = mkdtempSync(join(tmpdir(), 'msp-e2e-work-'));
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

const jobIds = (page: import('@playwright/test').Page) =>
	page.getByTestId('failed-job-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-job-id')));

test('P4: failed jobs of every customer, by end time window and customer, sortable, offline too; a row opens the customer', async ({
	work,
	devices
}) => {
	const device = await devices.signedIn(work.server.url, { email: work.seed.owner, password: PASSWORD });
	const { page } = device;
	await page.getByRole('link', { name: 'Failed jobs' }).click();
	await expect(page.getByTestId('failed-jobs-page')).toBeVisible();

	// The last 7 days by default, newest end first: the job of 20 days ago is not there.
	await expect.poll(() => jobIds(page)).toEqual(['FAB-0002', 'CON-0007', 'FAB-0001']);
	await page.getByTestId('jobs-window-kind').selectOption('24h');
	await expect.poll(() => jobIds(page)).toEqual(['FAB-0002', 'CON-0007']);
	await page.getByTestId('jobs-window-kind').selectOption('30d');
	await expect.poll(() => jobIds(page)).toEqual(['FAB-0002', 'CON-0007', 'FAB-0001', 'CON-0003']);
	await page.getByTestId('jobs-sort-jobId').click();
	await expect.poll(() => jobIds(page)).toEqual(['CON-0003', 'CON-0007', 'FAB-0001', 'FAB-0002']);
	await expect(page.locator('th[aria-sort=ascending]')).toContainText('Job ID');
	await page.getByTestId('jobs-customer').selectOption({ label: 'Contoso GmbH' });
	await expect.poll(() => jobIds(page)).toEqual(['CON-0003', 'CON-0007']);
	await page.screenshot({ path: '/tmp/shots/failed-jobs.png' });

	// Offline after a reload: the same list from the device's copy.
	await device.tree.expectInSync();
	await reloadUnderServiceWorker(page);
	await expect.poll(() => jobIds(page)).toEqual(['FAB-0002', 'CON-0007', 'FAB-0001']);
	await device.net.goOffline();
	await page.reload();
	await expect.poll(() => jobIds(page)).toEqual(['FAB-0002', 'CON-0007', 'FAB-0001']);
	await device.net.goOnline();

	await page.getByTestId('failed-job-row').first().getByRole('link', { name: 'Fabrikam S.A.' }).click();
	await expect(page.getByTestId('customer-title')).toHaveText('Fabrikam S.A.');
	const customer = new CustomerWork(page);
	await customer.root.getByTestId('work-tab-jobs').click();
	// The customer's own jobs: failed only by default, all of them with the toggle off.
	await expect(page.getByTestId('job-row')).toHaveCount(2);
	await page.getByTestId('jobs-failed-only').uncheck();
	await expect(page.getByTestId('job-row')).toHaveCount(3);
	await expect(page.getByTestId('job-row').first()).toContainText('FAB-0003');
});

test('P5: open service requests of every customer by submission time; a row opens the request on its customer page', async ({
	work,
	devices
}) => {
	const device = await devices.signedIn(work.server.url, { email: work.seed.owner, password: PASSWORD });
	const { page } = device;
	await page.getByRole('link', { name: 'Service requests' }).click();
	const rows = page.getByTestId('service-request-row');
	await expect(rows).toHaveCount(1);
	await expect(rows.first()).toContainText('Restore the CEO mailbox');
	await expect(rows.first()).toContainText('Fabrikam S.A.');
	await page.getByTestId('requests-status-waiting').check();
	await expect(page.getByTestId('service-requests-empty')).toBeVisible();
	await page.getByTestId('requests-status-waiting').uncheck();
	await page.getByTestId('requests-window-kind').selectOption('custom');
	const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
	await page.getByTestId('requests-window-from').fill(day(10));
	await page.getByTestId('requests-window-to').fill(day(5));
	await expect(page.getByTestId('service-requests-empty')).toBeVisible();
	await page.getByTestId('requests-window-to').fill(day(-1));
	await expect(rows).toHaveCount(1);
	await page.screenshot({ path: '/tmp/shots/service-requests-page.png' });

	await page.getByTestId('service-request-open').click();
	await expect(page).toHaveURL(new RegExp(`/customers/${work.seed.fabrikam}\\?request=TKT-4711$`));
	const customer = new CustomerWork(page);
	await expect(customer.detail).toBeVisible();
	await expect(customer.detail.getByTestId('request-details')).toHaveText(
		'The mailbox of the CEO is empty since this morning.'
	);
	await customer.setStatus('In progress');
	await customer.addNote('Restore started from last night.');
	await expect(customer.status).toHaveValue('inProgress');
});
