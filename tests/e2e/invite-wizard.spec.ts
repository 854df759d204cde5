// P6 in chromium: the wizard's limits shown at the fields, and an invitation made offline: the customer appears at once,
// "invitation pending" until the device is online, then the server mails it (an .eml in DATA_DIR/outbox).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './support/fixtures';
import { InviteWizardPage, type InviteInput } from './pages/invite-wizard';

/** `YYYY-MM-DD` of today (the tenant's time zone is UTC here) plus `years` and `days`. */
function dayFromToday(years: number, days: number): string {
	const now = new Date();
	return new Date(Date.UTC(now.getUTCFullYear() + years, now.getUTCMonth(), now.getUTCDate() + days))
		.toISOString()
		.slice(0, 10);
}

const contoso: InviteInput = {
	organization: 'Contoso Ltd',
	contactName: 'Ana Ruiz',
	contactEmail: 'ana@contoso.example',
	services: ['exchangeBackup', 'teamsBackup'],
	billingType: 'trial',
	product: 'Backup for Office 365',
	units: '5'
};

/** The outbox's mails, quoted-printable soft breaks joined. */
async function outboxMails(dataDir: string): Promise<string[]> {
	const dir = join(dataDir, 'outbox');
	const names = await readdir(dir).catch(() => [] as string[]);
	return Promise.all(names.map(async (name) => (await readFile(join(dir, name), 'utf8')).replace(/=\n/g, '')));
}

test('P6: the wizard refuses 6 users on a trial and an expiry one year and one day away, each at its field', async ({
	tenant,
	devices
}) => {
	const device = await devices.signedIn(tenant.server.url, tenant.owner);
	await device.tree.addAtRoot('msp', 'Northwind MSP');
	const wizard = new InviteWizardPage(device.page);
	await wizard.open();
	await wizard.fillUpToLicense(contoso);

	await wizard.fillLicense({ ...contoso, units: '6' });
	await wizard.next();
	await expect(wizard.errorAt('units')).toHaveText(/A trial license covers at most 5 users/);
	await expect(wizard.dialog.getByTestId('invite-units')).toHaveAttribute('aria-invalid', 'true');
	await expect(wizard.step()).toHaveAttribute('data-step', 'license');

	await wizard.fillLicense({ ...contoso, units: '5', expiresOn: dayFromToday(1, 1) });
	await wizard.next();
	await expect(wizard.errorAt('units')).toHaveCount(0);
	await expect(wizard.errorAt('expiry')).toHaveText(
		`The expiry date is at most one year after the first booking date: ${dayFromToday(1, 0)} at the latest.`
	);
	await expect(wizard.step()).toHaveAttribute('data-step', 'license');

	// Exactly one year, 5 users: the review follows.
	await wizard.fillLicense({ ...contoso, expiresOn: dayFromToday(1, 0) });
	await wizard.next();
	await expect(wizard.step()).toHaveAttribute('data-step', 'review');
	await expect(wizard.dialog.getByTestId('invite-review')).toContainText('Exchange backup, Teams backup');
	await device.page.screenshot({ path: test.info().outputPath('invite-review.png') });
});

test('P6, S86: an invitation made offline shows the customer at once, pending; online the mail lands in the outbox', async ({
	tenant,
	devices
}) => {
	const device = await devices.signedIn(tenant.server.url, tenant.owner);
	await device.tree.addAtRoot('msp', 'Northwind MSP');
	await device.tree.expectInSync();
	await device.net.goOffline();
	await device.tree.expectOffline();

	const wizard = new InviteWizardPage(device.page);
	await wizard.open();
	await wizard.fillUpToLicense(contoso);
	await wizard.fillLicense({ ...contoso, expiresOn: dayFromToday(0, 30) });
	await wizard.next();
	await expect(wizard.step()).toHaveAttribute('data-step', 'review');
	await wizard.next();

	// The customer is there at once (tenant document), not set up, with the invitation waiting in the outbox.
	await expect(device.page.getByTestId('customer-title')).toHaveText('Contoso Ltd');
	const pending = device.page.getByTestId('account-invite-pending');
	await expect(pending).toBeVisible();
	await expect(device.page.getByTestId('account-billing')).toHaveText('Trial');
	await device.page.screenshot({ path: test.info().outputPath('invite-pending.png') });
	expect(await outboxMails(tenant.server.dataDir)).toEqual([]);

	await device.net.goOnline();
	await expect(pending).toBeHidden({ timeout: 30_000 });
	await expect.poll(async () => (await outboxMails(tenant.server.dataDir)).length, { timeout: 30_000 }).toBe(1);
	const [mail] = await outboxMails(tenant.server.dataDir);
	expect(mail).toContain('To: ana@contoso.example');
	expect(mail).toContain('Northwind IT invites Contoso Ltd to the MSP Portal');
	expect(mail).toContain('Purchased capacity: 5 users');
	expect(mail).toContain('/invitations/accept?token=');
	// The server set the customer up (its status arrives by sync).
	await expect(device.page.locator('header [data-testid="customer-status"]')).toHaveAttribute('data-status', 'normal', {
		timeout: 30_000
	});
});
