// P5, F2 (S82): a service request made in the portal, then worked on two devices at once, one of them offline: both notes
// stay, one status is kept on both, and both show the concurrent-edit notice.
import { test, expect } from './support/fixtures';
import { CustomerWork } from './pages/customer-work';

test('P5/F2 (S82): a request edited offline on one device and online on another merges: both notes, one status, the notice', async ({
	tenant,
	devices
}) => {
	const office = await devices.signedIn(tenant.server.url, tenant.owner);
	const tablet = await devices.signedIn(tenant.server.url, tenant.owner);
	await office.tree.addAtRoot('msp', 'Northwind MSP');
	await office.tree.addChild('Northwind MSP', 'customer', 'Fabrikam S.A.');
	await office.tree.openCustomer('Fabrikam S.A.');
	const atOffice = new CustomerWork(office.page);
	await atOffice.showRequests();
	await atOffice.createRequest('Printer jams', 'The printer on the 2nd floor jams every morning.');
	await expect(atOffice.detail.getByTestId('request-details')).toHaveText(
		'The printer on the 2nd floor jams every morning.'
	);
	await expect(atOffice.status).toHaveValue('open');
	await atOffice.closeRequest();
	await office.tree.expectInSync();

	await tablet.tree.expand('Northwind MSP');
	await tablet.tree.openCustomer('Fabrikam S.A.');
	const onTablet = new CustomerWork(tablet.page);
	await onTablet.showRequests();
	await expect(onTablet.request('Printer jams')).toBeVisible();
	await onTablet.openRequest('Printer jams');
	await tablet.tree.expectInSync();

	// The technician's tablet loses its connection and works the request there.
	await tablet.net.goOffline();
	await tablet.tree.expectOffline();
	await onTablet.setStatus('Waiting');
	await onTablet.addNote('Tray 2 only; asked for the model number.');
	expect(await tablet.tree.pending()).toBeGreaterThan(0);

	// Meanwhile the office changes the same request's status and adds its own note.
	await atOffice.openRequest('Printer jams');
	await atOffice.setStatus('In progress');
	await atOffice.addNote('Ordered a new roller.');
	await office.tree.expectInSync();
	await expect(atOffice.notes).toHaveCount(1);

	await tablet.net.goOnline();
	await tablet.tree.expectInSync();
	await office.tree.expectInSync();

	// Both notes on both devices; one status, the same on both.
	for (const work of [atOffice, onTablet]) {
		await expect(work.notes).toHaveCount(2);
		await expect(work.notes.filter({ hasText: 'Ordered a new roller.' })).toHaveCount(1);
		await expect(work.notes.filter({ hasText: 'Tray 2 only; asked for the model number.' })).toHaveCount(1);
	}
	const kept = await onTablet.status.inputValue();
	expect(['waiting', 'inProgress']).toContain(kept);
	await expect(atOffice.status).toHaveValue(kept);
	const [keptLabel, lostLabel] = kept === 'waiting' ? ['Waiting', 'In progress'] : ['In progress', 'Waiting'];
	const [winner, loser] = kept === 'waiting' ? [tablet, office] : [office, tablet];

	// F2: the device whose status was replaced says so with both values; the other says its value was kept.
	const lost = loser.page.getByTestId('concurrent-edit');
	await expect(lost).toHaveCount(1);
	await expect(lost).toHaveAttribute('data-kept-ours', 'false');
	await expect(lost).toHaveText(
		`Status of service request “Printer jams” at “Fabrikam S.A.”: kept “${keptLabel}” from the other device, not your “${lostLabel}”`
	);
	const won = winner.page.getByTestId('concurrent-edit');
	await expect(won).toHaveCount(1);
	await expect(won).toHaveAttribute('data-kept-ours', 'true');
	await expect(won).toContainText(
		`Status of service request “Printer jams” at “Fabrikam S.A.”: kept your “${keptLabel}”`
	);
	await tablet.page.screenshot({ path: '/tmp/shots/service-requests-tablet.png' });
	await office.page.screenshot({ path: '/tmp/shots/service-requests-office.png' });
});

test('P7: services are added, paused and removed on the customer page', async ({ tenant, devices }) => {
	const office = await devices.signedIn(tenant.server.url, tenant.owner);
	await office.tree.addAtRoot('msp', 'Northwind MSP');
	await office.tree.addChild('Northwind MSP', 'customer', 'Contoso GmbH');
	await office.tree.openCustomer('Contoso GmbH');
	const work = new CustomerWork(office.page);
	await expect(work.root).toBeVisible();
	await work.addService('Exchange backup');
	await work.addService('Teams backup');
	const rows = office.page.getByTestId('service-row');
	await expect(rows).toHaveCount(2);
	await rows.filter({ hasText: 'Teams backup' }).getByTestId('service-toggle').click();
	await expect(rows.filter({ hasText: 'Teams backup' })).toContainText('Paused');
	await rows.filter({ hasText: 'Exchange backup' }).getByTestId('service-remove').click();
	await office.page.getByTestId('remove-service-dialog').getByRole('button', { name: 'Remove' }).click();
	await expect(rows).toHaveCount(1);
	await office.page.setViewportSize({ width: 768, height: 1024 });
	await office.page.screenshot({ path: '/tmp/shots/customer-services.png', fullPage: true });
});
