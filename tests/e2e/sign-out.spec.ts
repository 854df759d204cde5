// Signing out on a shared tablet: this device's copies of the documents go with the session, after a warning when
// changes have not reached the server yet.
import { expect, test } from './support/fixtures';
import { SignInPage } from './pages/sign-in-page';
import { clickSignOut } from './support/account-menu';
import { storedDocNames as localDocuments } from './support/local-store';

test('signing out deletes the local replicas; with unsaved offline changes it asks first', async ({
	tenant,
	devices
}) => {
	const device = await devices.signedIn(tenant.server.url, tenant.owner);
	const { page, tree, net } = device;
	await tree.addAtRoot('msp', 'Kept MSP');
	await tree.expectInSync();
	expect(await localDocuments(page)).toContain(`tenant:${tenant.tenantId}`);

	// Offline with a change the server has not confirmed: signing out warns, and staying keeps everything.
	await net.goOffline();
	await tree.expectOffline();
	await tree.rename('Kept MSP', 'Renamed offline');
	await expect.poll(() => tree.pending()).toBeGreaterThan(0);
	await clickSignOut(page);
	const dialog = page.getByTestId('sign-out-dialog');
	await expect(dialog).toBeVisible();
	await dialog.getByRole('button', { name: 'Stay signed in' }).click();
	await expect(dialog).toBeHidden();
	await expect(tree.row('Renamed offline')).toBeVisible();

	// Back online the change reaches the server; a plain sign-out then removes the local copies at once.
	await net.goOnline();
	await tree.expectInSync();
	await clickSignOut(page);
	await expect(page.getByTestId('signin-form')).toBeVisible();
	await expect.poll(() => localDocuments(page)).toEqual([]);

	// The next person signs in and finds the data from the server, not from this device.
	const signIn = new SignInPage(page);
	await signIn.submit(tenant.owner.email, tenant.owner.password);
	await tree.openFromLanding();
	await tree.expectInSync();
	await expect(tree.row('Renamed offline')).toBeVisible();
});

test('a sign-out made offline ends the server session when the device is next online', async ({ tenant, devices }) => {
	const { page, tree, net } = await devices.signedIn(tenant.server.url, tenant.owner);
	await net.goOffline();
	await tree.expectOffline();
	await clickSignOut(page);
	await expect(page.getByTestId('signin-form')).toBeVisible();

	await net.goOnline();
	await page.goto(`${tenant.server.url}/tree`);
	await expect(page.getByTestId('signin-form')).toBeVisible();
	const me = await page.evaluate(async () => (await fetch('/api/me')).status);
	expect(me).toBe(401);
});
