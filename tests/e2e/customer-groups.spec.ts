// C5: a Super Admin manages customer groups in the settings; the customer page lists the groups a customer belongs to
// and adds it to an existing one; an Admin adds and removes customers but cannot manage the groups themselves.
import { test, expect } from './support/fixtures';

test('C5: groups are created, renamed and deleted in the settings by a Super Admin; a customer is added to one on its page', async ({
	cliTenant,
	devices
}) => {
	const owner = await devices.signedIn(cliTenant.server.url, cliTenant.owner);
	await owner.tree.addAtRoot('msp', 'Trey Research MSP', 'IT');
	await owner.tree.addChild('Trey Research MSP', 'customer', 'Coho Winery', 'IT');

	// Settings: create two groups, rename one.
	await owner.page.getByTestId('nav-settings').click();
	const section = owner.page.getByTestId('customer-groups-settings');
	await expect(section).toBeVisible();
	await expect(section).toContainText('No customer groups yet.');
	for (const name of ['Retail', 'Alpine']) {
		await section.getByLabel('Group name').fill(name);
		await section.getByTestId('group-create').click();
	}
	await expect(section.getByTestId('group-name')).toHaveText(['Alpine', 'Retail']);
	await section.getByRole('button', { name: 'Rename group “Alpine”' }).click();
	await section.locator('#group-rename').fill('Alps and Dolomites');
	await section.getByTestId('group-rename-save').click();
	await expect(section.getByTestId('group-name')).toHaveText(['Alps and Dolomites', 'Retail']);
	// An empty name is refused at the field and creates nothing.
	await section.getByLabel('Group name').fill('   ');
	await section.getByTestId('group-create').click();
	await expect(section).toContainText('A group needs a name');
	await expect(section.getByTestId('group-row')).toHaveCount(2);
	await owner.page.screenshot({ path: '/tmp/shots/customer-groups-settings.png', fullPage: true });

	// The customer page: no group yet; add it to both, remove one.
	await owner.page.getByRole('link', { name: 'MSP tree' }).click();
	await owner.tree.openCustomer('Coho Winery');
	const groups = owner.page.getByTestId('customer-groups');
	await expect(groups.getByTestId('customer-groups-empty')).toBeVisible();
	for (const name of ['Retail', 'Alps and Dolomites']) {
		await groups.getByTestId('customer-group-choice').selectOption({ label: name });
		await groups.getByTestId('customer-group-add').click();
	}
	await expect(groups.getByTestId('customer-group')).toHaveText(['Alps and Dolomites', 'Retail']);
	await groups.getByRole('button', { name: 'Remove from group “Alps and Dolomites”' }).click();
	await expect(groups.getByTestId('customer-group')).toHaveText(['Retail']);
	await owner.page.screenshot({ path: '/tmp/shots/customer-groups-page.png' });
	await owner.tree.expectInSync();

	// An Admin (customers.edit, no groups.manage) sees the membership and may change it, but not the groups.
	const admin = await devices.signedIn(cliTenant.server.url, cliTenant.admin);
	await admin.tree.openCustomer('Coho Winery');
	const adminGroups = admin.page.getByTestId('customer-groups');
	await expect(adminGroups.getByTestId('customer-group')).toHaveText(['Retail']);
	await expect(adminGroups.getByTestId('customer-group-choice')).toBeVisible();
	await admin.page.getByTestId('nav-settings').click();
	await expect(admin.page.getByTestId('settings-form').or(admin.page.getByTestId('settings-offline'))).toBeVisible();
	await expect(admin.page.getByTestId('customer-groups-settings')).toHaveCount(0);

	// Deleting a group takes the customer out of it (the customer stays).
	await owner.page.getByTestId('nav-settings').click();
	await section.getByRole('button', { name: 'Delete group “Retail”' }).click();
	const dialog = owner.page.getByTestId('group-delete-dialog');
	await expect(dialog).toContainText('Customers in it: 1.');
	await dialog.getByTestId('confirm-group-delete').click();
	await expect(section.getByTestId('group-name')).toHaveText(['Alps and Dolomites']);
	await owner.page.getByRole('link', { name: 'MSP tree' }).click();
	await owner.tree.openCustomer('Coho Winery');
	await expect(groups.getByTestId('customer-groups-empty')).toBeVisible();
	await owner.tree.expectInSync();
});
