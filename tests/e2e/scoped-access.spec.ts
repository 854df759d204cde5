// H6, L5, P16: a person granted one customer sees only that customer, offline too; when an operator narrows the grant
// while the person is connected, the device learns it at once and removes the copies it may no longer read.
import { runCli } from './support/cli';
import { CONTEXT_OPTIONS, expect, PASSWORD, test } from './support/fixtures';
import { invitationLinkTo } from './support/outbox';
import { storedDocNames } from './support/local-store';
import { TreePage } from './pages/tree-page';

test('H6/L5: a customer user sees only their customer, offline too; a changed grant closes, reloads and removes the rest', async ({
	tenant,
	devices
}) => {
	const office = await devices.signedIn(tenant.server.url, tenant.owner);
	await office.tree.addAtRoot('msp', 'Northwind MSP');
	await office.tree.addChild('Northwind MSP', 'customer', 'Fabrikam S.A.');
	await office.tree.addChild('Northwind MSP', 'customer', 'Contoso GmbH');
	const fabrikam = await office.tree.openCustomer('Fabrikam S.A.');
	await fabrikam.addContact({ name: 'Lucía Pérez', email: 'lucia@fabrikam.example' });
	const fabrikamId = new URL(office.page.url()).pathname.split('/').at(-1)!;
	await office.page.goBack();
	await office.tree.expand('Northwind MSP');
	await office.tree.openCustomer('Contoso GmbH');
	const contosoId = new URL(office.page.url()).pathname.split('/').at(-1)!;
	await office.tree.expectInSync();

	// The customer's own user (L5): read-only, granted Fabrikam alone; created while the server runs.
	const customerUser = { email: 'it@fabrikam.example', password: PASSWORD };
	await runCli(tenant.server.dataDir, [
		...['user', 'create', '--tenant', tenant.tenantId, '--email', customerUser.email],
		...['--password', PASSWORD, '--role', 'readOnly', '--grant', `customer:${fabrikamId}`]
	]);
	const device = await devices.signedIn(tenant.server.url, customerUser);
	await expect(device.tree.rows).toHaveCount(1);
	await expect(device.tree.rows.first()).toContainText('Fabrikam S.A.');
	await expect(device.tree.readOnlyBadge).toBeVisible();
	const page = await device.tree.openCustomer('Fabrikam S.A.');
	await expect(page.contacts).toHaveCount(1);

	// Offline, after a reload: the same single customer and its contact, from the device's copies.
	await device.net.goOffline();
	await device.page.reload();
	await expect(page.contacts.first()).toContainText('Lucía Pérez');
	await device.net.goOnline();
	await device.tree.expectInSync();
	expect(await localDocs(device.page)).toContain(`customer:${fabrikamId}`);

	// An operator moves the grant to Contoso while the device has Fabrikam open: its socket closes (4409), the app learns
	// the new access, shows what it may now read and removes what it may no longer read.
	await runCli(tenant.server.dataDir, ['user', 'access', customerUser.email, '--grant', `customer:${contosoId}`]);
	await expect(device.page.getByTestId('access-removed-notice')).toContainText('1 customer');
	await device.page.goto(`${tenant.server.url}/tree`);
	await expect(device.tree.rows).toHaveCount(1);
	await expect(device.tree.rows.first()).toContainText('Contoso GmbH');
	await expect.poll(() => localDocs(device.page)).not.toContain(`customer:${fabrikamId}`);

	// A device offline while its grant changes learns it when it is back online.
	await device.tree.expectInSync();
	await device.net.goOffline();
	await runCli(tenant.server.dataDir, ['user', 'access', customerUser.email, '--grant', `customer:${fabrikamId}`]);
	await device.net.goOnline();
	await expect(device.tree.rows.first()).toContainText('Fabrikam S.A.');
	await expect(device.tree.rows).toHaveCount(1);
	await expect.poll(() => localDocs(device.page)).not.toContain(`customer:${contosoId}`);
});

/** The documents this browser context holds in its one store (S130). */
const localDocs = storedDocNames;

test('L5/H3: setting up a customer with its own user: the invited user sees only that customer; the customer is normal', async ({
	tenant,
	devices,
	browser
}) => {
	const office = await devices.signedIn(tenant.server.url, tenant.owner);
	await office.tree.addAtRoot('msp', 'Northwind MSP');
	await office.tree.addChild('Northwind MSP', 'customer', 'Fabrikam S.A.');
	await office.tree.addChild('Northwind MSP', 'customer', 'Contoso GmbH');
	await office.tree.openCustomer('Fabrikam S.A.');
	await office.page.getByTestId('customer-setup-open').click();
	const dialog = office.page.getByTestId('customer-setup-dialog');
	await dialog.getByLabel("Email of the customer's user").fill('it@fabrikam.example');
	await dialog.getByTestId('customer-setup-submit').click();
	await expect(dialog).toBeHidden();
	await expect(office.page.getByTestId('customer-title')).toBeVisible();
	await expect(office.page.getByTestId('customer-setup-open')).toHaveCount(0);

	const context = await browser.newContext(CONTEXT_OPTIONS);
	try {
		const page = await context.newPage();
		await page.goto(invitationLinkTo(tenant.server.dataDir, 'it@fabrikam.example'));
		const form = page.getByTestId('accept-form');
		await form.getByLabel('Password').fill('a fine new password');
		await form.locator('button[type=submit]').click();
		const tree = new TreePage(page);
		await tree.expectShown();
		await expect(tree.rows).toHaveCount(1);
		await expect(tree.rows.first()).toContainText('Fabrikam S.A.');
		await expect(tree.rows.first()).toContainText('Normal');
		await expect(tree.readOnlyBadge).toBeVisible();
	} finally {
		await context.close();
	}
});
