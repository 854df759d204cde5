// Creating and editing customers on the tree screen and the customer page (H1-H5).
import { test, expect } from './support/fixtures';

test('H1/H2/H3/H4/H5: add an MSP and a customer under it, open its page, add a site, rename it, see its contact', async ({
	tenant,
	devices
}) => {
	const { page, tree } = await devices.signedIn(tenant.server.url, tenant.owner);

	// H1/H2: an MSP may sit at the top level, a customer under an MSP (the menu only offers allowed kinds).
	await tree.addAtRoot('msp', 'Contoso MSP', 'DE');
	await expect(tree.row('Contoso MSP')).toHaveAttribute('data-kind', 'msp');
	await tree.openActions('Contoso MSP');
	await expect(page.getByTestId('action-add-customer')).toBeVisible();
	await expect(page.getByTestId('action-add-site')).toHaveCount(0);
	await page.getByTestId('action-add-customer').click();
	const dialog = page.getByTestId('add-node-dialog');
	await dialog.locator('#add-name').fill('Fabrikam GmbH');
	await dialog.locator('#add-country').fill('at');
	await dialog.locator('button[type=submit]').click();
	await expect(dialog).toBeHidden();

	// H3: a new customer is 'Not set up', with its icon and label.
	const customerRow = tree.row('Fabrikam GmbH');
	await expect(customerRow).toHaveAttribute('data-kind', 'customer');
	await expect(customerRow).toHaveAttribute('data-depth', '1');
	await expect(customerRow).toContainText('Not set up');
	await expect(customerRow.getByTestId('node-country')).toHaveText('AT');
	await tree.expectInSync();

	// The customer page, through the name's popup (H5 without a contact yet).
	const customer = await tree.openCustomer('Fabrikam GmbH');
	await expect(customer.title).toHaveText('Fabrikam GmbH');
	await customer.addSite('Wien Hauptsitz');
	await expect(customer.sites).toHaveText(['Wien Hauptsitz']);

	// H4: rename from the profile, and set the admin contact that the popup shows (H5).
	await customer.editProfile({
		name: 'Fabrikam Austria GmbH',
		contactName: 'Anna Berger',
		contactEmail: 'anna.berger@fabrikam.example',
		contactPhone: '+43 1 234 5678'
	});
	await expect(customer.title).toHaveText('Fabrikam Austria GmbH');
	await page.screenshot({ path: '/tmp/shots/customer-page.png' });

	await customer.backToTree();
	await expect(tree.row('Fabrikam GmbH')).toHaveCount(0);
	const renamed = tree.row('Fabrikam Austria GmbH');
	await expect(renamed).toBeVisible();
	// The site is the customer's child row.
	await tree.expand('Fabrikam Austria GmbH');
	await expect(tree.row('Wien Hauptsitz')).toHaveAttribute('data-kind', 'site');
	await expect(tree.row('Wien Hauptsitz')).toHaveAttribute('data-depth', '2');

	const popup = await tree.openContact('Fabrikam Austria GmbH');
	await expect(popup).toContainText('Fabrikam Austria GmbH');
	await expect(popup).toContainText('Anna Berger');
	await expect(popup.getByRole('link', { name: 'anna.berger@fabrikam.example' })).toHaveAttribute(
		'href',
		'mailto:anna.berger@fabrikam.example'
	);
	await expect(popup.getByRole('link', { name: '+43 1 234 5678' })).toHaveAttribute('href', 'tel:+4312345678');
	await page.screenshot({ path: '/tmp/shots/tree-contact-popup.png' });
	await page.keyboard.press('Escape');
	await expect(popup).toBeHidden();

	// H4 from the tree as well: the MSP renamed through its row menu.
	await tree.rename('Contoso MSP', 'Contoso Managed Services');
	await expect(tree.row('Contoso Managed Services')).toHaveAttribute('data-kind', 'msp');
	await tree.expectInSync();
});

test('H2: adding at the top level offers only distributor, MSP manager and MSP', async ({ tenant, devices }) => {
	const { page, tree } = await devices.signedIn(tenant.server.url, tenant.owner);
	await page.getByTestId('add-root').click();
	const dialog = page.getByTestId('add-node-dialog');
	// Only the kinds H2 allows at the root are offered.
	await expect(dialog.locator('#add-kind option')).toHaveText(['Distributor', 'MSP manager', 'MSP']);
	await dialog.locator('button', { hasText: 'Cancel' }).click();
	await expect(dialog).toBeHidden();
	await expect(tree.rows).toHaveCount(0);
});
