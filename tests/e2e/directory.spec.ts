// The customer directory on screen (C1, C3, C4, P2, P3, P7, P10): search, sort and filters over a seeded tenant, the view
// in the URL, multi-select with a bulk tag, the row menu, and the CSV export's content. The tenant is seeded before the
// server starts (tests/e2e/support/seed-directory.ts): five customers with licenses in several states on the day the test
// runs, tags, groups, billing types, and the server's summaries (failed job end times, open requests, accounts).
import { expect } from './support/fixtures';
import { DirectoryPage } from './pages/directory-page';
import { test, SEED_PASSWORD as PASSWORD } from './support/directory-tenant';

const BY_NAME = ['Acme, Inc.', 'Bäckerei Brot', 'Müller & Söhne GmbH', 'Omega Ltd', 'Zeta AG'];

test('C1, P3, C4: every customer with its license status; search by name, account or tag; clearing the search shows everyone again', async ({
	directoryTenant,
	devices
}) => {
	const { server, seed } = directoryTenant;
	const device = await devices.signedIn(server.url, { email: seed.owner, password: PASSWORD });
	const directory = new DirectoryPage(device.page);
	await directory.open();

	// C1: every customer, sorted by organization name, each with the worst state of its licenses ("none" without).
	await directory.expectShown(5, 5);
	await directory.expectNames(BY_NAME);
	const license = async (name: string) => directory.row(name).getAttribute('data-license');
	expect(await license('Müller & Söhne GmbH')).toBe('expired');
	expect(await license('Acme, Inc.')).toBe('expiringSoon');
	expect(await license('Omega Ltd')).toBe('ok');
	expect(await license('Zeta AG')).toBe('none');
	await expect(directory.row('Zeta AG').getByTestId('directory-license')).toHaveText('No licenses');
	await expect(directory.row('Acme, Inc.').getByTestId('directory-license')).toHaveText('Expiring soon');
	await expect(directory.row('Acme, Inc.').getByTestId('directory-tags')).toHaveText('bronzegold');

	// P3: the organization name without its accents, a registered account, a tag.
	await directory.search.fill('muller');
	await directory.expectNames(['Müller & Söhne GmbH']);
	await directory.search.fill('it@MUELLER');
	await directory.expectNames(['Müller & Söhne GmbH']);
	await directory.search.fill('ops@acme');
	await directory.expectNames(['Acme, Inc.']);
	await directory.search.fill('bronze');
	await directory.expectNames(['Acme, Inc.', 'Bäckerei Brot']);
	await directory.search.fill('nobody here');
	await expect(device.page.getByTestId('directory-no-matches')).toBeVisible();
	await directory.expectShown(0, 5);

	// C4: clearing the search shows everyone again (the box's own clear button).
	await device.page.getByTestId('directory-search-clear').click();
	await expect(directory.search).toHaveValue('');
	await directory.expectShown(5, 5);
	await directory.expectNames(BY_NAME);
});

test('P2, P7: sort by organization name, failed jobs (in the chosen window of job end time) and open service requests', async ({
	directoryTenant,
	devices
}) => {
	const { server, seed } = directoryTenant;
	const device = await devices.signedIn(server.url, { email: seed.owner, password: PASSWORD });
	const directory = new DirectoryPage(device.page);
	await directory.open();
	const failed = (name: string) => directory.row(name).getByTestId('directory-failed-jobs');

	// The last 7 days by default: Acme 4, Müller 2, Bäckerei 1, Omega (8 days ago) and Zeta 0, ties by name.
	await directory.sortBy('failedJobs');
	await directory.expectNames(['Acme, Inc.', 'Müller & Söhne GmbH', 'Bäckerei Brot', 'Omega Ltd', 'Zeta AG']);
	await expect(device.page.locator('[data-column=failedJobs][aria-sort]')).toHaveAttribute('aria-sort', 'descending');
	await expect(failed('Acme, Inc.')).toHaveText('4');
	await directory.sortBy('failedJobs');
	await directory.expectNames(['Omega Ltd', 'Zeta AG', 'Bäckerei Brot', 'Müller & Söhne GmbH', 'Acme, Inc.']);

	// P2: the window of job end times changes the figures: 24 h leaves Acme's job of 30 h ago out, 30 days counts Omega's.
	await device.page.getByTestId('directory-window').selectOption('24h');
	await expect(failed('Acme, Inc.')).toHaveText('3');
	await expect(failed('Omega Ltd')).toHaveText('0');
	await device.page.getByTestId('directory-window').selectOption('30d');
	await expect(failed('Omega Ltd')).toHaveText('1');

	// P2: by open service requests, most first.
	await directory.sortBy('openRequests');
	await directory.expectNames(['Zeta AG', 'Bäckerei Brot', 'Müller & Söhne GmbH', 'Acme, Inc.', 'Omega Ltd']);

	// P7: by organization name, both ways.
	await directory.sortBy('name');
	await directory.expectNames(BY_NAME);
	await directory.sortBy('name');
	await directory.expectNames([...BY_NAME].reverse());

	// The view is in the URL: a reload (a shared link) shows the same order and window.
	await expect(device.page).toHaveURL(/\/customers\?desc=1&window=30d$/);
	await device.page.reload();
	await directory.expectNames([...BY_NAME].reverse());
	await expect(device.page.getByTestId('directory-window')).toHaveValue('30d');
});

test('P10, C3, C5, C6, C1: filters by smart tag, group, billing type, license status and "Show only my protection"', async ({
	directoryTenant,
	devices
}) => {
	const { server, seed } = directoryTenant;
	const device = await devices.signedIn(server.url, { email: seed.owner, password: PASSWORD });
	const page = device.page;
	const directory = new DirectoryPage(page);
	await directory.open();

	await page.getByTestId('directory-filter-tag').selectOption('gold');
	await directory.expectNames(['Acme, Inc.', 'Müller & Söhne GmbH']);
	// A link with the filter reproduces the view.
	await expect(page).toHaveURL(/[?&]tag=gold/);
	await page.reload();
	await directory.expectNames(['Acme, Inc.', 'Müller & Söhne GmbH']);
	await expect(page.getByTestId('directory-filter-tag')).toHaveValue('gold');
	await page.getByTestId('directory-filters-clear').click();
	await directory.expectShown(5, 5);

	await page.getByTestId('directory-filter-group').selectOption({ label: 'North' });
	await directory.expectNames(['Müller & Söhne GmbH', 'Zeta AG']);
	await page.getByTestId('directory-filter-billing').selectOption('trial');
	await directory.expectNames(['Zeta AG']);
	await page.getByTestId('directory-filters-clear').click();

	await page.getByTestId('directory-filter-license').selectOption('expired');
	await directory.expectNames(['Bäckerei Brot', 'Müller & Söhne GmbH']);
	await page.getByTestId('directory-filter-license').selectOption('');

	// C3: only customers with an active license category, and only the active categories shown.
	await expect(directory.row('Müller & Söhne GmbH').getByTestId('directory-products')).toHaveText(
		'Endpoint Security, Mail Security'
	);
	await page.getByTestId('directory-my-protection').check();
	await directory.expectNames(['Acme, Inc.', 'Müller & Söhne GmbH', 'Omega Ltd']);
	await expect(directory.row('Müller & Söhne GmbH').getByTestId('directory-products')).toHaveText('Endpoint Security');
});

test('P10, P7: multi-select tags customers in bulk; the row menu offers the portal only with partner assistance', async ({
	directoryTenant,
	devices
}) => {
	const { server, seed } = directoryTenant;
	const device = await devices.signedIn(server.url, { email: seed.owner, password: PASSWORD });
	const page = device.page;
	const directory = new DirectoryPage(page);
	await directory.open();

	await directory.row('Zeta AG').getByTestId('directory-row-select').check();
	await directory.row('Omega Ltd').getByTestId('directory-row-select').check();
	await expect(page.getByTestId('directory-selected-count')).toHaveAttribute('data-count', '2');
	await page.getByTestId('directory-bulk-tag').click();
	await page.getByTestId('directory-tag-input').fill('vip');
	await page.getByTestId('directory-tag-add').click();
	await expect(page.getByTestId('directory-tag-dialog')).toBeHidden();
	await page.getByTestId('directory-filter-tag').selectOption('vip');
	await directory.expectNames(['Omega Ltd', 'Zeta AG']);

	// Select all shown, then the filter goes: the selection holds what was shown.
	await page.getByTestId('directory-filters-clear').click();
	await page.getByTestId('directory-select-all').check();
	await expect(page.getByTestId('directory-selected-count')).toHaveAttribute('data-count', '5');
	await page.getByTestId('directory-select-all').uncheck();
	await expect(page.getByTestId('directory-bulk')).toBeHidden();

	// C2: no partner assistance, no portal: the item says why.
	const menu = await directory.openMenu('Bäckerei Brot');
	await expect(menu.getByTestId('directory-action-portal')).toHaveAttribute('data-disabled', '');
	await expect(menu.getByTestId('directory-portal-reason')).toHaveText('Partner assistance is off');
	await expect(menu.getByTestId('directory-action-remove')).toBeVisible();
	await menu.getByTestId('directory-action-view').click();
	await expect(page).toHaveURL(new RegExp(`/customers/${seed.customers['Bäckerei Brot']}$`));

	// P7 "manage licenses": the license screen narrowed to the customer; the filter can be dropped there.
	await page.goBack();
	await directory.expectShown(5, 5);
	await (await directory.openMenu('Müller & Söhne GmbH')).getByTestId('directory-action-licenses').click();
	await expect(page).toHaveURL(new RegExp(`/licenses\\?customer=${seed.customers['Müller & Söhne GmbH']}$`));
	const licensesShown = page.getByTestId('license-shown');
	await expect(licensesShown).toHaveAttribute('data-shown', '2');
	await expect(licensesShown).toHaveAttribute('data-total', '5');
	await expect(page.getByTestId('filter-customer')).toContainText('Müller & Söhne GmbH');
	await page.getByTestId('filter-customer').getByRole('button').click();
	await expect(licensesShown).toHaveAttribute('data-shown', '5');
});

test('P7: the CSV export of the selection and of one customer: BOM, header, quoted commas, umlauts, dated file name', async ({
	directoryTenant,
	devices
}) => {
	const { server, seed } = directoryTenant;
	const device = await devices.signedIn(server.url, { email: seed.owner, password: PASSWORD });
	const page = device.page;
	const directory = new DirectoryPage(page);
	await directory.open();

	await directory.row('Müller & Söhne GmbH').getByTestId('directory-row-select').check();
	await directory.row('Acme, Inc.').getByTestId('directory-row-select').check();
	const { name, bytes } = await directory.download(page.getByTestId('directory-bulk-export'));
	expect(name).toBe(`customers-${seed.today}.csv`);
	// UTF-8 with a BOM, so that spreadsheet programs read the umlauts right.
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const lines = bytes.toString('utf8').slice(1).split('\r\n');
	expect(lines[0]).toBe(
		'Organization,Status,Country,License status,Products,Tags,Groups,Billing type,Failed jobs (Last 7 days),Open requests,Registered accounts'
	);
	expect(lines[1]).toBe(
		'"Acme, Inc.",Normal,US,Expiring soon,Server Security,bronze; gold,,Monthly,4,0,ops@acme.example'
	);
	expect(lines[2]).toBe(
		'Müller & Söhne GmbH,Normal,DE,Expired,Endpoint Security; Mail Security,gold,North,Term,2,1,joerg@mueller.example; it@mueller.example'
	);
	expect(lines.slice(3)).toEqual(['']);

	// One customer from its menu.
	const menu = await directory.openMenu('Bäckerei Brot');
	const single = await directory.download(menu.getByTestId('directory-action-export'));
	expect(single.name).toBe(`backerei-brot-${seed.today}.csv`);
	const singleLines = single.bytes.toString('utf8').split('\r\n');
	expect(singleLines[1]).toBe('Bäckerei Brot,Normal,AT,Expired,Endpoint Security,bronze,,,1,2,chef@brot.example');
});

test('P16, P7: a read-only person reads and exports the directory but is offered no change; rows move with the keyboard', async ({
	directoryTenant,
	devices
}) => {
	const { server, seed } = directoryTenant;
	const device = await devices.signedIn(server.url, { email: seed.reader, password: PASSWORD });
	const page = device.page;
	const directory = new DirectoryPage(page);
	await directory.open();
	await directory.expectShown(5, 5);
	await expect(page.getByTestId('directory-invite')).toHaveCount(0);

	// Keyboard: the arrows, End and Home move the focused row; Space selects it.
	await directory.rows.first().focus();
	await page.keyboard.press('ArrowDown');
	await expect(directory.row('Bäckerei Brot')).toBeFocused();
	await page.keyboard.press('End');
	await expect(directory.row('Zeta AG')).toBeFocused();
	await page.keyboard.press('Space');
	await expect(directory.row('Zeta AG')).toHaveAttribute('aria-selected', 'true');
	await page.keyboard.press('Home');
	await expect(directory.row('Acme, Inc.')).toBeFocused();

	await expect(page.getByTestId('directory-bulk-export')).toBeVisible();
	await expect(page.getByTestId('directory-bulk-tag')).toHaveCount(0);
	const menu = await directory.openMenu('Zeta AG');
	await expect(menu.getByTestId('directory-action-export')).toBeVisible();
	await expect(menu.getByTestId('directory-action-view')).toBeVisible();
	for (const action of ['remove', 'backup', 'service'])
		await expect(menu.getByTestId(`directory-action-${action}`)).toHaveCount(0);
});
