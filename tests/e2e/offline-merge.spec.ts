// One device loses its connection for real, both devices edit, it comes back: both show the same merged tree (F1-F3).
import { test, expect } from './support/fixtures';

test('F1/F2/F3 (S6, S7): edits made while one device is offline merge on reconnect; the indicator tells the truth', async ({
	tenant,
	devices
}) => {
	const a = await devices.signedIn(tenant.server.url, tenant.owner);
	const b = await devices.signedIn(tenant.server.url, tenant.owner);

	await a.tree.addAtRoot('msp', 'Adatum MSP', 'ES');
	await a.tree.addChild('Adatum MSP', 'customer', 'Proseware SL', 'ES');
	await expect(b.tree.row('Proseware SL')).toBeVisible();
	await a.tree.expectInSync();
	await b.tree.expectInSync();

	// B goes offline: its websocket is cut and HTTP fails.
	await b.net.goOffline();
	await b.tree.expectOffline();
	await expect(b.tree.offlineBanner).toBeVisible();
	await expect(b.tree.indicator).toHaveAttribute('data-pending', '0');

	// Both edit different things meanwhile.
	await a.tree.addChild('Adatum MSP', 'customer', 'Woodgrove Bank', 'ES');
	await b.tree.rename('Proseware SL', 'Proseware Iberia SL');
	await b.tree.addChild('Proseware Iberia SL', 'site', 'Madrid');
	await b.tree.expectOffline();
	expect(await b.tree.pending()).toBeGreaterThan(0);
	await expect(b.page.getByTestId('sync-pending')).toHaveText(String(await b.tree.pending()));
	await b.page.screenshot({ path: '/tmp/shots/offline-merge-b-offline.png' });

	// While B is cut off, neither side has the other's edits.
	await a.tree.expectInSync();
	await expect(a.tree.row('Proseware Iberia SL')).toHaveCount(0);
	await expect(b.tree.row('Woodgrove Bank')).toHaveCount(0);

	await b.net.goOnline();
	await b.tree.expectInSync();
	await expect(b.tree.offlineBanner).toBeHidden();
	await expect(b.tree.row('Woodgrove Bank')).toBeVisible();
	await expect(a.tree.row('Proseware Iberia SL')).toBeVisible();
	await expect(a.tree.row('Proseware SL')).toHaveCount(0);
	await a.tree.expectInSync();

	await a.tree.expandAll();
	await b.tree.expandAll();
	const merged = await a.tree.snapshot();
	expect(merged.map((row) => [row.name, row.kind, row.depth])).toEqual(
		expect.arrayContaining([
			['Adatum MSP', 'msp', 0],
			['Proseware Iberia SL', 'customer', 1],
			['Madrid', 'site', 2],
			['Woodgrove Bank', 'customer', 1]
		])
	);
	expect(merged).toHaveLength(4);
	expect(await b.tree.snapshot()).toEqual(merged);
	await b.page.screenshot({ path: '/tmp/shots/offline-merge-b-merged.png' });
});
