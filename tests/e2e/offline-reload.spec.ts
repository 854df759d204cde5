// F1: after one online sign-in the app reloads with no network from the service worker and IndexedDB, keeps offline
// edits across reloads, and syncs them when the network returns.
import { test, expect } from './support/fixtures';
import { storedVersion } from './support/local-store';
import { RECONNECT_TIMEOUT } from './pages/tree-page';

test('F1/F3 (S6): offline reload shows the tree; an offline edit survives another offline reload and syncs later', async ({
	tenant,
	devices
}) => {
	const docName = `tenant:${tenant.tenantId}`;
	const a = await devices.signedIn(tenant.server.url, tenant.owner);
	await a.tree.addAtRoot('distributor', 'Wingtip Distribution', 'PL');
	await a.tree.addChild('Wingtip Distribution', 'msp', 'Margie MSP', 'PL');
	await a.tree.addChild('Margie MSP', 'customer', 'Alpine Ski House', 'PL');
	await a.tree.expectInSync();

	// The service worker is active; one online reload puts the page under its control.
	await a.page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	await a.page.reload();
	await a.tree.expectShown();
	expect(await a.page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
	await a.tree.expectInSync();

	await a.net.goOffline();
	await a.page.reload();
	await a.tree.expectShown();
	await expect(a.tree.row('Alpine Ski House')).toContainText('Not set up');
	await expect(a.tree.row('Wingtip Distribution')).toBeVisible();
	await a.tree.expectOffline();
	await expect(a.tree.offlineBanner).toBeVisible();
	await expect(a.page.getByTestId('tenant-name')).toHaveText(tenant.tenantName);
	await a.page.screenshot({ path: '/tmp/shots/offline-reload.png' });

	// An edit offline goes to IndexedDB (wait until it is committed there) and counts as pending.
	const before = await storedVersion(a.page, docName);
	await a.tree.rename('Alpine Ski House', 'Alpine Ski House Kraków');
	await expect.poll(() => storedVersion(a.page, docName)).not.toBe(before);
	const pending = await a.tree.pending();
	expect(pending).toBeGreaterThan(0);

	await a.page.reload();
	await a.tree.expectShown();
	await expect(a.tree.row('Alpine Ski House Kraków')).toBeVisible();
	await expect(a.tree.row('Alpine Ski House')).toHaveCount(0);
	await a.tree.expectOffline();
	// S6: the unconfirmed count survives the reload.
	await expect(a.tree.indicator).toHaveAttribute('data-pending', String(pending));

	// The customer page opens offline too.
	const customer = await a.tree.openCustomer('Alpine Ski House Kraków');
	await expect(customer.title).toHaveText('Alpine Ski House Kraków');
	await customer.backToTree();

	await a.net.goOnline();
	await a.tree.expectInSync(RECONNECT_TIMEOUT);

	// A device that was never offline, signing in fresh, gets the edit from the server.
	const c = await devices.signedIn(tenant.server.url, tenant.owner);
	await expect(c.tree.row('Alpine Ski House Kraków')).toBeVisible();
	await expect(c.tree.row('Alpine Ski House')).toHaveCount(0);
});
