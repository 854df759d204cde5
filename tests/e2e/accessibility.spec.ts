// Every screen and popup this issue builds is checked with axe-core against WCAG 2.1 A and AA, at tablet size.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import { CONTEXT_OPTIONS, expect, test } from './support/fixtures';
import { SignInPage } from './pages/sign-in-page';
import { TreePage } from './pages/tree-page';
import { SetupPage } from './pages/setup-page';
import { UsersPage } from './pages/users-page';
import { AuditPage } from './pages/audit-page';
import { LockScreen } from './pages/lock-screen';
import { invitationLinkTo } from './support/outbox';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
	readonly id: string;
	readonly impact: string | null;
	readonly help: string;
	readonly targets: string[];
}

/** The WCAG 2.1 A/AA violations axe finds on the page as it is now (axe is injected; the context bypasses the CSP for it). */
async function violations(page: Page): Promise<Violation[]> {
	await page.evaluate(axeSource);
	return page.evaluate(async () => {
		const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
		const result = await axe.run(document, {
			runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }
		});
		return result.violations.map((violation) => ({
			id: violation.id,
			impact: violation.impact ?? null,
			help: violation.help,
			targets: violation.nodes.slice(0, 5).map((node) => node.target.join(' '))
		}));
	});
}

test('WCAG 2.1 AA (axe): sign-in, tree with every status, contact popup, menus, sync details and the customer page', async ({
	browser,
	tenant
}) => {
	const context = await browser.newContext({ ...CONTEXT_OPTIONS, bypassCSP: true });
	try {
		const page = await context.newPage();
		const signIn = new SignInPage(page);
		await signIn.goto(tenant.server.url);
		await expect(page.getByTestId('signin-form')).toBeVisible();
		expect(await violations(page), 'sign-in').toEqual([]);

		await signIn.submit(tenant.owner.email, tenant.owner.password);
		const tree = new TreePage(page);
		await tree.openFromLanding();
		await tree.addAtRoot('distributor', 'Nordwind Distribution', 'DE');
		await tree.addChild('Nordwind Distribution', 'msp', 'Contoso MSP', 'AT');
		for (const name of ['Fabrikam GmbH', 'Tailspin Toys', 'Adatum AG'])
			await tree.addChild('Contoso MSP', 'customer', name);
		for (const [name, status] of [
			['Tailspin Toys', 'normal'],
			['Adatum AG', 'unlinked']
		] as const) {
			await tree.openActions(name);
			await page.getByTestId(`action-status-${status}`).click();
			// C7: unlinking is for good and asks first.
			if (status === 'unlinked') await page.getByTestId('confirm-unlink').click();
		}
		await tree.expectInSync();
		expect(await violations(page), 'tree').toEqual([]);

		await tree.openActions('Fabrikam GmbH');
		await expect(page.getByTestId('action-rename')).toBeVisible();
		expect(await violations(page), 'node menu').toEqual([]);
		await page.keyboard.press('Escape');

		await tree.openContact('Fabrikam GmbH');
		expect(await violations(page), 'contact popup').toEqual([]);
		await page.keyboard.press('Escape');

		await page.getByTestId('sync-indicator').getByRole('button').click();
		await expect(page.getByTestId('sync-catch-up')).toBeVisible();
		expect(await violations(page), 'sync details').toEqual([]);
		await page.keyboard.press('Escape');

		const customer = await tree.openCustomer('Fabrikam GmbH');
		await customer.addContact({ name: 'Anna Berger', email: 'anna@fabrikam.example' });
		await customer.addSite('Wien Hauptsitz');
		await expect(customer.contacts).toHaveCount(1);
		expect(await violations(page), 'customer page').toEqual([]);
	} finally {
		await context.close();
	}
});

test('WCAG 2.1 AA (axe): the setup page, and every dialog (add, move, delete, profile, contact) with an error shown', async ({
	browser,
	server
}) => {
	const context = await browser.newContext({ ...CONTEXT_OPTIONS, bypassCSP: true });
	try {
		const page = await context.newPage();
		const setup = new SetupPage(page);
		if (!server.setupUrl) throw new Error('the fresh server printed no setup link');
		await setup.open(server.setupUrl);
		await expect(setup.form).toBeVisible();
		expect(await violations(page), 'setup').toEqual([]);
		await setup.submit({
			tenantName: 'Northwind IT',
			email: 'owner@northwind.example',
			password: 'correct horse battery'
		});

		const tree = new TreePage(page);
		await tree.expectShown();
		await tree.addAtRoot('msp', 'Contoso MSP', 'AT');
		await tree.addChild('Contoso MSP', 'customer', 'Fabrikam GmbH');

		// The add dialog with its validation error showing.
		await page.getByRole('button', { name: 'Add at top level' }).click();
		const add = page.getByTestId('add-node-dialog');
		await add.locator('button[type=submit]').click();
		await expect(add.getByRole('alert')).toBeVisible();
		expect(await violations(page), 'add dialog').toEqual([]);
		await page.keyboard.press('Escape');

		await tree.openActions('Fabrikam GmbH');
		await page.getByTestId('action-move').click();
		await expect(page.getByTestId('move-dialog')).toBeVisible();
		expect(await violations(page), 'move dialog').toEqual([]);
		await page.keyboard.press('Escape');

		await tree.openActions('Fabrikam GmbH');
		await page.getByTestId('action-delete').click();
		await expect(page.getByTestId('delete-dialog')).toBeVisible();
		expect(await violations(page), 'delete dialog').toEqual([]);
		await page.keyboard.press('Escape');

		const customer = await tree.openCustomer('Fabrikam GmbH');
		await page.getByTestId('edit-profile').click();
		expect(await violations(page), 'profile form').toEqual([]);
		await page.keyboard.press('Escape');
		await page.getByTestId('add-contact').click();
		const contact = page.getByTestId('contact-dialog');
		await contact.locator('button[type=submit]').click();
		await expect(contact.getByRole('alert')).toBeVisible();
		expect(await violations(page), 'contact dialog').toEqual([]);
		await expect(customer.root).toBeVisible();
	} finally {
		await context.close();
	}
});

test('WCAG 2.1 AA (axe): users with the invite (error), access and role dialogs (errors), audit log, settings (error), the invitation and the lock', async ({
	browser,
	tenant
}) => {
	const invited = 'a.very.long.address.of.a.technician@northwind-managed-services.example';
	const context = await browser.newContext({ ...CONTEXT_OPTIONS, bypassCSP: true });
	const other = await browser.newContext({ ...CONTEXT_OPTIONS, bypassCSP: true });
	try {
		const page = await context.newPage();
		// The page's clock is driven for the inactivity lock at the end (P18), as in inactivity.spec.ts.
		await page.clock.install();
		const signIn = new SignInPage(page);
		await signIn.goto(tenant.server.url);
		await signIn.submit(tenant.owner.email, tenant.owner.password);
		const tree = new TreePage(page);
		await tree.openFromLanding();
		await tree.addAtRoot('msp', 'Contoso MSP', 'AT');
		await tree.addChild('Contoso MSP', 'customer', 'Fabrikam GmbH');
		await tree.expectInSync();

		const users = new UsersPage(page);
		await users.open();
		await expect(page.getByTestId('roles-section')).toBeVisible();
		expect(await violations(page), 'users').toEqual([]);

		// The invite dialog with its validation error showing.
		await page.getByTestId('invite-open').click();
		const invite = page.getByTestId('invite-dialog');
		await invite.getByTestId('invite-submit').click();
		await expect(invite.getByRole('alert').first()).toBeVisible();
		expect(await violations(page), 'invite dialog with an error').toEqual([]);
		await page.keyboard.press('Escape');

		// The role editor with its error, then a role listed with its permissions.
		await page.getByTestId('role-new').click();
		const roleDialog = page.getByTestId('role-dialog');
		await roleDialog.getByTestId('role-submit').click();
		await expect(roleDialog.getByRole('alert')).toBeVisible();
		expect(await violations(page), 'role dialog with an error').toEqual([]);
		await page.keyboard.press('Escape');
		await users.createRole('NOC', ['customers.edit', 'audit.read']);

		await users.invite(invited, 'NOC');
		await expect(users.invitation(invited)).toBeVisible();
		expect(await violations(page), 'users with a custom role and a pending invitation').toEqual([]);

		// The delete confirmation of a role still held, with the server's refusal (409 role_in_use) showing.
		await users.role('NOC').getByTestId('role-delete').click();
		const roleDelete = page.getByTestId('role-delete-dialog');
		await roleDelete.getByTestId('role-delete-confirm').click();
		await expect(roleDelete.getByRole('alert')).toBeVisible();
		expect(await violations(page), 'role delete refused').toEqual([]);
		await page.keyboard.press('Escape');

		// The invitation page, with its error, on another device.
		const acceptPage = await other.newPage();
		await acceptPage.goto(invitationLinkTo(tenant.server.dataDir, invited));
		const form = acceptPage.getByTestId('accept-form');
		await expect(form).toBeVisible();
		expect(await violations(acceptPage), 'invitation').toEqual([]);
		await form.getByLabel('Password').fill('short');
		await form.locator('button[type=submit]').click();
		await expect(form.getByRole('alert')).toBeVisible();
		expect(await violations(acceptPage), 'invitation with an error').toEqual([]);
		await form.getByLabel('Password').fill('a fine new password');
		await form.locator('button[type=submit]').click();
		await new TreePage(acceptPage).expectShown();

		// The edit-access dialog of the person who joined, with the customers picker open.
		await page.reload();
		await expect(users.row(invited)).toBeVisible();
		await users.row(invited).getByTestId('user-actions').click();
		await page.getByTestId('action-edit-access').click();
		const access = page.getByTestId('access-dialog');
		await expect(access).toBeVisible();
		await access.getByTestId('grants-scope-customer').check();
		await expect(access.getByText('Fabrikam GmbH')).toBeVisible();
		expect(await violations(page), 'access dialog').toEqual([]);
		await page.keyboard.press('Escape');

		// The audit log with rows, filtered.
		const audit = new AuditPage(page);
		await audit.open();
		await expect(audit.rows.first()).toBeVisible();
		await page.getByTestId('audit-user').fill(tenant.owner.email);
		await page.getByTestId('audit-apply').click();
		await expect(audit.rows.first()).toBeVisible();
		expect(await violations(page), 'audit log').toEqual([]);

		// Settings with an invalid value showing its error.
		await page.getByTestId('nav-settings').click();
		const settings = page.getByTestId('settings-form');
		await expect(settings).toBeVisible();
		expect(await violations(page), 'settings').toEqual([]);
		await settings.getByLabel(/timeout/i).fill('0');
		await settings.locator('button[type=submit]').click();
		await expect(settings.getByRole('alert').first()).toBeVisible();
		expect(await violations(page), 'settings with an error').toEqual([]);

		// The inactivity lock after the default 15 minutes without input, with its error.
		await page.clock.fastForward(16 * 60_000);
		const lock = new LockScreen(page);
		await lock.expectLocked();
		expect(await violations(page), 'lock').toEqual([]);
		await lock.unlock('not the password');
		await expect(lock.error).toBeVisible();
		expect(await violations(page), 'lock with an error').toEqual([]);
	} finally {
		await other.close();
		await context.close();
	}
});
