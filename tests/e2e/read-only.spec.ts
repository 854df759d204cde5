// A read-only user (created with the CLI, role readOnly) reads the tenant's tree and customer pages, is offered no
// write action, is told why, and leaves the server's state as it was (S8; the relay's own 4403 refusal of a
// read-only write is covered over real sockets in tests/integration/relay.test.ts).
import { test, expect } from './support/fixtures';

test('S8: a read-only user sees the tree and the customer page with no write controls and a read-only hint; the server keeps its state', async ({
	cliTenant,
	devices
}) => {
	const owner = await devices.signedIn(cliTenant.server.url, cliTenant.owner);
	await owner.tree.addAtRoot('msp', 'Trey Research MSP', 'IT');
	await owner.tree.addChild('Trey Research MSP', 'customer', 'Coho Winery', 'IT');
	const ownerCustomer = await owner.tree.openCustomer('Coho Winery');
	await ownerCustomer.addSite('Verona cellar');
	await ownerCustomer.addContact({ name: 'Giulia Neri', role: 'Office manager', email: 'giulia@coho.example' });
	await expect(ownerCustomer.contacts).toHaveCount(1);
	// The owner may edit: the same locators find write controls and no read-only badge (so their absence below means something).
	await expect(ownerCustomer.writeControls.first()).toBeVisible();
	await expect(owner.tree.readOnlyBadge).toHaveCount(0);
	await ownerCustomer.backToTree();
	await owner.tree.expectInSync();
	await expect(owner.tree.addRoot).toBeVisible();
	await expect(owner.tree.nodeMenus.first()).toBeVisible();
	// Snapshots compare every node, so both sides show the whole tree.
	await owner.tree.expandAll();
	const before = await owner.tree.snapshot();
	expect(before.map((row) => row.name)).toEqual(['Trey Research MSP', 'Coho Winery', 'Verona cellar']);

	const reader = await devices.signedIn(cliTenant.server.url, cliTenant.reader);
	await expect(reader.page.getByTestId('user-email')).toHaveText(cliTenant.reader.email);
	await expect(reader.tree.row('Coho Winery')).toContainText('Not set up');
	await reader.tree.expandAll();
	expect(await reader.tree.snapshot()).toEqual(before);

	// The tree: no add, rename, move, delete or status, not even the row menus; a calm badge says why.
	await expect(reader.tree.nodeMenus).toHaveCount(0);
	await expect(reader.tree.addRoot).toHaveCount(0);
	await expect(reader.tree.readOnlyBadge).toHaveText('Read-only access');
	await reader.tree.readOnlyBadge.click();
	await expect(reader.page.getByTestId('read-only-hint')).toContainText('You can view this data but not change it.');
	await reader.page.keyboard.press('Escape');
	await expect(reader.page.getByTestId('read-only-hint')).toBeHidden();
	await reader.page.screenshot({ path: '/tmp/shots/read-only-tree.png' });

	// The customer page through the contact popup (reading is fine): everything shown, nothing to change.
	const customer = await reader.tree.openCustomer('Coho Winery');
	await expect(customer.title).toHaveText('Coho Winery');
	await expect(customer.sites).toHaveCount(1);
	await expect(customer.sites).toContainText('Verona cellar');
	await expect(customer.contacts).toHaveCount(1);
	await expect(customer.contacts).toContainText('Giulia Neri');
	await expect(customer.page.getByTestId('profile-country')).toHaveText('IT');
	await expect(customer.writeControls).toHaveCount(0);
	// The unlinked-customer notice is about the customer (H3), not about the person's access.
	await expect(reader.page.getByTestId('customer-unlinked')).toHaveCount(0);
	await expect(reader.tree.readOnlyBadge).toBeVisible();
	await reader.page.screenshot({ path: '/tmp/shots/read-only-customer.png' });

	// Nothing was written: no refusal, no pending change, for the tenant and the customer document alike.
	await reader.tree.expectInSync();
	await reader.tree.indicator.click();
	const docs = reader.page.getByTestId('sync-doc');
	await expect(docs).toHaveCount(2);
	for (const doc of await docs.all()) await expect(doc).toHaveAttribute('data-state', 'online');
	await reader.page.keyboard.press('Escape');
	await customer.backToTree();
	await reader.tree.expectInSync();

	// The owner, live, and a device signing in fresh both still see the stored tree, unchanged.
	await owner.tree.expectInSync();
	expect(await owner.tree.snapshot()).toEqual(before);
	const fresh = await devices.signedIn(cliTenant.server.url, cliTenant.admin);
	await expect(fresh.tree.row('Coho Winery')).toBeVisible();
	await fresh.tree.expandAll();
	expect(await fresh.tree.snapshot()).toEqual(before);
	const freshCustomer = await fresh.tree.openCustomer('Coho Winery');
	await expect(freshCustomer.contacts).toHaveCount(1);
	await expect(freshCustomer.sites).toHaveCount(1);
});
