// P14 on screen: a custom invitation template written in the editor (an unknown placeholder named while typing, the live
// preview with sample values), made the default for its kind and language, then used by the next invitation: the mail in
// the server's outbox (DATA_DIR/outbox) has its subject and text. Checked at 768x1024 (touch) with axe.
import { expect, test } from './support/fixtures';
import { violations } from './support/axe';
import { UsersPage } from './pages/users-page';
import { outboxMails } from '../helpers/eml';

const INVITED = 'tech@northwind.example';

test('P14: a custom template is created, previewed and made the default; the next user invitation mails it', async ({
	tenant,
	devices
}) => {
	const owner = await devices.signedIn(tenant.server.url, tenant.owner);
	const { page } = owner;
	await page.getByTestId('nav-settings').click();
	await page.getByTestId('settings-nav-templates').click();
	const screen = page.getByTestId('templates-settings');
	await expect(screen.getByRole('heading', { level: 1 })).toHaveText('Notification templates');
	// Ten built-in templates, each the default of its kind and language.
	await expect(screen.getByTestId('template-built-in-row')).toHaveCount(10);
	await expect(screen.getByTestId('template-default-userInvitation-en')).toHaveValue('');

	await screen.getByTestId('template-new').click();
	const editor = screen.getByTestId('template-editor');
	await expect(editor.getByTestId('template-placeholders')).toContainText('{{link}}');
	await expect(editor.getByTestId('template-placeholders')).not.toContainText('{{organization}}');
	await editor.getByLabel('Name').fill('Friendly welcome');
	await editor.getByLabel('Subject').fill('Welcome aboard {{tenantName}}');
	const body = editor.getByLabel('Text');
	await body.fill('Hi {{organization}}!');
	// Refused while typing, naming the placeholder.
	await expect(editor.getByText('Unknown placeholder {{organization}}: use one from the list.')).toBeVisible();
	await expect(body).toHaveAttribute('aria-invalid', 'true');
	await body.fill(
		'Hi!\n{{invitedBy}} invites you to {{tenantName}}.\nStart here: {{link}}\nValid until {{expiresAt}}.'
	);
	await expect(body).not.toHaveAttribute('aria-invalid', 'true');
	// The live preview, rendered by the mails' own renderer with sample values.
	await expect(editor.getByTestId('template-preview-subject')).toHaveText('Welcome aboard Northwind IT');
	await expect(editor.getByTestId('template-preview-body')).toContainText(
		`${tenant.owner.email} invites you to Northwind IT.`
	);
	await expect(editor.getByTestId('template-preview-body')).toContainText('/invitations/accept?token=');
	await page.screenshot({ path: '/tmp/shots/templates-editor.png', fullPage: true });
	const serious = (await violations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(serious).toEqual([]);
	await editor.getByTestId('template-save').click();
	await expect(editor).toBeHidden();
	await expect(screen.getByTestId('template-row')).toHaveCount(1);
	await expect(screen.getByTestId('template-name')).toHaveText('Friendly welcome');

	await screen.getByTestId('template-default-userInvitation-en').selectOption({ label: 'Friendly welcome' });
	await expect(screen.getByTestId('template-row').getByTestId('template-default-badge')).toBeVisible();
	await page.screenshot({ path: '/tmp/shots/templates.png', fullPage: true });

	const users = new UsersPage(page);
	await users.open();
	await page.getByTestId('invite-open').click();
	const dialog = page.getByTestId('invite-dialog');
	// The recipient's language defaults to the inviter's own.
	await expect(dialog.getByLabel("Recipient's language")).toHaveValue('en');
	await dialog.getByLabel('Email').fill(INVITED);
	await dialog.getByLabel('Role').selectOption({ label: 'Help Desk' });
	await page.screenshot({ path: '/tmp/shots/templates-invite.png' });
	await dialog.getByTestId('invite-submit').click();
	await expect(dialog).toBeHidden();
	await expect(users.invitation(INVITED)).toBeVisible();

	const [mail, ...more] = outboxMails(tenant.server.dataDir);
	expect(more).toEqual([]);
	expect(mail?.to).toBe(INVITED);
	expect(mail?.subject).toBe('Welcome aboard Northwind IT');
	expect(mail?.text).toMatch(
		/^Hi!\nowner@northwind\.example invites you to Northwind IT\.\nStart here: http:\/\/127\.0\.0\.1:\d+\/invitations\/accept\?token=[A-Za-z0-9_-]+\nValid until .+\.$/
	);
});
