// F1: a page reloads offline only once the service worker controls it: wait until it is active, then one online reload.
import { expect, type Page } from '@playwright/test';

export async function reloadUnderServiceWorker(page: Page): Promise<void> {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	await page.reload();
	await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}
