// Page model of /signin: email, password, submit, and the error the form shows.
import { expect, type Locator, type Page } from '@playwright/test';

export class SignInPage {
	readonly form: Locator;
	readonly error: Locator;

	constructor(readonly page: Page) {
		this.form = page.getByTestId('signin-form');
		this.error = this.form.getByTestId('form-error');
	}

	async goto(baseUrl: string): Promise<void> {
		await this.page.goto(`${baseUrl}/signin`);
		await expect(this.form).toBeVisible();
	}

	/** Fills and submits the form; the caller waits for what should follow (the tree or the error). */
	async submit(email: string, password: string): Promise<void> {
		await this.form.locator('#email').fill(email);
		await this.form.locator('#password').fill(password);
		await this.form.locator('button[type=submit]').click();
	}
}
