// Page model of /setup?token=…: the one-time form that creates the owner and the organization.
import { expect, type Locator, type Page } from '@playwright/test';

export class SetupPage {
	readonly form: Locator;
	readonly error: Locator;
	/** Shown instead of the form once setup has been done. */
	readonly alreadyDone: Locator;

	constructor(readonly page: Page) {
		this.form = page.getByTestId('setup-form');
		this.error = this.form.getByTestId('form-error');
		this.alreadyDone = page.getByTestId('setup-done');
	}

	async open(setupUrl: string): Promise<void> {
		await this.page.goto(setupUrl);
	}

	async submit(input: { tenantName: string; email: string; password: string }): Promise<void> {
		await expect(this.form).toBeVisible();
		await this.form.locator('#tenantName').fill(input.tenantName);
		await this.form.locator('#email').fill(input.email);
		await this.form.locator('#password').fill(input.password);
		await this.form.locator('button[type=submit]').click();
	}
}
