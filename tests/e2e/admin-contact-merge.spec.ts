// F2 (S94): the admin contact merges per field: a phone edited offline on one device and an email edited online on
// another are both kept; the same field edited on both is noticed with its name; an edit of a contact that another
// device deleted meanwhile is reported, not silently lost.
import { test, expect } from './support/fixtures';

test('F2: admin contact parts edited on two devices both stay; the same part is noticed; an edit of a deleted contact is reported', async ({
	tenant,
	devices
}) => {
	const a = await devices.signedIn(tenant.server.url, tenant.owner);
	const b = await devices.signedIn(tenant.server.url, tenant.owner);
	await a.tree.addAtRoot('msp', 'Adatum MSP', 'ES');
	await a.tree.addChild('Adatum MSP', 'customer', 'Fabrikam', 'ES');
	const pageA = await a.tree.openCustomer('Fabrikam');
	await pageA.editProfile({
		contactName: 'Ana Ruiz',
		contactEmail: 'ana@fabrikam.example',
		contactPhone: '+34 600 000 000'
	});
	await pageA.addContact({ name: 'Luis Gil', role: 'IT', email: 'luis@fabrikam.example' });
	await a.tree.expectInSync();
	const pageB = await b.tree.openCustomer('Fabrikam');
	await expect(pageB.contacts).toHaveCount(1);
	await expect(pageB.profile).toContainText('+34 600 000 000');
	await b.tree.expectInSync();

	// Different parts: B (offline) changes the phone, A the email.
	await b.net.goOffline();
	await b.tree.expectOffline();
	await pageB.editProfile({ contactPhone: '+34 611 111 111' });
	await pageA.editProfile({ contactEmail: 'a.ruiz@fabrikam.example' });
	await a.tree.expectInSync();
	await b.net.goOnline();
	await b.tree.expectInSync();
	await a.tree.expectInSync();
	for (const page of [pageA, pageB]) {
		await expect(page.profile).toContainText('a.ruiz@fabrikam.example');
		await expect(page.profile).toContainText('+34 611 111 111');
	}
	for (const device of [a, b]) await expect(device.page.getByTestId('concurrent-edits-notice')).toHaveCount(0);

	// The same part on both: one value everywhere, and the notice names the part.
	await b.net.goOffline();
	await b.tree.expectOffline();
	await pageB.editProfile({ contactPhone: '+34 622 222 222' });
	await pageA.editProfile({ contactPhone: '+34 633 333 333' });
	await a.tree.expectInSync();
	await b.net.goOnline();
	await b.tree.expectInSync();
	await a.tree.expectInSync();
	const phoneA = await pageA.profile.textContent();
	const kept = phoneA?.includes('+34 622 222 222') ? '+34 622 222 222' : '+34 633 333 333';
	await expect(pageB.profile).toContainText(kept);
	for (const device of [a, b])
		await expect(device.page.getByTestId('concurrent-edit').first()).toContainText('Admin contact phone of “Fabrikam”');
	await b.page.screenshot({ path: '/tmp/shots/admin-contact-concurrent.png' });
	for (const device of [a, b]) await device.page.getByTestId('concurrent-edits-dismiss').click();

	// B edits Luis offline while A removes him: B is told on reconnect.
	await b.net.goOffline();
	await b.tree.expectOffline();
	await b.page.getByRole('button', { name: 'Edit: Luis Gil' }).click();
	const dialog = b.page.getByTestId('contact-dialog');
	await dialog.locator('#c-phone').fill('+34 644 444 444');
	await dialog.locator('button[type=submit]').click();
	await expect(dialog).toBeHidden();
	await a.page.getByRole('button', { name: 'Remove: Luis Gil' }).click();
	await a.page.getByTestId('remove-contact-dialog').getByRole('button', { name: 'Remove' }).click();
	await expect(pageA.contacts).toHaveCount(0);
	await a.tree.expectInSync();
	await b.net.goOnline();
	await b.tree.expectInSync();
	await expect(pageB.contacts).toHaveCount(0);
	await expect(b.page.getByTestId('concurrent-edit')).toHaveText([
		'Contact “Luis Gil” at “Fabrikam” was deleted on another device; your change to it was not kept'
	]);
	await b.page.screenshot({ path: '/tmp/shots/admin-contact-deleted.png' });
});
