// F5, F7: a technician keeps customers on the tablet before a visit ("make available offline"): pinned from the directory
// or, a whole subtree, from the tree; marked "on this device" with the time of their last sync, held live (their socket
// stays open after the catch-up let the others go), listed by the "On this device" filters beside the storage in use, and
// opened offline after a reload with their contacts.
import type { WebSocket } from '@playwright/test';
import { expect, test, type Device } from './support/fixtures';
import { DirectoryPage } from './pages/directory-page';
import { CustomerPage } from './pages/customer-page';

/** The office sets up an MSP with two customers, Lucía as Fabrikam's contact; answers Fabrikam's id. */
async function officeWithCustomers(office: Device): Promise<string> {
	await office.tree.addAtRoot('msp', 'Northwind MSP');
	await office.tree.addChild('Northwind MSP', 'customer', 'Fabrikam S.A.');
	await office.tree.addChild('Northwind MSP', 'customer', 'Contoso GmbH');
	const fabrikam = await office.tree.openCustomer('Fabrikam S.A.');
	await fabrikam.addContact({ name: 'Lucía Pérez', email: 'lucia@fabrikam.example' });
	await expect(fabrikam.contacts).toHaveCount(1);
	const id = await fabrikam.id();
	await fabrikam.backToTree();
	await office.tree.expectInSync();
	return id;
}

test('F5, F7 (S137, S138): a customer pinned in the directory is on this device with its sync time, held live, and opens offline with its contacts', async ({
	tenant,
	devices
}) => {
	const fabrikamId = await officeWithCustomers(await devices.signedIn(tenant.server.url, tenant.owner));

	const tablet = await devices.signedIn(tenant.server.url, tenant.owner);
	const sockets: WebSocket[] = [];
	tablet.page.on('websocket', (ws) => sockets.push(ws));
	const fabrikamSockets = () => sockets.filter((ws) => decodeURIComponent(ws.url()).endsWith(`customer:${fabrikamId}`));

	const directory = new DirectoryPage(tablet.page);
	await directory.open();
	const menu = await directory.openMenu('Fabrikam S.A.');
	await menu.getByTestId('directory-action-pin').click();
	const mark = directory.row('Fabrikam S.A.').getByTestId('offline-mark');
	await expect(mark).toHaveAttribute('data-state', 'live');
	await expect(directory.row('Contoso GmbH').getByTestId('offline-mark')).toHaveCount(0);

	// "On this device": only Fabrikam, with the storage in use beside it.
	await tablet.page.getByTestId('directory-on-device').check();
	await directory.expectNames(['Fabrikam S.A.']);
	const panel = tablet.page.getByTestId('device-storage-panel');
	await expect(panel).toHaveAttribute('data-pinned', '1');
	await expect(panel.getByTestId('device-storage-pinned')).toContainText('1 customer kept offline');
	await expect(panel.getByTestId('device-storage-usage')).toContainText('Storage on this device:');
	await tablet.page.screenshot({ path: '/tmp/shots/pins-directory.png' });

	// S137: once the background catch-up is done and has let its documents go, the pinned one's socket stays open.
	await expect(tablet.tree.indicator).toHaveAttribute('data-catch-up', 'done');
	await expect.poll(() => fabrikamSockets().some((ws) => !ws.isClosed())).toBe(true);

	// The customer page says so too, and offers to stop.
	await directory.row('Fabrikam S.A.').getByRole('link', { name: 'Fabrikam S.A.' }).click();
	await expect(tablet.page.getByTestId('customer-offline').getByTestId('offline-mark')).toContainText('On this device');
	await expect(tablet.page.getByTestId('customer-pin')).toHaveText('Stop keeping offline');
	await tablet.page.screenshot({ path: '/tmp/shots/pins-customer.png' });

	// Offline, reloaded: the pinned customer opens from this device with its contacts and the time of its last sync.
	await tablet.net.goOffline();
	await tablet.tree.expectOffline();
	await tablet.page.reload();
	const customer = new CustomerPage(tablet.page);
	await expect(customer.title).toHaveText('Fabrikam S.A.');
	await expect(customer.contacts).toHaveCount(1);
	await expect(customer.contacts.first()).toContainText('Lucía Pérez');
	const offlineMark = tablet.page.getByTestId('customer-offline').getByTestId('offline-mark');
	await expect(offlineMark).toHaveAttribute('data-state', 'synced');
	await expect(offlineMark).toContainText('On this device · synced');

	// Back online, unpinned: the mark goes and the live socket is let go.
	await tablet.net.goOnline();
	await tablet.tree.expectInSync();
	await tablet.page.getByTestId('customer-pin').click();
	await expect(tablet.page.getByTestId('customer-offline').getByTestId('offline-mark')).toHaveCount(0);
	await customer.backToTree();
	await expect.poll(() => fabrikamSockets().every((ws) => ws.isClosed())).toBe(true);
});

test('F5: a pinned subtree covers the customers under it, later ones too; the tree filters to what is on this device', async ({
	tenant,
	devices
}) => {
	const office = await devices.signedIn(tenant.server.url, tenant.owner);
	await officeWithCustomers(office);
	await office.tree.addAtRoot('msp', 'Contoso MSP');
	await office.tree.addChild('Contoso MSP', 'customer', 'Tailspin Toys');
	await office.tree.expectInSync();

	const tablet = await devices.signedIn(tenant.server.url, tenant.owner);
	await tablet.tree.row('Northwind MSP').getByTestId('tree-pin').click();
	await expect(tablet.tree.row('Northwind MSP').getByTestId('tree-pin')).toHaveAttribute('aria-pressed', 'true');
	await tablet.tree.expandAll();
	for (const name of ['Fabrikam S.A.', 'Contoso GmbH'])
		await expect(tablet.tree.row(name).getByTestId('offline-mark')).toHaveAttribute('data-state', 'live');
	await expect(tablet.tree.row('Tailspin Toys').getByTestId('offline-mark')).toHaveCount(0);

	// A customer the office adds under the pinned MSP later is kept on this device too.
	await office.tree.addChild('Northwind MSP', 'customer', 'Litware Inc.');
	await office.tree.expectInSync();
	await expect(tablet.tree.row('Litware Inc.').getByTestId('offline-mark')).toHaveAttribute('data-state', 'live');

	// "On this device": the pinned MSP's customers and the MSP above them; not Contoso MSP.
	await tablet.page.getByTestId('tree-on-device').click();
	await expect(tablet.page.getByTestId('device-storage-panel')).toHaveAttribute('data-pinned', '3');
	await expect
		.poll(() => tablet.tree.snapshot().then((rows) => rows.map((row) => row.name).sort()))
		.toEqual(['Contoso GmbH', 'Fabrikam S.A.', 'Litware Inc.', 'Northwind MSP']);
	await expect(tablet.tree.rows.first()).toHaveAttribute('data-kind', 'msp');
	await tablet.page.screenshot({ path: '/tmp/shots/pins-tree.png' });
});
