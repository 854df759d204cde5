// P13: the owner invites a help-desk user through the UI; the mail lands in the server's outbox (DATA_DIR/outbox, no
// SMTP_URL); its link, opened on another device, sets a password and lands in the app with the invited role.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, CONTEXT_OPTIONS } from './support/fixtures';
import { TreePage } from './pages/tree-page';
import { UsersPage } from './pages/users-page';

const INVITED = 'tech@northwind.example';

/** The invitation link of the one .eml file in the outbox (quoted-printable soft breaks undone). */
function invitationLink(dataDir: string): string {
	const outbox = join(dataDir, 'outbox');
	const files = readdirSync(outbox).filter((name) => name.endsWith('.eml'));
	expect(files).toHaveLength(1);
	const raw = readFileSync(join(outbox, files[0] ?? ''), 'utf8');
	expect(raw).toMatch(new RegExp(`^To: ${INVITED.replace('.', '\\.')}$`, 'm'));
	const text = raw
		.replace(/=\r?\n/g, '')
		.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
	const link = text.match(/https?:\/\/\S+\/invitations\/accept\?token=[A-Za-z0-9_-]+/)?.[0];
	if (!link) throw new Error('no invitation link in the mail');
	return link;
}

test('P13: the owner invites a help-desk user; the mailed link sets a password and opens the app with that role', async ({
	tenant,
	devices,
	browser
}) => {
	const owner = await devices.signedIn(tenant.server.url, tenant.owner);
	const users = new UsersPage(owner.page);
	await users.open();
	await expect(users.row(tenant.owner.email).getByTestId('owner-badge')).toBeVisible();
	await expect(owner.page.getByTestId('pending-invitations')).toContainText('No pending invitations.');

	await users.invite(INVITED, 'Help Desk');
	await expect(users.notice).toHaveText(`An invitation was sent to ${INVITED}.`);
	await expect(users.invitation(INVITED)).toContainText('Help Desk · Whole organization');
	await owner.page.screenshot({ path: '/tmp/shots/users.png' });

	const link = invitationLink(tenant.server.dataDir);
	expect(new URL(link).origin).toBe(tenant.server.url);

	const other = await browser.newContext(CONTEXT_OPTIONS);
	try {
		const page = await other.newPage();
		await page.goto(link);
		const form = page.getByTestId('accept-form');
		await expect(form).toBeVisible();
		await form.getByLabel('Password').fill('short');
		await form.locator('button[type=submit]').click();
		await expect(form.getByRole('alert')).toBeVisible();
		await form.getByLabel('Password').fill('a fine new password');
		await form.locator('button[type=submit]').click();

		const tree = new TreePage(page);
		await tree.expectShown();
		await expect(page.getByTestId('user-email')).toHaveText(INVITED);
		// Help Desk does not manage users: no Users link for them.
		await expect(page.getByTestId('nav-users')).toHaveCount(0);
		await tree.expectInSync();
	} finally {
		await other.close();
	}

	await owner.page.reload();
	await expect(users.table).toBeVisible();
	await expect(users.row(INVITED).getByTestId('user-role')).toHaveText('Help Desk');
	await expect(users.invitations).toHaveCount(0);
});
