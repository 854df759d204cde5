// The account menu (the signed-in person's icon in the app bar): the UI's language and signing out.
import type { Page } from '@playwright/test';

/** Opens the account menu and clicks "Sign out" there. */
export async function clickSignOut(page: Page): Promise<void> {
	await page.getByTestId('user-email').click();
	await page.getByTestId('sign-out').click();
}
