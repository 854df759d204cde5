// Page model of the P18 lock screen: the dialog over the app, its password field, and the message it shows.
import { expect, type Locator, type Page } from '@playwright/test';

export class LockScreen {
	readonly dialog: Locator;
	readonly password: Locator;
	readonly error: Locator;

	constructor(readonly page: Page) {
		this.dialog = page.getByTestId('lock-screen');
		this.password = page.getByTestId('lock-password');
		this.error = this.dialog.getByTestId('form-error');
	}

	async expectLocked(): Promise<void> {
		await expect(this.dialog.getByRole('dialog', { name: 'Locked' })).toBeVisible();
		// Focus waits in the dialog, so keys go to the password and nowhere behind it.
		await expect(this.password).toBeFocused();
	}

	async unlock(password: string): Promise<void> {
		await this.password.fill(password);
		await this.dialog.getByRole('button', { name: 'Unlock' }).click();
	}
}
