// P16 in the browser: a Super Admin builds a custom role from named permissions, invites someone with it, and that
// person's app shows what the role allows (the audit log) and not what it does not (users); a role still held cannot go.
import { test, expect, CONTEXT_OPTIONS } from './support/fixtures';
import { invitationLinkTo } from './support/outbox';
import { TreePage } from './pages/tree-page';
import { UsersPage } from './pages/users-page';
import { AuditPage } from './pages/audit-page';

const INVITED = 'noc@northwind.example';

test('P16: a Super Admin creates the role NOC (customers.edit, audit.read); its holder sees the audit log and no Users', async ({
	tenant,
	devices,
	browser
}) => {
	const owner = await devices.signedIn(tenant.server.url, tenant.owner);
	const users = new UsersPage(owner.page);
	await users.open();
	const roles = owner.page.getByTestId('roles-section');
	await expect(roles).toContainText('No custom roles yet.');

	await users.createRole('NOC', ['customers.edit', 'audit.read']);
	await expect(users.notice).toHaveText('The role NOC was saved.');
	const noc = users.role('NOC');
	await expect(noc.getByRole('listitem')).toHaveText(['Edit customers', 'Read the audit log']);

	await users.invite(INVITED, 'NOC');
	await expect(users.invitation(INVITED)).toContainText('NOC · Whole organization');

	// Deleting a role an invitation still holds is refused with the reason, in the dialog that asked.
	await noc.getByTestId('role-delete').click();
	const confirm = owner.page.getByTestId('role-delete-dialog');
	await confirm.getByTestId('role-delete-confirm').click();
	await expect(confirm.getByRole('alert')).toHaveText(
		'People or pending invitations still have this role. Give them another role first, then delete it.'
	);
	await owner.page.keyboard.press('Escape');
	await expect(noc).toBeVisible();

	const other = await browser.newContext(CONTEXT_OPTIONS);
	try {
		const page = await other.newPage();
		await page.goto(invitationLinkTo(tenant.server.dataDir, INVITED));
		const form = page.getByTestId('accept-form');
		await form.getByLabel('Password').fill('a fine new password');
		await form.locator('button[type=submit]').click();
		const tree = new TreePage(page);
		await tree.expectShown();
		await expect(page.getByTestId('user-email')).toHaveText(INVITED);
		await expect(page.getByTestId('nav-users')).toHaveCount(0);
		const audit = new AuditPage(page);
		await audit.open();
		await expect(audit.rows.first()).toBeVisible();
	} finally {
		await other.close();
	}

	await owner.page.reload();
	await expect(users.row(INVITED).getByTestId('user-role')).toHaveText('NOC');
});

test('P16: a role nobody holds is edited and deleted after confirmation', async ({ tenant, devices }) => {
	const owner = await devices.signedIn(tenant.server.url, tenant.owner);
	const users = new UsersPage(owner.page);
	await users.open();
	await users.createRole('Night shift', ['tree.edit']);
	await users.role('Night shift').getByTestId('role-edit').click();
	const dialog = owner.page.getByTestId('role-dialog');
	await expect(dialog.getByTestId('role-permission-tree.edit')).toBeChecked();
	await dialog.getByLabel('Role name').fill('Night desk');
	await dialog.getByTestId('role-permission-tree.edit').uncheck();
	await dialog.getByTestId('role-permission-licenses.sync').check();
	await dialog.getByTestId('role-submit').click();
	await expect(dialog).toBeHidden();
	await expect(users.role('Night shift')).toHaveCount(0);
	await expect(users.role('Night desk').getByRole('listitem')).toHaveText(['Run license sync']);

	await users.role('Night desk').getByTestId('role-delete').click();
	await owner.page.getByTestId('role-delete-confirm').click();
	await expect(users.notice).toHaveText('The role Night desk was deleted.');
	await expect(users.role('Night desk')).toHaveCount(0);
	await owner.page.reload();
	await expect(owner.page.getByTestId('roles-section')).toContainText('No custom roles yet.');
});
