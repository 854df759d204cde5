// Two people on two devices edit the same tenant at the same time and see each other's changes live (F2).
import { test, expect } from './support/fixtures';
import type { Page } from '@playwright/test';

/** Marks the page's JS realm, so that a later check proves no reload or navigation happened. */
async function markRealm(page: Page): Promise<void> {
	await page.evaluate(() => Object.assign(window, { e2eRealm: 'kept' }));
}

async function realmKept(page: Page): Promise<boolean> {
	return page.evaluate(() => 'e2eRealm' in window);
}

test('F2: an add and a rename on one device appear on the other without a reload, both ways', async ({
	cliTenant,
	devices
}) => {
	const a = await devices.signedIn(cliTenant.server.url, cliTenant.owner);
	const b = await devices.signedIn(cliTenant.server.url, cliTenant.admin);
	await markRealm(a.page);
	await markRealm(b.page);

	await a.tree.addAtRoot('msp', 'Litware MSP', 'FR');
	await expect(b.tree.row('Litware MSP')).toHaveAttribute('data-kind', 'msp');

	await b.tree.addChild('Litware MSP', 'customer', 'Tailspin Toys', 'FR');
	await expect(a.tree.row('Tailspin Toys')).toContainText('Not set up');

	await a.tree.rename('Tailspin Toys', 'Tailspin Toys SARL');
	await expect(b.tree.row('Tailspin Toys SARL')).toBeVisible();
	await expect(b.tree.row('Tailspin Toys')).toHaveCount(0);

	await b.tree.rename('Litware MSP', 'Litware Services');
	await expect(a.tree.row('Litware Services')).toBeVisible();

	await a.tree.expectInSync();
	await b.tree.expectInSync();
	expect(await a.tree.snapshot()).toEqual(await b.tree.snapshot());
	expect(await realmKept(a.page)).toBe(true);
	expect(await realmKept(b.page)).toBe(true);
});
