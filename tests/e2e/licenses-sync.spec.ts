// L4, L6, L7, L8 end to end: an account imported through the UI (the file read and previewed on the device, applied by
// the server as a command), a pool moved to another access group, then the next day's file: the screen shows what the
// sync changed and what it kept. And S60-S62 for licenses: a deletion made offline is applied once when the device is
// back online, and its result shows.
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { LicensesPage } from './pages/licenses-page';

const FIXTURES = 'tests/fixtures/licenses';

async function importFile(page: Page, file: string, expected: { added: number }): Promise<void> {
	await page.getByTestId('license-import-open').click();
	const dialog = page.getByTestId('license-import-dialog');
	await dialog.getByTestId('license-import-file').setInputFiles(join(FIXTURES, file));
	await expect(dialog.getByTestId('preview-added')).toHaveAttribute('data-count', String(expected.added));
	await dialog.getByTestId('license-import-confirm').click();
	// Sent through the outbox and applied by the server; the dialog shows what it did.
	await expect(dialog.getByTestId('license-import-done')).toContainText(`${expected.added} added`);
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
}

test('L4, L6, L7, L8: import the sample account through the UI, move a pool, sync the next-day file: tags kept, the new company in the tree, the new license in the moved pool', async ({
	tenant,
	devices
}) => {
	const device = await devices.signedIn(tenant.server.url, tenant.owner);
	const { page, tree } = device;
	const licenses = new LicensesPage(page);
	await licenses.openEmpty();

	await importFile(page, 'msp-account.json', { added: 5 });
	await licenses.expectShown(5);
	// L3: tagged with the company's name.
	await expect((await licenses.reveal('4CD-PL2-09A')).getByTestId('license-tag')).toHaveText('Fabrikam S.A.');
	// L6: Tailspin has no licenses: it is in the tree, not in License management.
	await licenses.search.fill('Tailspin');
	await expect(page.getByTestId('licenses-no-matches')).toBeVisible();
	await licenses.search.fill('');
	await tree.goto(tenant.server.url);
	await tree.expand('Northwind IT Services');
	await expect(tree.row('Tailspin Sp. z o.o.')).toBeVisible();
	await expect(tree.row('Wingtip Toys Ltd')).toHaveCount(0);

	// L8: the Contoso pool moves to another access group (with the warning).
	await tree.addChild('Northwind IT Services', 'customer', 'Contoso Branch');
	await tree.expectInSync();
	await licenses.open();
	await licenses.action('3AB-XQ4-77K', 'action-move-pool');
	const move = page.getByTestId('license-move-dialog');
	await expect(move.getByTestId('license-move-warning')).toBeVisible();
	await move.locator('#license-move-filter').fill('Contoso Branch');
	await move.getByTestId('license-move-target').filter({ hasText: 'Contoso Branch' }).click();
	await move.getByTestId('license-move-confirm').click();
	await expect((await licenses.reveal('3AB-XQ4-77K')).getByTestId('license-user')).toHaveText('Contoso Branch');

	// The next day: Fabrikam renamed at the vendor, Wingtip added (with a license), a new Contoso license.
	await importFile(page, 'msp-account-next-day.json', { added: 2 });
	await licenses.expectShown(7);
	// L4: the renamed company keeps its old tag; the owner column shows the new name.
	const fabrikam = await licenses.reveal('4CD-PL2-09A');
	await expect(fabrikam.getByTestId('license-tag')).toHaveText('Fabrikam S.A.');
	await expect(fabrikam.locator('[data-column=owner]')).toHaveText('Fabrikam Iberia S.A.');
	// L8: the new Contoso license is in its pool, where the pool is now.
	const sandbox = await licenses.reveal('3AB-XQ4-90Z');
	await expect(sandbox.locator('[data-column=pool]')).toHaveText('Contoso GmbH');
	await expect(sandbox.getByTestId('license-user')).toHaveText('Contoso Branch');
	// L7: the company added on the vendor side is in the tree, with its license.
	await expect((await licenses.reveal('6GH-KM3-22P')).getByTestId('license-tag')).toHaveText('Wingtip Toys Ltd');
	await tree.goto(tenant.server.url);
	await tree.expand('Northwind IT Services');
	await expect(tree.row('Wingtip Toys Ltd')).toBeVisible();
	await expect(tree.row('Fabrikam Iberia S.A.')).toBeVisible();
});

test('S60, S61, L11: a license deleted offline (the confirmation lists every pool of its account) is applied once when back online, and the rows go', async ({
	tenant,
	devices
}) => {
	const device = await devices.signedIn(tenant.server.url, tenant.owner);
	const { page, net, tree } = device;
	const licenses = new LicensesPage(page);
	await licenses.openEmpty();
	await importFile(page, 'msp-account.json', { added: 5 });
	await importFile(page, 'business-account.json', { added: 3 });
	await licenses.expectShown(8);
	await tree.expectInSync();

	// What the server answered for this person's commands: a send tried while offline never reaches it.
	const answers: Array<{ id: string; status: string }> = [];
	page.on('response', async (response) => {
		if (!response.url().endsWith('/api/commands')) return;
		const body = (await response.json()) as { results: Array<{ id: string; status: string }> };
		answers.push(...body.results);
	});
	await net.goOffline();
	await tree.expectOffline();
	await licenses.action('7JK-AA1-002', 'action-delete');
	const remove = page.getByTestId('license-delete-dialog');
	await expect(remove).toContainText('You are offline');
	// L11: both pools of the business account are listed, with their licenses.
	await expect(remove.getByTestId('license-delete-pool')).toHaveCount(2);
	await expect(remove.getByTestId('license-delete-total')).toContainText('3');
	await remove.getByTestId('license-delete-confirm').click();
	for (const publicId of ['7JK-AA1-001', '7JK-AA1-002', '7JK-AA1-003'])
		await expect((await licenses.reveal(publicId)).getByTestId('license-pending')).toHaveText('deletion pending');
	// The sync indicator counts the queued command beside the (no) unconfirmed document changes.
	await expect(page.getByTestId('sync-indicator')).toHaveAttribute('data-queued', '1');
	await expect(page.getByTestId('sync-queued')).toHaveText('1');

	await net.goOnline();
	// Applied by the server: the account's licenses are gone from the list, nothing is pending or refused.
	await licenses.expectShown(5);
	await expect(page.getByTestId('license-pending')).toHaveCount(0);
	await expect(page.getByTestId('sync-indicator')).toHaveAttribute('data-queued', '0');
	await expect(page.getByTestId('license-refusals')).toHaveCount(0);
	// S70: and the person who made it is told it is done.
	await expect(page.getByTestId('license-applied')).toContainText('done');
	await tree.expectInSync();
	// S61: the server applied the deletion once and answered nothing else for it.
	await expect.poll(() => answers.length).toBe(1);
	expect(answers[0]?.status).toBe('applied');
	// The MSP account's licenses are untouched.
	await expect((await licenses.reveal('3AB-XQ4-77K')).getByTestId('license-tag')).toHaveText('Contoso GmbH');
});
