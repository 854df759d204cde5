// Page model of /customers/<id>: title, profile (with the admin contact), sites.
import { expect, type Locator, type Page } from '@playwright/test';

export interface ProfileEdit {
	readonly name?: string;
	readonly contactName?: string;
	readonly contactEmail?: string;
	readonly contactPhone?: string;
}

export class CustomerPage {
	readonly root: Locator;
	readonly title: Locator;
	readonly sites: Locator;

	constructor(readonly page: Page) {
		this.root = page.getByTestId('customer-page');
		this.title = page.getByTestId('customer-title');
		this.sites = page.getByTestId('site-row');
	}

	async id(): Promise<string> {
		return (await this.root.getAttribute('data-customer-id')) ?? '';
	}

	async addSite(name: string): Promise<void> {
		await this.page.getByTestId('add-site').click();
		const dialog = this.page.getByTestId('add-node-dialog');
		await expect(dialog).toBeVisible();
		await dialog.locator('#add-name').fill(name);
		await dialog.locator('button[type=submit]').click();
		await expect(dialog).toBeHidden();
	}

	async editProfile(edit: ProfileEdit): Promise<void> {
		await this.page.getByTestId('edit-profile').click();
		const form = this.page.getByTestId('profile-form');
		await expect(form).toBeVisible();
		if (edit.name !== undefined) await form.locator('#p-name').fill(edit.name);
		if (edit.contactName !== undefined) await form.locator('#p-cname').fill(edit.contactName);
		if (edit.contactEmail !== undefined) await form.locator('#p-cemail').fill(edit.contactEmail);
		if (edit.contactPhone !== undefined) await form.locator('#p-cphone').fill(edit.contactPhone);
		await form.locator('button[type=submit]').click();
		await expect(form).toBeHidden();
	}

	async backToTree(): Promise<void> {
		await this.page.getByRole('link', { name: 'MSP tree' }).click();
		await expect(this.page).toHaveURL(/\/tree$/);
	}
}
