// Page model of /customers/<id>: title, profile (with the admin contact), contacts, sites and their write controls.
import { expect, type Locator, type Page } from '@playwright/test';

export interface ProfileEdit {
	readonly name?: string;
	readonly address?: string;
	readonly contactName?: string;
	readonly contactEmail?: string;
	readonly contactPhone?: string;
}

export class CustomerPage {
	readonly root: Locator;
	readonly title: Locator;
	readonly sites: Locator;
	readonly contacts: Locator;
	readonly profile: Locator;
	readonly address: Locator;
	/** Every control on the page that changes data; a read-only user sees none of them. */
	readonly writeControls: Locator;
	/** F4: the "Also here" strip and its people. */
	readonly presence: Locator;
	readonly presencePeers: Locator;

	constructor(readonly page: Page) {
		this.root = page.getByTestId('customer-page');
		this.title = page.getByTestId('customer-title');
		this.sites = page.getByTestId('site-row');
		this.contacts = page.getByTestId('contact-row');
		this.profile = page.getByTestId('customer-profile');
		this.address = page.getByTestId('profile-address');
		this.presence = page.getByTestId('presence');
		this.presencePeers = page.getByTestId('presence-peer');
		this.writeControls = this.root.locator(
			[
				'[data-testid=edit-profile]',
				'[data-testid=add-contact]',
				'[data-testid=add-site]',
				'[data-testid=contact-row] button',
				'[data-testid=site-row] button'
			].join(', ')
		);
	}

	/** F4: the entry of another person in the "Also here" strip. */
	presencePeer(email: string): Locator {
		return this.presencePeers.and(this.page.locator(`[data-email="${email}"]`));
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

	async addContact(contact: { name: string; role?: string; email?: string; phone?: string }): Promise<void> {
		await this.page.getByTestId('add-contact').click();
		const dialog = this.page.getByTestId('contact-dialog');
		await expect(dialog).toBeVisible();
		await dialog.locator('#c-name').fill(contact.name);
		if (contact.role !== undefined) await dialog.locator('#c-role').fill(contact.role);
		if (contact.email !== undefined) await dialog.locator('#c-email').fill(contact.email);
		if (contact.phone !== undefined) await dialog.locator('#c-phone').fill(contact.phone);
		await dialog.locator('button[type=submit]').click();
		await expect(dialog).toBeHidden();
	}

	async editProfile(edit: ProfileEdit): Promise<void> {
		await this.page.getByTestId('edit-profile').click();
		const form = this.page.getByTestId('profile-form');
		await expect(form).toBeVisible();
		if (edit.name !== undefined) await form.locator('#p-name').fill(edit.name);
		if (edit.address !== undefined) await form.locator('#p-address').fill(edit.address);
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
