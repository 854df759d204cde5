// License management on screen (L1-L15): the list with its counts, filters, sorts and search, the import checked on the
// device, the customer page's columns, what scoped and read-only people see, and the offline outbox. The tenant is seeded
// before the server starts (tests/e2e/support/seed-licenses.ts): the sample exports imported with the server's own code,
// expiry dates moved so that every L14 state is there on the day the test runs.
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { CONTEXT_OPTIONS, expect, type Device } from './support/fixtures';
import { SignInPage } from './pages/sign-in-page';
import { TreePage } from './pages/tree-page';
import { LicensesPage } from './pages/licenses-page';
import { test, SEED_PASSWORD as PASSWORD } from './support/licensed';
import { reloadUnderServiceWorker } from './support/service-worker';
import { clickSignOut } from './support/account-menu';

const FIXTURES = 'tests/fixtures/licenses';

/** Every server command this page posts from now on (to prove that a cancelled dialog sent nothing). */
function postedCommands(page: Page): string[] {
	const posted: string[] = [];
	page.on('request', (request) => {
		if (request.url().endsWith('/api/commands')) posted.push(request.postData() ?? '');
	});
	return posted;
}

async function openLicenses(device: Device): Promise<LicensesPage> {
	const licenses = new LicensesPage(device.page);
	await licenses.open();
	return licenses;
}

test('L14, L13, L9: the list counts every state, shows each license with its columns, and a count filters by its state', async ({
	licensed,
	devices
}) => {
	const { server, seed: seeded } = licensed;
	const device = await devices.signedIn(server.url, { email: seeded.owner, password: PASSWORD });
	const licenses = await openLicenses(device);

	// L14: every state is counted, over everything this person sees.
	const expected = {
		ok: 4,
		warning: 3,
		expiringSoon: 1,
		overused: 1,
		expired: 1,
		trialExpired: 1,
		suspended: 1,
		removed: 1
	};
	for (const [state, count] of Object.entries(expected))
		await expect(licenses.count(state), state).toHaveAttribute('data-count', String(count));
	await expect(licenses.count('warning')).toContainText('Warning');
	await licenses.expectShown(13);

	// L13: ID, state with what makes it so, units activated/ordered, product, type, owner, tag (L3), pool and account.
	const warning = await licenses.reveal('3AB-XQ4-77K');
	await expect(warning).toHaveAttribute('data-state', 'warning');
	await expect(warning.getByTestId('license-state')).toContainText('Warning');
	await expect(warning.getByTestId('license-state-detail')).toHaveText('96 % activated');
	await expect(warning.getByTestId('license-units')).toHaveText('48/50');
	await expect(warning).toContainText('Endpoint Security');
	await expect(warning).toContainText('MSP');
	await expect(warning.getByTestId('license-tag')).toHaveText('Contoso GmbH');
	await expect(warning.locator('[data-column=owner]')).toHaveText('Contoso GmbH');
	await expect(warning.locator('[data-column=pool]')).toHaveText('Contoso GmbH');
	await expect(warning.locator('[data-column=account]')).toHaveText('Northwind IT Services');
	// Each state has its label and icon, never colour alone.
	const states = {
		'3AB-XQ4-81M': ['overused', 'Overused', '3 over the ordered units'],
		'4CD-PL2-09A': ['expiringSoon', 'Expiring soon', '8 days left'],
		'5EF-RT7-13Q': ['expired', 'Expired', '30 days ago'],
		'5EF-RT7-14R': ['suspended', 'Suspended', 'by the vendor'],
		'4CD-PL2-11B': ['trialExpired', 'Trial expired', '5 days ago'],
		'9ZZ-OLD-001': ['removed', 'Removed', 'no longer listed by the vendor'],
		'3AB-XQ4-55A': ['ok', 'OK', null]
	} as const;
	for (const [publicId, [state, label, detail]] of Object.entries(states)) {
		const row = await licenses.reveal(publicId);
		await expect(row, publicId).toHaveAttribute('data-state', state);
		await expect(row.getByTestId('license-state').locator('svg')).toHaveCount(1);
		await expect(row.getByTestId('license-state')).toContainText(label);
		if (detail) await expect(row.getByTestId('license-state-detail')).toHaveText(detail);
	}

	// L9: the license user is the company, and the site when the pool sits on a site (a business account, L10).
	const site = await licenses.reveal('7JK-AA1-001');
	await expect(site.getByTestId('license-user')).toContainText('Litware Inc.');
	await expect(site.getByTestId('license-user')).toContainText('Wien');
	await expect((await licenses.reveal('7JK-AA1-003')).getByTestId('license-user')).toContainText('Graz');

	// Grouped by account, then pool: header rows for both, with their counts (back at the top of the virtualized table).
	await device.page.getByTestId('license-scroller').evaluate((scroller) => scroller.scrollTo(0, 0));
	await expect(device.page.getByTestId('license-account-row')).toHaveCount(2);
	await expect(device.page.locator('[data-testid=license-account-row]').first()).toContainText('Litware Inc.');

	// L14: a count is a toggle filter; two of them show both states; toggled off, everything is back.
	await licenses.count('warning').click();
	await expect(licenses.count('warning')).toHaveAttribute('aria-pressed', 'true');
	await licenses.expectShown(3);
	expect(new Set(await licenses.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state'))))).toEqual(
		new Set(['warning'])
	);
	await licenses.count('expired').click();
	await licenses.expectShown(4);
	await licenses.count('warning').click();
	await licenses.count('expired').click();
	await expect(licenses.count('warning')).toHaveAttribute('aria-pressed', 'false');
	await licenses.expectShown(13);
	await device.page.screenshot({ path: '/tmp/shots/e2e-licenses.png' });
});

test('L13, L9: sorts by every column both ways, filters by product, account, type and license user, and searches ID, tag or company in any case', async ({
	licensed,
	devices
}) => {
	const { server, seed: seeded } = licensed;
	const device = await devices.signedIn(server.url, { email: seeded.owner, password: PASSWORD });
	const licenses = await openLicenses(device);
	// Without groups the sort orders the whole list.
	await device.page.getByTestId('group-toggle').uncheck();
	await expect(device.page.getByTestId('license-account-row')).toHaveCount(0);

	await expect(licenses.header('publicId')).toHaveAttribute('aria-sort', 'ascending');
	expect((await licenses.publicIds())[0]).toBe('3AB-XQ4-14D');
	await licenses.sortBy('publicId');
	await expect(licenses.header('publicId')).toHaveAttribute('aria-sort', 'descending');
	expect((await licenses.publicIds())[0]).toBe('9ZZ-OLD-001');

	// L14: by state, most urgent first (removed, suspended, trial expired …), then the other way round.
	await licenses.sortBy('state');
	await expect(licenses.header('state')).toHaveAttribute('aria-sort', 'ascending');
	await expect(licenses.header('publicId')).toHaveAttribute('aria-sort', 'none');
	expect((await licenses.publicIds()).slice(0, 4)).toEqual([
		'9ZZ-OLD-001',
		'5EF-RT7-14R',
		'4CD-PL2-11B',
		'5EF-RT7-13Q'
	]);
	await licenses.sortBy('state');
	expect((await licenses.publicIds()).slice(0, 4)).toEqual([
		'3AB-XQ4-14D',
		'3AB-XQ4-55A',
		'4CD-PL2-12C',
		'7JK-AA1-002'
	]);

	// Every other column sorts too, both ways (ties by license ID).
	const firstBy: Record<string, [string, string]> = {
		units: ['9ZZ-OLD-001', '3AB-XQ4-81M'],
		expiry: ['5EF-RT7-13Q', '3AB-XQ4-55A'],
		product: ['3AB-XQ4-14D', '5EF-RT7-13Q'],
		type: ['7JK-AA1-001', '4CD-PL2-09A'],
		owner: ['5EF-RT7-13Q', '7JK-AA1-001'],
		tag: ['7JK-AA1-001', '4CD-PL2-09A'],
		user: ['5EF-RT7-13Q', '7JK-AA1-001'],
		pool: ['5EF-RT7-13Q', '7JK-AA1-001'],
		account: ['7JK-AA1-001', '3AB-XQ4-14D']
	};
	for (const [column, [ascending, descending]] of Object.entries(firstBy)) {
		await licenses.sortBy(column);
		await expect(licenses.header(column)).toHaveAttribute('aria-sort', 'ascending');
		expect((await licenses.publicIds())[0], `${column} ascending`).toBe(ascending);
		await licenses.sortBy(column);
		await expect(licenses.header(column)).toHaveAttribute('aria-sort', 'descending');
		expect((await licenses.publicIds())[0], `${column} descending`).toBe(descending);
	}

	// The search: a public ID, a tag (L3: the company name at import), a company, whatever the case.
	await licenses.search.fill('3ab-xq4-81m');
	await licenses.expectShown(1);
	await expect(licenses.row('3AB-XQ4-81M')).toBeVisible();
	await licenses.search.fill('FABRIKAM');
	await licenses.expectShown(3);
	await licenses.search.fill('litware');
	await licenses.expectShown(3);
	await device.page.getByRole('button', { name: 'Clear search' }).click();
	await licenses.expectShown(13);

	await device.page.getByTestId('filter-product').selectOption('Mail Security');
	await licenses.expectShown(2);
	await device.page.getByTestId('filter-product').selectOption('');
	await device.page.getByTestId('filter-type').selectOption('trial');
	await licenses.expectShown(3);
	await device.page.getByTestId('filter-type').selectOption('');
	await device.page.getByTestId('filter-account').selectOption({ label: 'Litware Inc.' });
	await licenses.expectShown(3);
	await device.page.getByTestId('filter-account').selectOption('');
	// L9: the reports filter by license user: a site narrows to the pool on it.
	await device.page.getByTestId('filter-user').fill('wien');
	await licenses.expectShown(2);
	expect(await licenses.publicIds()).toEqual(['7JK-AA1-001', '7JK-AA1-002']);
	await device.page.getByTestId('filters-clear').click();
	await licenses.expectShown(13);
	await licenses.search.fill('no such license');
	await expect(device.page.getByTestId('licenses-no-matches')).toBeVisible();
});

test('L1, L2: the import reads the file on the device: broken.json is refused with every bad entry, a distributor or an account without access is refused, and nothing is imported', async ({
	licensed,
	devices
}) => {
	const { server, seed: seeded } = licensed;
	const device = await devices.signedIn(server.url, { email: seeded.owner, password: PASSWORD });
	const { page } = device;
	const posted = postedCommands(page);
	const licenses = await openLicenses(device);

	await page.getByTestId('license-import-open').click();
	const dialog = page.getByTestId('license-import-dialog');
	await expect(dialog.getByTestId('license-import-drop')).toBeVisible();
	await dialog.getByTestId('license-import-file').setInputFiles(join(FIXTURES, 'broken.json'));
	await expect(dialog.getByTestId('license-import-invalid')).toContainText(
		'broken.json cannot be imported: 3 problems'
	);
	await expect(dialog.getByTestId('license-import-invalid')).toContainText('Nothing was imported');
	const issues = dialog.getByTestId('license-import-issue');
	await expect(issues).toHaveCount(3);
	await expect(issues.nth(0)).toContainText('licenses[0].expiresOn');
	await expect(issues.nth(0)).toContainText('the expiry is a date (YYYY-MM-DD)');
	await expect(issues.nth(1)).toContainText('licenses[1].unitsOrdered');
	await expect(issues.nth(2)).toContainText('licenses[2].companyId');
	await expect(issues.nth(2)).toContainText('co-999');
	await expect(dialog.getByTestId('license-import-confirm')).toHaveCount(0);
	await page.screenshot({ path: '/tmp/shots/e2e-import-broken.png' });

	// L1: a distributor account; L2: an account that cannot read any company.
	await dialog.getByTestId('license-import-file').setInputFiles(join(FIXTURES, 'distributor-account.json'));
	await expect(dialog.getByTestId('license-import-refused')).toHaveAttribute('data-code', 'distributor_account');
	await expect(dialog.getByTestId('license-import-refused')).toContainText('Distributor account');
	await dialog.getByTestId('license-import-file').setInputFiles(join(FIXTURES, 'no-access-account.json'));
	await expect(dialog.getByTestId('license-import-refused')).toHaveAttribute('data-code', 'no_readable_company');
	await expect(dialog.getByTestId('license-import-confirm')).toHaveCount(0);

	// A valid file is previewed against this device's data: the next day's export adds a company (L7) and two licenses.
	await dialog.getByTestId('license-import-file').setInputFiles(join(FIXTURES, 'msp-account-next-day.json'));
	const preview = dialog.getByTestId('license-import-preview');
	await expect(preview).toContainText('known account');
	await expect(preview.getByTestId('preview-companies')).toHaveAttribute('data-count', '1');
	await expect(preview.getByTestId('preview-companies')).toContainText('Wingtip Toys Ltd');
	await expect(preview.getByTestId('preview-pools')).toHaveAttribute('data-count', '1');
	await expect(preview.getByTestId('preview-added')).toHaveAttribute('data-count', '2');
	await expect(dialog.getByTestId('license-import-confirm')).toBeEnabled();

	// Cancelled: nothing was sent and nothing changed.
	await dialog.getByRole('button', { name: 'Cancel' }).click();
	await expect(dialog).toBeHidden();
	await licenses.expectShown(13);
	// No command was queued (the sync indicator counts none) or sent.
	await expect(page.getByTestId('sync-indicator')).toHaveAttribute('data-queued', '0');
	expect(posted).toEqual([]);
});

test('L9, L13, L14: the customer page shows state, tag, license user and account for its own pools', async ({
	licensed,
	devices
}) => {
	const { server, seed: seeded } = licensed;
	const { page } = await devices.signedIn(server.url, { email: seeded.owner, password: PASSWORD });
	await page.goto(`${server.url}/customers/${seeded.nodes['Litware Inc.']}`);
	const section = page.getByTestId('customer-licenses');
	await expect(section.getByTestId('license-pool')).toHaveCount(2);
	const row = section.locator('[data-testid=license-row][data-public-id="7JK-AA1-001"]');
	await expect(row).toHaveAttribute('data-state', 'warning');
	await expect(row.getByTestId('license-state')).toContainText('Warning');
	await expect(row.getByTestId('license-state-detail')).toHaveText('97 % activated');
	await expect(row.getByTestId('license-user')).toHaveText('Litware Inc. › Wien');
	await expect(row.getByTestId('license-account')).toHaveText('Litware Inc.');
	await expect(row).toContainText('117/120');
	await expect(section.locator('thead').first()).toContainText('Tag');

	await page.goto(`${server.url}/customers/${seeded.nodes['Contoso GmbH']}`);
	const contoso = page
		.getByTestId('customer-licenses')
		.locator('[data-testid=license-row][data-public-id="3AB-XQ4-77K"]');
	await expect(contoso.getByTestId('license-tag')).toHaveText('Contoso GmbH');
	await expect(contoso.getByTestId('license-user')).toHaveText('Contoso GmbH');
	await expect(contoso.getByTestId('license-account')).toHaveText('Northwind IT Services');
	await page.screenshot({ path: '/tmp/shots/e2e-customer-licenses.png', fullPage: true });
});

test('L5: a Help Desk person with one customer sees only its licenses, and no license actions; a read-only person sees all without actions', async ({
	licensed,
	devices
}) => {
	const { server, seed: seeded } = licensed;
	const helpDesk = await devices.signedIn(server.url, { email: seeded.helpDesk, password: PASSWORD });
	const scoped = await openLicenses(helpDesk);
	await scoped.expectShown(5);
	expect((await scoped.publicIds()).sort()).toEqual([
		'3AB-XQ4-14D',
		'3AB-XQ4-55A',
		'3AB-XQ4-77K',
		'3AB-XQ4-81M',
		'9ZZ-OLD-001'
	]);
	await expect(scoped.count('warning')).toHaveAttribute('data-count', '1');
	await expect(helpDesk.page.getByTestId('license-import-open')).toHaveCount(0);
	await expect(helpDesk.page.getByTestId('pool-move')).toHaveCount(0);
	await scoped.row('3AB-XQ4-77K').getByTestId('license-actions').click();
	await expect(helpDesk.page.getByTestId('action-history')).toBeVisible();
	await expect(helpDesk.page.getByTestId('action-delete')).toHaveCount(0);
	await expect(helpDesk.page.getByTestId('action-tag')).toHaveCount(0);
	await helpDesk.page.keyboard.press('Escape');

	const reader = await devices.signedIn(server.url, { email: seeded.reader, password: PASSWORD });
	const all = await openLicenses(reader);
	await all.expectShown(13);
	await expect(reader.page.getByTestId('license-import-open')).toHaveCount(0);
	await all.row('3AB-XQ4-77K').getByTestId('license-actions').click();
	await expect(reader.page.getByTestId('action-history')).toBeVisible();
	await expect(reader.page.getByTestId('action-extend')).toHaveCount(0);
});

test('L8, L11, L15: each action says what it does or why it cannot: the deletion lists every pool of the account, a pool move warns, a trial extended twice cannot be extended again', async ({
	licensed,
	devices
}) => {
	const { server, seed: seeded } = licensed;
	const device = await devices.signedIn(server.url, { email: seeded.owner, password: PASSWORD });
	const { page } = device;
	const posted = postedCommands(page);
	const licenses = await openLicenses(device);

	// L11: deleting one license deletes every pool of its account: the confirmation lists them all.
	await licenses.action('3AB-XQ4-77K', 'action-delete');
	const remove = page.getByTestId('license-delete-dialog');
	await expect(remove.getByTestId('license-delete-pool')).toHaveText([
		'Adatum S.r.l.: 2 licenses',
		'Contoso GmbH: 5 licenses',
		'Fabrikam S.A.: 3 licenses'
	]);
	await expect(remove.getByTestId('license-delete-total')).toHaveText('3 pools with 10 licenses in all.');
	await remove.getByRole('button', { name: 'Cancel' }).click();

	// L8: a license never leaves its pool; the whole pool moves, with the warning, to a chosen group.
	await licenses.action('7JK-AA1-001', 'action-move-pool');
	const move = page.getByTestId('license-move-dialog');
	await expect(move.getByTestId('license-move-warning')).toContainText('affects installers and user security');
	await expect(move.locator(`[data-target-id="${seeded.nodes['Wien']}"]`)).toBeDisabled();
	await expect(move.getByTestId('license-move-confirm')).toHaveCount(0);
	await move.locator(`[data-target-id="${seeded.nodes['Graz']}"]`).click();
	await expect(move.getByTestId('license-move-confirm')).toContainText('Graz');
	await move.getByRole('button', { name: 'Cancel' }).click();

	// L15: a trial extended twice shows the extension disabled, with the reason; another trial may still be extended.
	await (await licenses.reveal('4CD-PL2-12C')).getByTestId('license-actions').click();
	await expect(page.getByTestId('action-extend')).toHaveAttribute('data-disabled', '');
	await expect(page.getByTestId('extend-reason')).toHaveText('Already extended twice, the most a trial allows.');
	await page.keyboard.press('Escape');
	await licenses.action('4CD-PL2-09A', 'action-extend');
	await expect(page.getByTestId('license-extend-dialog')).toContainText('2 extensions are left');
	await page.keyboard.press('Escape');

	// L15: a conversion takes whole units from 1 to the trial's units; anything else is refused in place.
	await licenses.action('4CD-PL2-09A', 'action-convert');
	const convert = page.getByTestId('license-convert-dialog');
	for (const bad of ['0', '26', '2.5']) {
		await convert.getByTestId('license-convert-units').fill(bad);
		await convert.getByTestId('license-convert-confirm').click();
		await expect(convert.getByRole('alert')).toHaveText('Enter a whole number from 1 to 25.');
	}
	await convert.getByRole('button', { name: 'Cancel' }).click();
	// Only trials offer extension and conversion.
	await (await licenses.reveal('3AB-XQ4-77K')).getByTestId('license-actions').click();
	await expect(page.getByTestId('action-extend')).toHaveCount(0);
	await expect(page.getByTestId('action-suspend')).toContainText('Suspend licenses of Contoso GmbH');
	await page.keyboard.press('Escape');
	// Nothing of this was sent: no command was queued (the sync indicator counts none) or sent.
	await expect(page.getByTestId('sync-indicator')).toHaveAttribute('data-queued', '0');
	expect(posted).toEqual([]);
});

test('S60, L11, L15, L16: offline, a deletion and an extension wait in the outbox and show on the rows they touch; the list works from the local copy; the history and the vendor API say they need the server', async ({
	licensed,
	devices
}) => {
	const { server, seed: seeded } = licensed;
	const device = await devices.signedIn(server.url, { email: seeded.owner, password: PASSWORD });
	const { page, net, tree } = device;
	// The service worker controls the page, so that it reloads offline.
	await reloadUnderServiceWorker(page);
	const licenses = await openLicenses(device);
	await net.goOffline();
	await tree.expectOffline();

	// F1: the list, its counts and its filters come from this device's copy.
	await licenses.count('overused').click();
	await licenses.expectShown(1);
	await licenses.count('overused').click();

	await licenses.action('4CD-PL2-09A', 'action-extend');
	await page.getByTestId('license-extend-confirm').click();
	await expect((await licenses.reveal('4CD-PL2-09A')).getByTestId('license-pending')).toHaveText('extension pending');

	await licenses.action('7JK-AA1-002', 'action-delete');
	const remove = page.getByTestId('license-delete-dialog');
	await expect(remove).toContainText('You are offline');
	await remove.getByTestId('license-delete-confirm').click();
	// L11: the whole account goes, so each of its licenses shows the deletion waiting.
	for (const publicId of ['7JK-AA1-001', '7JK-AA1-002', '7JK-AA1-003'])
		await expect(licenses.row(publicId).getByTestId('license-pending')).toHaveText('deletion pending');
	await expect((await licenses.reveal('3AB-XQ4-77K')).getByTestId('license-pending')).toHaveCount(0);

	// What needs the server says so offline: the history (L16) and connecting a vendor API.
	await licenses.action('3AB-XQ4-77K', 'action-history');
	await expect(page.getByTestId('license-history-offline')).toContainText('You are offline');
	await page.keyboard.press('Escape');
	await page.getByTestId('license-connect-open').click();
	await expect(page.getByTestId('license-connect-offline')).toBeVisible();
	await expect(
		page.getByTestId('license-connect-dialog').getByRole('button', { name: 'Connect and synchronize' })
	).toHaveCount(0);
	await page.keyboard.press('Escape');

	// Kept on the device across a reload (the outbox), still pending.
	await page.reload();
	await expect(licenses.table).toBeVisible();
	await expect((await licenses.reveal('7JK-AA1-002')).getByTestId('license-pending')).toHaveText('deletion pending');
	await expect((await licenses.reveal('4CD-PL2-09A')).getByTestId('license-pending')).toHaveText('extension pending');
	// Signing out asks first: these changes have not reached the server.
	await clickSignOut(page);
	await expect(page.getByTestId('sign-out-dialog')).toBeVisible();
	await page.getByRole('button', { name: 'Stay signed in' }).click();
});

test('L14, P9: the states follow the tenant day in its time zone, set in the settings', async ({
	licensed,
	browser
}) => {
	const { server, seed: seeded } = licensed;
	// Noon UTC on the seeded day, on the device's clock from before the sign-in (the lock's idle time reads it too):
	// already the next day on Kiritimati (UTC+14).
	const noon = new Date(`${seeded.today}T12:00:00Z`);
	const contexts: BrowserContext[] = [];
	const signInAtNoon = async (email: string) => {
		const context = await browser.newContext(CONTEXT_OPTIONS);
		contexts.push(context);
		const page = await context.newPage();
		await page.clock.setFixedTime(noon);
		const signIn = new SignInPage(page);
		await signIn.goto(server.url);
		await signIn.submit(email, PASSWORD);
		await new TreePage(page).openFromLanding();
		return page;
	};
	try {
		const page = await signInAtNoon(seeded.owner);
		const licenses = new LicensesPage(page);
		await licenses.open();
		// 14 days left in UTC: still OK (L14: fewer than 14 is expiring soon).
		await expect(licenses.screen).toContainText('(UTC)');
		await expect(await licenses.reveal('3AB-XQ4-14D')).toHaveAttribute('data-state', 'ok');

		await page.getByTestId('nav-settings').click();
		await page.getByTestId('settings-time-zone').selectOption('Pacific/Kiritimati');
		await page.getByRole('button', { name: 'Save settings' }).click();
		await expect(page.getByText('Settings saved.')).toBeVisible();

		await licenses.open();
		await expect(licenses.screen).toContainText('(Pacific/Kiritimati)');
		await expect(await licenses.reveal('3AB-XQ4-14D')).toHaveAttribute('data-state', 'expiringSoon');
		await expect((await licenses.reveal('3AB-XQ4-14D')).getByTestId('license-state-detail')).toHaveText('13 days left');
		await expect(licenses.count('expiringSoon')).toHaveAttribute('data-count', '2');

		// Every signed-in person reads the zone with the settings: a reader's device follows it too.
		const reader = new LicensesPage(await signInAtNoon(seeded.reader));
		await reader.open();
		await expect(reader.row('3AB-XQ4-14D')).toHaveAttribute('data-state', 'expiringSoon');
	} finally {
		await Promise.all(contexts.map((context) => context.close()));
	}
});
