// F1 offline on a customer's page. The background catch-up (S28) brings every customer into the device's local copy, so a
// customer never opened on this device still shows its contacts offline; one it could not fetch says so instead of "none".
import { decodeBatchRequest } from '../../src/lib/data/sync/batch';
import { expect, test, type Device } from './support/fixtures';

/** The office sets up an MSP with `customers` under it, the first of them with Lucía as its contact, and waits for the server. */
async function officeWithFabrikam(office: Device, customers: readonly string[] = ['Fabrikam S.A.']): Promise<void> {
	await office.tree.addAtRoot('msp', 'Northwind MSP');
	for (const name of customers) await office.tree.addChild('Northwind MSP', 'customer', name);
	const officeCustomer = await office.tree.openCustomer(customers[0]!);
	await officeCustomer.addContact({ name: 'Lucía Pérez', email: 'lucia@fabrikam.example' });
	await expect(officeCustomer.contacts).toHaveCount(1);
	await office.tree.expectInSync();
}

test('F1 (S28): a customer never opened on this device shows its contacts offline; the sync details say customers are available offline', async ({
	tenant,
	devices
}) => {
	await officeWithFabrikam(await devices.signedIn(tenant.server.url, tenant.owner), ['Fabrikam S.A.', 'Contoso GmbH']);

	// The tablet signs in at the office and never opens Fabrikam's page while online.
	const tablet = await devices.signedIn(tenant.server.url, tenant.owner);
	await tablet.page.getByTestId('sync-indicator').getByRole('button').click();
	const catchUp = tablet.page.getByTestId('sync-catch-up');
	await expect(catchUp).toHaveAttribute('data-running', 'false');
	await expect(catchUp).toContainText('Customers available offline: 2');
	await tablet.page.keyboard.press('Escape');

	await tablet.net.goOffline();
	await tablet.tree.expectOffline();
	await tablet.page.reload();
	await tablet.tree.expand('Northwind MSP');
	const customer = await tablet.tree.openCustomer('Fabrikam S.A.');
	await expect(customer.contacts).toHaveCount(1);
	await expect(customer.contacts.first()).toContainText('Lucía Pérez');
});

test('F1/F3: offline, a customer whose data never reached this device says its contacts are not here yet; online they arrive', async ({
	tenant,
	devices
}) => {
	await officeWithFabrikam(await devices.signedIn(tenant.server.url, tenant.owner));

	// The tablet's customer documents cannot get through (say, a proxy drops them): only the tree arrives.
	const tablet = await devices.signedIn(tenant.server.url, tenant.owner, { holdSockets: /customer:/ });
	await tablet.tree.expand('Northwind MSP');
	await expect(tablet.tree.row('Fabrikam S.A.')).toBeVisible();
	await tablet.net.goOffline();
	await tablet.tree.expectOffline();
	const customer = await tablet.tree.openCustomer('Fabrikam S.A.');
	await expect(tablet.page.getByTestId('contacts-empty')).toContainText('not on this device yet');

	tablet.net.holdSockets(null);
	await tablet.net.goOnline();
	await expect(customer.contacts).toHaveCount(1);
	await expect(customer.contacts.first()).toContainText('Lucía Pérez');

	// Once synced, the same customer opened offline shows its contacts from this device.
	await tablet.tree.expectInSync();
	await tablet.net.goOffline();
	await tablet.page.reload();
	await expect(customer.contacts.first()).toContainText('Lucía Pérez');
});

test('S32, S126: after a reload the catch-up asks only for the customers that changed on the server since, in a batch', async ({
	tenant,
	devices
}) => {
	const office = await devices.signedIn(tenant.server.url, tenant.owner);
	await office.tree.addAtRoot('msp', 'Northwind MSP');
	await office.tree.addChild('Northwind MSP', 'customer', 'Fabrikam S.A.');
	await office.tree.addChild('Northwind MSP', 'customer', 'Contoso GmbH');
	await office.tree.addChild('Northwind MSP', 'customer', 'Tailspin Toys');
	await office.tree.expectInSync();

	const tablet = await devices.signedIn(tenant.server.url, tenant.owner);
	const indicator = tablet.page.getByTestId('sync-indicator');
	await expect(indicator).toHaveAttribute('data-catch-up', 'done');

	// Meanwhile one customer changes on the server.
	const contoso = await office.tree.openCustomer('Contoso GmbH');
	await contoso.addContact({ name: 'Jonas Weber', email: 'jonas@contoso.example' });
	await expect(contoso.contacts).toHaveCount(1);
	await office.tree.expectInSync();
	const contosoDoc = `customer:${await contoso.id()}`;

	const sockets: string[] = [];
	const batched: string[] = [];
	tablet.page.on('websocket', (ws) => sockets.push(decodeURIComponent(new URL(ws.url()).pathname)));
	tablet.page.on('request', (request) => {
		const body = request.postDataBuffer();
		if (request.url().endsWith('/api/sync/batch') && body !== null)
			batched.push(...decodeBatchRequest(new Uint8Array(body)).map((entry) => entry.docName));
	});
	await tablet.page.reload();
	await tablet.tree.expectInSync();
	await expect(indicator).toHaveAttribute('data-catch-up', 'done');
	// No socket per customer document (S126): the changed one comes in a batch, the others are not asked for.
	expect(sockets.filter((path) => path.includes('customer:'))).toEqual([]);
	expect(batched).toEqual([contosoDoc]);

	// Offline, the changed customer shows what changed; the others still show what they had.
	await tablet.net.goOffline();
	await tablet.tree.expandAll();
	const customer = await tablet.tree.openCustomer('Contoso GmbH');
	await expect(customer.contacts.first()).toContainText('Jonas Weber');
});
