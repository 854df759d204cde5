// A read-only user (created with the CLI, role readOnly) sees the tenant's tree but cannot change it (S8).
import { test, expect } from './support/fixtures';

test('S8: a read-only user sees the tree; the relay refuses its write, the indicator says so, the server keeps its state', async ({
	cliTenant,
	devices
}) => {
	const owner = await devices.signedIn(cliTenant.server.url, cliTenant.owner);
	await owner.tree.addAtRoot('msp', 'Trey Research MSP', 'IT');
	await owner.tree.addChild('Trey Research MSP', 'customer', 'Coho Winery', 'IT');
	await owner.tree.expectInSync();

	const reader = await devices.signedIn(cliTenant.server.url, cliTenant.reader);
	await expect(reader.page.getByTestId('user-email')).toHaveText(cliTenant.reader.email);
	await expect(reader.tree.row('Coho Winery')).toContainText('Not set up');
	const before = await owner.tree.snapshot();
	expect(await reader.tree.snapshot()).toEqual(before);

	// The UI still offers the rename; the relay refuses the write (4403) and the replica stops syncing.
	await reader.tree.rename('Coho Winery', 'Coho Winery (hacked)');
	await expect(reader.tree.indicator).toHaveAttribute('data-state', 'refused');
	await reader.tree.indicator.click();
	const doc = reader.page.getByTestId('sync-doc');
	await expect(doc).toHaveAttribute('data-doc', `tenant:${cliTenant.tenantId}`);
	await expect(doc).toHaveAttribute('data-state', 'refused');
	await reader.page.screenshot({ path: '/tmp/shots/read-only-refused.png' });

	// The owner, live, and a device signing in fresh both still see the stored tree, unchanged.
	await expect(owner.tree.row('Coho Winery')).toBeVisible();
	await owner.tree.expectInSync();
	const fresh = await devices.signedIn(cliTenant.server.url, cliTenant.admin);
	await expect(fresh.tree.row('Coho Winery')).toBeVisible();
	await expect(fresh.tree.row('Coho Winery (hacked)')).toHaveCount(0);
	expect(await fresh.tree.snapshot()).toEqual(before);
	expect(await owner.tree.snapshot()).toEqual(before);
});
