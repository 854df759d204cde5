// Page model of /users (P13): the people table, pending invitations, the invite dialog and the row actions.
import { expect, type Locator, type Page } from '@playwright/test';

export class UsersPage {
	readonly navLink: Locator;
	readonly table: Locator;
	readonly rows: Locator;
	readonly invitations: Locator;
	readonly notice: Locator;

	constructor(readonly page: Page) {
		this.navLink = page.getByTestId('nav-users');
		this.table = page.getByTestId('users-table');
		this.rows = page.getByTestId('user-row');
		this.invitations = page.getByTestId('invitation-row');
		this.notice = page.getByTestId('users-notice');
	}

	/** Opens the screen from the app bar, as a person would. */
	async open(): Promise<void> {
		await this.navLink.click();
		await expect(this.table).toBeVisible();
	}

	row(email: string): Locator {
		return this.rows.and(this.page.locator(`[data-email="${email}"]`));
	}

	invitation(email: string): Locator {
		return this.invitations.and(this.page.locator(`[data-email="${email}"]`));
	}

	async invite(email: string, roleLabel: string): Promise<void> {
		await this.page.getByTestId('invite-open').click();
		const dialog = this.page.getByTestId('invite-dialog');
		await expect(dialog).toBeVisible();
		await dialog.getByLabel('Email').fill(email);
		await dialog.getByLabel('Role').selectOption({ label: roleLabel });
		await dialog.getByTestId('invite-submit').click();
		await expect(dialog).toBeHidden();
	}

	/** P16: creates a custom role with these permissions (ids such as `audit.read`) in the Roles section. */
	async createRole(name: string, permissions: readonly string[]): Promise<void> {
		await this.page.getByTestId('role-new').click();
		const dialog = this.page.getByTestId('role-dialog');
		await expect(dialog).toBeVisible();
		await dialog.getByLabel('Role name').fill(name);
		for (const permission of permissions) await dialog.getByTestId(`role-permission-${permission}`).check();
		await dialog.getByTestId('role-submit').click();
		await expect(dialog).toBeHidden();
	}

	role(name: string): Locator {
		return this.page.getByTestId('role-row').and(this.page.locator(`[data-name="${name}"]`));
	}
}
