// P15 in chromium: a billing profile created with prices typed as decimals, customers assigned from a searchable list,
// and the server's billing reports visible in the history (sent to whom, skipped and why), with the mail in the outbox.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, CONTEXT_OPTIONS, PASSWORD } from './support/fixtures';
import { startServer, type RunningServer } from './support/server';
import type { BillingSeed } from './support/seed-billing';
import { SignInPage } from './pages/sign-in-page';
import { TreePage } from './pages/tree-page';
import { violations } from './support/axe';

function seed(dataDir: string): Promise<BillingSeed> {
	return new Promise((resolve, reject) => {
		execFile(
			process.execPath,
			['--import', 'tsx', 'tests/e2e/support/seed-billing.ts', dataDir],
			{ env: { ...process.env, LOG_LEVEL: 'warn' } },
			(error, stdout, stderr) => {
				if (error) reject(new Error(`seeding failed: ${stderr}`));
				else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as BillingSeed);
			}
		);
	});
}

const test = base.extend<{ billing: { server: RunningServer; seed: BillingSeed; dataDir: string } }>({
	// eslint-disable-next-line no-empty-pattern -- Playwright needs the destructuring even when no fixture is used
	billing: async ({}, use) => {
		const dataDir = mkdtempSync(join(tmpdir(), 'msp-e2e-billing-'));
		try {
			const seeded = await seed(dataDir);
			const server = await startServer({ dataDir, env: { BILLING_CHECK_SECONDS: '2' } });
			try {
				await use({ server, seed: seeded, dataDir });
			} finally {
				await server.stop();
			}
		} finally {
			rmSync(dataDir, { recursive: true, force: true });
		}
	}
});

test('P15: a profile created with prices, customers assigned, the reports the server sent visible in the history', async ({
	billing,
	browser
}, testInfo) => {
	const context = await browser.newContext({ ...CONTEXT_OPTIONS, bypassCSP: true });
	try {
		const page = await context.newPage();
		const signIn = new SignInPage(page);
		await signIn.goto(billing.server.url);
		await signIn.submit(billing.seed.owner, PASSWORD);
		await page.getByTestId('nav-billing').click();
		const screen = page.getByTestId('billing-screen');
		await expect(screen.getByTestId('billing-empty')).toBeVisible();

		// A new profile: prices typed in English decimals; a wrong discount and a German-style price are refused at the field.
		await screen.getByTestId('billing-new').click();
		const dialog = page.getByTestId('billing-profile-dialog');
		await dialog.getByLabel('Name').fill('Backup Standard');
		await dialog.getByLabel('Description').fill('Microsoft 365 backup customers');
		await dialog.getByTestId('billing-discount-input').fill('0');
		await dialog.getByTestId('billing-currency').selectOption('EUR');
		await dialog.getByTestId('billing-day').fill('1');
		await dialog.getByLabel('Exchange backup').fill('12,5');
		await dialog.getByLabel('Teams backup').fill('3.99');
		await dialog.getByTestId('billing-save').click();
		await expect(dialog).toContainText('Enter a whole percent from 1 to 100, or leave it empty.');
		await expect(dialog).toContainText('Enter an amount such as 12.50.');
		await dialog.getByTestId('billing-discount-input').fill('10');
		await dialog.getByLabel('Exchange backup').fill('12.50');
		// A field's message goes once the field is changed.
		await expect(dialog).not.toContainText('Enter a whole percent from 1 to 100, or leave it empty.');
		await expect(dialog).not.toContainText('Enter an amount such as 12.50.');
		await dialog.getByLabel('Server backup').fill('49.99');
		await page.screenshot({ path: testInfo.outputPath('billing-dialog-768.png') });
		expect(await violations(page), 'profile dialog').toEqual([]);
		await dialog.getByTestId('billing-save').click();
		await expect(dialog).toBeHidden();

		const card = screen.getByTestId('billing-profile');
		await expect(card.getByTestId('billing-profile-name')).toHaveText('Backup Standard');
		await expect(card.getByTestId('billing-price')).toHaveText(['€12.50', '€3.99', '€49.99']);
		await expect(card.getByTestId('billing-discount')).toHaveText('10%');
		await expect(card.getByTestId('billing-frequency')).toHaveText('Monthly on day 1');
		await expect(card.getByTestId('billing-customer-count')).toHaveText('0 customers');

		// Assign two customers through the search.
		await card.getByTestId('billing-assign').click();
		const assign = page.getByTestId('billing-assign-dialog');
		await assign.getByTestId('billing-assign-search').fill('hub');
		await expect(assign.getByTestId('billing-assign-choice')).toHaveCount(1);
		await assign.getByLabel(/Huber Bau GmbH/).check();
		await assign.getByTestId('billing-assign-search').fill('moser');
		await assign.getByLabel(/Moser Logistik KG/).check();
		await assign.getByTestId('billing-assign-search').fill('');
		await expect(assign.getByTestId('billing-assign-choice')).toHaveCount(3);
		await expect(assign).toContainText('2 customers');
		await assign.getByTestId('billing-assign-save').click();
		await expect(assign).toBeHidden();
		await expect(card.getByTestId('billing-customer-count')).toHaveText('2 customers');
		await expect(card.getByTestId('billing-customer')).toHaveText([/Huber Bau GmbH/, /Moser Logistik KG/]);
		await expect(card.getByTestId('billing-no-email')).toHaveCount(1);
		// The profile is in the tenant document: a reload (from the local replica) shows it as it was.
		await page.reload();
		await expect(card.getByTestId('billing-customer-count')).toHaveText('2 customers');

		// The customer page chooses the profile too.
		const tree = new TreePage(page);
		await tree.goto(billing.server.url);
		await tree.openCustomer('Gruber Apotheke');
		await page.getByTestId('customer-billing-profile').selectOption({ label: 'Backup Standard' });
		await expect(page.getByTestId('customer-billing-no-email')).toHaveCount(0);
		await page.getByTestId('nav-billing').click();
		await expect(card.getByTestId('billing-customer-count')).toHaveText('3 customers');

		// The server's next run (every 2 s here: BILLING_CHECK_SECONDS) sends Huber's and Gruber's reports and skips Moser's (no email), visibly.
		await expect(async () => {
			await screen.getByTestId('billing-refresh').click();
			await expect(card.getByTestId('billing-send')).toHaveCount(3, { timeout: 2000 });
		}).toPass({ timeout: 30_000, intervals: [1000] });
		const rows = card.getByTestId('billing-send');
		const huber = rows.filter({ hasText: 'Huber Bau GmbH' });
		await expect(huber).toContainText('it@huber-bau.example');
		await expect(huber.getByTestId('billing-send-status')).toHaveText('Sent');
		// 12.50 + 3.99 = 16.49, less 10 % (1.65, half up) = 14.84.
		await expect(huber).toContainText('€14.84');
		// 49.99 less 10 % (5.00, half up from 4.999) = 44.99.
		await expect(rows.filter({ hasText: 'Gruber Apotheke' })).toContainText('€44.99');
		const moser = rows.filter({ hasText: 'Moser Logistik KG' });
		await expect(moser.getByTestId('billing-send-status')).toHaveText('Skipped');
		await expect(moser.getByTestId('billing-send-reason')).toHaveText('The customer has no admin contact email.');
		await page.screenshot({ path: testInfo.outputPath('billing-768.png'), fullPage: true });
		expect(await violations(page), 'billing screen').toEqual([]);
		await page.setViewportSize({ width: 1024, height: 768 });
		await page.screenshot({ path: testInfo.outputPath('billing-1024.png'), fullPage: true });

		// The mail is in the outbox, to Huber's admin contact.
		const outbox = join(billing.dataDir, 'outbox');
		const mails = readdirSync(outbox).map((name) => readFileSync(join(outbox, name), 'utf8'));
		expect(mails).toHaveLength(2);
		const huberMail = mails.find((mail) => /^To: it@huber-bau\.example$/m.test(mail));
		expect(huberMail).toMatch(/Total: (=E2=82=AC|€)14\.84/);
		expect(mails.filter((mail) => /^To: admin@gruber\.example$/m.test(mail))).toHaveLength(1);
	} finally {
		await context.close();
	}
});
