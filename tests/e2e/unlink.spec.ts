// C7: a customer is unlinked from its page after a confirmation; from then on nothing about it can be changed: not on
// its page, not in the tree (menu, F2), on this device and on another one that had the page open.
import { test, expect } from './support/fixtures';

test('C7: unlink a customer from its page; it and its site are read-only on the tree and on the page, here and on another device', async ({
	cliTenant,
	devices
}) => {
	const owner = await devices.signedIn(cliTenant.server.url, cliTenant.owner);
	await owner.tree.addAtRoot('msp', 'Trey Research MSP', 'IT');
	await owner.tree.addChild('Trey Research MSP', 'customer', 'Coho Winery', 'IT');
	await owner.tree.addChild('Trey Research MSP', 'customer', 'Fourth Coffee', 'IT');
	const customer = await owner.tree.openCustomer('Coho Winery');
	await customer.addSite('Verona cellar');
	await customer.addContact({ name: 'Giulia Neri', role: 'Office manager', email: 'giulia@coho.example' });
	await owner.tree.expectInSync();

	// Another person has the same customer page open.
	const admin = await devices.signedIn(cliTenant.server.url, cliTenant.admin);
	const adminCustomer = await admin.tree.openCustomer('Coho Winery');
	await expect(adminCustomer.writeControls.first()).toBeVisible();

	// The confirmation says what unlinking means; cancelling changes nothing.
	await owner.page.getByTestId('customer-unlink-open').click();
	const dialog = owner.page.getByTestId('unlink-dialog');
	await expect(dialog).toBeVisible();
	await expect(dialog).toContainText('cannot be undone');
	await expect(dialog).toContainText('read-only');
	await owner.page.screenshot({ path: '/tmp/shots/unlink-dialog.png' });
	await dialog.getByRole('button', { name: 'Cancel' }).click();
	await expect(dialog).toBeHidden();
	await expect(owner.page.getByTestId('customer-unlinked')).toHaveCount(0);

	await owner.page.getByTestId('customer-unlink-open').click();
	await owner.page.getByTestId('confirm-unlink').click();
	await expect(dialog).toBeHidden();

	// The page: the notice, the Unlinked badge, and no control that changes anything, on both devices.
	for (const page of [customer, adminCustomer]) {
		await expect(page.page.getByTestId('customer-unlinked')).toBeVisible();
		await expect(page.root).toContainText('Unlinked');
		await expect(page.writeControls).toHaveCount(0);
		await expect(page.page.getByTestId('customer-unlink-open')).toHaveCount(0);
		await expect(page.page.getByTestId('customer-group-choice')).toHaveCount(0);
		await expect(page.sites).toHaveText(['Verona cellar']);
		await expect(page.contacts).toHaveCount(1);
	}
	await owner.page.screenshot({ path: '/tmp/shots/unlinked-customer.png' });

	// The tree: the unlinked customer offers only its deletion; its site offers nothing; F2 renames nothing.
	await customer.backToTree();
	await owner.tree.expandAll();
	await owner.tree.openActions('Coho Winery');
	await expect(owner.page.getByTestId('action-delete')).toBeVisible();
	for (const action of ['action-rename', 'action-move', 'action-add-site', 'action-status-normal'])
		await expect(owner.page.getByTestId(action)).toHaveCount(0);
	await owner.page.keyboard.press('Escape');
	await expect(owner.tree.row('Verona cellar').getByTestId('node-actions')).toHaveCount(0);
	await owner.tree.row('Coho Winery').focus();
	await owner.page.keyboard.press('F2');
	await expect(owner.page.getByTestId('rename-dialog')).toHaveCount(0);
	// A linked customer beside it still offers everything.
	await owner.tree.openActions('Fourth Coffee');
	await expect(owner.page.getByTestId('action-rename')).toBeVisible();
	await owner.page.keyboard.press('Escape');
	await owner.page.screenshot({ path: '/tmp/shots/unlinked-tree.png' });

	// Nothing was refused or left unconfirmed on either device: the app never even tried a write.
	await owner.tree.expectInSync();
	await admin.tree.expectInSync();
	await expect(owner.page.getByTestId('rejected-notice')).toHaveCount(0);
});
