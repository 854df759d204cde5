// F4: two people on the same customer page see each other, see who is editing, and see a person leave.
import { test, expect } from './support/fixtures';

test('F4: two people on one customer see each other and who is editing, and no longer see one who left', async ({
	cliTenant,
	devices
}) => {
	const { owner: ownerAccount, admin: adminAccount } = cliTenant;
	const owner = await devices.signedIn(cliTenant.server.url, ownerAccount);
	await owner.tree.addAtRoot('msp', 'Litware MSP', 'FR');
	await owner.tree.addChild('Litware MSP', 'customer', 'Tailspin Toys', 'FR');
	const admin = await devices.signedIn(cliTenant.server.url, adminAccount);
	await expect(admin.tree.row('Tailspin Toys')).toBeVisible();

	const ownerCustomer = await owner.tree.openCustomer('Tailspin Toys');
	// Alone on the page: the strip shows nobody.
	await expect(ownerCustomer.presence).toBeAttached();
	await expect(ownerCustomer.presencePeers).toHaveCount(0);

	const adminCustomer = await admin.tree.openCustomer('Tailspin Toys');
	const adminSeenByOwner = ownerCustomer.presencePeer(adminAccount.email);
	const ownerSeenByAdmin = adminCustomer.presencePeer(ownerAccount.email);
	await expect(adminSeenByOwner).toContainText(adminAccount.email);
	await expect(ownerSeenByAdmin).toContainText(ownerAccount.email);
	// Each sees only the other (not themselves), in a list named by its visible label.
	await expect(ownerCustomer.presencePeers).toHaveCount(1);
	await expect(adminCustomer.presencePeers).toHaveCount(1);
	await expect(owner.page.getByRole('list', { name: 'Also here:' }).getByRole('listitem')).toHaveCount(1);
	await expect(adminSeenByOwner.getByTestId('presence-editing')).toHaveCount(0);

	// The admin starts adding a contact: the owner sees them editing until the dialog is closed.
	await admin.page.getByTestId('add-contact').click();
	const dialog = admin.page.getByTestId('contact-dialog');
	await expect(dialog).toBeVisible();
	await expect(adminSeenByOwner.getByTestId('presence-editing')).toHaveText('editing contacts');
	await expect(adminSeenByOwner).toHaveAttribute('data-editing', 'contact');
	await owner.page.screenshot({ path: '/tmp/shots/presence-editing.png' });
	await dialog.locator('#c-name').fill('Ana Silva');
	await dialog.locator('button[type=submit]').click();
	await expect(dialog).toBeHidden();
	await expect(ownerCustomer.contacts).toContainText(['Ana Silva']);
	await expect(adminSeenByOwner.getByTestId('presence-editing')).toHaveCount(0);

	// The owner opens the profile form: the admin sees it.
	await owner.page.getByTestId('edit-profile').click();
	await expect(ownerSeenByAdmin.getByTestId('presence-editing')).toHaveText('editing the profile');
	await owner.page.getByTestId('profile-form').getByRole('button', { name: 'Cancel' }).click();
	await expect(ownerSeenByAdmin.getByTestId('presence-editing')).toHaveCount(0);

	// The admin leaves the page: the owner no longer sees them.
	await adminCustomer.backToTree();
	await expect(ownerCustomer.presencePeers).toHaveCount(0);

	// Back again, then the admin's tab closes without leaving the page: the relay drops their presence (S13).
	await admin.tree.openCustomer('Tailspin Toys');
	await expect(adminSeenByOwner).toBeVisible();
	await admin.page.close();
	await expect(ownerCustomer.presencePeers).toHaveCount(0);
});
