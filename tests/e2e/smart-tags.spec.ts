// P10 on screen: the smart tags settings list every tag in use with its customers and colour; a tag coloured, renamed and
// merged there changes every customer carrying it, and the directory and the customer page show the result in colour.
// Checked at 768x1024 (touch) with axe.
import { expect } from './support/fixtures';
import { violations } from './support/axe';
import { DirectoryPage } from './pages/directory-page';
import { test, SEED_PASSWORD as PASSWORD } from './support/directory-tenant';

test('P10: a smart tag coloured, renamed and merged on the settings screen; the directory and the customer page show the result', async ({
	directoryTenant,
	devices
}) => {
	const { server, seed } = directoryTenant;
	const device = await devices.signedIn(server.url, { email: seed.owner, password: PASSWORD });
	const { page } = device;
	await page.getByTestId('nav-settings').click();
	await page.getByTestId('settings-nav-tags').click();
	const screen = page.getByTestId('smart-tags-settings');
	await expect(screen.getByRole('heading', { level: 1 })).toHaveText('Smart tags');
	const row = (tag: string) => screen.locator(`[data-testid=smart-tag-row][data-tag="${tag}"]`);
	await expect(row('bronze').getByTestId('smart-tag-count')).toHaveText('2 customers');
	await expect(row('gold').getByTestId('smart-tag-count')).toHaveText('2 customers');

	await row('bronze').getByTestId('smart-tag-colour').selectOption({ label: 'Amber' });
	await expect(row('bronze').getByTestId('tag-chip')).toHaveAttribute('data-colour', 'amber');

	await row('bronze').getByRole('button', { name: 'Rename “bronze”' }).click();
	const dialog = page.getByTestId('smart-tag-dialog');
	await expect(dialog).toContainText('The new name replaces the tag on 2 customers.');
	await dialog.getByLabel('New name').fill('silver');
	await page.screenshot({ path: '/tmp/shots/smart-tags-rename.png' });
	await dialog.getByTestId('smart-tag-apply').click();
	await expect(dialog).toBeHidden();
	await expect(row('bronze')).toHaveCount(0);
	await expect(row('silver').getByTestId('smart-tag-count')).toHaveText('2 customers');
	await expect(row('silver').getByTestId('tag-chip')).toHaveAttribute('data-colour', 'amber');
	await page.screenshot({ path: '/tmp/shots/smart-tags.png', fullPage: true });
	const serious = (await violations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(serious).toEqual([]);
	// Touch targets on the tablet: every action at least 44 px.
	for (const button of await row('silver').getByRole('button').all()) {
		const box = await button.boundingBox();
		expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
		expect(box?.width ?? 0).toBeGreaterThanOrEqual(44);
	}

	// Merge: gold into silver; Acme, carrying both, ends with one.
	await row('gold').getByRole('button', { name: 'Merge “gold” into another tag' }).click();
	await expect(dialog.getByLabel('Merge into')).toHaveValue('silver');
	await expect(dialog).toContainText('“silver” exists already (2 customers): the two tags are merged.');
	await dialog.getByTestId('smart-tag-apply').click();
	await expect(dialog).toBeHidden();
	await expect(row('gold')).toHaveCount(0);
	await expect(row('silver').getByTestId('smart-tag-count')).toHaveText('3 customers');

	const directory = new DirectoryPage(page);
	await directory.open();
	await expect(directory.row('Acme, Inc.').getByTestId('directory-tags')).toHaveText('silver');
	await expect(directory.row('Müller & Söhne GmbH').getByTestId('directory-tags')).toHaveText('silver');
	await expect(directory.row('Bäckerei Brot').getByTestId('directory-tags')).toHaveText('silver');
	await expect(directory.row('Bäckerei Brot').getByTestId('tag-chip')).toHaveAttribute('data-colour', 'amber');
	await directory.search.fill('bronze');
	await directory.expectShown(0, 5);
	await directory.search.fill('silver');
	await directory.expectNames(['Acme, Inc.', 'Bäckerei Brot', 'Müller & Söhne GmbH']);
	// The customer page shows the renamed tag in its colour too.
	await directory.row('Bäckerei Brot').locator('a.name').click();
	const tags = page.getByTestId('profile-tags');
	await expect(tags).toHaveText('silver');
	await expect(tags.getByTestId('tag-chip')).toHaveAttribute('data-colour', 'amber');
	await device.tree.expectInSync();
});
