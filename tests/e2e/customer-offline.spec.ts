// A customer this device never opened, opened offline: the page says its data is not here yet instead of "no contacts".
import { expect, test } from './support/fixtures';

test('F1/F3: offline, a never-opened customer says its contacts are not on this device yet; online they arrive', async ({
	tenant,
	devices
}) => {
	const office = await devices.signedIn(tenant.server.url, tenant.owner);
	await office.tree.addAtRoot('msp', 'Northwind MSP');
	await office.tree.addChild('Northwind MSP', 'customer', 'Fabrikam S.A.');
	const officeCustomer = await office.tree.openCustomer('Fabrikam S.A.');
	await officeCustomer.addContact({ name: 'Lucía Pérez', email: 'lucia@fabrikam.example' });
	await expect(officeCustomer.contacts).toHaveCount(1);
	await office.tree.expectInSync();

	const tablet = await devices.signedIn(tenant.server.url, tenant.owner);
	await tablet.tree.expand('Northwind MSP');
	await expect(tablet.tree.row('Fabrikam S.A.')).toBeVisible();
	await tablet.net.goOffline();
	await tablet.tree.expectOffline();
	const customer = await tablet.tree.openCustomer('Fabrikam S.A.');
	await expect(tablet.page.getByTestId('contacts-empty')).toContainText('not on this device yet');

	await tablet.net.goOnline();
	await expect(customer.contacts).toHaveCount(1);
	await expect(customer.contacts.first()).toContainText('Lucía Pérez');

	// Once synced, the same customer opened offline shows its contacts from this device.
	await tablet.tree.expectInSync();
	await tablet.net.goOffline();
	await tablet.page.reload();
	await expect(customer.contacts.first()).toContainText('Lucía Pérez');
});
